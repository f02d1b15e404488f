//! The red-team review's attacks (issue #14): every one is refused where the value enters, with its
//! exact diagnostic, or made harmless; a refused build changes nothing on disk, neither `public/`
//! nor anything beside or outside it.

mod common;
use common::*;
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

// ---------- 2, 4, 5, 15, 16: survey waves ----------

const WAVE: &str = "title: Testmeting
year: 2023
fieldwork: mei 2023
publisher: Bureau
source:
  report: Rapport
  annex: Bijlage 3
licence: CC BY 4.0
data_date: 2023-06-30
groups:
  - id: gemeenten
    label: Gemeenten
    population: 342
    respondents: 48
questions:
  - id: gemeenten-beleid
    number: 5
    group: gemeenten
    text: Heeft uw gemeente beleid?
    roles: [financier]
    kind: choice
    answers:
      - label: Nee
        count: 23
      - label: Ja
        count: 25
";

/// A site with the default theme (it has the statistics templates) and one wave, built once.
fn stats_site(wave_file: &str, wave: &str) -> Fixture {
    let s = Fixture::new(&[
        ("content/_index.md", "---\ntitle: Home\n---\nWelkom.\n"),
        (wave_file, wave),
    ]);
    s.write(
        "site.yaml",
        &SITE_YAML.replace("theme: test", "theme: default"),
    );
    let run = s.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    s
}

#[test]
fn a_wave_file_name_cannot_become_script() {
    let s = stats_site("data/monitor/test-2023.yaml", WAVE);
    s.write(
        "data/monitor/'\"onload=\"document.body.setAttribute('data-xss',1)+'.yaml",
        WAVE,
    );
    build_refused(
        &s,
        &format!(
            "fout: ongeldige bestandsnaam voor een meting: het URL-deel `'\"onload=\"document.body.setAttribute('data-xss',1)+'` mag geen `/`, `\\`, `?`, `#`, `%`, `:`, `\"`, `<`, `>` of `` ` `` bevatten\n  --> data/monitor/'\"onload=\"document.body.setAttribute('data-xss',1)+'.yaml\n  = hulp: de bestandsnaam van een meting wordt een deel van de URL: hernoem het bestand naar kleine letters, cijfers en streepjes, zoals `monitor-2023.yaml`\n{FAILED_ONE}"
        ),
    );
}

#[test]
fn an_apostrophe_in_a_wave_name_is_escaped_in_every_chart_attribute() {
    let s = stats_site("data/monitor/ido's-2023.yaml", WAVE);
    let html = s.read("cijfers/ido's-2023/gemeenten-beleid/index.html");
    let svgs: Vec<String> = html
        .split("<svg")
        .skip(1)
        .map(|part| format!("<svg{}</svg>", part.split("</svg>").next().unwrap()))
        .collect();
    assert_eq!(svgs.len(), 1, "{html}");
    assert!(svgs[0].starts_with("<svg class=\"grafiek\" role=\"img\" aria-labelledby=\"grafiek-vraag-ido&apos;s-2023-gemeenten-beleid-titel grafiek-vraag-ido&apos;s-2023-gemeenten-beleid-beschrijving\" viewBox="), "{}", svgs[0]);
    let doc = roxmltree::Document::parse(&svgs[0]).unwrap();
    let root = doc.root_element();
    let attributes: Vec<(&str, &str)> = root.attributes().map(|a| (a.name(), a.value())).collect();
    assert_eq!(
        attributes,
        [
            ("class", "grafiek"),
            ("role", "img"),
            (
                "aria-labelledby",
                "grafiek-vraag-ido's-2023-gemeenten-beleid-titel grafiek-vraag-ido's-2023-gemeenten-beleid-beschrijving"
            ),
            ("viewBox", "0 0 420 120"),
            ("width", "420"),
            ("height", "120"),
        ]
    );
}

#[test]
fn a_wave_named_dots_cannot_replace_the_home_page() {
    let s = stats_site("data/monitor/test-2023.yaml", WAVE);
    s.write(
        "data/monitor/...yaml",
        &WAVE.replace("id: gemeenten-beleid", "id: handreiking"),
    );
    build_refused(
        &s,
        &format!(
            "fout: ongeldige bestandsnaam voor een meting: het URL-deel `..` mag niet leeg zijn of `..` bevatten\n  --> data/monitor/...yaml\n  = hulp: de bestandsnaam van een meting wordt een deel van de URL: hernoem het bestand naar kleine letters, cijfers en streepjes, zoals `monitor-2023.yaml`\n{FAILED_ONE}"
        ),
    );
}

