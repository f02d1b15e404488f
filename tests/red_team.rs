//! The red-team review's attacks (issue #14): every one is refused where the value enters, with its
//! exact diagnostic, or made harmless; a refused build changes nothing on disk, neither `public/`
//! nor anything beside or outside it.

mod common;
use common::*;

#[path = "red_team/output.rs"]
mod output;
#[path = "red_team/waves.rs"]
mod waves;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A directory as it is on disk: files with their bytes, folders, and links with their targets
/// (never followed).
#[derive(Debug, PartialEq)]
enum Entry {
    File(Vec<u8>),
    Dir,
    Link(PathBuf),
}

fn tree(dir: &Path) -> BTreeMap<String, Entry> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = entry.expect("walk");
        let rel = entry
            .path()
            .strip_prefix(dir)
            .expect("prefix")
            .to_string_lossy()
            .into_owned();
        let kind = if entry.path_is_symlink() {
            Entry::Link(std::fs::read_link(entry.path()).expect("link"))
        } else if entry.file_type().is_dir() {
            Entry::Dir
        } else {
            Entry::File(std::fs::read(entry.path()).expect("read"))
        };
        out.insert(rel, kind);
    }
    out
}

const FAILED_ONE: &str =
    "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n";

fn failed(errors: usize) -> String {
    format!(
        "Mislukt: {errors} fouten en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n"
    )
}

/// A small site that has been built once, so that `public/` holds a previous site.
fn built_site(files: &[(&str, &str)]) -> Fixture {
    let mut all = vec![
        ("content/_index.md", "---\ntitle: Home\n---\nWelkom.\n"),
        (
            "content/gids/_index.md",
            "---\ntitle: Gids\n---\nDe gids.\n",
        ),
        (
            "content/gids/pagina.md",
            "---\ntitle: Pagina\n---\n## Tips\n\nTekst.\n",
        ),
    ];
    all.extend_from_slice(files);
    let s = Fixture::new(&all);
    let run = s.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    s
}

/// Runs `args` on a site that already holds its hostile files, and checks the exit code, the
/// whole standard error, and that nothing changed: not the site with its `public/`, and not
/// `outside`.
fn refused(s: &Fixture, args: &[&str], outside: Option<&Path>, code: i32, stderr: &str) {
    let before = tree(s.root());
    let outside_before = outside.map(tree);
    let run = run(args, s.root());
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (code, stderr),
        "stdout: {}",
        run.stdout
    );
    assert_eq!(run.stdout, "");
    assert!(tree(s.root()) == before, "the site or its public/ changed");
    assert!(
        outside.map(tree) == outside_before,
        "a file outside the site changed"
    );
}

fn build_refused(s: &Fixture, stderr: &str) {
    refused(s, &["build"], None, 1, stderr);
}

const PAGE: &str = "---\ntitle: Naam\n---\nTekst.\n";

// ---------- 1 and 16: file and folder names, slugs ----------

#[cfg(unix)]
#[test]
fn dots_as_page_names_cannot_leave_their_folder() {
    let s = built_site(&[]);
    // The attack: `content/...md` became `/../`, written through a link beside the output.
    let victim = tempfile::tempdir().unwrap();
    std::fs::write(victim.path().join("index.html"), "van iemand anders").unwrap();
    std::os::unix::fs::symlink(
        victim.path().join("index.html"),
        s.root().join("index.html"),
    )
    .unwrap();
    for (path, text) in [
        ("content/...md", PAGE),
        ("content/..md", PAGE),
        ("content/gids/...md", PAGE),
    ] {
        s.write(path, text);
    }
    let help = "  = hulp: de bestandsnaam wordt een deel van de URL: hernoem het bestand naar kleine letters, cijfers en streepjes, zoals `mijn-pagina.md`\n";
    refused(
        &s,
        &["build"],
        Some(victim.path()),
        1,
        &format!(
            "fout: ongeldige bestandsnaam `...md`: het URL-deel `..` mag niet leeg zijn of `..` bevatten\n  --> content/...md\n{help}\
             fout: ongeldige bestandsnaam `..md`: het URL-deel `.` mag niet leeg zijn of `..` bevatten\n  --> content/..md\n{help}\
             fout: ongeldige bestandsnaam `...md`: het URL-deel `..` mag niet leeg zijn of `..` bevatten\n  --> content/gids/...md\n{help}{}",
            failed(3)
        ),
    );
}

