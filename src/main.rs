//! Command line: parse arguments, run a command, map the result to an exit code.
// Input must never make the tool panic: these are errors outside tests.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic,
        // Integer overflow (a panic in debug builds, a silent wrap in release) and division by zero.
        clippy::arithmetic_side_effects
    )
)]
// Small functions with one job each: clippy.toml sets the limit at 120 lines.
#![deny(clippy::too_many_lines)]

// jemalloc: faster than glibc malloc for builds (measured; see Cargo.toml).
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use handreiking::{config, diagnostics, nl, output, pipeline, scaffold, serve, synthetic};

use clap::{Parser, Subcommand, ValueEnum};
use diagnostics::{Diagnostic, Severity};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Exit codes: 0 success, 1 content errors, 2 usage or I/O errors.
const EXIT_CONTENT: u8 = 1;
const EXIT_USAGE: u8 = 2;

/// clap's own texts ("Usage:", "Options:", "Print help") in Dutch, like every other message.
const HELP_TEMPLATE: &str =
    "{before-help}{about-with-newline}\nGebruik: {usage}\n\n{all-args}{after-help}";

#[derive(Parser)]
#[command(
    name = "handreiking",
    version,
    about = "Bouwt de handreiking over de Informatiepunten Digitale Overheid als statische site",
    help_template = HELP_TEMPLATE,
    subcommand_help_heading = "Opdrachten",
    subcommand_value_name = "OPDRACHT",
    next_help_heading = "Opties",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    after_help = "Meer uitleg over een opdracht: handreiking <OPDRACHT> --help"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Toont deze hulp.
    #[arg(short = 'h', long, action = clap::ArgAction::Help, global = true)]
    help: Option<bool>,
    /// Toont het versienummer.
    #[arg(short = 'V', long, action = clap::ArgAction::Version)]
    version: Option<bool>,
}

