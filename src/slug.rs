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
        let mut n = 1usize;
        loop {
            let candidate = format!("{base}-{n}");
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
            n = n.saturating_add(1);
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
    }
}
