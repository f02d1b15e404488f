//! Every kind of editor mistake: exact message at file:line:column, the right exit code, and the
//! previous site left exactly as it was.

mod common;
use common::*;

/// Breaks the site with `files`, builds, and checks the exit code, the exact diagnostics and
/// that public/ did not change.
fn assert_fails(s: &Fixture, files: &[(&str, &str)], code: i32, expected: &str) {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(p, t)| (*p, t.as_bytes())).collect();
    assert_build_fails_exactly(s, &files, code, expected);
}

#[test]
fn bad_yaml_in_front_matter() {
    let s = good_site();
    assert_fails(
        &s,
        &[("content/pagina.md", "---\ntitle: [kapot\n---\nTekst.\n")],
        1,
        concat!(
            "fout: ongeldige YAML in de front matter: een `[` wordt niet gesloten met `]`\n",
            "  --> content/pagina.md:2:8\n",
            "  |\n",
            "2 | title: [kapot\n",
            "  |        ^\n",
            "  = hulp: controleer de inspringing en zet tekst met een dubbele punt tussen aanhalingstekens\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn duplicate_key_in_front_matter() {
    let s = good_site();
    assert_fails(
        &s,
        &[(
            "content/pagina.md",
            "---\ntitle: A\ntitle: B\n---\nTekst.\n",
        )],
        1,
        concat!(
            "fout: ongeldige YAML in de front matter: de sleutel `title` staat er twee keer\n",
            "  --> content/pagina.md:3:1\n",
            "  |\n",
            "3 | title: B\n",
            "  | ^\n",
            "  = hulp: deze sleutel staat er twee keer: haal één van de twee weg\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn missing_title() {
    let s = good_site();
    assert_fails(
        &s,
        &[(
            "content/pagina.md",
            "---\ndescription: Zonder titel\n---\nTekst.\n",
        )],
        1,
        concat!(
            "fout: de pagina heeft geen `title`\n",
            "  --> content/pagina.md:2:1\n",
            "  |\n",
            "2 | description: Zonder titel\n",
            "  | ^\n",
            "  = hulp: voeg in de front matter een regel `title: Titel van de pagina` toe\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn unclosed_front_matter() {
    let s = good_site();
    assert_fails(
        &s,
        &[(
            "content/pagina.md",
            "---\ntitle: A\n\nTekst zonder einde.\n",
        )],
        1,
        concat!(
            "fout: de front matter wordt niet afgesloten\n",
            "  --> content/pagina.md:1:1\n",
            "  |\n",
            "1 | ---\n",
            "  | ^\n",
            "  = hulp: zet na de laatste instelling een regel met alleen `---`\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn unknown_key_in_front_matter_suggests_the_nearest() {
    let s = good_site();
    assert_fails(
        &s,
        &[(
            "content/pagina.md",
            "---\ntitle: A\ndescriptoin: B\n---\nTekst.\n",
        )],
        1,
        concat!(
            "fout: onbekende sleutel `descriptoin` in de front matter\n",
            "  --> content/pagina.md:3:1\n",
            "  |\n",
            "3 | descriptoin: B\n",
            "  | ^\n",
            "  = hulp: bedoelt u `description`? Toegestaan zijn: title, description, date, updated, weight, draft, template, aliases, slug, extra, rollen\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn unknown_key_in_site_yaml_suggests_the_nearest() {
    let s = good_site();
    assert_fails(
        &s,
        &[("site.yaml", &SITE_YAML.replace("base_url:", "baseurl:"))],
        1,
        concat!(
            "fout: onbekende sleutel `baseurl` in site.yaml\n",
            "  --> site.yaml:2:1\n",
            "  |\n",
            "2 | baseurl: https://example.nl/\n",
            "  | ^\n",
            "  = hulp: bedoelt u `base_url`? Toegestaan zijn: title, description, base_url, language, theme, menu, taxonomies, markdown, security, statistics, search, extra\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn unknown_role_suggests_the_nearest() {
    let s = good_site();
    assert_fails(
        &s,
        &[(
            "content/pagina.md",
            "---\ntitle: A\nrollen: [promotor, financir]\n---\nTekst.\n",
        )],
        1,
        concat!(
            "fout: onbekende term `financir` in `rollen`\n",
            "  --> content/pagina.md:3:20\n",
            "  |\n",
            "3 | rollen: [promotor, financir]\n",
            "  |                    ^\n",
            "  = hulp: bedoelt u `financier`? Toegestaan zijn: financier, promotor\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn broken_link() {
    let s = good_site();
    assert_fails(
        &s,
        &[(
            "content/pagina.md",
            "---\ntitle: Pagina\n---\nEerst tekst.\n\nZie [de promotor](gids/promotr.md).\n",
        )],
        1,
        concat!(
            "fout: de link `gids/promotr.md` wijst naar een pagina die niet bestaat (content/gids/promotr.md)\n",
            "  --> content/pagina.md:6:5\n",
            "  |\n",
            "6 | Zie [de promotor](gids/promotr.md).\n",
            "  |     ^\n",
            "  = hulp: bedoelt u `gids/pagina.md`? Paden zijn relatief aan de map van deze pagina\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn broken_anchor() {
    let s = good_site();
    assert_fails(
        &s,
        &[(
            "content/pagina.md",
            "---\ntitle: Pagina\n---\nZie [tips](gids/financier.md#tip).\n",
        )],
        1,
        concat!(
            "fout: de kop `#tip` bestaat niet op content/gids/financier.md\n",
            "  --> content/pagina.md:4:5\n",
            "  |\n",
            "4 | Zie [tips](gids/financier.md#tip).\n",
            "  |     ^\n",
            "  = hulp: bedoelt u `#tips`? Koppen op die pagina: tips\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn script_link() {
    let s = good_site();
    assert_fails(
        &s,
        &[(
            "content/pagina.md",
            "---\ntitle: Pagina\n---\n[klik](javascript:alert(1))\n",
        )],
        1,
        concat!(
            "fout: onveilige link `javascript:alert(1)`\n",
            "  --> content/pagina.md:4:1\n",
            "  |\n",
            "4 | [klik](javascript:alert(1))\n",
            "  | ^\n",
            "  = hulp: links met javascript:, vbscript: of data: zijn niet toegestaan; gebruik een gewone http(s)-link\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn template_syntax_error() {
    let s = good_site();
    assert_fails(
        &s,
        &[("templates/page.html", "<p>\n{% for x in %}\n</p>\n")],
        1,
        concat!(
            "fout: fout in template: unexpected end of block\n",
            "  --> templates/page.html:2\n",
            "  |\n",
            "2 | {% for x in %}\n",
            "  |\n",
            "  = hulp: controleer of elke {% … %} en {{ … }} goed is afgesloten\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn template_runtime_error() {
    let s = good_site();
    assert_fails(
        &s,
        &[(
            "templates/page.html",
            "<p>\n{{ page.title | bestaatniet }}\n</p>\n",
        )],
        1,
        concat!(
            "fout: fout in template: filter bestaatniet is unknown\n",
            "  --> templates/page.html:2\n",
            "  |\n",
            "2 | {{ page.title | bestaatniet }}\n",
            "  |\n",
            "  = hulp: controleer de template op deze regel\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn template_that_never_stops() {
    let s = good_site();
    assert_fails(
        &s,
        &[(
            "templates/page.html",
            "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}\n",
        )],
        1,
        concat!(
            "fout: de template stopt niet (te veel stappen)\n",
            "  --> templates/page.html:1\n",
            "  |\n",
            "1 | {% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}\n",
            "  |\n",
            "  = hulp: de template doet te veel werk: zoek een lus die nooit stopt\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn all_errors_of_a_build_are_reported_together() {
    let s = good_site();
    let before = snapshot(&s.public());
    s.write(
        "content/a.md",
        "---\ntitle: A\nrollen: [x]\n---\n[weg](weg.md)\n",
    );
    s.write("content/b.md", "---\ntitel: B\n---\nTekst.\n");
    let run = s.build();
    assert_eq!(run.code, 1);
    let places: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("  --> "))
        .collect();
    assert_eq!(
        places,
        [
            "  --> content/a.md:3:10",
            "  --> content/a.md:5:1",
            "  --> content/b.md:2:1",
            "  --> content/b.md:2:1"
        ]
    );
    assert!(run.stderr.ends_with("Mislukt: 4 fouten en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n"), "{}", run.stderr);
    assert!(snapshot(&s.public()) == before);
}

#[test]
fn json_format_and_github_annotations() {
    let s = good_site();
    s.write(
        "content/pagina.md",
        "---\ntitle: A\nrollen: [financir]\n---\nTekst.\n",
    );
    let run = run_env(
        &["check", "--format", "json"],
        s.root(),
        &[("GITHUB_ACTIONS", "true")],
    );
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            r#"{"file":"content/pagina.md","line":3,"column":10,"severity":"error","message":"onbekende term `financir` in `rollen`","help":"bedoelt u `financier`? Toegestaan zijn: financier, promotor"}"#,
            "::error file=content/pagina.md,line=3,col=10::onbekende term `financir` in `rollen` (hulp: bedoelt u `financier`? Toegestaan zijn: financier, promotor)",
        ]
    );
}

#[test]
fn unsafe_output_directories_are_refused() {
    let s = good_site();
    let before = snapshot(&s.public());
    let other = s.root().join("vreemd");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("belangrijk.txt"), "niet weggooien").unwrap();
    let cases: [(&str, String); 4] = [
        (
            ".",
            format!(
                "onveilige uitvoermap {}: de map is de map van de site zelf",
                s.root().canonicalize().unwrap().display()
            ),
        ),
        (
            "content",
            format!(
                "onveilige uitvoermap {}: de map ligt in de invoermap content/",
                s.root().canonicalize().unwrap().join("content").display()
            ),
        ),
        (
            "..",
            format!(
                "onveilige uitvoermap {}: de map bevat de site",
                s.root().canonicalize().unwrap().parent().unwrap().display()
            ),
        ),
        (
            "vreemd",
            format!(
                "onveilige uitvoermap {}: de map is niet door handreiking gemaakt en is niet leeg",
                other.canonicalize().unwrap().display()
            ),
        ),
    ];
    for (output, message) in cases {
        let run = run(&["build", "--output", output], s.root());
        assert_eq!(run.code, 2, "{output}: {}", run.stderr);
        assert_eq!(
            run.stderr,
            format!(
                "fout: {message}\n  = hulp: kies met --output een nieuwe of lege map, of een map die handreiking eerder maakte (zoals public/)\n"
            )
        );
    }
    assert_eq!(
        std::fs::read_to_string(other.join("belangrijk.txt")).unwrap(),
        "niet weggooien"
    );
    assert!(snapshot(&s.public()) == before);
}

#[test]
fn a_missing_site_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = run(&["build"], dir.path());
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("fout: geen site gevonden: . heeft geen site.yaml\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn command_line_mistakes_and_help_are_in_dutch() {
    let dir = tempfile::tempdir().unwrap();
    let typo = run(&["bild"], dir.path());
    assert_eq!(typo.code, 2);
    assert_eq!(
        typo.stderr,
        "fout: onbekende opdracht `bild`\n  = hulp: bedoelt u `build`? handreiking --help toont alle opdrachten en opties\n"
    );
    let value = run(&["build", "--format", "xml"], dir.path());
    assert_eq!(value.code, 2);
    assert_eq!(
        value.stderr,
        "fout: ongeldige waarde `xml` voor --format <VORM>\n  = hulp: handreiking --help toont alle opdrachten en opties\n"
    );
    let help = run(&["serve", "--help"], dir.path());
    assert_eq!(help.code, 0);
    assert!(help.stdout.starts_with("Toont de site in de browser en werkt hem bij zodra u een bestand opslaat\n\nGebruik: handreiking serve [OPTIES]\n\nOpties:\n"), "{}", help.stdout);
    assert!(
        help.stdout
            .contains("  --drafts        Toont ook pagina's met `draft: true` (concepten)\n"),
        "{}",
        help.stdout
    );
    for english in [
        "Usage",
        "Options",
        "Print help",
        "[default",
        "possible values",
    ] {
        assert!(
            !help.stdout.contains(english),
            "{english} in {}",
            help.stdout
        );
    }
}

#[test]
fn a_tab_in_front_matter_is_one_error_not_a_cascade() {
    let s = good_site();
    assert_fails(
        &s,
        &[(
            "content/gids/financier.md",
            "---\ntitle: Financier\n\trollen: [financier]\n---\n## Tips\n\nTekst.\n",
        )],
        1,
        concat!(
            "fout: ongeldige YAML in de front matter: er staat een tab waar YAML spaties verwacht\n",
            "  --> content/gids/financier.md:3:1\n",
            "  |\n",
            "3 | \trollen: [financier]\n",
            "  | ^\n",
            "  = hulp: YAML staat geen tabs toe voor inspringen: gebruik spaties\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn a_page_without_front_matter_is_one_error_not_a_cascade() {
    let s = good_site();
    assert_fails(
        &s,
        &[(
            "content/gids/financier.md",
            "## Tips\n\nTekst zonder front matter.\n",
        )],
        1,
        concat!(
            "fout: de pagina begint niet met front matter\n",
            "  --> content/gids/financier.md:1:1\n",
            "  |\n",
            "1 | ## Tips\n",
            "  | ^\n",
            "  = hulp: begin het bestand met een regel `---`, dan `title: …`, en sluit af met een regel `---`\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn a_tab_in_the_glossary_is_one_error_at_its_line() {
    let s = good_site();
    s.write(
        "site.yaml",
        &SITE_YAML.replace(
            "theme: test\n",
            "theme: test\nmarkdown:\n  abbreviations: afkortingen\n",
        ),
    );
    s.write(
        "data/afkortingen.yaml",
        "- afkorting: KB\n  betekenis: Koninklijke Bibliotheek\n",
    );
    assert_eq!(s.build().code, 0);
    assert_fails(
        &s,
        &[(
            "data/afkortingen.yaml",
            "- afkorting: KB\n  betekenis: Koninklijke Bibliotheek\n- afkorting: IDO\n\tbetekenis: Informatiepunt\n",
        )],
        1,
        concat!(
            "fout: ongeldige YAML: er staat een tab waar YAML spaties verwacht\n",
            "  --> data/afkortingen.yaml:4:1\n",
            "  |\n",
            "4 | \tbetekenis: Informatiepunt\n",
            "  | ^\n",
            "  = hulp: YAML staat geen tabs toe voor inspringen: gebruik spaties\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn a_day_that_does_not_exist_and_an_empty_title_say_what_to_do() {
    let s = good_site();
    assert_fails(
        &s,
        &[(
            "content/pagina.md",
            "---\ntitle:\ndate: 2023-02-30\n---\nTekst.\n",
        )],
        1,
        concat!(
            "fout: `title` is leeg\n",
            "  --> content/pagina.md:2:6\n",
            "  |\n",
            "2 | title:\n",
            "  |      ^\n",
            "  = hulp: schrijf de tekst achter `title:` op dezelfde regel, bijvoorbeeld `title: Financier`\n",
            "fout: `date`: 30 februari 2023 bestaat niet\n",
            "  --> content/pagina.md:3:7\n",
            "  |\n",
            "3 | date: 2023-02-30\n",
            "  |       ^\n",
            "  = hulp: februari 2023 heeft 28 dagen\n",
            "Mislukt: 2 fouten en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}