#[test]
fn question_ids_are_url_parts_and_differ_from_their_wave() {
    let s = stats_site("data/monitor/test-2023.yaml", WAVE);
    s.write(
        "data/monitor/test-2023.yaml",
        &WAVE.replace("id: gemeenten-beleid", "id: test-2023"),
    );
    s.write(
        "data/monitor/test-2024.yaml",
        &WAVE.replace("id: gemeenten-beleid", &format!("id: {}", "a".repeat(256))),
    );
    let long = "a".repeat(256);
    let shown = &long[..192];
    build_refused(
        &s,
        &format!(
            "fout: de vraag-id `test-2023` is gelijk aan de naam van de meting\n  --> data/monitor/test-2023.yaml:16:9\n   |\n16 |   - id: test-2023\n   |         ^\n  = hulp: de downloads van de meting heten al `test-2023.csv` en `test-2023.json`: geef de vraag een andere `id`\n\
             fout: de vraag-id `{long}` is geen geldige id\n  --> data/monitor/test-2024.yaml:16:9\n   |\n16 |   - id: {shown}\n   |         ^\n  = hulp: een vraag-id wordt een deel van de URL: gebruik kleine letters, cijfers en streepjes (hoogstens 255 tekens)\n{}",
            failed(2)
        ),
    );
}

#[test]
fn statistics_csv_neutralises_formulas_but_json_and_pages_keep_the_text() {
    let wave = WAVE
        .replace(
            "title: Testmeting",
            "title: \"=HYPERLINK(\\\"https://x.example\\\",\\\"klik\\\")\"",
        )
        .replace("label: Gemeenten", "label: \"+31 gemeenten\"")
        .replace("fieldwork: mei 2023", "fieldwork: \"@mei 2023\"")
        .replace(
            "text: Heeft uw gemeente beleid?",
            "text: \"-1 is het antwoord?\"",
        )
        .replace("kind: choice", "kind: scale")
        .replace(
            "label: Nee\n        count: 23",
            "label: \"\\tNee\"\n        count: 23\n        value: -1",
        )
        .replace(
            "label: Ja\n        count: 25",
            "label: \"\\rJa\"\n        count: 25\n        value: 1",
        );
    let s = stats_site("data/monitor/test-2023.yaml", &wave);
    assert_eq!(
        s.read("cijfers/test-2023/gemeenten-beleid.csv"),
        "meting,vraag_id,vraagnummer,groep,vraag,antwoord,schaalwaarde,aantal,percentage,n,respondenten,veldwerk,bron,licentie,datum_gegevens\r\n\
         \"'=HYPERLINK(\"\"https://x.example\"\",\"\"klik\"\")\",gemeenten-beleid,5,\"'+31 gemeenten\",\"'-1 is het antwoord?\",\"'\tNee\",-1,23,47.9,48,48,\"'@mei 2023\",\"Rapport, Bijlage 3\",CC BY 4.0,2023-06-30\r\n\
         \"'=HYPERLINK(\"\"https://x.example\"\",\"\"klik\"\")\",gemeenten-beleid,5,\"'+31 gemeenten\",\"'-1 is het antwoord?\",\"'\rJa\",1,25,52.1,48,48,\"'@mei 2023\",\"Rapport, Bijlage 3\",CC BY 4.0,2023-06-30\r\n"
    );
    let page = s.read("cijfers/test-2023/gemeenten-beleid/index.html");
    let rows: Vec<&str> = page
        .lines()
        .filter(|l| l.contains("<th scope=\"row\">"))
        .collect();
    assert_eq!(
        rows,
        [
            "        <tr><th scope=\"row\">-1 – \tNee</th><td class=\"num\">23</td><td class=\"num\">47,9%</td></tr>",
            "        <tr><th scope=\"row\">1 – \rJa</th><td class=\"num\">25</td><td class=\"num\">52,1%</td></tr>",
            "        <tr><th scope=\"row\">Totaal (n)</th><td class=\"num\">48</td><td class=\"num\">100,0%</td></tr>",
        ]
    );
    let json: serde_json::Value =
        serde_json::from_str(&s.read("cijfers/test-2023/gemeenten-beleid.json")).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "title": "=HYPERLINK(\"https://x.example\",\"klik\")",
            "source": "Rapport, Bijlage 3",
            "fieldwork": "@mei 2023",
            "licence": "CC BY 4.0",
            "data_date": "2023-06-30",
            "questions": [{
                "id": "gemeenten-beleid",
                "number": 5,
                "group": "+31 gemeenten",
                "text": "-1 is het antwoord?",
                "kind": "scale",
                "multiple_answers": false,
                "roles": ["financier"],
                "n": 48,
                "respondents": 48,
                "answers": [
                    {"label": "\tNee", "value": -1, "count": 23, "percentage": 47.9},
                    {"label": "\rJa", "value": 1, "count": 25, "percentage": 52.1}
                ]
            }]
        })
    );
}

