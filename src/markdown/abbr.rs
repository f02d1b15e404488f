//! `<abbr title>` on the first use of each abbreviation on a page.

use crate::escape;
use pulldown_cmark::{CowStr, Event};
use std::collections::HashMap;

pub(super) struct AbbreviationShape {
    longest: usize,
    first_chars: Vec<char>,
    /// The first bytes of the abbreviations that start with a letter or digit (a word never
    /// starts otherwise): only where one of these stands can an abbreviation start.
    first_bytes: [bool; 256],
}

impl AbbreviationShape {
    pub(super) fn of(abbreviations: &HashMap<String, String>) -> AbbreviationShape {
        let mut first_chars: Vec<char> = abbreviations
            .keys()
            .filter_map(|k| k.chars().next())
            .collect();
        first_chars.sort_unstable();
        first_chars.dedup();
        let mut first_bytes = [false; 256];
        for c in first_chars.iter().filter(|c| c.is_alphanumeric()) {
            let mut utf8 = [0u8; 4];
            if let Some(byte) = c.encode_utf8(&mut utf8).as_bytes().first()
                && let Some(slot) = first_bytes.get_mut(usize::from(*byte))
            {
                *slot = true;
            }
        }
        AbbreviationShape {
            longest: abbreviations.keys().map(String::len).max().unwrap_or(0),
            first_chars,
            first_bytes,
        }
    }

    fn may_be(&self, word: &str) -> bool {
        word.len() <= self.longest
            && word
                .chars()
                .next()
                .is_some_and(|c| self.first_chars.binary_search(&c).is_ok())
    }

    /// The words of `text` that start with one of `first_bytes`, with where each starts. The
    /// same words as `words_in` finds: letters and digits, with hyphens inside (`AOW-leeftijd`),
    /// a trailing hyphen left off. Only candidate bytes are looked at closely: this runs over
    /// every text of every page, and most words cannot be an abbreviation.
    fn candidates<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, &'t str)> + 't {
        text.bytes()
            .enumerate()
            .filter(|(_, byte)| {
                self.first_bytes
                    .get(usize::from(*byte))
                    .copied()
                    .unwrap_or(false)
            })
            .filter_map(move |(start, _)| {
                // Inside a word when a letter or digit stands before, hyphens between allowed.
                let before = text.get(..start)?.trim_end_matches('-');
                if before
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
                {
                    return None;
                }
                let rest = text.get(start..)?;
                let end = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '-'))
                    .unwrap_or(rest.len());
                let word = rest.get(..end)?.trim_end_matches('-');
                (!word.is_empty()).then_some((start, word))
            })
    }
}

/// The words of `text` with where each starts: letters and digits, with hyphens inside
/// (`AOW-leeftijd`), a trailing hyphen left off. The reference for `AbbreviationShape::candidates`.
#[cfg(test)]
fn words_in(text: &str) -> impl Iterator<Item = (usize, &str)> {
    // Whether a word character starts at `at` (a hyphen counts inside a word), and its length.
    let class = move |at: usize, in_word: bool| -> Option<(bool, usize)> {
        let c = text.get(at..)?.chars().next()?;
        Some((c.is_alphanumeric() || in_word && c == '-', c.len_utf8()))
    };
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        loop {
            let (word, len) = class(pos, false)?;
            if word {
                break;
            }
            pos = pos.saturating_add(len);
        }
        let start = pos;
        while let Some((true, len)) = class(pos, true) {
            pos = pos.saturating_add(len);
        }
        Some((start, text.get(start..pos)?.trim_end_matches('-')))
    })
}

/// Whether `before` ends with the meaning and an opening bracket: `… Bibliotheek (`.
fn written_out_before(before: &str, meaning: &str) -> bool {
    before
        .strip_suffix('(')
        .map(str::trim_end)
        .is_some_and(|b| b.to_lowercase().ends_with(&meaning.to_lowercase()))
}

