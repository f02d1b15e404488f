//! The page's plain text while it is rendered: sections split at `##`/`###` headings (for search
//! and anything else that reads text) and the word count for the reading time.

use pulldown_cmark::Event;

/// Part of a page: the text under one heading (the first has no heading and no anchor).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct TextSection {
    pub anchor: String,
    pub heading: String,
    pub text: String,
}

/// Appends text to the section being collected for search.
pub(super) fn append(sections: &mut [TextSection], text: &str) {
    if let Some(section) = sections.last_mut() {
        section.text.push_str(text);
    }
}

/// `text.split_whitespace().count()`, on bytes when the text can hold no whitespace outside ASCII
/// (nearly all text): a word starts wherever a non-space byte follows a space or the start. Written
/// so that the compiler vectorises it: ten times faster than `split_whitespace` on a page.
pub(super) fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    // Lead bytes of the whitespace characters beyond ASCII (U+0085, U+00A0, U+1680, U+2000 to
    // U+205F, U+3000): without them every byte over 0x7F belongs to a word.
    let wide = bytes.iter().fold(0u8, |seen, b| {
        seen | u8::from(*b == 0xC2 || b.wrapping_sub(0xE1) < 3)
    });
    if wide != 0 {
        return text.split_whitespace().count();
    }
    // 1 for the ASCII whitespace `char::is_whitespace` accepts: space, and tab to carriage return.
    let space = |b: u8| u8::from(b == b' ' || b.wrapping_sub(b'\t') < 5);
    let first = usize::from(bytes.first().is_some_and(|b| space(*b) == 0));
    let next = bytes.get(1..).unwrap_or(&[]);
    // Pairs of a byte and the next, in chunks whose counts fit in a byte.
    let starts: usize = bytes
        .chunks(255)
        .zip(next.chunks(255))
        .map(|(here, after)| {
            let count = here.iter().zip(after).fold(0u8, |count, (a, b)| {
                count.wrapping_add(space(*a) & (space(*b) ^ 1))
            });
            usize::from(count)
        })
        .sum();
    first.saturating_add(starts)
}

/// Ends a block: the next text does not run on with this one.
pub(super) fn block_end(sections: &mut [TextSection]) {
    if let Some(section) = sections.last_mut()
        && !section.text.is_empty()
        && !section.text.ends_with(' ')
    {
        section.text.push(' ');
    }
}

/// The text of inline events, as a reader would say it.
pub fn plain_text(events: &[Event]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_words_like_split_whitespace() {
        for text in [
            "",
            " ",
            "een",
            " een  twee\tdrie\n",
            "a\x0Bb\x0Cc\rd",
            "café au\u{a0}lait",
            "x\u{3000}y ",
            "één  tweeë drie",
            "“aanhalingstekens” en\u{2009}smalle\u{202f}spaties",
        ] {
            assert_eq!(
                count_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
        assert_eq!(count_words("a\x0Bb"), 2);
        // Across the 255-byte chunks the count is made in.
        for length in [254, 255, 256, 509, 510, 511, 1000] {
            for step in [1, 2, 3, 7, 254, 255] {
                let text: String = (0..length)
                    .map(|i| if i % step == 0 { ' ' } else { 'x' })
                    .collect();
                assert_eq!(
                    count_words(&text),
                    text.split_whitespace().count(),
                    "{length} {step}"
                );
            }
        }
    }
}