#[test]
fn yaml_text_keeps_what_the_editor_wrote() {
    let wave = WAVE
        .replace("label: Nee", "label: no")
        .replace("label: Ja", "label: 018")
        .replace("fieldwork: mei 2023", "fieldwork: 1.50")
        .replace("text: Heeft uw gemeente beleid?", "text: 0x10");
    let s = stats_site("data/monitor/test-2023.yaml", &wave);
    let json: serde_json::Value =
        serde_json::from_str(&s.read("cijfers/test-2023/gemeenten-beleid.json")).unwrap();
    assert_eq!(
        (
            &json["fieldwork"],
            &json["questions"][0]["text"],
            &json["questions"][0]["answers"][0]["label"],
            &json["questions"][0]["answers"][1]["label"]
        ),
        (
            &serde_json::json!("1.50"),
            &serde_json::json!("0x10"),
            &serde_json::json!("no"),
            &serde_json::json!("018")
        )
    );
    let s = built_site(&[(
        "content/gids/getal.md",
        "---\ntitle: 1.50\ndescription: 1_000\n---\nTekst.\n",
    )]);
    assert_eq!(
        s.read("gids/getal/index.html"),
        "PAGE 1.50|/gids/getal/|toc:|terms:|prev:|next:/gids/pagina/|crumbs:/;/gids/;|\n<p>Tekst.</p>\n"
    );
}

#[test]
fn not_a_number_and_counts_that_overflow_are_errors() {
    let s = stats_site("data/monitor/test-2023.yaml", WAVE);
    s.write(
        "data/monitor/test-2023.yaml",
        &WAVE.replace("count: 23", "count: .nan"),
    );
    s.write(
        "data/monitor/test-2024.yaml",
        &WAVE
            .replace("count: 23", "count: 9223372036854775807")
            .replace("count: 25", "count: 9223372036854775807")
            .replace(
                "        count: 9223372036854775807\n      - label: Ja",
                "        count: 9223372036854775807\n      - label: Misschien\n        count: 2\n      - label: Ja",
            ),
    );
    build_refused(
        &s,
        &format!(
            "fout: `count` moet een geheel getal zijn, maar is tekst\n  --> data/monitor/test-2023.yaml:24:16\n   |\n24 |         count: .nan\n   |                ^\n  = hulp: schrijf een aantal als 12, of `null` als het onbekend is\n\
             fout: de aantallen van deze vraag tellen hier op tot meer dan 18.446.744.073.709.551.615\n  --> data/monitor/test-2024.yaml:28:16\n   |\n28 |         count: 9223372036854775807\n   |                ^\n  = hulp: controleer de aantallen: elk aantal is het aantal respondenten dat dit antwoord gaf\n{}",
            failed(2)
        ),
    );
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

// ---------- 3, 7, 13: the output directory ----------

fn spawn_build(root: &Path, out: &Path) -> std::process::Child {
    std::process::Command::new(bin())
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .env_remove("GITHUB_ACTIONS")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs")
}

/// The summary line without its timing.
fn summary(stdout: &str) -> &str {
    stdout.split(" in ").next().unwrap_or(stdout)
}

#[test]
fn two_builds_at_once_publish_one_complete_site() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("referentie");
    let run = run(
        &[
            "build",
            "--root",
            ".",
            "--output",
            reference.to_str().unwrap(),
        ],
        repo(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let complete = tree(&reference);
    assert!(complete.contains_key(".handreiking-uitvoer"));
    std::fs::remove_dir_all(&reference).unwrap();
    let out = dir.path().join("public");
    let waiting = format!(
        "wachten: een andere build schrijft naar {}; deze build gaat verder zodra die klaar is\n",
        out.display()
    );
    for round in 0..10u64 {
        let first = spawn_build(repo(), &out);
        // From "at the same moment" to "well into the first build's writing".
        std::thread::sleep(std::time::Duration::from_millis(round * 40));
        let second = spawn_build(repo(), &out);
        for child in [first, second] {
            let done = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&done.stderr);
            assert_eq!(done.status.code(), Some(0), "{stderr}");
            assert!(stderr.is_empty() || stderr == waiting, "{stderr}");
            assert_eq!(
                summary(&String::from_utf8_lossy(&done.stdout)),
                "Klaar: 29 pagina's, 5 secties, 366 bestanden geschreven"
            );
        }
        assert!(
            tree(&out) == complete,
            "round {round}: public/ is not the complete site"
        );
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["public"], "round {round}: leftovers beside public/");
    }
}

