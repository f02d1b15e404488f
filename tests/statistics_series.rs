//! Issue #17: key figures over time as data (`data/monitor/reeksen/*.yaml`), drawn as a chart and
//! a table with a source per point on the statistics overview, and embeddable by shortcode.

mod common;
use common::*;

#[test]
fn the_overview_shows_each_series_with_a_source_per_point() {
    let html = std::fs::read_to_string(shipped_site().join("cijfers/index.html")).unwrap();
    assert!(html.contains("<h2 id=\"kerncijfers-door-de-tijd\">Kerncijfers door de tijd</h2>"));
    for row in [
        "<tr><th scope=\"row\">2019</th><td class=\"num\">15</td><td>kopgroepbibliotheken met de eerste IDO&#39;s</td><td>Vervolgmonitor IDO (Berenschot, juni 2023), samenvatting</td></tr>",
        "<tr><th scope=\"row\">eind 2022</th><td class=\"num\">ongeveer 600</td><td>IDO&#39;s</td><td>Nieuwsbericht VNG over de handreiking (eind 2022)</td></tr>",
        "<tr><th scope=\"row\">juni 2023</th><td class=\"num\">682</td><td>IDO&#39;s</td><td>Vervolgmonitor IDO (Berenschot, juni 2023), samenvatting</td></tr>",
        "<tr><th scope=\"row\">september 2022</th><td class=\"num\">zo&#39;n 47.000</td><td>mensen</td>",
        "<tr><th scope=\"row\">juni 2023</th><td class=\"num\">bijna 100.000</td><td>vragen</td><td><a href=\"https://www.bibliotheeknetwerk.nl/dashboard/dashboard-informatiepunten-digitale-overheid-ido\">",
        "<tr><th scope=\"row\">eind 2022</th><td class=\"num\">306</td><td>gemeenten</td>",
    ] {
        assert!(html.contains(row), "missing {row}");
    }
    // IDO's on one scale (682 is the full 182 px); the 15 pilot libraries are another unit:
    // written out, not drawn as a bar beside the IDO's.
    let svg = html
        .split("aria-labelledby=\"grafiek-reeks-aantal-idos-titel")
        .nth(1)
        .unwrap()
        .split("</svg>")
        .next()
        .unwrap();
    let widths: Vec<&str> = svg
        .split("<rect")
        .skip(1)
        .map(|r| {
            r.split("width=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(widths, ["160", "182"]);
    assert!(
        svg.contains(
            "font-style=\"italic\" fill=\"#1a1a1a\">15 kopgroepbibliotheken met de eerste</text>"
        ),
        "{svg}"
    );
    assert!(html.contains("<li>Niet alle cijfers tellen hetzelfde. Alleen de cijfers in IDO&#39;s staan als balk in de grafiek. De andere staan er in woorden bij.</li>"));
    // People helped and questions asked stay separate series, each saying so.
    assert!(html.contains("<li>Dit zijn vragen, geen mensen. Vergelijk dit getal niet met het aantal geholpen mensen: één persoon kan meer vragen stellen.</li>"));
}

const SERIES: &str = "title: Aantal IDO's
unit: IDO's
points:
  - year: 2023
    value: 682
    unit: IDO's
    source: Rapport
";

#[test]
fn a_series_is_embedded_by_shortcode_and_checked_at_file_line() {
    let s = Fixture::new(&[
        (
            "content/_index.md",
            "---\ntitle: Home\n---\nDe groei:\n\n{{< grafiek reeksen/idos >}}\n",
        ),
        ("data/monitor/reeksen/idos.yaml", SERIES),
    ]);
    s.write(
        "site.yaml",
        &SITE_YAML.replace("theme: test", "theme: default"),
    );
    let run = s.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = s.read("index.html");
    assert!(home.contains("<tr><th scope=\"row\">2023</th><td class=\"num\">682</td><td>IDO&#39;s</td><td>Rapport</td></tr>"), "{home}");
    s.write(
        "data/monitor/reeksen/idos.yaml",
        &SERIES.replace("    source: Rapport\n", ""),
    );
    let run = s.build();
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "fout: een punt mist `source`\n  --> data/monitor/reeksen/idos.yaml:4:5\n  |\n4 |   - year: 2023\n  |     ^\n  = hulp: elk punt heeft year, value, unit en source: een getal zonder bron of eenheid zegt niets\nMislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n"
    );
}
