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
