//! URL segments: what a file name, folder name, `slug:` or id must be to become one part of a URL.
//! A leaf: config, content, statistics and diagnostics all ask here.

/// The longest URL part: most file systems refuse a longer file or folder name, and the part
/// becomes one.
pub const MAX_URL_PART_BYTES: usize = 255;

/// A URL part may not climb out of its folder or smuggle in another path.
/// Nor may it hide characters a reader cannot see. Every URL part from a file name, a folder
/// name, a `slug:` or an id passes here.
pub fn check_url_part(part: &str) -> Result<(), &'static str> {
    if part.is_empty() || part == "." || part == ".." || part.contains("..") {
        return Err("mag niet leeg zijn of `..` bevatten");
    }
    // A path, query, fragment, escape or scheme, or the end of an HTML attribute.
    if part.contains(['/', '\\', '?', '#', '%', ':', '\0', '"', '<', '>', '`']) {
        return Err("mag geen `/`, `\\`, `?`, `#`, `%`, `:`, `\"`, `<`, `>` of `` ` `` bevatten");
    }
    if part.chars().any(char::is_whitespace) {
        return Err("mag geen spaties bevatten");
    }
    if part.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return Err("mag geen onzichtbare stuur- of richtingstekens bevatten");
    }
    if part.len() > MAX_URL_PART_BYTES {
        return Err("is langer dan 255 bytes");
    }
    Ok(())
}

/// Unicode's explicit direction marks and embeddings: they make text read differently from how
/// it is stored (CVE-2021-42574, "Trojan Source").
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}
