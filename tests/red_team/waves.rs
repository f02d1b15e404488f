//! Survey waves: names, ids, downloads and the numbers in them (items 2, 4, 5, 15, 16).

use super::*;

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
            ("viewBox", "0 0 340 162"),
            ("width", "340"),
            ("height", "162"),
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
        "\u{feff}meting,vraag_id,vraagnummer,groep,vraag,antwoord,schaalwaarde,aantal,percentage,n,respondenten,aflezing,afgeleid,toelichting,veldwerk,bron,licentie,datum_gegevens\r\n\
         \"'=HYPERLINK(\"\"https://x.example\"\",\"\"klik\"\")\",gemeenten-beleid,5,\"'+31 gemeenten\",\"'-1 is het antwoord?\",\"'\tNee\",-1,23,47.9,48,48,zeker,nee,,\"'@mei 2023\",\"Rapport, Bijlage 3\",CC BY 4.0,2023-06-30\r\n\
         \"'=HYPERLINK(\"\"https://x.example\"\",\"\"klik\"\")\",gemeenten-beleid,5,\"'+31 gemeenten\",\"'-1 is het antwoord?\",\"'\rJa\",1,25,52.1,48,48,zeker,nee,,\"'@mei 2023\",\"Rapport, Bijlage 3\",CC BY 4.0,2023-06-30\r\n"
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
                "reading": "certain",
                "mean": "0,0",
                "median": "1",
                "answers": [
                    {"label": "\tNee", "value": -1, "count": 23, "percentage": 47.9, "inferred": false},
                    {"label": "\rJa", "value": 1, "count": 25, "percentage": 52.1, "inferred": false}
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
            "fout: `count` moet een geheel getal zijn, maar is tekst\n  --> data/monitor/test-2023.yaml:24:16\n   |\n24 |         count: .nan\n   |                ^\n  = hulp: schrijf een aantal als 12, of `onbekend` als de bron het niet geeft\n\
             fout: de aantallen van deze vraag tellen hier op tot meer dan 18.446.744.073.709.551.615\n  --> data/monitor/test-2024.yaml:28:16\n   |\n28 |         count: 9223372036854775807\n   |                ^\n  = hulp: controleer de aantallen: elk aantal is het aantal respondenten dat dit antwoord gaf\n{}",
            failed(2)
        ),
    );
}