#[test]
fn a_bad_folder_name_is_reported_once_at_the_folder() {
    let s = built_site(&[]);
    s.write("content/mijn map/a.md", PAGE);
    s.write("content/mijn map/b.md", PAGE);
    s.write("content/x\u{202e}lmth.exe/_index.md", PAGE);
    let help = "  = hulp: de mapnaam wordt een deel van de URL: hernoem de map naar kleine letters, cijfers en streepjes, zoals `mijn-sectie`\n";
    build_refused(
        &s,
        &format!(
            "fout: ongeldige mapnaam `mijn map`: het URL-deel `mijn map` mag geen spaties bevatten\n  --> content/mijn map\n{help}\
             fout: ongeldige mapnaam `x\\u{{202e}}lmth.exe`: het URL-deel `x\\u{{202e}}lmth.exe` mag geen onzichtbare stuur- of richtingstekens bevatten\n  --> content/x\\u{{202e}}lmth.exe\n{help}{}",
            failed(2)
        ),
    );
}

#[test]
fn slugs_with_control_or_direction_characters_or_over_255_bytes_are_refused() {
    let s = built_site(&[]);
    let long = "a".repeat(256);
    s.write(
        "content/gids/pagina.md",
        "---\ntitle: Pagina\nslug: \"a\\u0007b\"\n---\nTekst.\n",
    );
    s.write(
        "content/gids/twee.md",
        "---\ntitle: Twee\nslug: \"gpj\u{202e}exe\"\n---\nTekst.\n",
    );
    s.write(
        "content/gids/lang.md",
        &format!("---\ntitle: Lang\nslug: {long}\n---\nTekst.\n"),
    );
    // Quoted source lines stop after 200 characters.
    let shown = &long[..194];
    let help = "  = hulp: een slug is één deel van een URL: kleine letters, cijfers en streepjes, zoals `mijn-pagina`\n";
    build_refused(
        &s,
        &format!(
            "fout: ongeldige slug `{long}`: is langer dan 255 bytes\n  --> content/gids/lang.md:3:7\n  |\n3 | slug: {shown}\n  |       ^\n{help}\
             fout: ongeldige slug `a\\u{{7}}b`: mag geen onzichtbare stuur- of richtingstekens bevatten\n  --> content/gids/pagina.md:3:7\n  |\n3 | slug: \"a\\u0007b\"\n  |       ^\n{help}\
             fout: ongeldige slug `gpj\\u{{202e}}exe`: mag geen onzichtbare stuur- of richtingstekens bevatten\n  --> content/gids/twee.md:3:7\n  |\n3 | slug: \"gpj\\u{{202e}}exe\"\n  |       ^\n{help}{}",
            failed(3)
        ),
    );
}

/// The summary line without its timing.
fn summary(stdout: &str) -> &str {
    stdout.split(" in ").next().unwrap_or(stdout)
}

// ---------- 6 and 16: site.yaml ----------

#[test]
fn language_and_theme_are_plain_names() {
    let s = built_site(&[]);
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outside.path().join("outside")).unwrap();
    std::fs::write(
        outside.path().join("outside/secret.yaml"),
        "wachtwoord: geheim\n",
    )
    .unwrap();
    s.write(
        "site.yaml",
        &format!("{SITE_YAML}language: ../../outside/secret\n")
            .replace("theme: test", "theme: ../test"),
    );
    refused(
        &s,
        &["build"],
        Some(outside.path()),
        1,
        &format!(
            "fout: `theme` moet een eenvoudige naam zijn, maar is `../test`\n  --> site.yaml:3:8\n  |\n3 | theme: ../test\n  |        ^\n  = hulp: gebruik alleen de naam van een map onder themes/, zoals `default`\n\
             fout: `language` moet een eenvoudige naam zijn, maar is `../../outside/secret`\n  --> site.yaml:12:11\n   |\n12 | language: ../../outside/secret\n   |           ^\n  = hulp: schrijf een taalcode zoals `nl` of `en`: de naam van een bestand in i18n/ zonder `.yaml`\n{}",
            failed(2)
        ),
    );
}

