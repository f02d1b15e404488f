//! Building the index: records per heading section, BM25 with field weights, term chunks by word
//! prefix and document chunks, written as script files (format: docs/SEARCH-FORMAT.md).

use crate::search::record::Words;
use crate::search::text::{STOP_WORDS, Synonyms, agent_noun_base, compound_parts, stem};
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;

pub use crate::search::files::DIR;
use crate::search::files::{Marks, write_documents, write_term_chunks};
use crate::search::input::Entry;
pub use crate::search::input::{Choice, PageInput};
use crate::search::layout::Layout;
use crate::search::lexicon::Lexicon;
const MAX_POSTINGS: usize = 1000;
const BODY_WEIGHT: f32 = 1.0;
/// Compound parts and synonyms count, but less than the word itself.
const DERIVED_WEIGHT: f32 = 0.6;
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// A stem's postings while they are counted: how many records have the stem, and its strongest
/// records as (strength, record, count). Strength and count are f32 bits: they are never negative,
/// so their bits sort as the numbers do. The list is cut back to the MAX_POSTINGS strongest each
/// time it doubles: a selection in linear time, cheaper than a heap that reorders on every push.
#[derive(Default)]
struct Postings {
    count: u32,
    best: Vec<(u32, u32, u32)>,
}

/// Stronger first; of equal strength the earlier record, as in the final order.
fn stronger_first(a: &(u32, u32, u32), b: &(u32, u32, u32)) -> std::cmp::Ordering {
    b.0.cmp(&a.0).then(a.1.cmp(&b.1))
}

impl Postings {
    fn keep(&mut self, record: u32, tf: f32, strength: f32) {
        self.best.push((strength.to_bits(), record, tf.to_bits()));
        if self.best.len() >= 2 * MAX_POSTINGS {
            self.cut();
        }
    }

    /// Keeps only the MAX_POSTINGS strongest.
    fn cut(&mut self) {
        if self.best.len() > MAX_POSTINGS {
            self.best
                .select_nth_unstable_by(MAX_POSTINGS.saturating_sub(1), stronger_first);
            self.best.truncate(MAX_POSTINGS);
        }
    }
}

/// The index files in a map (for `serve`, which keeps the site in memory, and for tests).
pub fn build_files(
    pages: &[PageInput],
    words: &Words,
    glossary: &[(String, String)],
    types: &[Choice],
    roles: &[Choice],
) -> BTreeMap<String, Vec<u8>> {
    let files = std::sync::Mutex::new(BTreeMap::new());
    build(pages, words, glossary, types, roles, &|path, bytes| {
        if let Ok(mut files) = files.lock() {
            files.insert(path, bytes);
        }
    });
    files.into_inner().unwrap_or_default()
}

