//! Issue #17: readings resolved against the report, uncertain readings and inferred values flagged
//! on the page, the chart, the table, CSV and JSON; unknown stays unknown; bases in words.

mod common;
use common::*;

fn page(id: &str) -> String {
    std::fs::read_to_string(
        shipped_site().join(format!("cijfers/vervolgmonitor-2023/{id}/index.html")),
    )
    .unwrap()
}

fn download(name: &str) -> String {
    std::fs::read_to_string(shipped_site().join(format!("cijfers/vervolgmonitor-2023/{name}")))
        .unwrap()
}

/// The table body rows as (answer, count, percentage) texts.
fn table_rows(html: &str) -> Vec<(String, String, String)> {
    let table = html
        .split("<table class=\"cijfertabel\">")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    table
        .split("<tr><th scope=\"row\">")
        .skip(1)
        .map(|row| {
            let (label, rest) = row.split_once("</th>").unwrap();
            let cells: Vec<&str> = rest
                .split("<td class=\"num\">")
                .skip(1)
                .map(|c| c.split("</td>").next().unwrap())
                .collect();
            (
                label.to_string(),
                cells[0].to_string(),
                cells[1].to_string(),
            )
        })
        .collect()
}

fn rows(list: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    list.iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

/// (answer, aantal, percentage, n, aflezing, afgeleid) of one question's CSV.
fn csv_rows(name: &str) -> Vec<[String; 6]> {
    let text = download(name);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let cols = [
        col("antwoord"),
        col("aantal"),
        col("percentage"),
        col("n"),
        col("aflezing"),
        col("afgeleid"),
    ];
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            cols.map(|c| r[c].to_string())
        })
        .collect()
}

fn csv_expect(list: &[[&str; 6]]) -> Vec<[String; 6]> {
    list.iter().map(|r| r.map(String::from)).collect()
}

#[test]
fn question_12_is_read_largest_first_and_flagged_uncertain() {
    let html = page("gemeenten-doorverwijzing-cursusaanbod");
    assert_eq!(
        table_rows(&html),
        rows(&[
            ("Ja, dit doen we", "20", "46,5%"),
            (
                "Nee, er is nog geen bewustzijn dat dit mogelijk is",
                "10",
                "23,3%"
            ),
            ("Nee, hier zetten we niet op in", "8", "18,6%"),
            ("Dit is mij onbekend", "4", "9,3%"),
            ("Overig", "1", "2,3%"),
            ("Totaal (n)", "43", "100,0%"),
        ])
    );
    // The flag in the table caption, on the chart and in the notes.
    assert!(html.contains("aantallen en percentages <strong>Aflezing onzeker.</strong></caption>"));
    assert!(html.contains(">Let op: onzeker hoe de aantallen bij de</text>"));
    assert!(html.contains("<li><strong>Aflezing onzeker.</strong> In de tekst uit de pdf staan de getallen niet bij de antwoorden: 20, 4 en 1 staan op één regel, 8 en 10 los. Wij lezen 20, 10, 8, 4 en 1, van groot naar klein met &#39;Overig&#39; achteraan, zoals bij bijna alle grafieken in de bijlage. Dat past bij paragraaf 3.5: ongeveer de helft verwijst actief door (20 van 43) en meer dan de helft doet dat niet of weet het niet (22 van 43).</li>"));
    assert_eq!(
        csv_rows("gemeenten-doorverwijzing-cursusaanbod.csv"),
        csv_expect(&[
            ["Ja, dit doen we", "20", "46.5", "43", "onzeker", "nee"],
            [
                "Nee, er is nog geen bewustzijn dat dit mogelijk is",
                "10",
                "23.3",
                "43",
                "onzeker",
                "nee"
            ],
            [
                "Nee, hier zetten we niet op in",
                "8",
                "18.6",
                "43",
                "onzeker",
                "nee"
            ],
            ["Dit is mij onbekend", "4", "9.3", "43", "onzeker", "nee"],
            ["Overig", "1", "2.3", "43", "onzeker", "nee"],
        ])
    );
}