/// The first use of each abbreviation on a page gets `<abbr title>`; later uses stay plain text.
pub(super) fn mark_abbreviations<'a>(
    event_text: &CowStr<'a>,
    abbreviations: &HashMap<String, String>,
    shape: &AbbreviationShape,
    seen: &mut std::collections::HashSet<String>,
    events: &mut Vec<Event<'a>>,
) {
    // Dereferenced once: a `CowStr` decides its kind on every access.
    let text: &str = event_text;
    let mut last = 0usize;
    let mut marked = false;
    // Once every abbreviation has had its first use, the rest of the page stays as it is.
    let candidates = (seen.len() < abbreviations.len())
        .then(|| shape.candidates(text))
        .into_iter()
        .flatten();
    for (start, word) in candidates {
        if !shape.may_be(word) || seen.contains(word) {
            continue;
        }
        if let Some(meaning) = abbreviations.get(word) {
            seen.insert(word.to_string());
            // "Koninklijke Bibliotheek (KB)": written out already; an <abbr> would say it twice
            // (and print would show "KB (Koninklijke Bibliotheek)" inside the brackets).
            if written_out_before(text.get(..start).unwrap_or(""), meaning) {
                continue;
            }
            if start > last {
                events.push(Event::Text(CowStr::from(
                    text.get(last..start).unwrap_or("").to_string(),
                )));
            }
            events.push(Event::Html(CowStr::from(format!(
                "<abbr title=\"{}\">{}</abbr>",
                escape::html(meaning),
                escape::html(word)
            ))));
            last = start.saturating_add(word.len());
            marked = true;
        }
    }
    if !marked {
        // The common case: the text stays as the parser gave it, without a copy.
        events.push(Event::Text(event_text.clone()));
    } else if last < text.len() {
        events.push(Event::Text(CowStr::from(
            text.get(last..).unwrap_or("").to_string(),
        )));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_abbreviation_after_its_meaning_is_not_marked() {
        assert!(written_out_before(
            "de Koninklijke Bibliotheek (",
            "Koninklijke Bibliotheek"
        ));
        assert!(written_out_before(
            "Koninklijke bibliotheek  (",
            "Koninklijke Bibliotheek"
        ));
        assert!(!written_out_before(
            "de bibliotheek (",
            "Koninklijke Bibliotheek"
        ));
        assert!(!written_out_before(
            "Koninklijke Bibliotheek, ",
            "Koninklijke Bibliotheek"
        ));
    }

    #[test]
    fn finds_words_with_inner_hyphens() {
        let words: Vec<(usize, &str)> = words_in("De AOW-leeftijd, café- en KCC-").collect();
        assert_eq!(
            words,
            [
                (0, "De"),
                (3, "AOW-leeftijd"),
                (17, "café"),
                (24, "en"),
                (27, "KCC")
            ]
        );
        assert_eq!(words_in("").count(), 0);
        assert_eq!(words_in(" - , ").count(), 0);
    }

    #[test]
    fn abbreviation_candidates_are_the_words_that_may_start_one() {
        let abbreviations: HashMap<String, String> = ["KCC", "AOW", "Één", "e-ID", "-X", "1G"]
            .into_iter()
            .map(|k| (k.to_string(), String::new()))
            .collect();
        let shape = AbbreviationShape::of(&abbreviations);
        for text in [
            "De AOW-leeftijd, café- en KCC-",
            "xKCC KCC-x x-KCC x--KCC --KCC - KCC -KCC",
            "éKCC é-KCC «KCC» KCC’s KCC1 1G 11G",
            "Één ééN Èén e-ID ee-ID -X X",
            "",
            "K",
            "KCC",
        ] {
            let expected: Vec<(usize, &str)> = words_in(text)
                .filter(|(_, w)| {
                    w.bytes()
                        .next()
                        .is_some_and(|b| shape.first_bytes[usize::from(b)])
                })
                .collect();
            assert_eq!(
                shape.candidates(text).collect::<Vec<_>>(),
                expected,
                "{text:?}"
            );
        }
    }
}
