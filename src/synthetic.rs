//! Synthetic sites shaped like the real one, for benchmarks: four sections, front matter with roles,
//! 3-6 headings, lists, tables, links, code, about 5 kB of Dutch text a page, and a survey wave with
//! 200 questions. The same seed always gives the same site.

use std::fmt::Write as _;
use std::path::Path;

/// xorshift64*: small, fast and deterministic; benchmarks need repeatability, not quality.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        // `below(0)` is 0, as `below(1)`.
        let n = u64::try_from(n).unwrap_or(u64::MAX);
        usize::try_from(self.next().checked_rem(n).unwrap_or(0)).unwrap_or(0)
    }

    /// One of the `n` numbers from `low` on: `low + below(n)`.
    fn between(&mut self, low: usize, n: usize) -> usize {
        low.saturating_add(self.below(n))
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or("")
    }
}

const SECTIONS: [&str; 4] = [
    "handreiking",
    "praktijkvoorbeelden",
    "monitor",
    "achtergrond",
];
const ROLES: [&str; 6] = [
    "financier",
    "promotor",
    "regievoerder",
    "doorverwijzer",
    "digitale-dienstverlener",
    "beleidsmaker",
];
const WORDS: &[&str] = &[
    "gemeente",
    "bibliotheek",
    "inwoner",
    "informatiepunt",
    "digitale",
    "overheid",
    "hulp",
    "vraag",
    "toeslag",
    "belasting",
    "gemeentebelasting",
    "aanvraag",
    "formulier",
    "DigiD",
    "samenwerking",
    "afspraken",
    "regie",
    "financiering",
    "uitkering",
    "doorverwijzing",
    "doorverwijzen",
    "klantcontactcentrum",
    "KCC",
    "SPUK",
    "overheidsdienstverlening",
    "dienstverlening",
    "medewerker",
    "vrijwilliger",
    "spreekuur",
    "cursus",
    "taal",
    "laaggeletterdheid",
    "zorg",
    "werk",
    "inkomen",
    "schulden",
    "armoede",
    "beleid",
    "wethouder",
    "college",
    "subsidie",
    "verantwoording",
    "monitor",
    "enquête",
    "respons",
    "resultaat",
    "aanbeveling",
    "partner",
    "netwerk",
    "promotie",
    "folder",
    "krant",
    "buurthuis",
    "wijk",
    "regio",
    "plan",
    "jaar",
    "doel",
    "groep",
];
const LINKERS: &[&str] = &[
    "de", "het", "een", "en", "met", "voor", "van", "bij", "over", "in", "naar", "door", "ook",
];
const VERBS: &[&str] = &[
    "helpt",
    "maakt",
    "vraagt",
    "regelt",
    "bespreekt",
    "verwijst",
    "zoekt",
    "plant",
    "betaalt",
    "kiest",
];

fn sentence(r: &mut Random) -> String {
    let mut s = String::new();
    let words = r.between(8, 8);
    for i in 0..words {
        let word = match i % 3 {
            0 => r.pick(LINKERS),
            1 => r.pick(WORDS),
            _ => {
                if i == 2 {
                    r.pick(VERBS)
                } else {
                    r.pick(WORDS)
                }
            }
        };
        if i == 0 {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                s.extend(first.to_uppercase());
                s.push_str(chars.as_str());
            }
        } else {
            s.push(' ');
            s.push_str(word);
        }
    }
    s.push('.');
    s
}

fn paragraph(r: &mut Random) -> String {
    (0..r.between(4, 3))
        .map(|_| sentence(r))
        .collect::<Vec<_>>()
        .join(" ")
}

fn page_path(index: usize, pages: usize) -> (usize, String) {
    let section = index.checked_rem(SECTIONS.len()).unwrap_or(0);
    let _ = pages;
    (
        section,
        format!(
            "{}/pagina-{index:05}.md",
            SECTIONS.get(section).copied().unwrap_or("handreiking")
        ),
    )
}

