//! A page's heading sections turned into search records as soon as the page is rendered: words
//! counted by number, and the section's text kept up to TEXT_CHARS (the client makes its excerpts
//! around the matched words from it, and checks phrases in it).

use crate::markdown::TextSection as Section;
use crate::search::text::{is_stop_word, normalise, tokens};
use rustc_hash::{FxHashMap as HashMap, FxHasher};
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

/// Characters of a section's text kept for the client: whole sections on most sites (the shipped
/// site's longest is 1,800), and a bound on the memory and index size of very long ones.
pub const TEXT_CHARS: usize = 2000;
const TITLE_WEIGHT: f32 = 3.0;
const HEADING_WEIGHT: f32 = 2.0;
const BODY_WEIGHT: f32 = 1.0;
const SHARDS: usize = 32;

/// One heading section of a page, ready for the index.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Record {
    /// The heading's id; empty for the text above the first heading.
    pub anchor: String,
    pub heading: String,
    /// The section's text, at most TEXT_CHARS characters.
    pub text: String,
    /// (word number in `Words`, field-weighted count), in the order the words first occur.
    pub counts: Vec<(u32, f32)>,
    /// Word numbers of the page title and of the heading, without stop words: the client ranks a
    /// match there first.
    pub title_words: Box<[u32]>,
    pub heading_words: Box<[u32]>,
    /// The record's field-weighted length in words, for BM25.
    pub length: f32,
}

/// The normalised words of a site, numbered as pages meet them on any thread. Numbers depend on
/// thread timing; the index renumbers the words in sorted order, so its output does not.
pub struct Words {
    /// Split by the word's hash, so that threads numbering words rarely wait for each other.
    shards: Vec<Mutex<HashMap<Box<str>, u32>>>,
    next: AtomicU32,
}

impl Default for Words {
    fn default() -> Words {
        Words {
            shards: (0..SHARDS)
                .map(|_| Mutex::new(HashMap::default()))
                .collect(),
            next: AtomicU32::new(0),
        }
    }
}

impl Words {
    pub fn shared() -> Arc<Words> {
        Arc::new(Words::default())
    }

    /// The number of `word`, given it one if it has none yet.
    pub fn number(&self, word: &str) -> u32 {
        let mut hasher = FxHasher::default();
        word.hash(&mut hasher);
        let shard =
            usize::try_from(hasher.finish().checked_rem(SHARDS as u64).unwrap_or(0)).unwrap_or(0);
        match self.shards.get(shard).map(|s| s.lock()) {
            Some(Ok(mut map)) => match map.get(word) {
                Some(id) => *id,
                None => {
                    let id = self.next.fetch_add(1, Ordering::Relaxed);
                    map.insert(word.into(), id);
                    id
                }
            },
            // A poisoned lock means another thread panicked; the build is failing anyway.
            _ => u32::MAX,
        }
    }

    /// How many words have a number: numbers run from 0 to this.
    pub fn len(&self) -> usize {
        self.next.load(Ordering::Relaxed) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every word with its number.
    pub fn all(&self) -> Vec<(String, u32)> {
        let mut out = Vec::with_capacity(self.len());
        for shard in &self.shards {
            if let Ok(map) = shard.lock() {
                out.extend(map.iter().map(|(w, id)| (w.to_string(), *id)));
            }
        }
        out
    }
}

/// A page's words, numbered by the page while its records are counted: one lookup per token and
/// counts in a plain array; the site's table is asked once per distinct word at the end.
struct Local<'t> {
    ids: HashMap<&'t str, u32>,
    words: Vec<&'t str>,
    weights: Vec<f32>,
    touched: Vec<u32>,
}

impl<'t> Local<'t> {
    fn new() -> Local<'t> {
        // Sized for a typical page's distinct words, so that they rarely grow.
        Local {
            ids: HashMap::with_capacity_and_hasher(512, Default::default()),
            words: Vec::with_capacity(512),
            weights: Vec::with_capacity(512),
            touched: Vec::new(),
        }
    }

    fn id(&mut self, token: &'t str) -> u32 {
        *self.ids.entry(token).or_insert_with(|| {
            self.words.push(token);
            self.weights.push(0.0);
            u32::try_from(self.words.len().saturating_sub(1)).unwrap_or(u32::MAX)
        })
    }

    fn count(&mut self, token: &'t str, weight: f32) {
        let id = self.id(token);
        if let Some(slot) = self.weights.get_mut(id as usize) {
            // Every weight is above zero, so zero means "not yet in this record".
            if *slot == 0.0 {
                self.touched.push(id);
            }
            *slot += weight;
        }
    }

    /// The counts of the record just counted, in the order its words first occurred.
    fn take(&mut self) -> Vec<(u32, f32)> {
        let weights = &mut self.weights;
        self.touched
            .drain(..)
            .map(|id| (id, weights.get_mut(id as usize).map_or(0.0, std::mem::take)))
            .collect()
    }

    /// The distinct words of a field that are not stop words, as page numbers.
    fn content_words(&mut self, field: &'t str) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        for token in tokens(field).filter(|t| !is_stop_word(t)) {
            let id = self.id(token);
            if !out.contains(&id) {
                out.push(id);
            }
        }
        out
    }
}

/// A record as counted: (page word number, count), its weighted length, its heading's words.
type Counted = (Vec<(u32, f32)>, f32, Vec<u32>);

