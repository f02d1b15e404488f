//! SVG text for the charts: a leaf that the question charts, comparisons and series share.

use crate::escape::{attr, xml as xml_escape};
use std::fmt::Write as _;

/// About 290 px of 14 px text: a wrapped line never reaches the right edge of a 340 wide chart.
pub const MAX_LABEL_CHARS: usize = 40;
const TEXT_FILL: &str = "#1a1a1a";

/// Splits a label into lines at spaces so it fits the chart width.
pub fn wrap(label: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in label.split_whitespace() {
        if !current.is_empty()
            && current
                .chars()
                .count()
                .saturating_add(1)
                .saturating_add(word.chars().count())
                > MAX_LABEL_CHARS
        {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// `<text …>escaped</text>` at (x, y), with extra attributes.
pub fn text(out: &mut String, x: u32, y: u32, extra: &[(&str, &str)], content: &str) {
    let mut attrs = format!("{}{}{}", attr("x", x), attr("y", y), attr("font-size", 14));
    for (name, value) in extra {
        attrs.push_str(&attr(name, value));
    }
    attrs.push_str(&attr("fill", TEXT_FILL));
    let _ = writeln!(out, "<text{attrs}>{}</text>", xml_escape(content));
}

/// The length of a bar for `value` out of `max` over `space` units: exact in u128; a length that
/// does not fit (or a zero `max`) is drawn full.
pub fn bar_width(space: u32, value: u64, max: u64) -> u32 {
    u128::from(space)
        .checked_mul(u128::from(value))
        .and_then(|scaled| scaled.checked_div(u128::from(max)))
        .and_then(|w| u32::try_from(w).ok())
        .unwrap_or(space)
}

/// A filled bar.
pub fn rect(out: &mut String, x: u32, y: u32, width: u32, height: u32, fill: &str) {
    let _ = writeln!(
        out,
        "<rect{}{}{}{}{}/>",
        attr("x", x),
        attr("y", y),
        attr("width", width),
        attr("height", height),
        attr("fill", fill)
    );
}

/// The `<svg>` element around `body`, named by its title and description (`<id>-titel`,
/// `<id>-beschrijving`) for screen readers.
pub fn document(
    id: &str,
    width: u32,
    height: u32,
    title: &str,
    description: &str,
    body: &str,
) -> String {
    let title_id = format!("{id}-titel");
    let desc_id = format!("{id}-beschrijving");
    format!(
        "<svg{}{}{}{}{}{}{}>\n<title{}>{}</title>\n<desc{}>{}</desc>\n{body}</svg>",
        attr("class", "grafiek"),
        attr("role", "img"),
        attr("aria-labelledby", format!("{title_id} {desc_id}")),
        attr("viewBox", format!("0 0 {width} {height}")),
        attr("width", width),
        attr("height", height),
        attr("xmlns", "http://www.w3.org/2000/svg"),
        attr("id", &title_id),
        xml_escape(title),
        attr("id", &desc_id),
        xml_escape(description)
    )
}
