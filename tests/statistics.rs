//! Statistics pages on the shipped site and on fixture waves: exact figures, valid SVG and CSV,
//! schema errors at file:line.

mod common;
use common::*;
use std::path::Path;

fn files_with_ext(dir: &Path, ext: &str) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect()
}

#[test]
fn question_5_of_the_municipalities_shows_exact_counts_and_percentages() {
    let out = shipped_site();
    let html = std::fs::read_to_string(
        out.join("cijfers/vervolgmonitor-2023/gemeenten-beleidsnota/index.html"),
    )
    .unwrap();
    for row in [
        "<th scope=\"row\">Nee</th><td class=\"num\">23</td><td class=\"num\">47,9%</td>",
        "<th scope=\"row\">Nee, maar wel voornemens</th><td class=\"num\">22</td><td class=\"num\">45,8%</td>",
        "<th scope=\"row\">Ja, in de beleidsnota</th><td class=\"num\">3</td><td class=\"num\">6,3%</td>",
        "<th scope=\"row\">Totaal (n)</th><td class=\"num\">48</td>",
    ] {
        assert!(html.contains(row), "missing {row}");
    }
    assert!(html.contains("<desc id=\"grafiek-vraag-vervolgmonitor-2023-gemeenten-beleidsnota-beschrijving\">Nee: 23 (47,9%); Nee, maar wel voornemens: 22 (45,8%); Ja, in de beleidsnota: 3 (6,3%). n = 48.</desc>"), "{html}");
    assert!(html.contains("Gemeenten, Vervolgmonitor Informatiepunten Digitale Overheid (2023). n = 48, van 48 respondenten."));
    // 48 answers: not below the default threshold of 30, and the shares add up to 100,0%.
    assert!(!html.contains("Kleine aantallen."));
    assert!(!html.contains("Door afronding"));
    assert!(html.contains("Download de gegevens (CSV, 2 kB)"), "{html}");
}

#[test]
fn unknown_counts_small_n_and_counts_above_respondents_are_marked() {
    let out = shipped_site();
    let q18 = std::fs::read_to_string(
        out.join("cijfers/vervolgmonitor-2023/bibliotheken-afspraken-inzet-middelen/index.html"),
    )
    .unwrap();
    assert!(
        q18.contains("<td class=\"num\">.</td><td class=\"num\">onbekend</td>"),
        "{q18}"
    );
    assert!(q18.contains("Een punt (.) betekent: het aantal is onbekend."));
    let q14 = std::fs::read_to_string(
        out.join("cijfers/vervolgmonitor-2023/bibliotheken-meerdere-gemeenten/index.html"),
    )
    .unwrap();
    assert!(q14.contains("De aantallen tellen op tot 36. Dat is meer dan de 22 respondenten. Zo staat het in de bron."), "{q14}");
    // 36 answers, but from 22 libraries: the small-sample note counts respondents.
    assert!(q14.contains("<strong>Kleine aantallen.</strong> Deze cijfers komen van 22 respondenten (minder dan 30)."), "{q14}");
    let q17 = std::fs::read_to_string(
        out.join("cijfers/vervolgmonitor-2023/bibliotheken-tevredenheid-betrokkenheid/index.html"),
    )
    .unwrap();
    assert!(q17.contains("<strong>Kleine aantallen.</strong> Deze cijfers komen van 22 respondenten (minder dan 30)."), "{q17}");
    assert!(
        q17.contains("Gemiddelde: <strong>3,1</strong> · Mediaan: <strong>3</strong></p>"),
        "{q17}"
    );
}

#[test]
fn every_svg_parses_as_xml_and_is_labelled() {
    let out = shipped_site();
    let mut count = 0;
    for page in files_with_ext(&out, "html") {
        let html = std::fs::read_to_string(&page).unwrap();
        for part in html.split("<svg").skip(1) {
            let svg = format!("<svg{}</svg>", part.split("</svg>").next().unwrap());
            let doc = roxmltree::Document::parse(&svg)
                .unwrap_or_else(|e| panic!("{}: {e}\n{svg}", page.display()));
            let root = doc.root_element();
            if root.attribute("class") == Some("grafiek") {
                count += 1;
                assert_eq!(root.attribute("role"), Some("img"));
                assert!(root.children().any(|c| c.has_tag_name("title")));
                assert!(root.children().any(|c| c.has_tag_name("desc")));
            }
        }
    }
    assert!(count >= 20, "only {count} charts");
}

