//! The site that ships with the tool: it builds without warnings and its pages link up as promised.

mod common;
use common::*;

/// Internal links (`href="/…"`) in the main content of a built page.
fn links(html: &str) -> Vec<String> {
    let main = html
        .split("<main")
        .nth(1)
        .unwrap_or("")
        .split("</main>")
        .next()
        .unwrap_or("");
    main.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|s| s.starts_with('/'))
        .map(str::to_string)
        .collect()
}

#[test]
fn shipped_site_builds_without_warnings() {
    let out = shipped_site();
    let (stdout, stderr) = shipped_build_output();
    assert_eq!(stderr, "", "the shipped site must build without warnings");
    assert!(stdout.starts_with("Klaar: "), "{stdout}");
    for path in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "rollen/index.html",
        "toegankelijkheid/index.html",
        ".well-known/security.txt",
    ] {
        assert!(out.join(path).is_file(), "{path} missing");
    }
}

#[test]
fn role_pages_link_to_practice_and_findings_and_examples_link_to_roles() {
    let out = shipped_site();
    let roles = [
        "financier",
        "promotor",
        "regievoerder",
        "doorverwijzer",
        "digitale-dienstverlener",
        "beleidsmaker",
    ];
    for role in roles {
        let html =
            std::fs::read_to_string(out.join(format!("handreiking/rollen/{role}/index.html")))
                .unwrap();
        let links = links(&html);
        assert!(
            links.iter().any(|l| l.starts_with("/praktijkvoorbeelden/")
                && l.len() > "/praktijkvoorbeelden/".len()),
            "{role}: no practice example in {links:?}"
        );
        assert!(
            links
                .iter()
                .any(|l| l.starts_with("/monitor/") && l.len() > "/monitor/".len()),
            "{role}: no monitor finding in {links:?}"
        );
    }
    let examples: Vec<_> = std::fs::read_dir(out.join("praktijkvoorbeelden"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    assert!(examples.len() >= 10, "{} practice examples", examples.len());
    for example in examples {
        let html = std::fs::read_to_string(example.join("index.html")).unwrap();
        let links = links(&html);
        assert!(
            links
                .iter()
                .any(|l| l.starts_with("/handreiking/rollen/")
                    && l.len() > "/handreiking/rollen/".len()),
            "{}: no role link in {links:?}",
            example.display()
        );
    }
}

#[test]
fn every_page_has_one_h1_and_a_unique_title_of_at_most_70_characters() {
    let out = shipped_site();
    let mut titles = std::collections::BTreeMap::new();
    for entry in walkdir::WalkDir::new(&out) {
        let path = entry.unwrap().into_path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(&path).unwrap();
        if html.contains("http-equiv=\"refresh\"") {
            continue;
        }
        assert_eq!(html.matches("<h1").count(), 1, "{}", path.display());
        assert!(
            html.starts_with("<!DOCTYPE html>\n<html lang=\"nl\">"),
            "{}",
            path.display()
        );
        let title = html
            .split("<title>")
            .nth(1)
            .unwrap()
            .split("</title>")
            .next()
            .unwrap()
            .to_string();
        assert!(
            title.chars().count() <= 70,
            "{} has a title of {} characters: {title}",
            path.display(),
            title.chars().count()
        );
        if let Some(other) = titles.insert(title.clone(), path.clone()) {
            panic!(
                "{} and {} share the title {title}",
                other.display(),
                path.display()
            );
        }
    }
    assert!(titles.len() > 50, "{} pages", titles.len());
}

#[test]
fn the_glossary_marks_first_uses_and_security_txt_comes_from_site_yaml() {
    let out = shipped_site();
    let doorverwijzer =
        std::fs::read_to_string(out.join("handreiking/rollen/doorverwijzer/index.html")).unwrap();
    let main = doorverwijzer.split("<main").nth(1).unwrap();
    // The first use of an abbreviation gets <abbr>, later uses do not.
    assert_eq!(
        main.matches("<abbr title=\"Informatiepunt Digitale Overheid\">IDO</abbr>")
            .count(),
        1
    );
    assert!(main.matches("IDO").count() > 1, "{main}");
    // "klantcontactcentrum (KCC)" writes it out already: no <abbr> that would say it twice.
    assert!(main.contains("klantcontactcentrum (KCC)"), "{main}");
    assert!(
        !main.contains("<abbr title=\"Klantcontactcentrum\">"),
        "{main}"
    );
    let glossary = std::fs::read_to_string(out.join("afkortingen/index.html")).unwrap();
    assert!(glossary.contains("Specifieke uitkering"), "{glossary}");
    assert_eq!(
        std::fs::read_to_string(out.join(".well-known/security.txt")).unwrap(),
        "Contact: https://vng.nl/contact\nExpires: 2027-11-01T00:00:00Z\nPreferred-Languages: nl, en\nCanonical: https://ido-handreiking.example.nl/.well-known/security.txt\n"
    );
}
