#![no_main]
//! The chart renderer, tables and downloads for any valid wave: never a panic.

use handreiking::{config, data, stats, yaml};
use libfuzzer_sys::fuzz_target;

const SITE: &str = "title: F\ntaxonomies:\n  - name: rollen\n    terms:\n      - slug: financier\n      - slug: promotor\n      - slug: regievoerder\n      - slug: doorverwijzer\n      - slug: digitale-dienstverlener\n      - slug: beleidsmaker\n";

fuzz_target!(|data_bytes: &[u8]| {
    let Ok(config) = config::parse(SITE) else { return };
    let Ok(text) = std::str::from_utf8(data_bytes) else { return };
    let Ok(node) = yaml::parse(text) else { return };
    let file = data::DataFile { display: "data/monitor/w.yaml".into(), key: vec!["monitor".into(), "w".into()], node };
    let mut diagnostics = Vec::new();
    let mut warnings = Vec::new();
    let mut declared = std::collections::HashSet::new();
    let waves = stats::model::load(&[file], &config, &mut diagnostics, &mut warnings, &mut declared);
    let labels = stats::view::StatLabels::from_strings(&Default::default());
    let prepared = stats::pages::prepare(&config, &waves, &labels, &handreiking::urls::Urls::new(&config));
    for q in &prepared.questions {
        let _ = stats::pages::svg(q, &labels, "f");
    }
});
