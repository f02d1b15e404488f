#![no_main]
//! Page rendering and its search records: any Markdown gives HTML, diagnostics and records, never a
//! panic.

use handreiking::markdown::{self, Context, Labels};
use libfuzzer_sys::fuzz_target;
use std::collections::{HashMap, HashSet};

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    let mut urls = HashMap::new();
    urls.insert("a/b.md".to_string(), "/a/b/".to_string());
    let mut abbreviations = HashMap::new();
    abbreviations.insert("KCC".to_string(), "Klantcontactcentrum".to_string());
    let figures: HashSet<String> = ["g-a".to_string()].into_iter().collect();
    let reserved_ids: HashSet<String> = ["inhoud".to_string()].into_iter().collect();
    let labels = Labels::default();
    for (unsafe_html, smart_punctuation) in [(false, true), (true, false)] {
        let ctx = Context {
            rel: "a/c.md",
            page_url: "/a/c/",
            base: "https://example.nl/ido",
            base_path: "/ido",
            source: "content/a/c.md",
            body_line: 3,
            unsafe_html,
            smart_punctuation,
            urls: &urls,
            abbreviations: &abbreviations,
            labels: &labels,
            figures: &figures,
            reserved_ids: &reserved_ids,
            assets: &handreiking::images::NO_FILES,
        };
        let rendered = markdown::render(body, &ctx);
        // The page's search records are counted from what rendering collected.
        let words = handreiking::search::record::Words::default();
        let _ = handreiking::search::record::records("Titel", "Inleiding", &rendered.sections, &words);
    }
});
