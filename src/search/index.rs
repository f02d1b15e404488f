//! Building the index: records per heading section, BM25 with field weights, term chunks by word
//! prefix and document chunks, written as script files (format: docs/SEARCH-FORMAT.md).

use crate::search::extract;
use crate::search::text::{Synonyms, agent_noun_base, compound_parts, stem, words};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

pub const DIR: &str = "zoeken/index";
const CHUNK_SIZE: usize = 32;
const MAX_POSTINGS: usize = 1000;
const EXCERPT_CHARS: usize = 400;
const TITLE_WEIGHT: f64 = 3.0;
const HEADING_WEIGHT: f64 = 2.0;
const BODY_WEIGHT: f64 = 1.0;
/// Compound parts and synonyms count, but less than the word itself.
const DERIVED_WEIGHT: f64 = 0.6;
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// A rendered page to index.
pub struct PageInput<'a> {
    /// Root-relative URL without the base path: `/handreiking/rollen/financier/`.
    pub url: String,
    pub title: String,
    pub kind: String,
    pub roles: Vec<String>,
    pub html: &'a str,
}

#[derive(Serialize, Clone)]
pub struct Choice {
    pub key: String,
    pub label: String,
}

struct Record {
    url: String,
    title: String,
    heading: String,
    kind: String,
    roles: Vec<String>,
    text: String,
}

/// Field-weighted term frequencies of one record, and its weighted length.
struct Counts {
    tf: HashMap<String, f64>,
    length: f64,
}