#[cfg(unix)]
#[test]
fn cleanup_never_follows_a_link_nor_removes_a_live_build() {
    let s = built_site(&[]);
    let victim = tempfile::tempdir().unwrap();
    let other = victim.path().join("public");
    let run = run(&["build", "--output", other.to_str().unwrap()], s.root());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let other_before = tree(victim.path());
    // 4194304 is above Linux's highest process id: these "builds" are certainly over.
    std::os::unix::fs::symlink(&other, s.root().join(".public.oud-4194305")).unwrap();
    std::os::unix::fs::symlink(&other, s.root().join(".public.nieuw-4194306")).unwrap();
    // A real leftover of a dead build is removed; one whose process lives is kept.
    let stale = s.root().join(".public.nieuw-4194307");
    let live = s
        .root()
        .join(format!(".public.nieuw-{}", std::process::id()));
    for dir in [&stale, &live] {
        std::fs::create_dir(dir).unwrap();
        std::fs::write(dir.join(".handreiking-uitvoer"), "").unwrap();
        std::fs::write(dir.join("index.html"), "half").unwrap();
    }
    let run = s.build();
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert!(
        tree(victim.path()) == other_before,
        "the other site changed"
    );
    let beside: Vec<String> = std::fs::read_dir(s.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(
        beside,
        [
            format!(".public.nieuw-{}", std::process::id()),
            ".public.nieuw-4194306".to_string(),
            ".public.oud-4194305".to_string(),
        ]
    );
}

#[test]
fn an_empty_output_folder_is_adopted() {
    let s = built_site(&[]);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let run = run(&["build", "--output", out.to_str().unwrap()], s.root());
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert!(tree(&out) == tree(&s.public()));
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["out"]);
}

/// Runs a shell script as root of its own user and mount namespace, where it may mount; `None`
/// where the system does not allow that (the test then says so and checks nothing).
fn in_mount_namespace(script: &str) -> Option<String> {
    let probe = std::process::Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "true"])
        .output();
    if !probe.is_ok_and(|p| p.status.success()) {
        eprintln!("unshare --user --mount is not available here: mount point test skipped");
        return None;
    }
    let out = std::process::Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c", script])
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(unix)]
#[test]
fn a_mount_point_as_output_gets_its_entries_swapped() {
    let s = built_site(&[]);
    let dir = tempfile::tempdir().unwrap();
    let (out, bound) = (dir.path().join("out"), dir.path().join("elders"));
    std::fs::create_dir(&out).unwrap();
    std::fs::create_dir(&bound).unwrap();
    let script = format!(
        "set -u
B='{bin}'; R='{root}'; O='{out}'
digest() {{ (cd \"$O\" && find . -type f | sort | xargs cat | cksum); }}
step() {{ \"$B\" build --root \"$R\" --output \"$O\" >/dev/null 2>&1; echo \"$1 rc=$? $(ls -A \"$O\" | tr '\\n' ' ')\"; }}
for kind in tmpfs bind; do
  if [ $kind = tmpfs ]; then mount -t tmpfs none \"$O\"; else mount --bind '{bound}' \"$O\"; fi
  step eerste
  printf -- '---\\ntitle: Extra\\n---\\nTekst.\\n' > \"$R/content/extra.md\"
  step extra
  head -c 11 \"$O/extra/index.html\"; echo
  printf 'kapot' > \"$R/content/kapot.md\"
  before=$(digest)
  step kapot
  [ \"$(digest)\" = \"$before\" ] && echo onveranderd
  rm \"$R/content/extra.md\" \"$R/content/kapot.md\"
  step weer
  umount \"$O\"
done
",
        bin = bin(),
        root = s.root().display(),
        out = out.display(),
        bound = bound.display(),
    );
    let Some(stdout) = in_mount_namespace(&script) else {
        return;
    };
    let once = "eerste rc=0 .handreiking-uitvoer 404.html gids index.html robots.txt rollen sitemap.xml \n\
                extra rc=0 .handreiking-uitvoer 404.html extra gids index.html robots.txt rollen sitemap.xml \n\
                PAGE Extra|\n\
                kapot rc=1 .handreiking-uitvoer 404.html extra gids index.html robots.txt rollen sitemap.xml \n\
                onveranderd\n\
                weer rc=0 .handreiking-uitvoer 404.html gids index.html robots.txt rollen sitemap.xml \n";
    assert_eq!(stdout, once.repeat(2));
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
        "Gecontroleerd: 2 pagina's, 2 secties, 26 bestanden gemaakt (niets geschreven)"
    );
}
