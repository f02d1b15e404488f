//! Fenced code to HTML with CSS classes (`hl-…`), never inline styles, so a strict CSP holds.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Highlighting is slow (syntect's grammars are many regular expressions) and sites repeat their
/// snippets (front matter examples, commands), so results are kept: the same code in the same
/// language is highlighted once per process.
type Memo = Mutex<HashMap<(String, String), Option<String>>>;
const MEMO_ENTRIES: usize = 4096;
const MEMO_CODE_BYTES: usize = 4096;

fn memo() -> &'static Memo {
    static MEMO: OnceLock<Memo> = OnceLock::new();
    MEMO.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Highlighted inner HTML of a code block, or `None` when the language is unknown.
pub fn highlight(code: &str, language: &str) -> Option<String> {
    let language = language.split([' ', ',', '{']).next().unwrap_or("").trim();
    if language.is_empty() {
        return None;
    }
    if code.len() > MEMO_CODE_BYTES {
        return highlight_uncached(code, language);
    }
    let key = (language.to_string(), code.to_string());
    if let Some(found) = memo().lock().ok().and_then(|m| m.get(&key).cloned()) {
        return found;
    }
    let html = highlight_uncached(code, language);
    if let Ok(mut m) = memo().lock()
        && m.len() < MEMO_ENTRIES
    {
        m.insert(key, html.clone());
    }
    html
}

fn highlight_uncached(code: &str, language: &str) -> Option<String> {
    let set = syntaxes();
    let syntax = set
        .find_syntax_by_token(language)
        .or_else(|| set.find_syntax_by_extension(language))?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(
        syntax,
        set,
        ClassStyle::SpacedPrefixed { prefix: "hl-" },
    );
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uses_classes_not_styles() {
        let html = highlight("fn main() {}\n", "rust").unwrap();
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
        assert_eq!(highlight("x", "geen-taal"), None);
    }
}