/// Builds the index and hands every file to `put` as soon as it is made (a build writes them
/// while the next ones are made), from several threads at once.
pub fn build(
    pages: &[PageInput],
    words: &Words,
    glossary: &[(String, String)],
    types: &[Choice],
    roles: &[Choice],
    put: &(dyn Fn(String, Vec<u8>) + Sync),
) {
    let mut stages = crate::profile::Stages::start();
    let mut whole = crate::profile::Stages::start();
    let records: Vec<Entry> = pages
        .iter()
        .enumerate()
        .flat_map(|(page_index, page)| {
            page.records.iter().map(move |record| Entry {
                page,
                page_index,
                record,
            })
        })
        .collect();
    let layout = Layout::new(&records);
    let (mut lexicon, sorted, renumber) = vocabulary(&records, words);
    stages.done("zoek: woordenschat");
    let (word_parts, synonym_ids) = derived_words(&mut lexicon, &sorted, glossary);
    stages.done("zoek: samenstellingen");
    let synonym_rules = stems(&mut lexicon, &word_parts, &synonym_ids);
    stages.done("zoek: stammen");
    let counter = Counter {
        renumber: &renumber,
        synonym_words: synonym_rules
            .iter()
            .flat_map(|(needed, _)| needed.iter().copied())
            .collect(),
        lexicon: &lexicon,
        synonym_rules: &synonym_rules,
    };
    let bm25 = Bm25::new(&records);
    let postings = count_postings(&records, &counter, &bm25, lexicon.stems.len());
    stages.done("zoek: tellen");
    let marks = marks(&records, &layout, &counter);
    drop(renumber);
    let scored = score(postings, &bm25);
    stages.done("zoek: bm25");
    let chunk_keys = write_term_chunks(&lexicon, &scored, &layout, &marks, put);
    stages.done("zoek: termbestanden");
    write_documents(&records, &layout, put);
    stages.done("zoek: documenten");
    let synonyms = Synonyms::new(glossary);
    let synonyms: Vec<(&String, &Vec<String>)> = synonyms.pairs().collect();
    let meta = serde_json::json!({
        "version": 2,
        "records": records.len(),
        "pages": layout.pages.len(),
        "sectionBits": layout.section_bits,
        "pagesPerFile": layout.pages_per_file,
        "chunks": chunk_keys,
        "stopWords": STOP_WORDS,
        "synonyms": synonyms,
        "types": types,
        "roles": roles,
    });
    put(
        format!("{DIR}/meta.js"),
        format!(
            "window.HandreikingZoeken.meta({});\n",
            serde_json::to_string(&meta).unwrap_or_default()
        )
        .into_bytes(),
    );
    stages.done("zoek: meta");
    // The figure benchmarks report as the index time (files written included).
    whole.done("zoekindex");
}

/// The words the records use, numbered in sorted order so that the output never depends on the
/// order in which threads met them; and the renumbering from the numbers pages got to these.
fn vocabulary(records: &[Entry], words: &Words) -> (Lexicon, Vec<String>, Vec<u32>) {
    let mut used = vec![false; words.len()];
    for entry in records {
        for (word, _) in &entry.record.counts {
            if let Some(slot) = used.get_mut(*word as usize) {
                *slot = true;
            }
        }
    }
    let mut vocabulary: Vec<(String, u32)> = words
        .all()
        .into_iter()
        .filter(|(_, id)| used.get(*id as usize).copied().unwrap_or(false))
        .collect();
    vocabulary.par_sort_unstable();
    let mut lexicon = Lexicon {
        words: Vec::new(),
        word_ids: HashMap::default(),
        stems: Vec::new(),
        stem_of: Vec::new(),
        derived: Vec::new(),
    };
    for (word, _) in &vocabulary {
        lexicon.word(word);
    }
    let mut renumber = vec![u32::MAX; words.len()];
    for (new, (_, old)) in vocabulary.iter().enumerate() {
        if let Some(slot) = renumber.get_mut(*old as usize) {
            *slot = u32::try_from(new).unwrap_or(u32::MAX);
        }
    }
    let sorted = vocabulary.into_iter().map(|(w, _)| w).collect();
    (lexicon, sorted, renumber)
}

/// Word id -> word ids it is made of (compound parts, the verb of an agent noun); and each
/// glossary abbreviation's id with the ids of the words of its meaning.
type WordLinks = Vec<(u32, Vec<u32>)>;

fn derived_words(
    lexicon: &mut Lexicon,
    sorted: &[String],
    glossary: &[(String, String)],
) -> (WordLinks, WordLinks) {
    let owned_vocabulary: std::collections::HashSet<String> = sorted.iter().cloned().collect();
    let splits: Vec<(u32, Vec<String>)> = sorted
        .par_iter()
        .enumerate()
        .filter(|(_, w)| w.len() >= 8)
        .map(|(id, w)| {
            let mut parts = compound_parts(w, &owned_vocabulary);
            parts.extend(agent_noun_base(w));
            (u32::try_from(id).unwrap_or(u32::MAX), parts)
        })
        .filter(|(_, parts)| !parts.is_empty())
        .collect();
    let synonyms = Synonyms::new(glossary);
    let mut word_parts: WordLinks = Vec::new();
    for (id, parts) in &splits {
        let ids = parts.iter().map(|p| lexicon.word(p)).collect();
        word_parts.push((*id, ids));
    }
    let synonym_ids: WordLinks = synonyms
        .pairs()
        .map(|(short, long)| {
            let short_id = lexicon.word(short);
            let long_ids = long.iter().map(|w| lexicon.word(w)).collect();
            (short_id, long_ids)
        })
        .collect();
    (word_parts, synonym_ids)
}

