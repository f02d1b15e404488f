//! Escaping text for XML and HTML written by hand (SVG charts), where no template engine escapes.

use std::fmt::Display;

/// Text or an attribute value for XML 1.0 and HTML: the five markup characters become entities,
/// and control characters XML does not allow are dropped.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters other than tab and newline are not allowed in XML 1.0.
            c if c.is_control() && c != '\t' && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

/// ` name="value"` with the value escaped: a chart writes every attribute through here, numbers
/// included, so that no value can end its quotes whatever its source.
pub fn attr(name: &str, value: impl Display) -> String {
    format!(" {name}=\"{}\"", xml_escape(&value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            xml_escape("a<b>&\"c\"'d'\u{1b}[31m\te\n"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;[31m\te\n"
        );
    }

    #[test]
    fn an_attribute_cannot_end_its_quotes() {
        assert_eq!(
            attr("aria-labelledby", "'\"onload=\"x(1)"),
            " aria-labelledby=\"&apos;&quot;onload=&quot;x(1)\""
        );
        assert_eq!(attr("width", 420), " width=\"420\"");
    }
}
