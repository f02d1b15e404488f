#![no_main]
//! Data file loading: any YAML gives survey waves or diagnostics, never a panic.

use handreiking::{config, data, stats, yaml};
use libfuzzer_sys::fuzz_target;

const SITE: &str = "title: F\ntaxonomies:\n  - name: rollen\n    terms:\n      - slug: financier\n      - slug: promotor\n      - slug: regievoerder\n      - slug: doorverwijzer\n      - slug: digitale-dienstverlener\n      - slug: beleidsmaker\n";

fuzz_target!(|data_bytes: &[u8]| {
    let Ok(config) = config::parse(SITE) else { return };
    let Ok(text) = std::str::from_utf8(data_bytes) else { return };
    let Ok(node) = yaml::parse(text) else { return };
    let file = data::DataFile { display: "data/monitor/w.yaml".into(), key: vec!["monitor".into(), "w".into()], node };
    let files = [file];
    let mut diagnostics = Vec::new();
    let mut warnings = Vec::new();
    let mut declared = std::collections::HashSet::new();
    let _ = stats::model::load(&files, &config, &mut diagnostics, &mut warnings, &mut declared);
    let _ = data::abbreviations(&files, "monitor/w", &mut diagnostics);
    let _ = data::to_tree(&files);
});