#[test]
fn site_links_refuse_javascript_and_line_breaks() {
    let s = built_site(&[]);
    s.write(
        "site.yaml",
        &format!(
            "{SITE_YAML}menu:\n  - title: Klik\n    url: javascript:alert(1)\n  - title: Ook\n    url: \"java\\tscript:alert(1)\"\n  - title: Goed\n    url: https://example.nl/\nsecurity:\n  contact: \"https://example.nl/\\nPolicy: https://evil.example\"\n  expires: 2030-01-01\n  policy: /beleid/\nextra:\n  print_url: JavaScript:alert(1)\n"
        ),
    );
    let link_help = "  = hulp: gebruik een pad op de site, zoals `/zoeken/`, of een adres dat met https:// begint\n";
    let security_help =
        "  = hulp: bijvoorbeeld `https://www.example.nl/melden` of `mailto:security@example.nl`\n";
    build_refused(
        &s,
        &format!(
            "fout: het menu-adres `javascript:alert(1)` is geen veilig adres: alleen http:, https:, mailto: en tel: zijn toegestaan\n  --> site.yaml:14:10\n   |\n14 |     url: javascript:alert(1)\n   |          ^\n{link_help}\
             fout: het menu-adres `java\\tscript:alert(1)` is geen veilig adres: het mag geen spaties, regeleinden of stuurtekens bevatten\n  --> site.yaml:16:10\n   |\n16 |     url: \"java\\tscript:alert(1)\"\n   |          ^\n{link_help}\
             fout: `contact` `https://example.nl/\\nPolicy: https://evil.example` is geen geldig adres: het mag geen spaties, regeleinden of stuurtekens bevatten\n  --> site.yaml:20:12\n   |\n20 |   contact: \"https://example.nl/\\nPolicy: https://evil.example\"\n   |            ^\n{security_help}\
             fout: `policy` `/beleid/` is geen geldig adres: het moet een volledig adres zijn\n  --> site.yaml:22:11\n   |\n22 |   policy: /beleid/\n   |           ^\n{security_help}\
             fout: `print_url` `JavaScript:alert(1)` is geen veilig adres: alleen http:, https:, mailto: en tel: zijn toegestaan\n  --> site.yaml:24:14\n   |\n24 |   print_url: JavaScript:alert(1)\n   |              ^\n{link_help}{}",
            failed(5)
        ),
    );
    s.write("site.yaml", SITE_YAML);
    refused(
        &s,
        &["build", "--base-url", "javascript:alert(1)//"],
        None,
        2,
        "fout: --base-url moet met https:// of http:// beginnen, maar is `javascript:alert(1)//`\n",
    );
    refused(
        &s,
        &[
            "build",
            "--base-url",
            "https://example.nl/\nSitemap: https://evil.example/",
        ],
        None,
        2,
        "fout: --base-url mag geen spaties, regeleinden of stuurtekens bevatten, maar is `https://example.nl/\\nSitemap: https://evil.example/`\n",
    );
}

#[test]
fn x_yaml_and_x_yml_in_data_are_one_name() {
    let s = built_site(&[]);
    s.write("data/lijst.yaml", "a: 1\n");
    s.write("data/lijst.yml", "a: 2\n");
    s.write("data/tabel/x.yaml", "a: 3\n");
    s.write("data/tabel.yaml", "a: 4\n");
    let help = "  = hulp: hernoem of verwijder een van de twee: elke naam in data/ kan maar één keer voorkomen\n";
    build_refused(
        &s,
        &format!(
            "fout: data/lijst.yaml en data/lijst.yml hebben dezelfde naam: beide worden `data.lijst`\n  --> data/lijst.yml\n{help}\
             fout: data/tabel.yaml en de map data/tabel/ hebben dezelfde naam: beide worden `data.tabel`\n  --> data/tabel.yaml\n{help}{}",
            failed(2)
        ),
    );
}

// ---------- 14: diagnostics ----------