pub fn build(
    pages: &[PageInput],
    glossary: &[(String, String)],
    types: &[Choice],
    roles: &[Choice],
) -> BTreeMap<String, Vec<u8>> {
    let records: Vec<Record> = pages
        .par_iter()
        .flat_map_iter(|page| {
            let base = page.url.trim_start_matches('/').to_string();
            extract::sections(page.html)
                .into_iter()
                .map(move |s| Record {
                    url: if s.anchor.is_empty() {
                        base.clone()
                    } else {
                        format!("{base}#{}", s.anchor)
                    },
                    title: page.title.clone(),
                    heading: s.heading,
                    kind: page.kind.clone(),
                    roles: page.roles.clone(),
                    text: s.text,
                })
        })
        .collect();

    let tokenised: Vec<[Vec<String>; 3]> = records
        .par_iter()
        .map(|r| [words(&r.title), words(&r.heading), words(&r.text)])
        .collect();
    let vocabulary: HashSet<String> = tokenised
        .iter()
        .flat_map(|fields| fields.iter().flatten().cloned())
        .collect();
    let synonyms = Synonyms::new(glossary);
    let long_words: Vec<&String> = vocabulary
        .iter()
        .filter(|w| w.chars().count() >= 8)
        .collect();
    let parts: HashMap<&str, Vec<String>> = long_words
        .par_iter()
        .map(|w| {
            let mut p = compound_parts(w, &vocabulary);
            p.extend(agent_noun_base(w));
            (w.as_str(), p)
        })
        .filter(|(_, p)| !p.is_empty())
        .collect();

    // Every surface word (also compound parts and synonyms) with its stem.
    let mut all_words: HashSet<&str> = vocabulary.iter().map(String::as_str).collect();
    let part_words: Vec<&str> = parts.values().flatten().map(String::as_str).collect();
    all_words.extend(part_words);
    let extra_per_record: Vec<Vec<String>> = tokenised
        .par_iter()
        .map(|fields| {
            let present: HashSet<&str> = fields.iter().flatten().map(String::as_str).collect();
            synonyms.extra_words(&present)
        })
        .collect();
    let mut stems: HashMap<String, String> = all_words
        .par_iter()
        .map(|w| (w.to_string(), stem(w)))
        .collect();
    for extra in extra_per_record.iter().flatten() {
        stems.entry(extra.clone()).or_insert_with(|| stem(extra));
    }

    let counts: Vec<Counts> = tokenised
        .par_iter()
        .zip(extra_per_record.par_iter())
        .map(|(fields, extra)| {
            let mut tf: HashMap<String, f64> = HashMap::new();
            let mut length = 0.0;
            for (field, weight) in fields
                .iter()
                .zip([TITLE_WEIGHT, HEADING_WEIGHT, BODY_WEIGHT])
            {
                for word in field {
                    length += weight;
                    if let Some(s) = stems.get(word) {
                        *tf.entry(s.clone()).or_default() += weight;
                    }
                    for part in parts.get(word.as_str()).into_iter().flatten() {
                        if let Some(s) = stems.get(part) {
                            *tf.entry(s.clone()).or_default() += weight * DERIVED_WEIGHT;
                        }
                    }
                }
            }
            for word in extra {
                if let Some(s) = stems.get(word) {
                    *tf.entry(s.clone()).or_default() += BODY_WEIGHT * DERIVED_WEIGHT;
                }
            }
            Counts { tf, length }
        })
        .collect();

    let n = counts.len().max(1) as f64;
    let average_length = counts.iter().map(|c| c.length).sum::<f64>() / n;
    let mut postings: HashMap<&str, Vec<(u32, f64)>> = HashMap::new();
    for (id, c) in counts.iter().enumerate() {
        for (term, tf) in &c.tf {
            postings
                .entry(term.as_str())
                .or_default()
                .push((u32::try_from(id).unwrap_or(u32::MAX), *tf));
        }
    }
    let scored: BTreeMap<&str, Vec<(u32, u32)>> = postings
        .into_par_iter()
        .map(|(term, list)| {
            let df = list.len() as f64;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            let mut scored: Vec<(u32, u32)> = list
                .into_iter()
                .map(|(id, tf)| {
                    let length = counts.get(id as usize).map_or(average_length, |c| c.length);
                    let norm = K1 * (1.0 - B + B * length / average_length.max(1.0));
                    let score = idf * tf * (K1 + 1.0) / (tf + norm);
                    (id, (score * 100.0).round().max(1.0) as u32)
                })
                .collect();
            scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            scored.truncate(MAX_POSTINGS);
            (term, scored)
        })
        .collect();

    let mut files = BTreeMap::new();
    // Term chunks: every word under the key of its first two characters.
    let mut chunks: BTreeMap<String, BTreeMap<&str, &str>> = BTreeMap::new();
    for (word, s) in &stems {
        if !scored.contains_key(s.as_str()) {
            continue;
        }
        chunks
            .entry(chunk_key(word))
            .or_default()
            .insert(word.as_str(), s.as_str());
    }
    for (key, chunk_words) in &chunks {
        let used: HashSet<&str> = chunk_words.values().copied().collect();
        let mut body = String::from("{\"w\":");
        body.push_str(&serde_json::to_string(chunk_words).unwrap_or_default());
        body.push_str(",\"p\":{");
        let mut first = true;
        for term in scored.keys().filter(|t| used.contains(*t)) {
            if !first {
                body.push(',');
            }
            first = false;
            body.push_str(&serde_json::to_string(term).unwrap_or_default());
            body.push_str(":[");
            let list = scored.get(term).map(Vec::as_slice).unwrap_or(&[]);
            let flat: Vec<String> = list
                .iter()
                .flat_map(|(id, score)| [id.to_string(), score.to_string()])
                .collect();
            body.push_str(&flat.join(","));
            body.push(']');
        }
        body.push_str("}}");
        files.insert(
            format!("{DIR}/t-{key}.js"),
            format!(
                "window.HandreikingZoeken.termen({},{body});\n",
                serde_json::to_string(key).unwrap_or_default()
            )
            .into_bytes(),
        );
    }
    for (n, chunk) in records.chunks(CHUNK_SIZE).enumerate() {
        let rows: Vec<serde_json::Value> = chunk
            .iter()
            .map(|r| {
                let text: String = r.text.chars().take(EXCERPT_CHARS).collect();
                serde_json::json!([r.url, r.title, r.heading, r.kind, r.roles, text])
            })
            .collect();
        files.insert(
            format!("{DIR}/d-{n}.js"),
            format!(
                "window.HandreikingZoeken.documenten({n},{});\n",
                serde_json::to_string(&rows).unwrap_or_default()
            )
            .into_bytes(),
        );
    }
    let meta = serde_json::json!({
        "version": 1,
        "records": records.len(),
        "chunkSize": CHUNK_SIZE,
        "chunks": chunks.keys().collect::<Vec<_>>(),
        "types": types,
        "roles": roles,
    });
    files.insert(
        format!("{DIR}/meta.js"),
        format!(
            "window.HandreikingZoeken.meta({});\n",
            serde_json::to_string(&meta).unwrap_or_default()
        )
        .into_bytes(),
    );
    files
}