/// Stems every word of the lexicon and links derived stems; returns the synonym rules both ways:
/// (words that must all be present, stems they add).
fn stems(
    lexicon: &mut Lexicon,
    word_parts: &WordLinks,
    synonym_ids: &WordLinks,
) -> Vec<(Vec<u32>, Vec<u32>)> {
    let stems_by_word: Vec<String> = lexicon.words.par_iter().map(|w| stem(w)).collect();
    let mut stem_ids: HashMap<String, u32> = HashMap::default();
    for s in &stems_by_word {
        if !stem_ids.contains_key(s) {
            stem_ids.insert(
                s.clone(),
                u32::try_from(lexicon.stems.len()).unwrap_or(u32::MAX),
            );
            lexicon.stems.push(s.clone());
        }
    }
    lexicon.stem_of = stems_by_word
        .iter()
        .map(|s| stem_ids.get(s).copied().unwrap_or(0))
        .collect();
    lexicon.derived = vec![Vec::new(); lexicon.words.len()];
    for (id, parts) in word_parts {
        let part_stems: Vec<u32> = parts
            .iter()
            .filter_map(|p| lexicon.stem_of.get(*p as usize).copied())
            .collect();
        if let Some(slot) = lexicon.derived.get_mut(*id as usize) {
            *slot = part_stems;
        }
    }
    let mut synonym_rules: Vec<(Vec<u32>, Vec<u32>)> = Vec::new();
    for (short, long) in synonym_ids {
        synonym_rules.push((
            vec![*short],
            long.iter().filter_map(|w| lexicon.stem_of(*w)).collect(),
        ));
        synonym_rules.push((long.clone(), lexicon.stem_of(*short).into_iter().collect()));
    }
    synonym_rules
}

/// The stems of each page's title and each record's heading (with their compound parts and
/// synonyms), sorted: a posting says whether its word is there.
fn marks(records: &[Entry], layout: &Layout, counter: &Counter) -> Marks {
    let title = layout
        .pages
        .par_iter()
        .map(|range| {
            records
                .get(range.start)
                .map(|e| counter.stems_of(&e.record.title_words))
                .unwrap_or_default()
        })
        .collect();
    let heading = records
        .par_iter()
        .map(|e| counter.stems_of(&e.record.heading_words))
        .collect();
    Marks { title, heading }
}

/// Counts a record's stems.
struct Counter<'a> {
    /// The number a word got while pages were rendered -> its number in the lexicon.
    renumber: &'a [u32],
    synonym_words: HashSet<u32>,
    lexicon: &'a Lexicon,
    synonym_rules: &'a [(Vec<u32>, Vec<u32>)],
}

