//! Escaping for the formats the tool writes: HTML text and attributes, and XML.

/// Text or an attribute value in HTML (`& < > " '`).
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Infallible: writing into a String.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// Text or an attribute value in XML (sitemap, feed, SVG); drops the control characters XML 1.0
/// does not allow.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() && c != '\t' && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

/// ` name="value"` with the value escaped: a chart writes every attribute through here, numbers
/// included, so that no value can end its quotes whatever its source.
pub fn attr(name: &str, value: impl std::fmt::Display) -> String {
    format!(" {name}=\"{}\"", xml(&value.to_string()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_every_quote_and_drops_xml_control_characters() {
        assert_eq!(
            super::html("a<b & \"c\" 'd'"),
            "a&lt;b &amp; &quot;c&quot; &#39;d&#39;"
        );
        assert_eq!(super::xml("'\"<>&\u{1}\t"), "&apos;&quot;&lt;&gt;&amp;\t");
    }

    #[test]
    fn an_attribute_cannot_end_its_quotes() {
        assert_eq!(
            super::attr("aria-labelledby", "'\"onload=\"x(1)"),
            " aria-labelledby=\"&apos;&quot;onload=&quot;x(1)\""
        );
        assert_eq!(super::attr("width", 420), " width=\"420\"");
    }
}
