//! Accessible tables.

use super::context::Labels;
use super::text::plain_text;
use crate::escape;
use pulldown_cmark::{Alignment, Event, Tag, TagEnd, html};

fn looks_numeric(text: &str) -> bool {
    let t = text
        .trim()
        .trim_start_matches(['€', '-', '+', '±'])
        .trim()
        .trim_end_matches('%')
        .trim();
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' ' | '\u{a0}'))
        && t.chars().any(|c| c.is_ascii_digit())
}

/// Tables with `th scope`, numeric columns marked for right alignment with tabular figures, and a
/// focusable scroll wrapper so narrow screens never scroll the page sideways.
pub(super) fn render_table(
    alignments: &[Alignment],
    events: Vec<Event>,
    labels: &Labels,
    number: usize,
) -> String {
    let mut rows: Vec<(bool, Vec<Vec<Event>>)> = Vec::new();
    let mut in_head = false;
    let mut cell: Option<Vec<Event>> = None;
    for event in events {
        match event {
            Event::Start(Tag::TableHead) => {
                in_head = true;
                rows.push((true, Vec::new()));
            }
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableRow) => rows.push((in_head, Vec::new())),
            Event::Start(Tag::TableCell) => cell = Some(Vec::new()),
            Event::End(TagEnd::TableCell) => {
                if let (Some(c), Some(row)) = (cell.take(), rows.last_mut()) {
                    row.1.push(c);
                }
            }
            Event::End(TagEnd::TableRow) => {}
            other => {
                if let Some(c) = cell.as_mut() {
                    c.push(other);
                }
            }
        }
    }
    let columns = alignments.len();
    let numeric: Vec<bool> = (0..columns)
        .map(|col| {
            let body: Vec<String> = rows
                .iter()
                .filter(|(head, _)| !head)
                .filter_map(|(_, cells)| cells.get(col).map(|c| plain_text(c)))
                .filter(|t| !t.is_empty() && t != "." && t != "-")
                .collect();
            alignments.get(col) == Some(&Alignment::Right)
                || (!body.is_empty() && body.iter().all(|t| looks_numeric(t)))
        })
        .collect();
    let mut html = format!(
        "<div class=\"tabel-wrapper\" tabindex=\"0\" role=\"region\" aria-label=\"{} {number}\">\n<table>\n",
        escape::html(&labels.table_region)
    );
    let mut body_open = false;
    for (head, cells) in rows {
        if head {
            html.push_str("<thead>\n<tr>");
        } else if !body_open {
            html.push_str("<tbody>\n<tr>");
            body_open = true;
        } else {
            html.push_str("<tr>");
        }
        for (col, cell) in cells.into_iter().enumerate() {
            let alignment = alignments.get(col);
            let num =
                numeric.get(col).copied().unwrap_or(false) || alignment == Some(&Alignment::Right);
            let centred = alignment == Some(&Alignment::Center);
            html.push_str(if head { "<th scope=\"col\"" } else { "<td" });
            html.push_str(match (num, centred) {
                (true, true) => " class=\"num midden\"",
                (true, false) => " class=\"num\"",
                (false, true) => " class=\"midden\"",
                (false, false) => "",
            });
            html.push('>');
            html::push_html(&mut html, cell.into_iter());
            html.push_str(if head { "</th>" } else { "</td>" });
        }
        html.push_str("</tr>\n");
        if head {
            html.push_str("</thead>\n");
        }
    }
    if body_open {
        html.push_str("</tbody>\n");
    }
    html.push_str("</table>\n</div>\n");
    html
}
