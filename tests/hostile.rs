//! Broken and hostile input (issue #8, first part): every case gets its exact diagnostic and leaves
//! the previous public/ exactly as it was.

mod common;
use common::*;

fn fails_with(s: &Fixture, files: &[(&str, &[u8])], expected: &str) {
    assert_build_fails_exactly(s, files, 1, expected);
}

#[test]
fn invalid_utf8_names_line_and_column() {
    let s = good_site();
    fails_with(
        &s,
        &[(
            "content/gids/pagina.md",
            b"---\ntitle: Pagina\n---\nCaf\xe9 en meer.\n",
        )],
        concat!(
            "fout: het bestand is geen geldige UTF-8-tekst\n",
            "  --> content/gids/pagina.md:4:4\n",
            "  |\n",
            "4 | Caf� en meer.\n",
            "  |    ^\n",
            "  = hulp: sla het bestand op als UTF-8 (in de meeste editors: Opslaan als… > Codering: UTF-8)\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn a_bom_and_windows_or_old_mac_line_endings_build() {
    let s = good_site();
    s.write_bytes(
        "content/gids/pagina.md",
        b"\xef\xbb\xbf---\r\ntitle: Met BOM\r\n---\r\n## Kop\r\n\r\nTekst.\r\n",
    );
    s.write_bytes(
        "content/gids/oud.md",
        b"---\rtitle: Oude Mac\r---\rTekst.\r",
    );
    let run = s.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        s.read("gids/pagina/index.html")
            .starts_with("PAGE Met BOM|/gids/pagina/|toc:kop();")
    );
    assert!(s.read("gids/oud/index.html").starts_with("PAGE Oude Mac|"));
    // Line numbers stay right with CRLF.
    fails_with(
        &s,
        &[(
            "content/gids/pagina.md",
            b"---\r\ntitle: A\r\ntitel: B\r\n---\r\nTekst.\r\n",
        )],
        concat!(
            "fout: onbekende sleutel `titel` in de front matter\n",
            "  --> content/gids/pagina.md:3:1\n",
            "  |\n",
            "3 | titel: B\n",
            "  | ^\n",
            "  = hulp: bedoelt u `title`? Toegestaan zijn: title, description, date, updated, weight, draft, template, aliases, slug, extra, rollen\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn an_empty_page() {
    let s = good_site();
    fails_with(
        &s,
        &[("content/gids/leeg.md", b"")],
        concat!(
            "fout: de pagina begint niet met front matter\n",
            "  --> content/gids/leeg.md:1:1\n",
            "  |\n",
            "1 | \n",
            "  | ^\n",
            "  = hulp: begin het bestand met een regel `---`, dan `title: …`, en sluit af met een regel `---`\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn tabs_in_yaml() {
    let s = good_site();
    fails_with(
        &s,
        &[(
            "content/gids/pagina.md",
            b"---\ntitle: A\n\tdescription: B\n---\nTekst.\n",
        )],
        concat!(
            "fout: ongeldige YAML in de front matter: er staat een tab waar YAML spaties verwacht\n",
            "  --> content/gids/pagina.md:3:1\n",
            "  |\n",
            "3 | \tdescription: B\n",
            "  | ^\n",
            "  = hulp: YAML staat geen tabs toe voor inspringen: gebruik spaties\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn an_exponential_alias_bomb_stops_early() {
    let s = good_site();
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let previous = format!("*a{}", i - 1);
        bomb.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![previous; 10].join(", ")
        ));
    }
    fails_with(
        &s,
        &[("data/bom.yaml", bomb.as_bytes())],
        concat!(
            "fout: ongeldige YAML: het bestand is te groot of te diep genest om veilig te lezen (budget breached: Events { events: 1000001 })\n",
            "  --> data/bom.yaml:6:45\n",
            "  |\n",
            "6 | a5: &a5 [*a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4]\n",
            "  |                                             ^\n",
            "  = hulp: controleer de inspringing en zet tekst met een dubbele punt tussen aanhalingstekens\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn nesting_ten_thousand_deep() {
    let s = good_site();
    let deep = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    fails_with(
        &s,
        &[("data/diep.yaml", deep.as_bytes())],
        concat!(
            "fout: ongeldige YAML: het bestand is te diep genest (te veel lijsten of tabellen in elkaar)\n",
            "  --> data/diep.yaml:1:259\n",
            "  |\n",
            "1 | a: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n",
            "  |                                                                                                                                                                                                         ^\n",
            "  = hulp: controleer de inspringing en zet tekst met een dubbele punt tussen aanhalingstekens\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn a_data_file_of_100000_rows_builds() {
    let s = good_site();
    let rows: String = (0..100_000)
        .map(|i| format!("- code: A{i}\n  naam: Rij {i}\n"))
        .collect();
    s.write("data/groot.yaml", &rows);
    let run = s.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn pages_that_differ_only_in_case_or_normalisation_collide() {
    let s = good_site();
    fails_with(
        &s,
        &[(
            "content/gids/Pagina.md",
            b"---\ntitle: Hoofdletter\n---\nTekst.\n",
        )],
        concat!(
            "fout: de URL /gids/pagina/ wordt al gebruikt door content/gids/Pagina.md\n",
            "  --> content/gids/pagina.md\n",
            "  = hulp: geef een van beide een andere bestandsnaam of `slug`; hoofdletters en accenten tellen niet als verschil\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
    std::fs::remove_file(s.root().join("content/gids/Pagina.md")).unwrap();
    // "café" written composed (NFC) and decomposed (NFD).
    fails_with(
        &s,
        &[
            (
                "content/gids/caf\u{e9}.md",
                "---\ntitle: NFC\n---\nTekst.\n".as_bytes(),
            ),
            (
                "content/gids/cafe\u{301}.md",
                "---\ntitle: NFD\n---\nTekst.\n".as_bytes(),
            ),
        ],
        concat!(
            "fout: de URL /gids/café/ wordt al gebruikt door content/gids/café.md\n",
            "  --> content/gids/café.md\n",
            "  = hulp: geef een van beide een andere bestandsnaam of `slug`; hoofdletters en accenten tellen niet als verschil\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn slugs_and_aliases_cannot_leave_their_place() {
    let s = good_site();
    fails_with(
        &s,
        &[("content/gids/pagina.md", b"---\ntitle: A\nslug: ../weg\naliases: [\"C:/x\", \"/a/../b\", \"a\\\\b\"]\n---\nTekst.\n")], concat!(
            "fout: ongeldige slug `../weg`: mag niet leeg zijn of `..` bevatten\n",
            "  --> content/gids/pagina.md:3:7\n",
            "  |\n",
            "3 | slug: ../weg\n",
            "  |       ^\n",
            "  = hulp: een slug is één deel van een URL: kleine letters, cijfers en streepjes, zoals `mijn-pagina`\n",
            "fout: ongeldige alias `C:/x`: mag geen `\\`, schijfletter of volledige URL zijn\n",
            "  --> content/gids/pagina.md:4:11\n",
            "  |\n",
            "4 | aliases: [\"C:/x\", \"/a/../b\", \"a\\\\b\"]\n",
            "  |           ^\n",
            "  = hulp: een alias is een oud pad op deze site, zoals `/oude-pagina/`\n",
            "fout: ongeldige alias `/a/../b`: mag niet leeg zijn of `..` bevatten\n",
            "  --> content/gids/pagina.md:4:19\n",
            "  |\n",
            "4 | aliases: [\"C:/x\", \"/a/../b\", \"a\\\\b\"]\n",
            "  |                   ^\n",
            "  = hulp: een alias is een oud pad op deze site, zoals `/oude-pagina/`\n",
            "fout: ongeldige alias `a\\b`: mag geen `\\`, schijfletter of volledige URL zijn\n",
            "  --> content/gids/pagina.md:4:30\n",
            "  |\n",
            "4 | aliases: [\"C:/x\", \"/a/../b\", \"a\\\\b\"]\n",
            "  |                              ^\n",
            "  = hulp: een alias is een oud pad op deze site, zoals `/oude-pagina/`\n",
            "Mislukt: 4 fouten en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_not_followed() {
    let s = good_site();
    let before = snapshot(&s.public());
    std::os::unix::fs::symlink("/etc/passwd", s.root().join("content/gids/buiten.md")).unwrap();
    std::os::unix::fs::symlink("lus", s.root().join("content/lus")).unwrap();
    let run = s.build();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("fout: symbolische koppelingen in content/ worden niet gevolgd\n  --> content/gids/buiten.md\n"), "{}", run.stderr);
    assert!(run.stderr.contains("  --> content/lus\n"), "{}", run.stderr);
    assert!(!run.stderr.contains("root:"));
    assert!(snapshot(&s.public()) == before);
}

#[test]
fn a_template_that_recurses_forever() {
    let s = good_site();
    fails_with(
        &s,
        &[(
            "templates/page.html",
            b"{% macro diep(n) %}{{ diep(n + 1) }}{% endmacro %}\n{{ diep(1) }}\n",
        )],
        concat!(
            "fout: de template roept zichzelf te vaak aan\n",
            "  --> templates/page.html:1\n",
            "  |\n",
            "1 | {% macro diep(n) %}{{ diep(n + 1) }}{% endmacro %}\n",
            "  |\n",
            "  = hulp: een macro of include roept zichzelf steeds weer aan: zorg dat de herhaling stopt\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn huge_counts_in_a_survey_are_refused() {
    let s = good_site();
    s.write(
        "site.yaml",
        &SITE_YAML.replace("theme: test", "theme: default"),
    );
    let wave = "title: T\nyear: 2023\nfieldwork: mei\npublisher: P\nsource:\n  report: R\nlicence: L\ndata_date: 2023-06-30\ngroups:\n  - id: g\n    label: G\n    population: 10\n    respondents: 5\nquestions:\n  - id: g-a\n    number: 1\n    group: g\n    text: Vraag?\n    roles: [financier]\n    kind: choice\n    answers:\n      - label: Ja\n        count: 100000000000000000000000\n";
    fails_with(
        &s,
        &[("data/monitor/w.yaml", wave.as_bytes())],
        concat!(
            "fout: `count` is geen geheel getal (100000000000000000000000)\n",
            "  --> data/monitor/w.yaml:23:16\n",
            "   |\n",
            "23 |         count: 100000000000000000000000\n",
            "   |                ^\n",
            "  = hulp: een aantal is een geheel getal; schrijf `onbekend` als de bron het aantal niet geeft\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn script_and_data_urls_are_refused() {
    let s = good_site();
    fails_with(
        &s,
        &[(
            "content/gids/pagina.md",
            b"---\ntitle: A\n---\n[a](data:text/html,<script>alert(1)</script>) [b](VBScript:msgbox) [c](  javascript:alert(1))\n\n![d](javascript:alert(1))\n",
        )], concat!(
            "fout: onveilige link `data:text/html,<script>alert(1)</script>`\n",
            "  --> content/gids/pagina.md:4:1\n",
            "  |\n",
            "4 | [a](data:text/html,<script>alert(1)</script>) [b](VBScript:msgbox) [c](  javascript:alert(1))\n",
            "  | ^\n",
            "  = hulp: links met javascript:, vbscript: of data: zijn niet toegestaan; gebruik een gewone http(s)-link\n",
            "fout: onveilige link `VBScript:msgbox`\n",
            "  --> content/gids/pagina.md:4:47\n",
            "  |\n",
            "4 | [a](data:text/html,<script>alert(1)</script>) [b](VBScript:msgbox) [c](  javascript:alert(1))\n",
            "  |                                               ^\n",
            "  = hulp: links met javascript:, vbscript: of data: zijn niet toegestaan; gebruik een gewone http(s)-link\n",
            "fout: onveilige link `javascript:alert(1)`\n",
            "  --> content/gids/pagina.md:4:68\n",
            "  |\n",
            "4 | [a](data:text/html,<script>alert(1)</script>) [b](VBScript:msgbox) [c](  javascript:alert(1))\n",
            "  |                                                                    ^\n",
            "  = hulp: links met javascript:, vbscript: of data: zijn niet toegestaan; gebruik een gewone http(s)-link\n",
            "fout: onveilige afbeeldingslink `javascript:alert(1)`\n",
            "  --> content/gids/pagina.md:6:1\n",
            "  |\n",
            "6 | ![d](javascript:alert(1))\n",
            "  | ^\n",
            "  = hulp: gebruik een gewone http(s)-link of een pad naar een bestand in static/\n",
            "Mislukt: 4 fouten en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

/// A site on the default theme whose every text field carries markup and quotes.
fn hostile_text_site() -> Fixture {
    let evil = "<script>alert(\\\"x\\\")</script> & \\\"quote\\\"";
    let s = Fixture::new(&[
        (
            "content/_index.md",
            &format!("---\ntitle: \"{evil}\"\ndescription: \"{evil}\"\n---\nWelkom.\n"),
        ),
        (
            "content/gids/_index.md",
            &format!("---\ntitle: \"Gids {evil}\"\n---\nDe gids.\n"),
        ),
        (
            "content/gids/pagina.md",
            &format!(
                "---\ntitle: \"Pagina {evil}\"\ndescription: \"{evil}\"\nrollen: [financier]\n---\n## Kop\n\n{{{{< grafiek g-a >}}}}\n"
            ),
        ),
        (
            "data/monitor/w.yaml",
            &format!(
                "title: \"Meting {evil}\"\nyear: 2023\nfieldwork: \"mei {evil}\"\npublisher: P\nsource:\n  report: \"R {evil}\"\nlicence: L\ndata_date: 2023-06-30\ngroups:\n  - id: g\n    label: \"G {evil}\"\n    population: 10\n    respondents: 5\nquestions:\n  - id: g-a\n    number: 1\n    group: g\n    text: \"Vraag {evil}\"\n    roles: [financier]\n    kind: choice\n    answers:\n      - label: \"Ja, \\\"zeker\\\"\\n<b>&</b>\"\n        count: 3\n      - label: Nee\n        count: 2\n    note: \"Noot {evil}\"\n"
            ),
        ),
    ]);
    s.write(
        "site.yaml",
        &SITE_YAML
            .replace("theme: test", "theme: default")
            .replace("title: Testsite", "title: \"Site <b>&</b>\""),
    );
    let run = s.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    s
}

#[test]
fn text_from_yaml_and_front_matter_is_escaped_everywhere() {
    let s = hostile_text_site();
    for entry in walkdir::WalkDir::new(s.public()) {
        let path = entry.unwrap().into_path();
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        match ext {
            "html" => {
                assert!(
                    !text.contains("<script>alert"),
                    "{} has an unescaped script",
                    path.display()
                );
                assert!(
                    !text.contains("<b>&</b>"),
                    "{} has unescaped markup",
                    path.display()
                );
            }
            "js" => assert!(
                !text.contains("</script>") && !text.contains("<b>"),
                "{} carries raw markup",
                path.display()
            ),
            "svg" | "xml" => {
                roxmltree::Document::parse(&text)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            }
            _ => {}
        }
    }
    let page = s.read("gids/pagina/index.html");
    assert!(
        page.contains(
            "Pagina &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quote&quot;"
        ),
        "{page}"
    );
    // Inline SVG charts parse as XML too.
    for part in page.split("<svg").skip(1) {
        let svg = format!("<svg{}</svg>", part.split("</svg>").next().unwrap());
        roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
    }
}

#[test]
fn csv_and_json_downloads_escape_their_content() {
    let s = hostile_text_site();
    let csv = s.read("cijfers/w/g-a.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let labels: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[5].to_string())
        .collect();
    assert_eq!(labels, ["Ja, \"zeker\"\n<b>&</b>", "Nee"]);
    let json: serde_json::Value = serde_json::from_str(&s.read("cijfers/w/g-a.json")).unwrap();
    assert_eq!(
        json["questions"][0]["answers"][0]["label"],
        "Ja, \"zeker\"\n<b>&</b>"
    );
    assert_eq!(
        json["questions"][0]["note"],
        "Noot <script>alert(\"x\")</script> & \"quote\""
    );
}

#[test]
fn a_page_of_50_mb_is_refused_before_it_is_read() {
    let s = good_site();
    let line = "Een regel tekst die steeds terugkomt om de pagina groot te maken.\n";
    let mut page = String::from("---\ntitle: Groot\n---\n");
    page.push_str(&line.repeat((50_000_000 - page.len()) / line.len()));
    page.push_str(&"x".repeat(50_000_000 - page.len()));
    assert_eq!(page.len(), 50_000_000);
    fails_with(
        &s,
        &[("content/gids/groot.md", page.as_bytes())],
        concat!(
            "fout: de pagina is 50,0 MB groot; een pagina mag hoogstens 10 MB zijn\n",
            "  --> content/gids/groot.md\n",
            "  = hulp: verdeel de tekst over meer pagina's; afbeeldingen en downloads horen in static/\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn a_data_file_over_10_mb_is_refused() {
    let s = good_site();
    let rows = "- naam: Rij\n".repeat(1_000_000);
    fails_with(
        &s,
        &[("data/groot.yaml", rows.as_bytes())],
        concat!(
            "fout: het databestand is 12,0 MB groot; een databestand mag hoogstens 10 MB zijn\n",
            "  --> data/groot.yaml\n",
            "  = hulp: verdeel de gegevens over meer bestanden in data/\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

/// An unreadable page. Root reads every file whatever its mode, so as root (as in CI) the site is
/// handed to user `nobody` and only the page stays root's, with mode 000.
#[cfg(unix)]
#[test]
fn an_unreadable_page() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::os::unix::process::CommandExt;
    const NOBODY: u32 = 65534;

    let s = good_site();
    let before = snapshot(&s.public());
    let as_root = std::fs::metadata(s.root()).unwrap().uid() == 0;
    if as_root {
        for entry in walkdir::WalkDir::new(s.root()) {
            std::os::unix::fs::chown(entry.unwrap().path(), Some(NOBODY), Some(NOBODY)).unwrap();
        }
    }
    let page = s.root().join("content/gids/geheim.md");
    std::fs::write(&page, "---\ntitle: Geheim\n---\nTekst.\n").unwrap();
    std::fs::set_permissions(&page, std::fs::Permissions::from_mode(0o000)).unwrap();

    let mut command = std::process::Command::new(bin());
    command
        .arg("build")
        .current_dir(s.root())
        .env_remove("GITHUB_ACTIONS");
    if as_root {
        command.uid(NOBODY).gid(NOBODY);
    }
    let out = command.output().expect("the binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "fout: kan het bestand niet lezen: geen leesrechten\n  --> content/gids/geheim.md\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("= hulp: geef uzelf leesrechten op het bestand (rechtermuisknop > Eigenschappen, op een Mac: Toon info) of verwijder het\n"),
        "{stderr}"
    );
    assert!(
        snapshot(&s.public()) == before,
        "public/ changed after a failed build"
    );
}

#[test]
fn pages_and_aliases_cannot_take_the_place_of_site_files() {
    let s = good_site();
    s.write("static/css/eigen.css", "p { color: black; }\n");
    assert_eq!(s.build().code, 0);
    fails_with(
        &s,
        &[
            (
                "content/robots.txt.md",
                b"---\ntitle: Robots\n---\nTekst.\n",
            ),
            (
                "content/gids/pagina.md",
                b"---\ntitle: Pagina\naliases: [/sitemap.xml, /css/eigen.css/oud/]\n---\nTekst.\n",
            ),
        ],
        concat!(
            "fout: de URL /sitemap.xml/ wordt al gebruikt door het bestand sitemap.xml\n",
            "  --> content/gids/pagina.md:3:11\n",
            "  |\n",
            "3 | aliases: [/sitemap.xml, /css/eigen.css/oud/]\n",
            "  |           ^\n",
            "  = hulp: geef een van beide een andere bestandsnaam of `slug`; hoofdletters en accenten tellen niet als verschil\n",
            "fout: de URL /css/eigen.css/oud/ wordt al gebruikt door het bestand css/eigen.css uit static/\n",
            "  --> content/gids/pagina.md:3:25\n",
            "  |\n",
            "3 | aliases: [/sitemap.xml, /css/eigen.css/oud/]\n",
            "  |                         ^\n",
            "  = hulp: geef een van beide een andere bestandsnaam of `slug`; hoofdletters en accenten tellen niet als verschil\n",
            "fout: de URL /robots.txt/ wordt al gebruikt door het bestand robots.txt\n",
            "  --> content/robots.txt.md\n",
            "  = hulp: geef een van beide een andere bestandsnaam of `slug`; hoofdletters en accenten tellen niet als verschil\n",
            "Mislukt: 3 fouten en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn a_heading_cannot_take_an_id_the_theme_uses() {
    let s = good_site();
    s.write(
        "site.yaml",
        &SITE_YAML.replace("theme: test", "theme: default"),
    );
    assert_eq!(s.build().code, 0);
    fails_with(
        &s,
        &[(
            "content/gids/pagina.md",
            b"---\ntitle: Pagina\n---\n## Inhoud {#inhoud}\n\nTekst.\n",
        )],
        concat!(
            "fout: de id `inhoud` gebruikt het thema al op elke pagina\n",
            "  --> content/gids/pagina.md:4:1\n",
            "  |\n",
            "4 | ## Inhoud {#inhoud}\n",
            "  | ^\n",
            "  = hulp: kies een andere id, bijvoorbeeld `{#inhoud-2}`, of laat `{#…}` weg\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}