#[test]
fn text_from_content_cannot_start_lines_or_steer_the_terminal_in_diagnostics() {
    let s = built_site(&[]);
    s.write(
        "content/gids/pagina.md",
        "---\ntitle: Pagina\nrollen: [\"x\\n::error file=site.yaml,line=1::nep\", \"\\e[2J\\u202e\"]\n---\nTekst.\n",
    );
    // Written as they are, not as YAML escapes: the quoted source line shows them escaped.
    s.write(
        "content/gids/twee.md",
        "---\ntitle: Twee\nt\u{202e}itel: x\u{1b}[2J\n---\n",
    );
    let before = tree(s.root());
    let run = run_env(&["build"], s.root(), &[("GITHUB_ACTIONS", "true")]);
    assert_eq!(run.code, 1);
    let rollen = "3 | rollen: [\"x\\n::error file=site.yaml,line=1::nep\", \"\\e[2J\\u202e\"]\n";
    assert_eq!(
        run.stderr,
        format!(
            "fout: onbekende term `x\\n::error file=site.yaml,line=1::nep` in `rollen`\n  --> content/gids/pagina.md:3:10\n  |\n{rollen}  |          ^\n  = hulp: toegestaan zijn: financier, promotor\n\
             fout: onbekende term `\\u{{1b}}[2J\\u{{202e}}` in `rollen`\n  --> content/gids/pagina.md:3:51\n  |\n{rollen}  |                                                   ^\n  = hulp: toegestaan zijn: financier, promotor\n\
             fout: ongeldige YAML in de front matter: unexpected character: `\\u{{1b}}'\n  --> content/gids/twee.md:3:9\n  |\n3 | t\\u{{202e}}itel: x\\u{{1b}}[2J\n  |                ^\n  = hulp: controleer de inspringing en zet tekst met een dubbele punt tussen aanhalingstekens\n{}",
            failed(3)
        )
    );
    // Every annotation is one line: GitHub's `%0A` keeps the line break inside the message.
    assert_eq!(
        run.stdout,
        "::error file=content/gids/pagina.md,line=3,col=10::onbekende term `x%0A::error file=site.yaml,line=1::nep` in `rollen` (hulp: toegestaan zijn: financier, promotor)\n\
         ::error file=content/gids/pagina.md,line=3,col=51::onbekende term `\\u{1b}[2J\\u{202e}` in `rollen` (hulp: toegestaan zijn: financier, promotor)\n\
         ::error file=content/gids/twee.md,line=3,col=9::ongeldige YAML in de front matter: unexpected character: `\\u{1b}' (hulp: controleer de inspringing en zet tekst met een dubbele punt tussen aanhalingstekens)\n"
    );
    assert!(tree(s.root()) == before);
}

// ---------- 8 and 9: input that used to take quadratic time ----------

#[test]
fn twenty_thousand_equal_headings_build() {
    let s = built_site(&[]);
    s.write(
        "content/gids/koppen.md",
        &format!("---\ntitle: Koppen\n---\n{}", "### a\n\n".repeat(20_000)),
    );
    let run = s.build();
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let ids: String = std::iter::once("a".to_string())
        .chain((1..20_000).map(|n| format!("a-{n}")))
        .map(|id| format!("{id}();"))
        .collect();
    let page = s.read("gids/koppen/index.html");
    assert_eq!(
        page.lines().next().unwrap(),
        format!(
            "PAGE Koppen|/gids/koppen/|toc:{ids}|terms:|prev:|next:/gids/pagina/|crumbs:/;/gids/;|"
        )
    );
}

#[test]
fn a_one_megabyte_word_is_checked() {
    let s = built_site(&[]);
    // The default theme has a search page, so the word goes through the search index too.
    s.write(
        "site.yaml",
        &SITE_YAML.replace("theme: test", "theme: default"),
    );
    s.write(
        "content/gids/woord.md",
        &format!("---\ntitle: Woord\n---\n{}\n", "a".repeat(1_000_000)),
    );
    let run = run(&["check"], s.root());
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(
        summary(&run.stdout),
        "Gecontroleerd: 2 pagina's, 2 secties, 28 bestanden gemaakt (niets geschreven)"
    );
}
