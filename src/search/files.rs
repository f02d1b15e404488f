//! The index's script files: term chunks by word prefix and document chunks (format:
//! docs/SEARCH-FORMAT.md).

use crate::search::input::Entry;
use crate::search::layout::Layout;
use crate::search::lexicon::Lexicon;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;

pub const DIR: &str = "zoeken/index";
/// A posting's flags (the low bits of its value): its word is in the page title, in the heading.
const IN_TITLE: u64 = 1;
const IN_HEADING: u64 = 2;
const FLAG_BITS: u32 = 2;

/// The stems of each page's title and of each record's heading, sorted.
pub struct Marks {
    pub title: Vec<Vec<u32>>,
    pub heading: Vec<Vec<u32>>,
}

/// Everything a term chunk's postings need besides the stems.
struct Postings<'a> {
    scored: &'a [Vec<(u32, u32)>],
    layout: &'a Layout,
    marks: &'a Marks,
}

impl Postings<'_> {
    /// `id,value,…` of a stem: the value is the score in tenths, shifted, with the flags.
    fn write(&self, stem: u32, out: &mut String) {
        let list = self
            .scored
            .get(stem as usize)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for (j, (record, score)) in list.iter().enumerate() {
            let record = *record as usize;
            let has =
                |stems: Option<&Vec<u32>>| stems.is_some_and(|s| s.binary_search(&stem).is_ok());
            let page = self.layout.page_of.get(record).copied().unwrap_or(0);
            let mut flags = 0;
            if has(self.marks.title.get(page as usize)) {
                flags |= IN_TITLE;
            }
            if has(self.marks.heading.get(record)) {
                flags |= IN_HEADING;
            }
            let id = self.layout.ids.get(record).copied().unwrap_or(0);
            let value = (u64::from(*score) << FLAG_BITS) | flags;
            if j > 0 {
                out.push(',');
            }
            let _ = write!(out, "{id},{value}");
        }
    }
}

/// Term chunks: every word that has postings, under the key of its first two characters, with the
/// postings of their stems. Returns the chunk keys.
pub fn write_term_chunks(
    lexicon: &Lexicon,
    scored: &[Vec<(u32, u32)>],
    layout: &Layout,
    marks: &Marks,
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
    let postings = Postings {
        scored,
        layout,
        marks,
    };
    chunks.par_iter().for_each(|(key, words)| {
        let body = term_chunk(lexicon, &postings, key, words);
        put(format!("{DIR}/t-{key}.js"), body.into_bytes());
    });
    chunks.into_keys().collect()
}

fn term_chunk(lexicon: &Lexicon, postings: &Postings, key: &str, words: &[u32]) -> String {
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
        postings.write(*s, &mut body);
        body.push(']');
    }
    body.push_str("}});\n");
    body
}

/// The documents files: whole pages, `[url, title, type, roles, [[anchor, heading, text], …]]`.
pub fn write_documents(records: &[Entry], layout: &Layout, put: &(dyn Fn(String, Vec<u8>) + Sync)) {
    let files: Vec<(usize, &[std::ops::Range<usize>])> = layout.files().collect();
    files.par_iter().for_each(|(n, pages)| {
        let mut body = format!("window.HandreikingZoeken.documenten({n},[");
        for (i, range) in pages.iter().enumerate() {
            let Some(first) = records.get(range.start) else {
                continue;
            };
            if i > 0 {
                body.push(',');
            }
            body.push('[');
            for field in [
                first.page.relative_url(),
                &first.page.title,
                &first.page.kind,
            ] {
                push_json(&mut body, field);
                body.push(',');
            }
            body.push('[');
            for (j, role) in first.page.roles.iter().enumerate() {
                if j > 0 {
                    body.push(',');
                }
                push_json(&mut body, role);
            }
            body.push_str("],[");
            for (j, entry) in records.get(range.clone()).unwrap_or(&[]).iter().enumerate() {
                if j > 0 {
                    body.push(',');
                }
                body.push('[');
                push_json(&mut body, &entry.record.anchor);
                body.push(',');
                push_json(&mut body, &entry.record.heading);
                body.push(',');
                push_json(&mut body, &entry.record.text);
                body.push(']');
            }
            body.push_str("]]");
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