impl Counter<'_> {
    /// The stems that `words` (numbers from rendering) count for, sorted: their own, their parts',
    /// and those their synonyms add.
    fn stems_of(&self, words: &[u32]) -> Vec<u32> {
        let own: Vec<u32> = words
            .iter()
            .filter_map(|n| self.renumber.get(*n as usize).copied())
            .collect();
        let mut out: Vec<u32> = Vec::new();
        for word in &own {
            out.extend(self.lexicon.stem_of(*word));
            out.extend(
                self.lexicon
                    .derived
                    .get(*word as usize)
                    .into_iter()
                    .flatten(),
            );
        }
        for (needed, adds) in self.synonym_rules {
            if needed.iter().all(|w| own.contains(w)) {
                out.extend(adds);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// A record's stems with their weighted counts, into `tf`: each word's own stem, the stems of
    /// its parts, and those its synonyms add. Counts are summed in a scratch array indexed by stem
    /// (zero means "not yet in this record"), which is cheaper than sorting the hits of every
    /// record; the scratch vectors are reused from record to record.
    fn stem_counts(
        &self,
        entry: &Entry,
        sums: &mut [f32],
        present: &mut Vec<u32>,
        tf: &mut Vec<(u32, f32)>,
    ) {
        present.clear();
        tf.clear();
        let mut add = |stem: u32, weight: f32| {
            if let Some(sum) = sums.get_mut(stem as usize) {
                if *sum == 0.0 {
                    tf.push((stem, 0.0));
                }
                *sum += weight;
            }
        };
        for &(number, weight) in &entry.record.counts {
            let Some(&word) = self.renumber.get(number as usize) else {
                continue;
            };
            if self.synonym_words.contains(&word) {
                present.push(word);
            }
            if let Some(s) = self.lexicon.stem_of(word) {
                add(s, weight);
            }
            for d in self
                .lexicon
                .derived
                .get(word as usize)
                .into_iter()
                .flatten()
            {
                add(*d, weight * DERIVED_WEIGHT);
            }
        }
        for (needed, adds) in self.synonym_rules {
            if needed.iter().all(|w| present.contains(w)) {
                for s in adds {
                    add(*s, BODY_WEIGHT * DERIVED_WEIGHT);
                }
            }
        }
        for (stem, weight) in tf.iter_mut() {
            if let Some(sum) = sums.get_mut(*stem as usize) {
                *weight = std::mem::take(sum);
            }
        }
    }
}

/// BM25's record lengths, kept in one place for the scoring's many lookups.
struct Bm25 {
    lengths: Vec<f32>,
    average_length: f32,
    records: f32,
}

impl Bm25 {
    fn new(records: &[Entry]) -> Bm25 {
        let lengths: Vec<f32> = records.iter().map(|e| e.record.length).collect();
        let n = records.len().max(1) as f32;
        let average_length = (lengths.iter().sum::<f32>() / n).max(1.0);
        Bm25 {
            lengths,
            average_length,
            records: n,
        }
    }

    /// The length normalisation of a record.
    fn norm(&self, record: u32) -> f32 {
        let length = self
            .lengths
            .get(record as usize)
            .copied()
            .unwrap_or(self.average_length);
        K1 * (1.0 - B + B * length / self.average_length)
    }

    fn strength(&self, record: u32, tf: f32) -> f32 {
        tf * (K1 + 1.0) / (tf + self.norm(record))
    }
}

/// Postings per stem, built on both halves of the records at once. Each record's stem counts go
/// straight into them, and a stem keeps only its MAX_POSTINGS strongest records (BM25's idf is the
/// same for all of a stem's records, so the strongest are known before the count is).
fn count_postings(
    records: &[Entry],
    counter: &Counter,
    bm25: &Bm25,
    stem_count: usize,
) -> Vec<Postings> {
    let collect = |range: std::ops::Range<usize>| {
        let mut postings: Vec<Postings> = (0..stem_count).map(|_| Postings::default()).collect();
        let (mut sums, mut present, mut tf) = (vec![0.0; stem_count], Vec::new(), Vec::new());
        for (record, entry) in records
            .iter()
            .enumerate()
            .skip(range.start)
            .take(range.len())
        {
            counter.stem_counts(entry, &mut sums, &mut present, &mut tf);
            let record = u32::try_from(record).unwrap_or(u32::MAX);
            for (s, weight) in &tf {
                if let Some(list) = postings.get_mut(*s as usize) {
                    list.count = list.count.saturating_add(1);
                    list.keep(record, *weight, bm25.strength(record, *weight));
                }
            }
        }
        postings
    };
    let half = records.len() / 2;
    let (mut postings, second) = rayon::join(|| collect(0..half), || collect(half..records.len()));
    postings
        .par_iter_mut()
        .zip(second.into_par_iter())
        .for_each(|(list, more)| {
            list.count = list.count.saturating_add(more.count);
            list.best.extend(more.best);
            list.cut();
        });
    postings
}

/// Each stem's records with their BM25 scores in tenths, best first.
fn score(postings: Vec<Postings>, bm25: &Bm25) -> Vec<Vec<(u32, u32)>> {
    let n = bm25.records;
    postings
        .into_par_iter()
        .map(|list| {
            let df = list.count as f32;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            let mut scored: Vec<(u32, u32)> = list
                .best
                .into_iter()
                .map(|(_, id, tf)| {
                    let tf = f32::from_bits(tf);
                    let score = idf * tf * (K1 + 1.0) / (tf + bm25.norm(id));
                    (id, (score * 10.0).round().max(1.0) as u32)
                })
                .collect();
            scored.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            scored
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::files::push_json;

    fn page(url: &str, title: &str, html: &str, words: &Words) -> PageInput<'static> {
        PageInput {
            url: url.into(),
            title: title.into(),
            kind: "handreiking".into(),
            roles: vec!["doorverwijzer".into()],
            records: std::borrow::Cow::Owned(crate::search::record::records(
                title,
                "",
                &crate::search::extract::sections(html),
                words,
            )),
        }
    }

    fn index() -> BTreeMap<String, Vec<u8>> {
        let words = Words::default();
        let pages = [
            page(
                "/a/",
                "Doorverwijzer",
                "<main><h1>Doorverwijzer</h1><p>Hoe verwijst u door?</p><h2 id=\"tips\">Tips</h2><p>Doorverwijzen naar het KCC.</p></main>",
                &words,
            ),
            page(
                "/b/",
                "Belasting",
                "<main><h1>Belasting</h1><p>De gemeentebelasting en de gemeente.</p></main>",
                &words,
            ),
            page(
                "/c/",
                "Contact",
                "<main><h1>Contact</h1><p>Het klantcontactcentrum van de gemeente.</p></main>",
                &words,
            ),
        ];
        build_files(
            &pages,
            &words,
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
        let names: Vec<&str> = files.keys().map(|n| &n[DIR.len() + 1..]).collect();
        assert_eq!(
            names,
            [
                "d-0.js", "meta.js", "t-be.js", "t-co.js", "t-de.js", "t-do.js", "t-en.js",
                "t-ge.js", "t-he.js", "t-ho.js", "t-kc.js", "t-kl.js", "t-na.js", "t-ti.js",
                "t-va.js", "t-ve.js"
            ]
        );
        assert_eq!(
            file(&files, "meta.js"),
            format!(
                "window.HandreikingZoeken.meta({{\"chunks\":[\"be\",\"co\",\"de\",\"do\",\"en\",\"ge\",\"he\",\"ho\",\"kc\",\"kl\",\"na\",\"ti\",\"va\",\"ve\"],\
                 \"pages\":3,\"pagesPerFile\":16,\"records\":4,\"roles\":[],\"sectionBits\":1,\"stopWords\":{},\
                 \"synonyms\":[[\"kcc\",[\"klantcontactcentrum\"]]],\"types\":[],\"version\":2}});\n",
                serde_json::to_string(STOP_WORDS).unwrap()
            )
        );
        // Page a has two records (ids 0 and 1), b and c one each (ids 2 and 4): one bit for sections.
        assert_eq!(
            file(&files, "d-0.js"),
            "window.HandreikingZoeken.documenten(0,[\
             [\"a/\",\"Doorverwijzer\",\"handreiking\",[\"doorverwijzer\"],[[\"\",\"\",\"Doorverwijzer Hoe verwijst u door?\"],[\"tips\",\"Tips\",\"Doorverwijzen naar het KCC.\"]]],\
             [\"b/\",\"Belasting\",\"handreiking\",[\"doorverwijzer\"],[[\"\",\"\",\"Belasting De gemeentebelasting en de gemeente.\"]]],\
             [\"c/\",\"Contact\",\"handreiking\",[\"doorverwijzer\"],[[\"\",\"\",\"Contact Het klantcontactcentrum van de gemeente.\"]]]]);\n"
        );
        // Values are the score in tenths times four, plus 1 for a word in the page title (and 2 for
        // one in the heading). `doorverwijz` is the verb of the agent noun `doorverwijzer` and `door`
        // a part of it, so both count as title words of page a.
        assert_eq!(
            file(&files, "t-do.js"),
            "window.HandreikingZoeken.termen(\"do\",{\"w\":{\"door\":\"dor\",\"doorverwijz\":\"doorverwijz\",\"doorverwijzen\":\"doorverwijz\",\"doorverwijzer\":\"doorverwijzer\"},\
             \"p\":{\"doorverwijz\":[0,45,1,45],\"doorverwijzer\":[0,49,1,45],\"dor\":[0,49,1,41]}});\n"
        );
    }

    #[test]
    fn headings_are_flagged() {
        let words = Words::default();
        let pages = [page(
            "/a/",
            "Over",
            "<main><h1>Over</h1><p>Tekst.</p><h2 id=\"kcc\">KCC</h2><p>Het klantcontactcentrum.</p></main>",
            &words,
        )];
        let glossary = [("KCC".to_string(), "Klantcontactcentrum".to_string())];
        let files = build_files(&pages, &words, &glossary, &[], &[]);
        // The heading `KCC` also flags its synonym: the section is where the term is explained.
        assert_eq!(
            file(&files, "t-kc.js"),
            "window.HandreikingZoeken.termen(\"kc\",{\"w\":{\"kcc\":\"kcc\"},\"p\":{\"kcc\":[1,42]}});\n"
        );
        assert_eq!(
            file(&files, "t-kl.js"),
            "window.HandreikingZoeken.termen(\"kl\",{\"w\":{\"klantcontactcentrum\":\"klantcontactcentrum\"},\"p\":{\"klantcontactcentrum\":[1,34]}});\n"
        );
    }

    #[test]
    fn json_strings_are_escaped_for_script_files() {
        let mut out = String::new();
        push_json(&mut out, "a \"b\" \\ </script>\n\u{2028}\u{1}");
        assert_eq!(out, "\"a \\\"b\\\" \\\\ \\u003c/script>\\n\\u2028\\u0001\"");
        let parsed: String = serde_json::from_str(&out).unwrap();
        assert_eq!(parsed, "a \"b\" \\ </script>\n\u{2028}\u{1}");
    }

    #[test]
    fn compound_parts_and_synonyms_are_indexed() {
        let files = index();
        // `belasting` is a word of its own chunk and points at the record with `gemeentebelasting`.
        assert_eq!(
            file(&files, "t-be.js"),
            "window.HandreikingZoeken.termen(\"be\",{\"w\":{\"belasting\":\"belast\"},\"p\":{\"belast\":[2,85]}});\n"
        );
        // KCC <-> klantcontactcentrum both ways: record 1 says KCC, record 4 klantcontactcentrum.
        assert_eq!(
            file(&files, "t-kc.js"),
            "window.HandreikingZoeken.termen(\"kc\",{\"w\":{\"kcc\":\"kcc\"},\"p\":{\"kcc\":[1,28,4,20]}});\n"
        );
        assert_eq!(
            file(&files, "t-kl.js"),
            "window.HandreikingZoeken.termen(\"kl\",{\"w\":{\"klantcontactcentrum\":\"klantcontactcentrum\"},\"p\":{\"klantcontactcentrum\":[4,28,1,20]}});\n"
        );
    }
}
