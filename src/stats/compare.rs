//! Two groups' answers to paired questions in one chart: categories aligned by their wording and
//! both groups on one percentage scale, so equal shares are drawn as bars of equal length.

use crate::escape::attr;
use crate::stats::chart::footer;
use crate::stats::svg::{bar_width, document, rect, text, wrap};
use crate::stats::view::{QuestionView, Row, StatLabels};
use std::fmt::Write as _;

/// As the single charts: 14 px text stays above 12 CSS px on a phone.
const WIDTH: u32 = 340;
const LEFT: u32 = 8;
const VALUE_SPACE: u32 = 180;
const LINE: u32 = 18;
const BAR: u32 = 18;
const GAP: u32 = 14;
/// On white: #154273 10.2:1, #a90061 7.4:1; every bar also names its group in text.
const FILLS: [&str; 2] = ["#154273", "#a90061"];

/// An answer's wording reduced to its words: case, punctuation and spacing do not tell answers
/// apart.
fn words(label: &str) -> Vec<String> {
    label
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether two wordings are the same answer: the same words, or one word more in one of them
/// ("Nog niet, wel voornemens" and "Nog niet, maar wel voornemens"). A longer difference is a
/// different answer ("Ja" is not "Ja, met enkele gemeenten").
fn same_answer(a: &str, b: &str) -> bool {
    let (a, b) = (words(a), words(b));
    if a == b {
        return true;
    }
    let (short, long) = if a.len() < b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    long.len().checked_sub(short.len()) == Some(1) && short.iter().all(|w| long.contains(w))
}

/// The aligned categories: the first question's answers in its order, each with the second's
/// matching answer; then the second's answers that match none. Exact wordings pair first.
pub fn align<'a>(a: &'a [Row], b: &'a [Row]) -> Vec<(Option<&'a Row>, Option<&'a Row>)> {
    let mut used = vec![false; b.len()];
    let mut pairs: Vec<(Option<&Row>, Option<&Row>)> = Vec::new();
    for row in a {
        match b.iter().position(|o| words(&o.label) == words(&row.label)) {
            Some(i) if !used.get(i).copied().unwrap_or(true) => {
                if let Some(u) = used.get_mut(i) {
                    *u = true;
                }
                pairs.push((Some(row), b.get(i)));
            }
            _ => pairs.push((Some(row), None)),
        }
    }
    for slot in pairs.iter_mut().filter(|(_, other)| other.is_none()) {
        let Some(row) = slot.0 else { continue };
        let found = b.iter().enumerate().find(|(i, o)| {
            !used.get(*i).copied().unwrap_or(true) && same_answer(&o.label, &row.label)
        });
        if let Some((i, o)) = found {
            if let Some(u) = used.get_mut(i) {
                *u = true;
            }
            slot.1 = Some(o);
        }
    }
    for (i, row) in b.iter().enumerate() {
        if !used.get(i).copied().unwrap_or(true) {
            pairs.push((None, Some(row)));
        }
    }
    pairs
}

/// One bar (or the words for a missing answer) of one group in a category.
fn bar(
    out: &mut String,
    y: u32,
    group: usize,
    label: &str,
    row: Option<&Row>,
    max: u64,
    missing: &str,
) {
    let bar_space = WIDTH - LEFT - VALUE_SPACE;
    let fill = FILLS.get(group).copied().unwrap_or("#154273");
    match row.and_then(|r| r.tenths.map(|t| (r, t))) {
        Some((r, tenths)) => {
            let width = bar_width(bar_space, tenths, max);
            if width > 0 {
                rect(out, LEFT, y, width, BAR, fill);
            }
            text(
                out,
                width.saturating_add(LEFT + 6),
                y.saturating_add(14),
                &[],
                &format!("{label}: {} ({})", r.count_text, r.percent_text),
            );
        }
        None => text(
            out,
            LEFT + 6,
            y.saturating_add(14),
            &[("font-style", "italic")],
            &format!("{label}: {missing}"),
        ),
    }
}

/// The paired questions on one scale: the largest share of either group is the full width.
pub fn compare_chart(
    a: &QuestionView,
    b: &QuestionView,
    labels: &StatLabels,
    id_prefix: &str,
) -> String {
    let missing = labels.not_offered.as_str();
    let max = a
        .rows
        .iter()
        .chain(&b.rows)
        .filter_map(|r| r.tenths)
        .max()
        .unwrap_or(0)
        .max(1);
    let mut body = String::new();
    let mut y = 8u32;
    let mut finding: Vec<String> = Vec::new();
    for (ra, rb) in align(&a.rows, &b.rows) {
        let label = ra.or(rb).map_or("", |r| r.label.as_str());
        for line in wrap(label) {
            y = y.saturating_add(LINE);
            text(&mut body, LEFT + 6, y.saturating_sub(4), &[], &line);
        }
        let share =
            |r: Option<&Row>| r.map_or_else(|| missing.to_string(), |r| r.percent_text.clone());
        finding.push(format!(
            "{label}: {} {}, {} {}",
            a.group_label,
            share(ra),
            b.group_label,
            share(rb)
        ));
        y = y.saturating_add(2);
        bar(&mut body, y, 0, &a.group_label, ra, max, missing);
        y = y.saturating_add(BAR + 2);
        bar(&mut body, y, 1, &b.group_label, rb, max, missing);
        y = y.saturating_add(BAR + GAP);
    }
    let axis_bottom = y.saturating_sub(GAP).saturating_add(4);
    let _ = writeln!(
        body,
        "<line{}{}{}{}{}{}/>",
        attr("x1", LEFT),
        attr("y1", 8),
        attr("x2", LEFT),
        attr("y2", axis_bottom),
        attr("stroke", "#4d4d4d"),
        attr("stroke-width", 2)
    );
    let base = format!(
        "{} n = {}, {} n = {}. {}: {}.",
        a.group_label, a.n_text, b.group_label, b.n_text, labels.source, a.source
    );
    let height = footer(&mut body, axis_bottom, &base).saturating_add(10);
    document(
        id_prefix,
        WIDTH,
        height,
        &format!("{} en {}", a.group_label, b.group_label),
        &format!("{}.", finding.join("; ")),
        &body,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_match_by_their_words_not_by_a_shared_first_word() {
        assert!(same_answer(
            "Nog niet, wel voornemens",
            "Nog niet, maar wel voornemens"
        ));
        assert!(same_answer("Ja", "ja."));
        assert!(!same_answer("Ja", "Ja, met enkele gemeenten"));
        assert!(!same_answer("Nee", "Nee, hier zijn we mee bezig"));
    }
}
