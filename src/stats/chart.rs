//! Server-side SVG bar charts: no script, axis at zero, every bar labelled with count and share,
//! a title and description that state the finding.

use crate::escape::attr;
use crate::stats::svg::{bar_width, document, rect, text, wrap};
use crate::stats::view::{QuestionView, StatLabels};
use std::fmt::Write as _;

/// Narrow enough that 14 px text is drawn at 12.7 CSS px on a 375 px wide phone, where the chart
/// gets about 309 px (at 420 it was 10.3 px).
const WIDTH: u32 = 340;
const LEFT: u32 = 8;
const VALUE_SPACE: u32 = 120;
const LINE: u32 = 18;
const BAR: u32 = 22;
const GAP: u32 = 14;
/// #154273 on white: 10.2:1 (the bars need 3:1).
const BAR_FILL: &str = "#154273";
const AXIS: &str = "#4d4d4d";

/// `n = 49, van 48 respondenten. Bron: …`: a chart saved or shared on its own keeps its base and
/// source.
pub(crate) fn base_and_source(view: &QuestionView, labels: &StatLabels) -> String {
    format!(
        "n = {}, {} {} {}. {}: {}.",
        view.n_text, labels.of, view.respondents, labels.respondents, labels.source, view.source
    )
}

/// The footer lines under a chart, wrapped; returns the new bottom.
pub(crate) fn footer(out: &mut String, mut y: u32, content: &str) -> u32 {
    y = y.saturating_add(6);
    for line in wrap(content) {
        y = y.saturating_add(LINE);
        text(out, LEFT, y, &[], &line);
    }
    y
}

pub fn bar_chart(view: &QuestionView, labels: &StatLabels, id_prefix: &str) -> String {
    let max_tenths = view
        .rows
        .iter()
        .filter_map(|r| r.tenths)
        .max()
        .unwrap_or(0)
        .max(1);
    let bar_space = WIDTH - LEFT - VALUE_SPACE;
    let mut body = String::new();
    let mut y = 8u32;
    for row in &view.rows {
        let label = match &row.value_text {
            Some(v) => format!("{v} – {}", row.label),
            None => row.label.clone(),
        };
        for line in wrap(&label) {
            y = y.saturating_add(LINE);
            text(&mut body, LEFT + 6, y.saturating_sub(4), &[], &line);
        }
        let bar_top = y.saturating_add(2);
        match row.tenths {
            Some(tenths) => {
                let width = bar_width(bar_space, tenths, max_tenths);
                if width > 0 {
                    rect(&mut body, LEFT, bar_top, width, BAR, BAR_FILL);
                }
                text(
                    &mut body,
                    width.saturating_add(LEFT + 6),
                    bar_top.saturating_add(16),
                    &[("font-weight", "bold")],
                    &if row.inferred {
                        format!(
                            "{} ({}), {}",
                            row.count_text, row.percent_text, labels.inferred
                        )
                    } else {
                        format!("{} ({})", row.count_text, row.percent_text)
                    },
                );
            }
            None => text(
                &mut body,
                LEFT + 6,
                bar_top.saturating_add(16),
                &[("font-style", "italic")],
                &labels.unknown_in_chart,
            ),
        }
        y = bar_top.saturating_add(BAR + GAP);
    }
    let axis_bottom = y.saturating_sub(GAP).saturating_add(4);
    let _ = writeln!(
        body,
        "<line{}{}{}{}{}{}/>",
        attr("x1", LEFT),
        attr("y1", 8),
        attr("x2", LEFT),
        attr("y2", axis_bottom),
        attr("stroke", AXIS),
        attr("stroke-width", 2)
    );
    y = axis_bottom;
    if let (Some(mean), Some(median)) = (&view.mean_text, &view.median_text) {
        y = y.saturating_add(LINE + 6);
        text(
            &mut body,
            LEFT,
            y,
            &[],
            &format!("{}: {mean} · {}: {median}", labels.mean, labels.median),
        );
        if view.derived_flagged {
            y = y.saturating_add(LINE);
            text(&mut body, LEFT, y, &[], &labels.derived_flag);
        }
    }
    if view.reading_uncertain {
        for line in wrap(&labels.reading_flag) {
            y = y.saturating_add(LINE);
            text(&mut body, LEFT, y, &[("font-weight", "bold")], &line);
        }
    }
    y = footer(&mut body, y, &base_and_source(view, labels));
    let height = y.saturating_add(10);
    document(id_prefix, WIDTH, height, &view.text, &view.finding, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_long_labels_at_spaces() {
        let lines = wrap(
            "Ja. Mijn bibliotheek heeft een jaarplan ingediend bij de gemeente en mijn gemeente(n) heeft/hebben voorwaarden gesteld",
        );
        assert_eq!(
            lines,
            [
                "Ja. Mijn bibliotheek heeft een jaarplan",
                "ingediend bij de gemeente en mijn",
                "gemeente(n) heeft/hebben voorwaarden",
                "gesteld"
            ]
        );
    }
}
