//! The Dutch text pipeline of the search index: normalising, tokens, stems, compound parts, synonyms.

use rust_stemmers::{Algorithm, Stemmer};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lowercase, diacritics folded, decomposed input recomposed: `Enquête` -> `enquete`. The client does
/// the same. ASCII (most of any Dutch text) takes a fast path.
pub fn normalise(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    // ASCII runs are copied and lowercased whole; only the other characters are decomposed.
    while !rest.is_empty() {
        let ascii = rest.bytes().take_while(u8::is_ascii).count();
        let (run, after) = rest.split_at_checked(ascii).unwrap_or((rest, ""));
        let from = out.len();
        out.push_str(run);
        if let Some(added) = out.get_mut(from..) {
            added.make_ascii_lowercase();
        }
        let mut chars = after.chars();
        if let Some(c) = chars.next() {
            for d in std::iter::once(c).nfd().filter(|d| !is_combining_mark(*d)) {
                out.extend(d.to_lowercase());
            }
        }
        rest = chars.as_str();
    }
    out
}

/// Tokens of an already normalised text: runs of letters and digits of two or more characters.
pub fn tokens(normalised: &str) -> impl Iterator<Item = &str> {
    normalised
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 2 && w.chars().nth(1).is_some())
}

/// Normalised words of two or more characters, split on everything that is not a letter or digit.
pub fn words(text: &str) -> Vec<String> {
    tokens(&normalise(text)).map(str::to_string).collect()
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::Dutch))
}

/// Snowball Dutch stem of a normalised word: `gemeenten` and `gemeente` -> `gemeent`.
pub fn stem(word: &str) -> String {
    if word.chars().any(|c| c.is_ascii_digit()) {
        return word.to_string();
    }
    stemmer().stem(word).into_owned()
}

/// Dutch function words: the Snowball stop word list for Dutch, with the question words readers type
/// (`welke`, `waar`, `waarom`, `wanneer`). The client gives them no weight and does not prefix-match
/// them, unless a query has nothing else; the list reaches it through meta.js, so both sides agree.
/// Sorted, for `is_stop_word`.
pub const STOP_WORDS: &[&str] = &[
    "aan", "al", "alles", "als", "altijd", "andere", "ben", "bij", "daar", "dan", "dat", "de",
    "der", "deze", "die", "dit", "doch", "doen", "door", "dus", "een", "eens", "en", "er", "ge",
    "geen", "geweest", "haar", "had", "heb", "hebben", "heeft", "hem", "het", "hier", "hij", "hoe",
    "hun", "iemand", "iets", "ik", "in", "is", "ja", "je", "kan", "kon", "kunnen", "maar", "me",
    "meer", "men", "met", "mij", "mijn", "moet", "na", "naar", "niet", "niets", "nog", "nu", "of",
    "om", "omdat", "onder", "ons", "ook", "op", "over", "reeds", "te", "tegen", "toch", "toen",
    "tot", "u", "uit", "uw", "van", "veel", "voor", "waar", "waarom", "wanneer", "want", "waren",
    "was", "wat", "we", "welk", "welke", "werd", "wezen", "wie", "wij", "wil", "worden", "wordt",
    "zal", "ze", "zelf", "zich", "zij", "zijn", "zo", "zonder", "zou",
];

/// Whether a normalised word is a stop word.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

const MIN_PART: usize = 4;

/// Longer words are not split: Dutch compounds readers search the parts of are far shorter, and
/// splitting costs time and memory that grow with the square of a word's length (a pasted 1 MB
/// "word" would never finish).
const MAX_COMPOUND_CHARS: usize = 64;

/// Parts of a compound that readers search for on their own, found with the site's own vocabulary:
/// `gemeentebelasting` -> `gemeente`, `belasting` (because `gemeente` is a word on the site),
/// `overheidsdienstverlening` -> `overheid`, `dienstverlening`, `dienst`, `verlening`.
pub fn compound_parts(word: &str, vocabulary: &HashSet<String>) -> Vec<String> {
    let mut parts = Vec::new();
    if word.chars().nth(MAX_COMPOUND_CHARS).is_some() {
        return parts;
    }
    split_into(word, vocabulary, &mut parts, 0);
    parts.sort();
    parts.dedup();
    parts.retain(|p| p != word);
    parts
}

fn split_into(word: &str, vocabulary: &HashSet<String>, parts: &mut Vec<String>, depth: usize) {
    let chars: Vec<char> = word.chars().collect();
    if depth > 3 || chars.len() < 2 * MIN_PART {
        return;
    }
    for i in MIN_PART..=chars.len().saturating_sub(MIN_PART) {
        let head: String = chars.get(..i).unwrap_or(&[]).iter().collect();
        if !vocabulary.contains(&head) {
            continue;
        }
        let tail: String = chars.get(i..).unwrap_or(&[]).iter().collect();
        // A linking `s` (overheid-s-dienst) belongs to neither part.
        let rest = match tail.strip_prefix('s') {
            Some(stripped)
                if !vocabulary.contains(&tail) && stripped.chars().count() >= MIN_PART =>
            {
                stripped.to_string()
            }
            _ => tail,
        };
        if !parts.contains(&head) {
            parts.push(head);
        }
        if !parts.contains(&rest) {
            parts.push(rest.clone());
            split_into(&rest, vocabulary, parts, depth.saturating_add(1));
        }
    }
}

