//! The search index of the shipped site: the engine's stems (the client's stemmer is checked
//! against the same list in tests/browser/zoeken-kern.test.mjs), and the glossary's entries as
//! sections of the glossary page.

mod common;
use common::*;

use handreiking::search::text::stem;

/// `word<TAB>stem` lines that the engine and the client must both produce.
const STEMS: &str = "tests/browser/stems.tsv";

#[test]
fn rust_stems_match_the_shared_list() {
    let path = repo().join(STEMS);
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<(&str, &str)> = text.lines().map(|l| l.split_once('\t').unwrap()).collect();
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        let fresh: String = lines
            .iter()
            .map(|(word, _)| format!("{word}\t{}\n", stem(word)))
            .collect();
        std::fs::write(&path, fresh).unwrap();
        return;
    }
    let wrong: Vec<String> = lines
        .iter()
        .filter(|(word, expected)| stem(word) != *expected)
        .map(|(word, expected)| format!("{word}: {} (list: {expected})", stem(word)))
        .collect();
    assert_eq!(wrong, Vec::<String>::new());
    assert_eq!(lines.len(), 91);
}

/// A page of the index's documents files: (url, title, [(anchor, heading)]).
type IndexedPage = (String, String, Vec<(String, String)>);

fn indexed_pages(index: &std::path::Path) -> Vec<IndexedPage> {
    let mut files: Vec<(usize, String)> = std::fs::read_dir(index)
        .unwrap()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let n = name.strip_prefix("d-")?.strip_suffix(".js")?.parse().ok()?;
            Some((n, std::fs::read_to_string(e.path()).ok()?))
        })
        .collect();
    files.sort();
    let mut out = Vec::new();
    for (n, text) in files {
        let prefix = format!("window.HandreikingZoeken.documenten({n},");
        let json = text
            .strip_prefix(&prefix)
            .and_then(|t| t.strip_suffix(");\n"))
            .unwrap();
        let pages: Vec<serde_json::Value> = serde_json::from_str(json).unwrap();
        for page in pages {
            let sections = page[4]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    (
                        s[0].as_str().unwrap().to_string(),
                        s[1].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            out.push((
                page[0].as_str().unwrap().to_string(),
                page[1].as_str().unwrap().to_string(),
                sections,
            ));
        }
    }
    out
}

#[test]
fn glossary_entries_are_sections_of_the_glossary_page() {
    let site = shipped_site();
    let pages = indexed_pages(&site.join("zoeken/index"));
    let (_, title, sections) = pages
        .iter()
        .find(|(url, _, _)| url == "afkortingen/")
        .unwrap();
    assert_eq!(title, "Afkortingen");
    let expected: Vec<(String, String)> = std::iter::once(("".into(), "".into()))
        .chain(
            [
                "AOW", "AVG", "BZK", "CBR", "CIZ", "CJIB", "DigiD", "DUO", "IDO", "KB", "KCC",
                "MFG", "NPD", "OCW", "POI", "POK", "SPUK", "SVB", "UWV", "vmbo", "VNG", "VOB",
                "WCAG", "Wmebv",
            ]
            .iter()
            .map(|a| (a.to_lowercase(), a.to_string())),
        )
        .collect();
    assert_eq!(sections, &expected);
    // Every entry's anchor is an id on the page (the theme's template makes them).
    let html = std::fs::read_to_string(site.join("afkortingen/index.html")).unwrap();
    let missing: Vec<&String> = expected
        .iter()
        .skip(1)
        .map(|(anchor, _)| anchor)
        .filter(|anchor| !html.contains(&format!("id=\"{anchor}\"")))
        .collect();
    assert_eq!(missing, Vec::<&String>::new());
}

#[test]
fn record_ids_and_files_follow_meta() {
    let site = shipped_site();
    let index = site.join("zoeken/index");
    let meta = std::fs::read_to_string(index.join("meta.js")).unwrap();
    let json = meta
        .strip_prefix("window.HandreikingZoeken.meta(")
        .and_then(|t| t.strip_suffix(");\n"))
        .unwrap();
    let meta: serde_json::Value = serde_json::from_str(json).unwrap();
    let pages = indexed_pages(&index);
    let per_file = meta["pagesPerFile"].as_u64().unwrap() as usize;
    let bits = meta["sectionBits"].as_u64().unwrap();
    assert_eq!(meta["version"], 2);
    assert_eq!(meta["pages"].as_u64().unwrap() as usize, pages.len());
    let records: usize = pages.iter().map(|(_, _, s)| s.len()).sum();
    assert_eq!(meta["records"].as_u64().unwrap() as usize, records);
    let most = pages.iter().map(|(_, _, s)| s.len()).max().unwrap();
    assert_eq!(
        (most - 1) >> bits,
        0,
        "{most} sections do not fit in {bits} bits"
    );
    assert!(
        most > 1 << (bits - 1),
        "{bits} bits is more than {most} sections need"
    );
    let files = std::fs::read_dir(&index)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("d-")
        })
        .count();
    assert_eq!(files, pages.len().div_ceil(per_file));
}