/// Writes the site; returns the number of pages.
pub fn generate(dir: &Path, pages: usize, seed: u64) -> std::io::Result<usize> {
    let mut r = Random(seed.max(1));
    std::fs::create_dir_all(dir.join("content"))?;
    std::fs::create_dir_all(dir.join("data/monitor"))?;
    let mut config = String::from(
        "title: Synthetische handreiking\nbase_url: https://bench.example.nl/\nlanguage: nl\ntheme: default\nmarkdown:\n  abbreviations: afkortingen\ntaxonomies:\n  - name: rollen\n    label: Rollen\n    terms:\n",
    );
    for role in ROLES {
        let _ = writeln!(config, "      - slug: {role}\n        label: {role}");
    }
    config.push_str("search:\n  types:\n");
    for section in SECTIONS {
        let _ = writeln!(
            config,
            "    - {{key: {section}, label: {section}, path: /{section}/}}"
        );
    }
    config.push_str("    - {key: algemeen, label: Algemeen, path: /}\n");
    std::fs::write(dir.join("site.yaml"), config)?;
    std::fs::write(
        dir.join("data/afkortingen.yaml"),
        "- afkorting: KCC\n  betekenis: Klantcontactcentrum\n- afkorting: SPUK\n  betekenis: Specifieke uitkering\n",
    )?;
    std::fs::write(
        dir.join("content/_index.md"),
        "---\ntitle: Synthetische handreiking\n---\nWelkom.\n",
    )?;
    for (i, section) in SECTIONS.iter().enumerate() {
        std::fs::create_dir_all(dir.join("content").join(section))?;
        std::fs::write(
            dir.join("content").join(section).join("_index.md"),
            format!(
                "---\ntitle: Sectie {section}\nweight: {i}\n---\n{}\n",
                paragraph(&mut r)
            ),
        )?;
    }
    for index in 0..pages {
        let (section, path) = page_path(index, pages);
        let mut roles: Vec<&str> = (0..r.between(1, 2)).map(|_| r.pick(&ROLES)).collect();
        roles.sort_unstable();
        roles.dedup();
        let mut text = format!(
            "---\ntitle: Pagina {index} over {}\ndescription: {}\nweight: {}\ndate: 2023-{:02}-{:02}\nrollen: [{}]\n---\n\n{}\n",
            r.pick(WORDS),
            sentence(&mut r),
            r.below(100),
            r.between(1, 12),
            r.between(1, 28),
            roles.join(", "),
            paragraph(&mut r)
        );
        let headings = r.between(3, 4);
        for h in 0..headings {
            let _ = write!(
                text,
                "\n## {} {} {h}\n\n{}\n\n{}\n",
                r.pick(WORDS),
                r.pick(WORDS),
                paragraph(&mut r),
                paragraph(&mut r)
            );
            match h % 4 {
                0 => {
                    text.push('\n');
                    for _ in 0..4 {
                        let _ = writeln!(text, "- {}", sentence(&mut r));
                    }
                }
                1 => {
                    text.push_str("\n| Groep | Aantal | Aandeel |\n|---|---:|---:|\n");
                    for _ in 0..4 {
                        let _ = writeln!(
                            text,
                            "| {} | {} | {},{}% |",
                            r.pick(WORDS),
                            r.below(400),
                            r.below(100),
                            r.below(10)
                        );
                    }
                }
                2 => {
                    let target = r.below(pages);
                    let (target_section, target_path) = page_path(target, pages);
                    let link = if target_section == section {
                        target_path.rsplit('/').next().unwrap_or("").to_string()
                    } else {
                        format!("../{target_path}")
                    };
                    let _ = writeln!(text, "\nZie ook [pagina {target}]({link}).");
                }
                _ => {
                    text.push_str("\n```yaml\nrollen: [financier]\ntitle: Voorbeeld\n```\n");
                }
            }
        }
        std::fs::write(dir.join("content").join(path), text)?;
    }
    std::fs::write(
        dir.join("data/monitor/synthetisch-2023.yaml"),
        survey(&mut r),
    )?;
    Ok(pages)
}

fn survey(r: &mut Random) -> String {
    let mut y = String::from(
        "title: Synthetische meting\nyear: 2023\nfieldwork: mei 2023\npublisher: Bench\nsource:\n  report: Synthetisch rapport\n  annex: Bijlage\nlicence: CC0\ndata_date: 2023-06-30\ngroups:\n  - id: gemeenten\n    label: Gemeenten\n    population: 342\n    respondents: 300\n  - id: bibliotheken\n    label: Bibliotheken\n    population: 133\n    respondents: 120\nquestions:\n",
    );
    for (q, number) in (0..200).zip(1..) {
        let group = if q % 2 == 0 {
            "gemeenten"
        } else {
            "bibliotheken"
        };
        let scale = q % 5 == 0;
        let _ = write!(
            y,
            "  - id: vraag-{q:03}\n    number: {number}\n    group: {group}\n    text: \"{}\"\n    roles: [{}]\n    kind: {}\n    answers:\n",
            sentence(r).replace('"', ""),
            r.pick(&ROLES),
            if scale { "scale" } else { "choice" }
        );
        let answers = if scale { 5 } else { r.between(2, 4) };
        for a in 1..=answers {
            let _ = write!(
                y,
                "      - label: \"Antwoord {a}\"\n        count: {}\n",
                r.below(40)
            );
            if scale {
                let _ = writeln!(y, "        value: {a}");
            }
        }
    }
    y
}
