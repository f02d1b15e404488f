//! Links in every form an editor writes them (issue #16): to `.md` files, pretty URLs copied from
//! the browser, the site's full address, relative paths, anchors on generated pages. Each broken
//! one gets its exact message, with a hint that works when pasted; working ones build.

mod common;
use common::*;

/// A site on the default theme with a statistics wave, so every kind of generated page exists.
fn site(page: &str) -> Fixture {
    let s = Fixture::new(&[
        ("content/_index.md", "---\ntitle: Home\n---\nWelkom.\n"),
        (
            "content/gids/_index.md",
            "---\ntitle: Gids\n---\nDe gids.\n",
        ),
        (
            "content/gids/financier.md",
            "---\ntitle: Financier\nrollen: [financier]\n---\n## Tips\n\nTekst.\n",
        ),
        ("content/gids/pagina.md", page),
        ("data/monitor/test-2023.yaml", WAVE),
    ]);
    s.write(
        "site.yaml",
        &SITE_YAML.replace("theme: test", "theme: default"),
    );
    s
}

fn page(body: &str) -> String {
    format!("---\ntitle: Pagina\n---\n{body}")
}

#[test]
fn every_working_link_form_builds() {
    let s = site(&page(concat!(
        "[a](financier.md#tips) [b](/gids/financier/) [c](../financier/#tips) ",
        "[d](https://example.nl/gids/) [e](/gids/financier) [f](/cijfers/test-2023/gemeenten-beleid/) ",
        "[g](/rollen/financier/) [h](/zoeken/?q=geld) [i](/css/site.css) [j](/cijfers/test-2023/test-2023.csv) ",
        "[k](https://example.org/x/) [l](mailto:a@b.nl) [m](#) [n](/)\n",
    )));
    let run = s.build();
    assert_eq!(run.stderr, "");
    assert_eq!(run.code, 0);
}

#[test]
fn broken_links_in_every_form_name_a_link_that_works() {
    let s = site(&page("Start.\n"));
    assert_eq!(s.build().code, 0);
    assert_build_fails_exactly(
        &s,
        &[(
            "content/gids/pagina.md",
            page(concat!(
                "[a](/gids/financir/)\n\n",
                "[b](https://example.nl/gids/financir/)\n\n",
                "[c](financier)\n\n",
                "[d](/cijfers/test-2023/gemeenten-beleid/#bestaat-niet)\n\n",
                "[e](financir.md)\n\n",
                "[f](/gids/financier/#tipz)\n",
            ))
            .as_bytes(),
        )],
        1,
        concat!(
            "fout: de link `/gids/financir/` wijst naar een pagina die niet bestaat (/gids/financir/)\n",
            "  --> content/gids/pagina.md:4:1\n",
            "  |\n",
            "4 | [a](/gids/financir/)\n",
            "  | ^\n",
            "  = hulp: bedoelt u `/gids/financier/`?\n",
            "fout: de link `https://example.nl/gids/financir/` wijst naar een pagina die niet bestaat (/gids/financir/)\n",
            "  --> content/gids/pagina.md:6:1\n",
            "  |\n",
            "6 | [b](https://example.nl/gids/financir/)\n",
            "  | ^\n",
            "  = hulp: bedoelt u `https://example.nl/gids/financier/`?\n",
            "fout: de link `financier` wijst naar een pagina die niet bestaat (/gids/pagina/financier)\n",
            "  --> content/gids/pagina.md:8:1\n",
            "  |\n",
            "8 | [c](financier)\n",
            "  | ^\n",
            "  = hulp: bedoelt u `../financier/`?\n",
            "fout: de kop `#bestaat-niet` bestaat niet op /cijfers/test-2023/gemeenten-beleid/\n",
            "  --> content/gids/pagina.md:10:1\n",
            "   |\n",
            "10 | [d](/cijfers/test-2023/gemeenten-beleid/#bestaat-niet)\n",
            "   | ^\n",
            "  = hulp: koppen op die pagina: kopzoeken-term, inhoud, pagina-titel, antwoorden, figuur-test-2023-gemeenten-beleid-kop, grafiek-vraag-test-2023-gemeenten-beleid-titel, grafiek-vraag-test-2023-gemeenten-beleid-beschrijving, figuur-test-2023-gemeenten-beleid-tabel\n",
            "fout: de link `financir.md` wijst naar een pagina die niet bestaat (content/gids/financir.md)\n",
            "  --> content/gids/pagina.md:12:1\n",
            "   |\n",
            "12 | [e](financir.md)\n",
            "   | ^\n",
            "  = hulp: bedoelt u `financier.md`? Paden zijn relatief aan de map van deze pagina\n",
            "fout: de kop `#tipz` bestaat niet op /gids/financier/\n",
            "  --> content/gids/pagina.md:14:1\n",
            "   |\n",
            "14 | [f](/gids/financier/#tipz)\n",
            "   | ^\n",
            "  = hulp: bedoelt u `#tips`? Koppen op die pagina: tips\n",
            "Mislukt: 6 fouten en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn root_relative_urls_carry_the_base_path() {
    let s = site(&page(
        "[a](/gids/financier/) [b](financier.md) ![logo](/favicon.svg)\n",
    ));
    let run = run(
        &["build", "--base-url", "https://www.vng.nl/ido/"],
        s.root(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut wrong = Vec::new();
    for entry in walkdir::WalkDir::new(s.public()) {
        let path = entry.unwrap().into_path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(&path).unwrap();
        for attribute in [" href=\"/", " src=\"/", " action=\"/", " srcset=\"/"] {
            for (at, _) in html.match_indices(attribute) {
                let value = &html[at + attribute.len() - 1..];
                let value = &value[..value.find('"').unwrap()];
                if !value.starts_with("/ido/") && value != "/ido" {
                    wrong.push(format!(
                        "{}: {value}",
                        path.strip_prefix(s.public()).unwrap().display()
                    ));
                }
            }
        }
    }
    assert_eq!(wrong, Vec::<String>::new());
}
