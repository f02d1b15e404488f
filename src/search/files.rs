//! The index's script files: term chunks by word prefix and document chunks (format:
//! docs/SEARCH-FORMAT.md).

use crate::search::input::Entry;
use crate::search::lexicon::Lexicon;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;

pub const DIR: &str = "zoeken/index";
/// Records per documents file: small, because the top results of a query are spread over the site.
pub const CHUNK_SIZE: usize = 8;

/// Term chunks: every word that has postings, under the key of its first two characters, with the
/// postings of their stems. Returns the chunk keys.
pub fn write_term_chunks(
    lexicon: &Lexicon,
    scored: &[Vec<(u32, u32)>],
    put: &(dyn Fn(String, Vec<u8>) + Sync),
) -> Vec<String> {
    let mut chunks: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (id, word) in lexicon.words.iter().enumerate() {
        let id = u32::try_from(id).unwrap_or(u32::MAX);
        let has_postings = lexicon
            .stem_of(id)
            .and_then(|s| scored.get(s as usize))
            .is_some_and(|p| !p.is_empty());
        if has_postings {
            chunks.entry(chunk_key(word)).or_default().push(id);
        }
    }
    chunks.par_iter().for_each(|(key, words)| {
        let body = term_chunk(lexicon, scored, key, words);
        put(format!("{DIR}/t-{key}.js"), body.into_bytes());
    });
    chunks.into_keys().collect()
}

fn term_chunk(lexicon: &Lexicon, scored: &[Vec<(u32, u32)>], key: &str, words: &[u32]) -> String {
    let stem_text = |s: u32| lexicon.stems.get(s as usize).map_or("", String::as_str);
    let mut entries: Vec<(&str, u32)> = words
        .iter()
        .filter_map(|w| {
            Some((
                lexicon.words.get(*w as usize)?.as_str(),
                lexicon.stem_of(*w)?,
            ))
        })
        .collect();
    entries.sort_unstable();
    let mut used: Vec<u32> = entries.iter().map(|(_, s)| *s).collect();
    used.sort_unstable_by(|a, b| {
        lexicon
            .stems
            .get(*a as usize)
            .cmp(&lexicon.stems.get(*b as usize))
    });
    used.dedup();
    let mut body = String::with_capacity(4096);
    body.push_str("window.HandreikingZoeken.termen(");
    push_json(&mut body, key);
    body.push_str(",{\"w\":{");
    for (i, (word, s)) in entries.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        push_json(&mut body, word);
        body.push(':');
        push_json(&mut body, stem_text(*s));
    }
    body.push_str("},\"p\":{");
    for (i, s) in used.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        push_json(&mut body, stem_text(*s));
        body.push_str(":[");
        let postings = scored.get(*s as usize).map(Vec::as_slice).unwrap_or(&[]);
        for (j, (record, score)) in postings.iter().enumerate() {
            if j > 0 {
                body.push(',');
            }
            let _ = write!(body, "{record},{score}");
        }
        body.push(']');
    }
    body.push_str("}});\n");
    body
}

/// The records in files of CHUNK_SIZE: URL, title, heading, kind, roles and excerpt.
pub fn write_documents(records: &[Entry], put: &(dyn Fn(String, Vec<u8>) + Sync)) {
    records
        .par_chunks(CHUNK_SIZE)
        .enumerate()
        .for_each(|(n, chunk)| {
            let mut body = format!("window.HandreikingZoeken.documenten({n},[");
            for (i, entry) in chunk.iter().enumerate() {
                if i > 0 {
                    body.push(',');
                }
                let url = entry.url();
                body.push('[');
                for field in [
                    url.as_str(),
                    &entry.page.title,
                    &entry.record.heading,
                    &entry.page.kind,
                ] {
                    push_json(&mut body, field);
                    body.push(',');
                }
                body.push('[');
                for (j, role) in entry.page.roles.iter().enumerate() {
                    if j > 0 {
                        body.push(',');
                    }
                    push_json(&mut body, role);
                }
                body.push_str("],");
                push_json(&mut body, &entry.record.excerpt);
                body.push(']');
            }
            body.push_str("]);\n");
            put(format!("{DIR}/d-{n}.js"), body.into_bytes());
        });
}

/// A JSON string literal, written in place.
pub fn push_json(out: &mut String, s: &str) {
    out.push('"');
    let plain = !s
        .bytes()
        .any(|b| b < 0x20 || b == b'"' || b == b'\\' || b == b'<')
        && !s.contains(['\u{2028}', '\u{2029}']);
    if plain {
        out.push_str(s);
        out.push('"');
        return;
    }
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // `</script>` must not end a script, and U+2028/9 are line ends in older JavaScript.
            '<' => out.push_str("\\u003c"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
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