/// The first two characters of a word (`t-do.js`); a one-character word gets `_` as second.
pub fn chunk_key(word: &str) -> String {
    let mut chars = word.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) => format!("{a}{b}"),
        (Some(a), None) => format!("{a}_"),
        _ => "__".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page<'a>(url: &str, title: &str, html: &'a str) -> PageInput<'a> {
        PageInput {
            url: url.into(),
            title: title.into(),
            kind: "handreiking".into(),
            roles: vec!["doorverwijzer".into()],
            html,
        }
    }

    fn index() -> BTreeMap<String, Vec<u8>> {
        let pages = [
            page(
                "/a/",
                "Doorverwijzer",
                "<main><h1>Doorverwijzer</h1><p>Hoe verwijst u door?</p><h2 id=\"tips\">Tips</h2><p>Doorverwijzen naar het KCC.</p></main>",
            ),
            page(
                "/b/",
                "Belasting",
                "<main><h1>Belasting</h1><p>De gemeentebelasting en de gemeente.</p></main>",
            ),
            page(
                "/c/",
                "Contact",
                "<main><h1>Contact</h1><p>Het klantcontactcentrum van de gemeente.</p></main>",
            ),
        ];
        build(
            &pages,
            &[("KCC".into(), "Klantcontactcentrum".into())],
            &[],
            &[],
        )
    }

    fn file(files: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
        String::from_utf8(
            files
                .get(&format!("{DIR}/{name}"))
                .cloned()
                .unwrap_or_default(),
        )
        .unwrap()
    }

    #[test]
    fn writes_meta_terms_and_documents() {
        let files = index();
        let meta = file(&files, "meta.js");
        assert!(
            meta.starts_with("window.HandreikingZoeken.meta({\"chunkSize\":32,"),
            "{meta}"
        );
        assert!(meta.contains("\"records\":4"), "{meta}");
        let docs = file(&files, "d-0.js");
        assert!(docs.contains("[\"a/#tips\",\"Doorverwijzer\",\"Tips\",\"handreiking\",[\"doorverwijzer\"],\"Doorverwijzen naar het KCC.\"]"), "{docs}");
        let chunk = file(&files, "t-do.js");
        assert!(chunk.starts_with("window.HandreikingZoeken.termen(\"do\",{\"w\":{\"door\":\"dor\",\"doorverwijz\":\"doorverwijz\",\"doorverwijzen\":\"doorverwijz\",\"doorverwijzer\":\"doorverwijzer\"}"), "{chunk}");
    }

    #[test]
    fn compound_parts_and_synonyms_are_indexed() {
        let files = index();
        // `belasting` is a word of its own chunk and points at the record with `gemeentebelasting`.
        let be = file(&files, "t-be.js");
        assert!(be.contains("\"belasting\":\"belast\""), "{be}");
        // KCC <-> klantcontactcentrum both ways.
        let kc = file(&files, "t-kc.js");
        assert!(kc.contains("\"kcc\":\"kcc\""), "{kc}");
        let kl = file(&files, "t-kl.js");
        let postings = kl.split("\"klantcontactcentrum\":[").nth(1).unwrap();
        let ids: Vec<&str> = postings
            .split(']')
            .next()
            .unwrap()
            .split(',')
            .step_by(2)
            .collect();
        assert_eq!(ids.len(), 2, "{kl}");
    }
}
