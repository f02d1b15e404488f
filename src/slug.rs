//! Stable ids and URL parts from Dutch text: "Enquête & respons" -> `enquete-respons`.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lowercase, diacritics folded, every run of other characters one `-`, no `-` at either end.
pub fn slugify(text: &str) -> String {
    let mut slug = Slug {
        out: String::with_capacity(text.len()),
        pending_dash: false,
    };
    if text.is_ascii() {
        // The same rules without decomposing: every heading's id goes through here.
        for c in text.chars() {
            if c.is_ascii_alphanumeric() {
                slug.start_piece().push(c.to_ascii_lowercase());
            } else {
                slug.pending_dash = true;
            }
        }
        return slug.out;
    }
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        if let Some(replacement) = fold_letter(c) {
            slug.start_piece().push_str(replacement);
        } else if c.is_alphanumeric() {
            slug.start_piece().extend(c.to_lowercase());
        } else {
            slug.pending_dash = true;
        }
    }
    slug.out
}

/// A slug being written: a `-` is owed between pieces, never at the start.
struct Slug {
    out: String,
    pending_dash: bool,
}

impl Slug {
    /// Writes an owed `-` and returns the output for the next piece.
    fn start_piece(&mut self) -> &mut String {
        if self.pending_dash && !self.out.is_empty() {
            self.out.push('-');
        }
        self.pending_dash = false;
        &mut self.out
    }
}

/// Letters that NFD does not decompose but readers type without the mark.
fn fold_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' | 'Æ' => "ae",
        'ø' | 'Ø' => "o",
        'œ' | 'Œ' => "oe",
        'ł' | 'Ł' => "l",
        'đ' | 'Đ' => "d",
        'ĳ' | 'Ĳ' => "ij",
        _ => return None,
    })
}

/// Gives each heading a unique id on its page: the second "Tips" becomes `tips-1`.
#[derive(Default)]
pub struct IdAllocator {
    used: std::collections::HashSet<String>,
    /// Per base, the suffix to try next: a page with 20,000 headings "a" tries each suffix once
    /// instead of counting up from 1 for every heading.
    next: std::collections::HashMap<String, usize>,
}

impl IdAllocator {
    pub fn reserve(&mut self, id: &str) {
        self.used.insert(id.to_string());
    }

    pub fn unique(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "kop" } else { base };
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        let mut n = self.next.get(base).copied().unwrap_or(1);
        loop {
            let candidate = format!("{base}-{n}");
            n = n.saturating_add(1);
            if self.used.insert(candidate.clone()) {
                self.next.insert(base.to_string(), n);
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_dutch_diacritics() {
        assert_eq!(slugify("Enquête & respons"), "enquete-respons");
        assert_eq!(slugify("Financiën en België"), "financien-en-belgie");
        assert_eq!(slugify("  Wat is een IDO?  "), "wat-is-een-ido");
        assert_eq!(slugify("Café – 50% ‘korting’"), "cafe-50-korting");
        assert_eq!(slugify("Straße"), "strasse");
    }

    #[test]
    fn numbers_duplicates() {
        let mut ids = IdAllocator::default();
        assert_eq!(ids.unique("tips"), "tips");
        assert_eq!(ids.unique("tips"), "tips-1");
        assert_eq!(ids.unique("tips"), "tips-2");
        assert_eq!(ids.unique(""), "kop");
        // A written id in between is skipped, and numbering goes on after it.
        ids.reserve("tips-3");
        assert_eq!(ids.unique("tips"), "tips-4");
        assert_eq!(ids.unique("tips-1"), "tips-1-1");
        assert_eq!(ids.unique("tips"), "tips-5");
    }

    #[test]
    fn many_duplicates_take_linear_time() {
        let mut ids = IdAllocator::default();
        let all: Vec<String> = (0..20_000).map(|_| ids.unique("a")).collect();
        assert_eq!(all.first().map(String::as_str), Some("a"));
        assert_eq!(all.get(1).map(String::as_str), Some("a-1"));
        assert_eq!(all.last().map(String::as_str), Some("a-19999"));
        // Each suffix was tried once: the next one is the count so far.
        assert_eq!(ids.next.get("a"), Some(&20_000));
    }
}