#[derive(serde::Deserialize)]
struct WaveFile {
    questions: Vec<QuestionFile>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct QuestionFile {
    id: String,
    answers: Vec<AnswerFile>,
    #[serde(flatten)]
    rest: std::collections::BTreeMap<String, serde_json::Value>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct AnswerFile {
    label: String,
    /// A number, or `onbekend` when the source gives none.
    count: serde_json::Value,
    value: Option<i64>,
}

#[test]
fn every_csv_parses_and_its_counts_match_the_yaml() {
    let out = shipped_site();
    let yaml =
        std::fs::read_to_string(repo().join("data/monitor/vervolgmonitor-2023.yaml")).unwrap();
    let wave: WaveFile = serde_saphyr::from_str(&yaml).unwrap();
    let expected: std::collections::BTreeMap<(String, String), Option<u64>> = wave
        .questions
        .iter()
        .flat_map(|q| {
            q.answers
                .iter()
                .map(|a| ((q.id.clone(), a.label.clone()), a.count.as_u64()))
        })
        .collect();
    let csvs = files_with_ext(&out, "csv");
    assert_eq!(csvs.len(), 42, "two per question and two per wave");
    for path in csvs {
        // The Excel variant is separated by semicolons.
        let excel = path.to_string_lossy().ends_with(".excel.csv");
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(if excel { b';' } else { b',' })
            .from_path(&path)
            .unwrap();
        let headers = reader.headers().unwrap().clone();
        let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let (id, answer, count) = (col("vraag_id"), col("antwoord"), col("aantal"));
        let mut rows = 0;
        for record in reader.records() {
            let record = record.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let key = (record[id].to_string(), record[answer].to_string());
            let want = expected
                .get(&key)
                .unwrap_or_else(|| panic!("{key:?} not in the YAML"));
            let got = if &record[count] == "onbekend" {
                None
            } else {
                Some(record[count].parse::<u64>().unwrap())
            };
            assert_eq!(&got, want, "{key:?} in {}", path.display());
            rows += 1;
        }
        assert!(rows > 0);
    }
}

// ---------- fixture waves ----------

fn stats_site(wave: &str) -> Fixture {
    let s = Fixture::new(&[
        ("content/_index.md", "---\ntitle: Home\n---\nWelkom.\n"),
        (
            "content/rol.md",
            "---\ntitle: Rol\n---\nDe cijfers:\n\n{{< grafiek gemeenten-beleid >}}\n",
        ),
        ("data/monitor/test-2023.yaml", wave),
    ]);
    s.write(
        "site.yaml",
        &SITE_YAML.replace("theme: test", "theme: default"),
    );
    s
}

fn stats_errors(wave: &str) -> String {
    let s = stats_site(wave);
    let run = s.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!s.public().exists());
    run.stderr
}

#[test]
fn a_figure_is_embedded_by_id() {
    let s = stats_site(WAVE);
    let run = s.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = s.read("rol/index.html");
    assert!(page.contains("<figure class=\"figuur\""), "{page}");
    assert!(page.contains(
        "<th scope=\"row\">Ja</th><td class=\"num\">25</td><td class=\"num\">52,1%</td>"
    ));
    assert!(s.read("cijfers/test-2023/index.html").contains(
        "<td class=\"num\">342</td><td class=\"num\">48</td><td class=\"num\">14,0%</td>"
    ));
}

#[test]
fn an_unknown_figure_id_is_an_error_at_file_line() {
    let s = stats_site(WAVE);
    s.write(
        "content/rol.md",
        "---\ntitle: Rol\n---\nTekst.\n\n{{< grafiek gemeenten-beled >}}\n",
    );
    let run = s.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("fout: onbekende grafiek `gemeenten-beled`\n  --> content/rol.md:6:1\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("= hulp: bedoelt u `gemeenten-beleid`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn schema_error_unknown_role() {
    let err = stats_errors(&WAVE.replace("roles: [financier]", "roles: [financer]"));
    assert!(
        err.contains("fout: onbekende rol `financer`\n  --> data/monitor/test-2023.yaml:20:13\n"),
        "{err}"
    );
    assert!(err.contains("= hulp: bedoelt u `financier`?"), "{err}");
}

#[test]
fn schema_error_negative_count() {
    let err = stats_errors(&WAVE.replace("count: 23", "count: -23"));
    assert!(
        err.contains("fout: `count` is negatief (-23)\n  --> data/monitor/test-2023.yaml:24:16\n"),
        "{err}"
    );
}

#[test]
fn schema_error_fractional_count() {
    let err = stats_errors(&WAVE.replace("count: 23", "count: 2.5"));
    assert!(
        err.contains(
            "fout: `count` is geen geheel getal (2.5)\n  --> data/monitor/test-2023.yaml:24:16\n"
        ),
        "{err}"
    );
}

#[test]
fn schema_error_duplicate_id() {
    let doubled = format!(
        "{WAVE}{}",
        &WAVE[WAVE.find("  - id: gemeenten-beleid").unwrap()..].replace("number: 5", "number: 6")
    );
    let err = stats_errors(&doubled);
    assert!(err.contains("fout: de vraag-id `gemeenten-beleid` staat er twee keer\n  --> data/monitor/test-2023.yaml:27:5\n"), "{err}");
}

#[test]
fn schema_error_unknown_group() {
    let err = stats_errors(&WAVE.replace("group: gemeenten", "group: gemeente"));
    assert!(
        err.contains("fout: onbekende groep `gemeente`\n  --> data/monitor/test-2023.yaml:18:12\n"),
        "{err}"
    );
    assert!(
        err.contains("= hulp: bedoelt u `gemeenten`? Groepen: gemeenten"),
        "{err}"
    );
}

#[test]
fn schema_error_scale_without_order() {
    let err = stats_errors(&WAVE.replace("kind: choice", "kind: scale"));
    assert!(err.contains("fout: een schaalvraag heeft geen volgorde: geef de antwoorden een `value` (1, 2, 3 …)\n  --> data/monitor/test-2023.yaml:16:5\n"), "{err}");
}

#[test]
fn counts_above_the_respondents_are_warnings_in_check_not_in_build() {
    let s = stats_site(&WAVE.replace("count: 25", "count: 30"));
    let check = run(&["check"], s.root());
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stderr.contains("waarschuwing: de aantallen van vraag 5 (`gemeenten-beleid`) tellen op tot 53, meer dan de 48 respondenten van gemeenten\n  --> data/monitor/test-2023.yaml:16:5\n"), "{}", check.stderr);
    let build = s.build();
    assert_eq!(build.code, 0);
    assert_eq!(build.stderr, "");
    assert!(
        s.read("cijfers/test-2023/gemeenten-beleid/index.html")
            .contains("De aantallen tellen op tot 53. Dat is meer dan de 48 respondenten.")
    );
}

#[test]
fn a_second_wave_of_the_same_question_is_compared() {
    let s = stats_site(WAVE);
    s.write(
        "data/monitor/test-2024.yaml",
        &WAVE
            .replace("year: 2023", "year: 2024")
            .replace("count: 23", "count: 13")
            .replace("count: 25", "count: 35"),
    );
    let run = s.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = s.read("cijfers/test-2024/gemeenten-beleid/index.html");
    assert!(page.contains("<th scope=\"row\">Nee</th><td class=\"num\">23 (47,9%)</td><td class=\"num\">13 (27,1%)</td>"), "{page}");
    // The shortcode without a wave shows the newest wave.
    assert!(
        s.read("rol/index.html")
            .contains("<td class=\"num\">13</td><td class=\"num\">27,1%</td>")
    );
}

#[test]
fn an_empty_count_is_a_warning_and_onbekend_is_the_written_unknown() {
    let s = stats_site(&WAVE.replace("        count: 25\n", "        count:\n"));
    let run = s.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        concat!(
            "waarschuwing: `count` is leeg: dit aantal staat op de site als onbekend\n",
            "  --> data/monitor/test-2023.yaml:26:14\n",
            "   |\n",
            "26 |         count:\n",
            "   |              ^\n",
            "  = hulp: vul het aantal in, of schrijf `count: onbekend` als de bron het niet geeft\n",
        )
    );
    let written = stats_site(&WAVE.replace("        count: 25\n", "        count: onbekend\n"));
    let run = written.build();
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}
