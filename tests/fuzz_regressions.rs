//! Inputs the fuzz targets (fuzz/fuzz_targets/) found or start from, run through the same code paths
//! in the normal test suite: fuzz/corpus/<target>/ (seeds) and fuzz/regressions/<target>/ (findings).

use handreiking::content::front_matter;
use handreiking::markdown::{self, Context, Labels};
use handreiking::source;
use handreiking::{config, data, stats, yaml};
use std::collections::{HashMap, HashSet};
use std::path::Path;

const SITE: &str = "title: F\ntaxonomies:\n  - name: rollen\n    terms:\n      - slug: financier\n      - slug: promotor\n      - slug: regievoerder\n      - slug: doorverwijzer\n      - slug: digitale-dienstverlener\n      - slug: beleidsmaker\n";

fn inputs(target: &str) -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        let mut paths: Vec<_> = entries
            .map(|e| e.unwrap().path())
            .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
            .collect();
        paths.sort();
        out.extend(paths.iter().map(|p| std::fs::read(p).unwrap()));
    }
    out
}

fn waves(bytes: &[u8]) -> Vec<stats::model::Wave> {
    let config = config::parse(SITE).unwrap();
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Vec::new();
    };
    let Ok(node) = yaml::parse(text) else {
        return Vec::new();
    };
    let file = data::DataFile {
        display: "data/monitor/w.yaml".into(),
        key: vec!["monitor".into(), "w".into()],
        node,
    };
    let files = [file];
    let (mut diagnostics, mut warnings, mut declared) = (Vec::new(), Vec::new(), HashSet::new());
    let _ = data::abbreviations(&files, "monitor/w", &mut diagnostics);
    let _ = data::to_tree(&files);
    stats::model::load(
        &files,
        &config,
        &mut diagnostics,
        &mut warnings,
        &mut declared,
    )
}

#[test]
fn front_matter_inputs() {
    let config = config::parse(SITE).unwrap();
    let all = inputs("front_matter");
    assert!(!all.is_empty());
    for bytes in all {
        if let Ok(text) = source::decode(bytes, "content/f.md")
            && let Ok(split) = front_matter::split(&text, "content/f.md")
        {
            let _ = front_matter::parse(&split, "content/f.md", &config);
        }
    }
}

#[test]
fn markdown_inputs() {
    let all = inputs("markdown");
    assert!(!all.is_empty());
    let urls = HashMap::from([("a/b.md".to_string(), "/a/b/".to_string())]);
    let abbreviations = HashMap::from([("KCC".to_string(), "Klantcontactcentrum".to_string())]);
    let figures: HashSet<String> = HashSet::from(["g-a".to_string()]);
    let reserved_ids: HashSet<String> = HashSet::from(["inhoud".to_string()]);
    let labels = Labels::default();
    for bytes in all {
        let Ok(body) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let ctx = Context {
            rel: "a/c.md",
            page_url: "/a/c/",
            base: "https://example.nl/ido",
            base_path: "/ido",
            source: "content/a/c.md",
            body_line: 3,
            unsafe_html: false,
            smart_punctuation: true,
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
        let records =
            handreiking::search::record::records("Titel", "Inleiding", &rendered.sections, &words);
        let longest = records.iter().map(|r| r.text.chars().count()).max();
        assert!(longest <= Some(handreiking::search::record::TEXT_CHARS));
    }
}

#[test]
fn data_file_and_chart_inputs() {
    let config = config::parse(SITE).unwrap();
    let labels = stats::view::StatLabels::from_strings(&Default::default());
    let all: Vec<Vec<u8>> = inputs("data_file")
        .into_iter()
        .chain(inputs("chart"))
        .collect();
    assert!(!all.is_empty());
    let mut charts = 0;
    for bytes in all {
        let waves = waves(&bytes);
        let prepared = stats::pages::prepare(
            &config,
            &waves,
            &labels,
            &handreiking::urls::Urls::new(&config),
        );
        for q in &prepared.questions {
            let svg = stats::pages::svg(q, &labels, "f");
            roxmltree::Document::parse(&svg).unwrap();
            charts += 1;
        }
    }
    // The seeds include the shipped survey: its 20 questions, in both seed folders.
    assert!(charts >= 40, "{charts} charts");
}