/// Snowball keeps the agent noun apart from its verb (`doorverwijzer` vs `doorverwijz`); readers do
/// not, so a long `-er` word also counts for the verb's stem.
pub fn agent_noun_base(word: &str) -> Option<String> {
    let base = word.strip_suffix("er")?;
    (base.chars().count() >= 6).then(|| base.to_string())
}

/// Glossary synonyms both ways: a record with `kcc` also gets `klantcontactcentrum`, and a record with
/// all words of `specifieke uitkering` also gets `spuk`.
pub struct Synonyms {
    /// abbreviation word -> the words of its meaning
    expand: HashMap<String, Vec<String>>,
    /// (words of a meaning, abbreviation word)
    contract: Vec<(Vec<String>, String)>,
}

impl Synonyms {
    pub fn new(glossary: &[(String, String)]) -> Synonyms {
        let mut expand = HashMap::new();
        let mut contract = Vec::new();
        for (short, long) in glossary {
            let short_words = words(short);
            let long_words = words(long);
            if let ([short], false) = (short_words.as_slice(), long_words.is_empty()) {
                expand.insert(short.clone(), long_words.clone());
                contract.push((long_words, short.clone()));
            }
        }
        Synonyms { expand, contract }
    }

    /// Every (abbreviation word, words of its meaning).
    pub fn pairs(&self) -> impl Iterator<Item = (&String, &Vec<String>)> {
        self.contract.iter().map(|(long, short)| (short, long))
    }

    /// Extra words for a record whose words are `present`.
    pub fn extra_words(&self, present: &HashSet<&str>) -> Vec<String> {
        let mut out = Vec::new();
        for word in present {
            if let Some(long) = self.expand.get(*word) {
                out.extend(long.iter().cloned());
            }
        }
        for (long, short) in &self.contract {
            if long.iter().all(|w| present.contains(w.as_str())) {
                out.push(short.clone());
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_diacritics() {
        assert_eq!(normalise("Enquête"), "enquete");
        assert_eq!(normalise("CAFÉ"), "cafe");
        assert_eq!(normalise("e\u{301}"), "e");
        assert_eq!(
            words("Hoe verwijs ik door? IDO’s, 682 IDO's!"),
            ["hoe", "verwijs", "ik", "door", "ido", "682", "ido"]
        );
    }

    #[test]
    fn stems_dutch() {
        assert_eq!(stem("gemeente"), "gemeent");
        assert_eq!(stem("gemeenten"), "gemeent");
        assert_eq!(stem("doorverwijzen"), stem("doorverwijzing"));
        assert_eq!(stem("doorverwijzen"), "doorverwijz");
        assert_eq!(stem("bibliotheken"), stem("bibliotheek"));
        assert_eq!(stem("2023"), "2023");
    }

    #[test]
    fn splits_compounds_with_the_vocabulary() {
        let vocabulary: HashSet<String> = ["gemeente", "overheid", "dienst", "verlening"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            compound_parts("gemeentebelasting", &vocabulary),
            ["belasting", "gemeente"]
        );
        assert_eq!(
            compound_parts("overheidsdienstverlening", &vocabulary),
            ["dienst", "dienstverlening", "overheid", "verlening"]
        );
        assert_eq!(
            compound_parts("gemeente", &vocabulary),
            Vec::<String>::new()
        );
    }

    #[test]
    fn splits_words_up_to_64_characters_only() {
        let vocabulary: HashSet<String> = ["gemeente"].iter().map(|s| s.to_string()).collect();
        let times = |n: usize| "gemeente".repeat(n);
        // 64 characters: split as before, four levels deep.
        assert_eq!(
            compound_parts(&times(8), &vocabulary),
            [times(1), times(4), times(5), times(6), times(7)]
        );
        assert_eq!(
            compound_parts(&format!("{}n", times(8)), &vocabulary),
            Vec::<String>::new()
        );
        assert_eq!(
            compound_parts(&"a".repeat(1_000_000), &vocabulary),
            Vec::<String>::new()
        );
    }

    #[test]
    fn agent_nouns_meet_their_verbs() {
        let base = agent_noun_base("doorverwijzer").unwrap();
        assert_eq!(stem(&base), stem("doorverwijzen"));
        assert_eq!(agent_noun_base("over"), None);
        assert_eq!(agent_noun_base("gemeente"), None);
    }

    #[test]
    fn stop_words_are_sorted_and_found() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, STOP_WORDS);
        let found: Vec<&str> = ["de", "hoe", "welke", "gemeente", "ido", "doorverwijzen"]
            .into_iter()
            .filter(|w| is_stop_word(w))
            .collect();
        assert_eq!(found, ["de", "hoe", "welke"]);
    }

    #[test]
    fn glossary_synonyms_work_both_ways() {
        let synonyms = Synonyms::new(&[
            ("KCC".into(), "Klantcontactcentrum".into()),
            ("SPUK".into(), "Specifieke uitkering".into()),
        ]);
        let with_kcc: HashSet<&str> = ["het", "kcc"].into_iter().collect();
        assert_eq!(synonyms.extra_words(&with_kcc), ["klantcontactcentrum"]);
        let with_long: HashSet<&str> = ["klantcontactcentrum", "specifieke", "uitkering"]
            .into_iter()
            .collect();
        assert_eq!(synonyms.extra_words(&with_long), ["kcc", "spuk"]);
    }
}