/// The first `max` characters of `text`.
fn first_chars(text: &str, max: usize) -> &str {
    // Bytes are characters where the start of the text is ASCII.
    if text.as_bytes().get(..max).is_some_and(<[u8]>::is_ascii) {
        return text.get(..max).unwrap_or(text);
    }
    let cut = text
        .char_indices()
        .nth(max)
        .map_or(text.len(), |(at, _)| at);
    text.get(..cut).unwrap_or(text)
}

/// The records of a page: one per section that has a heading or text. `lead` (the page's
/// description) leads the first section.
pub fn records(title: &str, lead: &str, sections: &[Section], words: &Words) -> Vec<Record> {
    let title = normalise(title);
    // (section, its text with the lead, normalised heading, normalised text)
    let fields: Vec<(&Section, std::borrow::Cow<str>, String, String)> = sections
        .iter()
        .enumerate()
        .filter_map(|(i, section)| {
            let lead = if i == 0 { lead } else { "" };
            if section.text.is_empty() && section.heading.is_empty() && lead.is_empty() {
                return None;
            }
            let text = if lead.is_empty() {
                std::borrow::Cow::Borrowed(section.text.as_str())
            } else {
                std::borrow::Cow::Owned(format!("{lead} {}", section.text))
            };
            let heading = normalise(&section.heading);
            let body = normalise(&text);
            Some((section, text, heading, body))
        })
        .collect();
    let mut local = Local::new();
    let title_words = local.content_words(&title);
    let mut counted: Vec<Counted> = Vec::with_capacity(fields.len());
    for (_, _, heading, body) in &fields {
        let mut length = 0.0;
        for (field, weight) in [
            (title.as_str(), TITLE_WEIGHT),
            (heading.as_str(), HEADING_WEIGHT),
            (body.as_str(), BODY_WEIGHT),
        ] {
            for token in tokens(field) {
                length += weight;
                local.count(token, weight);
            }
        }
        let heading_words = local.content_words(heading);
        counted.push((local.take(), length, heading_words));
    }
    let numbers: Vec<u32> = local.words.iter().map(|w| words.number(w)).collect();
    // The page's numbers -> the site's.
    let site = |id: u32| numbers.get(id as usize).copied().unwrap_or(u32::MAX);
    let title_words: Box<[u32]> = title_words.iter().map(|id| site(*id)).collect();
    fields
        .iter()
        .zip(counted)
        .map(
            |((section, text, _, _), (mut counts, length, heading_words))| {
                for (id, _) in &mut counts {
                    *id = site(*id);
                }
                Record {
                    anchor: section.anchor.clone(),
                    heading: section.heading.clone(),
                    text: first_chars(text, TEXT_CHARS).to_string(),
                    counts,
                    title_words: title_words.clone(),
                    heading_words: heading_words.iter().map(|id| site(*id)).collect(),
                    length,
                }
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(anchor: &str, heading: &str, text: &str) -> Section {
        Section {
            anchor: anchor.into(),
            heading: heading.into(),
            text: text.into(),
        }
    }

    #[test]
    fn counts_title_heading_and_body_with_their_weights() {
        let words = Words::default();
        let records = records(
            "Enquête",
            "Over de enquête.",
            &[
                section("", "", ""),
                section("aanpak", "Aanpak", "De enquête en de aanpak."),
                section("leeg", "", ""),
            ],
            &words,
        );
        let named = |r: &Record| -> Vec<(String, f32)> {
            let all: HashMap<u32, String> =
                words.all().into_iter().map(|(w, id)| (id, w)).collect();
            r.counts
                .iter()
                .map(|(id, c)| (all.get(id).cloned().unwrap_or_default(), *c))
                .collect()
        };
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].anchor, "");
        assert_eq!(records[0].text, "Over de enquête. ");
        let word = |w: &str| words.number(w);
        assert_eq!(*records[0].title_words, [word("enquete")]);
        assert_eq!(*records[0].heading_words, [0u32; 0]);
        assert_eq!(*records[1].heading_words, [word("aanpak")]);
        assert_eq!(
            named(&records[0]),
            [
                ("enquete".into(), 4.0),
                ("over".into(), 1.0),
                ("de".into(), 1.0)
            ]
        );
        assert_eq!(records[0].length, 6.0);
        assert_eq!(records[1].heading, "Aanpak");
        assert_eq!(
            named(&records[1]),
            [
                ("enquete".into(), 4.0),
                ("aanpak".into(), 3.0),
                ("de".into(), 2.0),
                ("en".into(), 1.0)
            ]
        );
        assert_eq!(records[1].length, 10.0);
    }

    #[test]
    fn texts_stop_after_2000_characters() {
        let words = Words::default();
        let text = "é".repeat(2500);
        let accented = records("T", "", &[section("", "", &text)], &words);
        assert_eq!(accented[0].text.chars().count(), TEXT_CHARS);
        let ascii = "a".repeat(2500);
        let plain = records("T", "", &[section("", "", &ascii)], &words);
        assert_eq!(plain[0].text.len(), TEXT_CHARS);
    }

    #[test]
    fn a_word_keeps_its_number_across_threads() {
        let words = Words::shared();
        let first = words.number("gemeente");
        let other = {
            let words = words.clone();
            std::thread::spawn(move || words.number("gemeente"))
                .join()
                .unwrap()
        };
        assert_eq!(first, other);
        assert_eq!(words.number("ido"), 1);
        assert_eq!(words.len(), 2);
    }
}