#[test]
fn question_9_is_read_as_the_report_text_allows_and_flagged_uncertain() {
    let html = page("gemeenten-afspraken-promotie");
    assert_eq!(
        table_rows(&html),
        rows(&[
            ("Ja", "6", "12,2%"),
            ("Nee", "26", "53,1%"),
            ("Nog niet, maar wel voornemens", "17", "34,7%"),
            ("Totaal (n)", "49", "100,0%"),
        ])
    );
    assert!(html.contains("aantallen en percentages <strong>Aflezing onzeker.</strong></caption>"));
    let json: serde_json::Value =
        serde_json::from_str(&download("gemeenten-afspraken-promotie.json")).unwrap();
    let q = &json["questions"][0];
    assert_eq!(q["reading"], "uncertain");
    assert_eq!(q["n"], 49);
    assert_eq!(
        q["reading_note"],
        "In de tekst uit de pdf staat 26 links van 17 en staat 6 los. Mogelijk zijn daarom drie verdelingen over Ja, Nee en Nog niet: 26-17-6, 26-6-17 en 6-26-17. Het rapport zegt in paragraaf 3.3 dat de meeste gemeenten nog geen afspraken over promotie hebben. Alleen 6-26-17 past daarbij. Maar het rapport zegt ook dat de meeste gemeenten het wel van plan zijn. Dat past bij geen van de drie."
    );
    let counts: Vec<u64> = q["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["count"].as_u64().unwrap())
        .collect();
    assert_eq!(counts, [6, 26, 17]);
}

#[test]
fn question_20_flags_its_inferred_zero_and_the_statistics_derived_from_it() {
    let html = page("bibliotheken-tevredenheid-regie");
    assert_eq!(
        table_rows(&html),
        rows(&[
            ("1 – Zeer ontevreden", "5", "26,3%"),
            ("2 – Ontevreden", "8", "42,1%"),
            ("3 – Neutraal", "5", "26,3%"),
            ("4 – Tevreden", "1", "5,3%"),
            ("5 – Zeer tevreden", "0 (afgeleid)", "0,0%"),
            ("Totaal (n)", "19", "100,0%"),
        ])
    );
    assert!(html.contains("<p class=\"figuur__kengetallen\">Gemiddelde: <strong>2,1</strong> · Mediaan: <strong>2</strong> (berust op een aanname)</p>"), "{html}");
    // On the chart as well: the mean line, then the flag; the bar says "afgeleid".
    assert!(html.contains(">Gemiddelde: 2,1 · Mediaan: 2</text>\n<text x=\"8\" y=\""));
    assert!(html.contains(">(berust op een aanname)</text>"));
    assert!(html.contains(">0 (0,0%), afgeleid</text>"));
    let csv = csv_rows("bibliotheken-tevredenheid-regie.csv");
    assert_eq!(
        csv.last().unwrap(),
        &["Zeer tevreden", "0", "0.0", "19", "onzeker", "ja"].map(String::from)
    );
    let json: serde_json::Value =
        serde_json::from_str(&download("bibliotheken-tevredenheid-regie.json")).unwrap();
    let q = &json["questions"][0];
    assert_eq!(
        (q["mean"].as_str(), q["median"].as_str()),
        (Some("2,1"), Some("2"))
    );
    assert_eq!(q["derived_from_uncertain_values"], true);
    assert_eq!(q["answers"][4]["inferred"], true);
    assert_eq!(q["answers"][3]["inferred"], false);
}

#[test]
fn question_18_has_n_unknown_on_the_page_in_csv_json_and_the_comparison() {
    let html = page("bibliotheken-afspraken-inzet-middelen");
    let table = table_rows(&html);
    assert_eq!(table.len(), 7);
    assert!(
        table[..6]
            .iter()
            .all(|(_, c, p)| c == "." && p == "onbekend")
    );
    assert_eq!(
        table[6],
        ("Totaal (n)".into(), "onbekend".into(), "onbekend".into())
    );
    assert!(html.contains("Bibliotheken, Vervolgmonitor Informatiepunten Digitale Overheid (2023). n = onbekend, van 22 respondenten."));
    assert!(html.contains("<p class=\"figuur__basis\">Het aantal antwoorden is onbekend, dus de percentages ook. De vraag ging naar 22 respondenten.</p>"));
    assert!(!html.contains("n = 0"));
    let csv = csv_rows("bibliotheken-afspraken-inzet-middelen.csv");
    assert_eq!(csv.len(), 6);
    assert!(
        csv.iter()
            .all(|r| r[1..4] == ["onbekend", "onbekend", "onbekend"])
    );
    let json: serde_json::Value =
        serde_json::from_str(&download("bibliotheken-afspraken-inzet-middelen.json")).unwrap();
    let q = &json["questions"][0];
    assert!(q["n"].is_null());
    assert!(
        q["answers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["count"].is_null() && a["percentage"].is_null())
    );
    // Question 8's page compares with it: a sentence, not six empty bars.
    let q8 = page("gemeenten-afspraken-inzet-middelen");
    let side = q8
        .split("<div class=\"naast-elkaar\">")
        .nth(1)
        .unwrap()
        .split("<p><a href=")
        .next()
        .unwrap();
    assert!(side.contains("<p class=\"naast-elkaar__kop\">Bibliotheken (n = onbekend)</p>\n<p>Van bibliotheken zijn de aantallen onbekend: die ontbreken in de bron. Daarom staat hier geen grafiek.</p>"), "{side}");
    assert_eq!(
        side.matches("<svg").count(),
        1,
        "only question 8's own chart"
    );
    assert!(!side.contains("onbekend (.)"));
}

#[test]
fn total_rows_show_the_real_sum_and_every_page_states_its_base() {
    // Question 8: 26, 2 and 21 of 49 round to 53,1 + 4,1 + 42,9 = 100,1.
    let q8 = page("gemeenten-afspraken-inzet-middelen");
    assert_eq!(
        table_rows(&q8).last().unwrap(),
        &("Totaal (n)".into(), "49".into(), "100,1%".into())
    );
    assert!(q8.contains("<p class=\"figuur__basis\">De percentages zijn berekend over 49 antwoorden van 48 respondenten.</p>"));
    let q14 = page("bibliotheken-meerdere-gemeenten");
    assert!(q14.contains("<p class=\"figuur__basis\">De percentages zijn berekend over 36 antwoorden van 22 respondenten.</p>"));
    assert!(q14.contains("<p class=\"figuur__representatief\">Meedoen was vrijwillig: 22 van de 133 bibliotheken vulden de enquête in (16,5%). De cijfers laten zien wat deze groep zegt, niet wat alle bibliotheken doen. <a href=\"/monitor/aanpak-en-respons/#hoe-betrouwbaar-zijn-de-uitkomsten\">Lees hoe betrouwbaar de uitkomsten zijn</a></p>"), "{q14}");
    // No claim of multiple answers where the source does not make it (questions 4 and 16).
    for id in ["gemeenten-data-monitoring", "bibliotheken-afspraken-ido"] {
        assert!(!page(id).contains("meer dan één antwoord geven."), "{id}");
    }
}

/// The widths of the bars in the comparison chart, in order.
fn comparison_bar_widths(html: &str) -> Vec<u32> {
    let svg = html
        .split("<svg class=\"grafiek\" role=\"img\" aria-labelledby=\"grafiek-vergelijking-")
        .nth(1)
        .unwrap()
        .split("</svg>")
        .next()
        .unwrap();
    svg.split("<rect")
        .skip(1)
        .map(|r| {
            r.split("width=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect()
}

#[test]
fn paired_questions_share_one_percentage_axis_with_aligned_answers() {
    let html = page("gemeenten-afspraken-promotie");
    // 152 px is the largest share of either group (Nee, gemeenten, 53,1%); 36,4% of the
    // libraries is 152 * 364 / 531 = 104 px, not a second full-width bar.
    assert_eq!(comparison_bar_widths(&html), [34, 104, 152, 78, 99, 91, 12]);
    // "Nog niet, wel voornemens" (libraries) sits with "Nog niet, maar wel voornemens";
    // "Anders" was no answer for the municipalities.
    assert!(html.contains("<desc id=\"grafiek-vergelijking-vervolgmonitor-2023-gemeenten-afspraken-promotie-beschrijving\">Ja: Gemeenten 12,2%, Bibliotheken 36,4%; Nee: Gemeenten 53,1%, Bibliotheken 27,3%; Nog niet, maar wel voornemens: Gemeenten 34,7%, Bibliotheken 31,8%; Anders: Gemeenten geen antwoord met deze tekst, Bibliotheken 4,5%.</desc>"), "{html}");
    // The wordings differ, so it is a similar question, with both wordings shown.
    assert!(html.contains("<h2 id=\"vergelijking\">Vergelijkbare vraag aan bibliotheken</h2>"));
    assert!(html.contains("<li>Gemeenten (vraag 9): Heeft uw gemeente afspraken gemaakt met uw bibliotheek over de promotie van de IDO’s?</li>\n      <li>Bibliotheken (vraag 19): Heeft uw bibliotheek afspraken gemaakt met uw gemeente(n) over de promotie van de IDO’s?</li>"), "{html}");
    // No pair in the shipped data has the same wording.
    for id in [
        "gemeenten-bibliotheek-meerdere-gemeenten",
        "gemeenten-afspraken-samenwerking",
        "gemeenten-afspraken-inzet-middelen",
        "bibliotheken-afspraken-inzet-middelen",
        "bibliotheken-afspraken-ido",
    ] {
        let html = page(id);
        assert!(
            html.contains("<h2 id=\"vergelijking\">Vergelijkbare vraag aan "),
            "{id}"
        );
        assert!(!html.contains("Dezelfde vraag"), "{id}");
    }
}

#[test]
fn a_pair_with_the_same_wording_is_called_the_same_question() {
    let wave = "title: Testmeting
year: 2023
fieldwork: mei 2023
publisher: Bureau
source:
  report: Rapport
licence: CC BY 4.0
data_date: 2023-06-30
groups:
  - id: gemeenten
    label: Gemeenten
    population: 342
    respondents: 48
  - id: bibliotheken
    label: Bibliotheken
    population: 133
    respondents: 22
questions:
  - id: g
    number: 1
    group: gemeenten
    text: Is er beleid?
    roles: [financier]
    kind: choice
    pair: b
    answers:
      - {label: Ja, count: 24}
      - {label: Nee, count: 24}
  - id: b
    number: 2
    group: bibliotheken
    text: Is er beleid?
    roles: [financier]
    kind: choice
    pair: g
    answers:
      - {label: nee, count: 11}
      - {label: Ja, count: 11}
";
    let s = Fixture::new(&[
        ("content/_index.md", "---\ntitle: Home\n---\nWelkom.\n"),
        ("data/monitor/test-2023.yaml", wave),
    ]);
    s.write(
        "site.yaml",
        &SITE_YAML.replace("theme: test", "theme: default"),
    );
    let run = s.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = s.read("cijfers/test-2023/g/index.html");
    assert!(html.contains("<h2 id=\"vergelijking\">Dezelfde vraag aan bibliotheken</h2>"));
    assert!(!html.contains("class=\"vraagteksten\""));
    // Both 50%: equal bars; "nee" is aligned with "Nee" although it came first.
    assert_eq!(comparison_bar_widths(&html), [152, 152, 152, 152]);
    assert!(html.contains(
        "Ja: Gemeenten 50,0%, Bibliotheken 50,0%; Nee: Gemeenten 50,0%, Bibliotheken 50,0%."
    ));
}

#[test]
fn role_page_figures_link_to_their_question_and_are_in_the_table_of_contents() {
    let html =
        std::fs::read_to_string(shipped_site().join("handreiking/rollen/promotor/index.html"))
            .unwrap();
    // Questions 9, 10 and 19 are about the promotor.
    assert_eq!(html.matches(">Meer over deze vraag<span").count(), 3);
    assert!(html.contains("<a href=\"/cijfers/vervolgmonitor-2023/gemeenten-afspraken-promotie/\">Meer over deze vraag<span class=\"visueel-verborgen\"> – Vraag 9, Gemeenten</span></a>"), "{html}");
    assert!(html.contains("<li><a href=\"#cijfers-titel\">Wat zeggen de cijfers?</a>"));
}

#[test]
fn csv_downloads_have_a_bom_and_an_excel_variant_with_the_flag_column() {
    let dir = shipped_site().join("cijfers/vervolgmonitor-2023");
    for (file, delimiter, percentage) in [
        ("gemeenten-afspraken-promotie.csv", b',', "53.1"),
        ("gemeenten-afspraken-promotie.excel.csv", b';', "53,1"),
    ] {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        assert_eq!(
            &bytes[..3],
            b"\xEF\xBB\xBF",
            "{file}: UTF-8 byte-order mark"
        );
        // A BOM-aware reader: the csv crate drops the mark, so the first header is `meting`.
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .from_reader(bytes.as_slice());
        let headers = reader.headers().unwrap().clone();
        assert_eq!(&headers[0], "meting", "{file}");
        let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let second = &records[1];
        assert_eq!(
            [
                &second[col("antwoord")],
                &second[col("percentage")],
                &second[col("aflezing")],
                &second[col("afgeleid")],
            ],
            ["Nee", percentage, "onzeker", "nee"],
            "{file}"
        );
        assert!(
            second[col("toelichting")].starts_with("In de tekst uit de pdf staat 26 links van 17"),
            "{file}"
        );
        assert_eq!(
            &second[col("datum_gegevens")],
            "2023-06",
            "{file}: the month, no invented day"
        );
    }
    let page = page("gemeenten-afspraken-promotie");
    assert!(
        page.contains(">Download de gegevens (CSV voor Excel, 3 kB)<"),
        "{page}"
    );
    let wave = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(wave.contains("Datum van de gegevens: juni 2023."), "{wave}");
}

#[test]
fn the_svg_download_is_well_formed_and_is_the_inline_chart() {
    let dir = shipped_site().join("cijfers/vervolgmonitor-2023");
    let file = std::fs::read_to_string(dir.join("bibliotheken-tevredenheid-regie.svg")).unwrap();
    let doc = roxmltree::Document::parse(&file).unwrap();
    assert_eq!(
        doc.root_element().tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    let html = page("bibliotheken-tevredenheid-regie");
    let inline = format!(
        "<svg{}</svg>",
        html.split("<svg")
            .nth(1)
            .unwrap()
            .split("</svg>")
            .next()
            .unwrap()
    );
    assert_eq!(file.replace("grafiek-download-", "grafiek-vraag-"), inline);
    assert!(html.contains(">Download de grafiek (SVG, 3 kB)<"), "{html}");
    // n and the source travel inside the chart, wrapped to its width.
    let lines: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(
        lines[lines.len() - 4..],
        [
            "n = 19, van 22 respondenten. Bron:",
            "Vervolgmonitor Informatiepunten Digitale",
            "Overheid (Berenschot, juni 2023),",
            "Bijlage 3.",
        ]
    );
}