#[derive(Subcommand)]
#[command(help_template = HELP_TEMPLATE, next_help_heading = "Opties")]
enum Command {
    /// Bouwt de site in de uitvoermap (standaard public/).
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Opties", override_usage = "handreiking build [OPTIES]")]
    Build {
        /// De map van de site, met site.yaml (standaard: de huidige map).
        #[arg(
            long,
            default_value = ".",
            value_name = "MAP",
            hide_default_value = true
        )]
        root: PathBuf,
        /// De uitvoermap; wordt in zijn geheel vervangen, maar alleen als handreiking hem maakte.
        #[arg(long, value_name = "MAP")]
        output: Option<PathBuf>,
        /// Vervangt base_url uit site.yaml (bijvoorbeeld voor een testomgeving).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Bouwt ook pagina's met `draft: true` (concepten).
        #[arg(long)]
        drafts: bool,
        /// Meldingen als tekst voor mensen (human, standaard) of als JSON-regels voor CI (json).
        #[arg(
            long,
            value_enum,
            default_value_t = Format::Human,
            value_name = "VORM",
            hide_default_value = true,
            hide_possible_values = true
        )]
        format: Format,
    },
    /// Leest, controleert en rendert alles, maar schrijft niets.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Opties", override_usage = "handreiking check [OPTIES]")]
    Check {
        /// De map van de site, met site.yaml (standaard: de huidige map).
        #[arg(
            long,
            default_value = ".",
            value_name = "MAP",
            hide_default_value = true
        )]
        root: PathBuf,
        /// Controleert ook pagina's met `draft: true` (concepten).
        #[arg(long)]
        drafts: bool,
        /// Meldingen als tekst voor mensen (human, standaard) of als JSON-regels voor CI (json).
        #[arg(
            long,
            value_enum,
            default_value_t = Format::Human,
            value_name = "VORM",
            hide_default_value = true,
            hide_possible_values = true
        )]
        format: Format,
    },
    /// Toont de site in de browser en werkt hem bij zodra u een bestand opslaat.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Opties", override_usage = "handreiking serve [OPTIES]")]
    Serve {
        /// De map van de site, met site.yaml (standaard: de huidige map).
        #[arg(
            long,
            default_value = ".",
            value_name = "MAP",
            hide_default_value = true
        )]
        root: PathBuf,
        /// De poort van de preview (standaard 1111); kies een andere als deze bezet is.
        #[arg(
            long,
            default_value_t = 1111,
            value_name = "POORT",
            hide_default_value = true
        )]
        port: u16,
        /// Het adres waarop de preview luistert (standaard 127.0.0.1); een ander adres maakt hem zichtbaar in het netwerk.
        #[arg(
            long,
            default_value = "127.0.0.1",
            value_name = "ADRES",
            hide_default_value = true
        )]
        bind: String,
        /// Opent de preview in de browser.
        #[arg(long)]
        open: bool,
        /// Toont ook pagina's met `draft: true` (concepten).
        #[arg(long)]
        drafts: bool,
        /// Kijkt regelmatig of bestanden veranderden, in plaats van op meldingen van het systeem te
        /// wachten (netwerkschijven, containers).
        #[arg(long)]
        poll: bool,
    },
    /// Maakt een kleine, werkende site in een nieuwe map.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Opties")]
    New {
        /// De nieuwe map.
        #[arg(value_name = "MAP")]
        dir: PathBuf,
    },
    /// Schrijft een synthetische site van N pagina's voor benchmarks (zie BENCHMARKS.md).
    #[command(hide = true)]
    Synthetic {
        dir: PathBuf,
        #[arg(long, default_value_t = 1000)]
        pages: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Format {
    Human,
    Json,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return cli_error(&err),
    };
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            format,
        } => {
            if let Some(url) = &base_url
                && let Err(why) = config::check_base_url(url)
            {
                return usage_error(&format!(
                    "--base-url {why}, maar is `{}`",
                    diagnostics::printable(url)
                ));
            }
            run_build(&root, output, base_url, drafts, format, true)
        }
        Command::Check {
            root,
            drafts,
            format,
        } => run_build(&root, None, None, drafts, format, false),
        Command::Synthetic { dir, pages, seed } => match synthetic::generate(&dir, pages, seed) {
            Ok(n) => {
                println!(
                    "{} geschreven in {}",
                    nl::count(n, "pagina", "pagina's"),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(err) => usage_error(&err.to_string()),
        },
        Command::Serve {
            root,
            port,
            bind,
            open,
            drafts,
            poll,
        } => {
            if !root.join(config::CONFIG_FILE).is_file() {
                return usage_error(&format!(
                    "geen site gevonden: {} heeft geen site.yaml",
                    root.display()
                ));
            }
            match serve::run(serve::ServeOptions {
                root,
                port,
                bind,
                open,
                drafts,
                poll,
            }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => usage_error(&message),
            }
        }
        Command::New { dir } => match scaffold::create(&dir) {
            Ok(_) => {
                println!(
                    "Nieuwe site gemaakt in {}. Bouw hem met: handreiking build --root {}",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(message) => usage_error(&message),
        },
    }
}

/// Help and version go to standard output; a mistake in the command gets a Dutch message with
/// a hint, exit code 2.
fn cli_error(err: &clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let context = |kind| match err.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(list)) => list.join(", "),
        _ => String::new(),
    };
    let suggestion = context(ContextKind::SuggestedSubcommand)
        + &context(ContextKind::SuggestedArg)
        + &context(ContextKind::SuggestedValue);
    let message = match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let text = err.to_string();
            print!("{text}");
            if !text.ends_with('\n') {
                println!();
            }
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            "geef een opdracht: build, check, serve of new".to_string()
        }
        ErrorKind::InvalidSubcommand => {
            format!(
                "onbekende opdracht `{}`",
                context(ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::UnknownArgument => {
            format!("onbekende optie `{}`", context(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => format!(
            "ongeldige waarde `{}` voor {}",
            context(ContextKind::InvalidValue),
            context(ContextKind::InvalidArg)
        ),
        ErrorKind::MissingRequiredArgument => {
            format!("er ontbreekt iets: {}", context(ContextKind::InvalidArg))
        }
        _ => format!("de opdracht klopt niet: {}", err.kind()),
    };
    eprintln!("fout: {message}");
    if suggestion.is_empty() {
        eprintln!("  = hulp: handreiking --help toont alle opdrachten en opties");
    } else {
        eprintln!(
            "  = hulp: bedoelt u `{suggestion}`? handreiking --help toont alle opdrachten en opties"
        );
    }
    ExitCode::from(EXIT_USAGE)
}

/// Usage and I/O problems: one line on standard error, exit code 2.
fn usage_error(message: &str) -> ExitCode {
    eprintln!("fout: {message}");
    ExitCode::from(EXIT_USAGE)
}

fn run_build(
    root: &Path,
    output: Option<PathBuf>,
    base_url: Option<String>,
    drafts: bool,
    format: Format,
    write: bool,
) -> ExitCode {
    let started = Instant::now();
    if !root.join(config::CONFIG_FILE).is_file() {
        report(
            root,
            &[Diagnostic::error(config::CONFIG_FILE, 0, 0, format!("geen site gevonden: {} heeft geen site.yaml", root.display()))
                .help("start in de map van de site, geef --root MAP, of maak een site met `handreiking new MAP`")],
            format,
        );
        return ExitCode::from(EXIT_USAGE);
    }
    // Check the output directory before doing any work, so an unsafe choice fails fast.
    let output_dir = if write {
        let requested = output.unwrap_or_else(|| root.join("public"));
        match output::check_output_dir(root, &requested) {
            Ok(dir) => Some(dir),
            Err(err) => {
                report(root, &[err.into_diagnostic()], format);
                return ExitCode::from(EXIT_USAGE);
            }
        }
    } else {
        None
    };
    // Pages are written into a staging directory as they are rendered; it replaces the output
    // directory only when the whole build succeeded, and is removed otherwise.
    let sink = match &output_dir {
        Some(dir) => match output::Staging::create(dir) {
            Ok(staging) => output::Sink::disk(staging),
            Err(err) => {
                report(root, &[err.into_diagnostic()], format);
                return ExitCode::from(EXIT_USAGE);
            }
        },
        None => output::Sink::discard(),
    };
    let result = pipeline::build(
        &pipeline::BuildOptions {
            root: root.to_path_buf(),
            base_url,
            drafts,
        },
        &sink,
    );
    let mut diagnostics = diagnostics::Diagnostics::default();
    diagnostics.extend(result.diagnostics);
    // Source facts (counts above the respondents) are shown on the pages; `check` lists them too.
    if !write {
        diagnostics.extend(result.source_warnings);
    }
    let sorted = diagnostics.sorted();
    report(root, &sorted, format);
    // Counted after duplicates are folded, so the summary matches what was printed.
    let count = |severity| sorted.iter().filter(|d| d.severity == severity).count();
    let errors = count(Severity::Error);
    let warnings = count(Severity::Warning);
    if errors > 0 {
        eprintln!(
            "Mislukt: {errors} {} en {warnings} {}. Er is niets geschreven; de vorige site staat er nog.",
            if errors == 1 { "fout" } else { "fouten" },
            if warnings == 1 {
                "waarschuwing"
            } else {
                "waarschuwingen"
            }
        );
        return ExitCode::from(EXIT_CONTENT);
    }
    let mut stages = handreiking::profile::Stages::start();
    let files = match sink.into_staging().and_then(|staging| match staging {
        // The marker file counts too.
        Some(staging) => staging.commit().map(|()| result.files.saturating_add(1)),
        None => Ok(result.files),
    }) {
        Ok(n) => n,
        Err(err) => {
            report(root, &[err.into_diagnostic()], format);
            return ExitCode::from(EXIT_USAGE);
        }
    };
    stages.done("schrijven");
    stages.peak_memory();
    let seconds = started.elapsed().as_secs_f64();
    let summary = format!(
        "{} {}, {}, {} {} in {} s{}",
        if write { "Klaar:" } else { "Gecontroleerd:" },
        nl::count(result.pages, "pagina", "pagina's"),
        nl::count(result.sections, "sectie", "secties"),
        nl::count(files, "bestand", "bestanden"),
        if write {
            "geschreven"
        } else {
            "gemaakt (niets geschreven)"
        },
        nl::format_number_nl(seconds, 2),
        if warnings > 0 {
            format!(
                ", {}",
                nl::count(warnings, "waarschuwing", "waarschuwingen")
            )
        } else {
            String::new()
        }
    );
    if format == Format::Json {
        eprintln!("{summary}");
    } else {
        println!("{summary}");
    }
    ExitCode::SUCCESS
}

fn report(root: &Path, diagnostics: &[Diagnostic], format: Format) {
    let github = std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
    for d in diagnostics {
        match format {
            Format::Human => eprint!("{}", diagnostics::render_human(d, root)),
            Format::Json => println!("{}", diagnostics::render_json(d)),
        }
        if github {
            println!("{}", diagnostics::render_github(d));
        }
    }
}
