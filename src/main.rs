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

// jemalloc: faster than glibc malloc for builds (measured; see Cargo.toml).
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use handreiking::{build, config, diagnostics, output, render, scaffold, serve, synthetic};

use clap::{Parser, Subcommand, ValueEnum};
use diagnostics::{Diagnostic, Severity};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Exit codes: 0 success, 1 content errors, 2 usage or I/O errors.
const EXIT_CONTENT: u8 = 1;
const EXIT_USAGE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "handreiking",
    version,
    about = "Bouwt de handreiking over de Informatiepunten Digitale Overheid als statische site"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output directory (default: public/).
    Build {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output directory; replaced as a whole, only if handreiking made it.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Overrides base_url from site.yaml.
        #[arg(long)]
        base_url: Option<String>,
        /// Also build pages with `draft: true`.
        #[arg(long)]
        drafts: bool,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Load, check and render everything, but write nothing.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        drafts: bool,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Preview the site with live reload while you edit.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; anything but loopback makes the preview visible to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the preview in the browser.
        #[arg(long)]
        open: bool,
        #[arg(long)]
        drafts: bool,
        /// Poll for changes instead of using file system events (network drives, containers).
        #[arg(long)]
        poll: bool,
    },
    /// Create a small working site in a new directory.
    New { dir: PathBuf },
    /// Write a synthetic site of N pages for benchmarks (see BENCHMARKS.md).
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
    let cli = Cli::parse();
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
                println!("{n} pagina's geschreven in {}", dir.display());
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
    let result = build::build(
        &build::BuildOptions {
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
    let errors = diagnostics.count(Severity::Error);
    let warnings = diagnostics.count(Severity::Warning);
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
        "{} {} pagina's, {} secties, {} bestanden {} in {} s{}",
        if write { "Klaar:" } else { "Gecontroleerd:" },
        result.pages,
        result.sections,
        files,
        if write {
            "geschreven"
        } else {
            "gemaakt (niets geschreven)"
        },
        render::format_number_nl(seconds, 2),
        if warnings > 0 {
            format!(
                ", {warnings} {}",
                if warnings == 1 {
                    "waarschuwing"
                } else {
                    "waarschuwingen"
                }
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
