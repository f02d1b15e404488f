#![no_main]
//! Front matter splitting and reading: any bytes give a page or diagnostics, never a panic.

use handreiking::config;
use handreiking::content::front_matter;
use handreiking::source;
use libfuzzer_sys::fuzz_target;

const SITE: &str = "title: F\ntaxonomies:\n  - name: rollen\n    terms:\n      - slug: financier\n      - slug: promotor\n      - slug: regievoerder\n      - slug: doorverwijzer\n      - slug: digitale-dienstverlener\n      - slug: beleidsmaker\n";

fuzz_target!(|data: &[u8]| {
    let Ok(config) = config::parse(SITE) else { return };
    let Ok(text) = source::decode(data.to_vec(), "content/f.md") else { return };
    if let Ok(split) = front_matter::split(&text, "content/f.md") {
        let _ = front_matter::parse(&split, "content/f.md", &config);
    }
});
