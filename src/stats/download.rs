//! The downloads of a question or wave: CSV and JSON with the same figures, notes and flags as the
//! page, so an uncertain reading or an unknown n travels with the numbers.

use crate::stats::view::QuestionView;
use serde::Serialize;

/// A text field. Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, tab or CR as a
/// formula (`=HYPERLINK(…)`, DDE): as the OWASP CSV-injection guidance says, such a text gets a
/// leading `'` and quotes. Numbers never pass through here, so a negative count stays a number.
fn csv_field(s: &str) -> String {
    let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula {
        format!("\"'{}\"", s.replace('"', "\"\""))
    } else if s.contains([',', ';', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub const CSV_HEADER: &str = "meting,vraag_id,vraagnummer,groep,vraag,antwoord,schaalwaarde,aantal,percentage,n,respondenten,aflezing,afgeleid,toelichting,veldwerk,bron,licentie,datum_gegevens";

/// The word for a figure that is not known: a cell that says so, never an empty one that a sum
/// would read as 0.
const UNKNOWN: &str = "onbekend";

/// Everything a reader of one row needs to weigh it: the reading, then the data file's note.
fn notes(v: &QuestionView) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if let Some(reading) = &v.reading_note {
        parts.push(reading);
    }
    if let Some(note) = &v.note {
        parts.push(note);
    }
    parts.join(" ")
}

/// The byte-order mark: without it Excel reads UTF-8 as Windows-1252 ("IDOâ€™s").
pub const BOM: &str = "\u{feff}";

/// Comma-separated with a decimal point (RFC 4180, for programs), or semicolon-separated with a
/// decimal comma: what Excel with Dutch settings opens as columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Comma,
    Semicolon,
}

impl Dialect {
    fn separator(self) -> &'static str {
        match self {
            Dialect::Comma => ",",
            Dialect::Semicolon => ";",
        }
    }

    fn decimal(self) -> char {
        match self {
            Dialect::Comma => '.',
            Dialect::Semicolon => ',',
        }
    }
}

/// RFC 4180: CRLF line ends, fields with `,` `;` `"` or line breaks quoted, `"` doubled, after a
/// byte-order mark. Every row carries the metadata and the flags so each stays meaningful on its
/// own.
pub fn csv_rows(views: &[&QuestionView], dialect: Dialect) -> String {
    let mut out = String::from(BOM);
    out.push_str(&CSV_HEADER.replace(',', dialect.separator()));
    out.push_str("\r\n");
    for v in views {
        let notes = notes(v);
        for r in &v.rows {
            let fields = [
                csv_field(&v.wave_title),
                csv_field(&v.id),
                v.number.to_string(),
                csv_field(&v.group_label),
                csv_field(&v.text),
                csv_field(&r.label),
                r.value.map(|x| x.to_string()).unwrap_or_default(),
                r.count
                    .map_or_else(|| UNKNOWN.to_string(), |c| c.to_string()),
                r.tenths.map_or_else(
                    || UNKNOWN.to_string(),
                    |t| format!("{}{}{}", t / 10, dialect.decimal(), t % 10),
                ),
                v.n.map_or_else(|| UNKNOWN.to_string(), |n| n.to_string()),
                v.respondents.to_string(),
                if v.reading_uncertain {
                    "onzeker"
                } else {
                    "zeker"
                }
                .to_string(),
                if r.inferred { "ja" } else { "nee" }.to_string(),
                csv_field(&notes),
                csv_field(&v.fieldwork),
                csv_field(&v.source),
                csv_field(&v.licence),
                v.data_date.clone(),
            ];
            out.push_str(&fields.join(dialect.separator()));
            out.push_str("\r\n");
        }
    }
    out
}

#[derive(Serialize)]
struct JsonAnswer<'a> {
    label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<i64>,
    /// null: unknown.
    count: Option<u64>,
    percentage: Option<f64>,
    /// The count is inferred by the editor, not printed in the source.
    inferred: bool,
}

#[derive(Serialize)]
struct JsonQuestion<'a> {
    id: &'a str,
    number: i64,
    group: &'a str,
    text: &'a str,
    kind: &'a str,
    multiple_answers: bool,
    roles: &'a [String],
    /// null: unknown (a count is missing), never 0.
    n: Option<u64>,
    respondents: u64,
    /// `certain` or `uncertain`: whether the counts are tied to the answers with certainty.
    reading: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reading_note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mean: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    median: Option<&'a str>,
    /// The mean and median rest on an uncertain reading or an inferred count.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    derived_from_uncertain_values: bool,
    answers: Vec<JsonAnswer<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonDocument<'a> {
    title: &'a str,
    source: &'a str,
    fieldwork: &'a str,
    licence: &'a str,
    data_date: &'a str,
    questions: Vec<JsonQuestion<'a>>,
}

fn json_question<'a>(v: &'a QuestionView) -> JsonQuestion<'a> {
    JsonQuestion {
        id: &v.id,
        number: v.number,
        group: &v.group_label,
        text: &v.text,
        kind: v.kind,
        multiple_answers: v.multiple_answers,
        roles: &v.roles,
        n: v.n,
        respondents: v.respondents,
        reading: if v.reading_uncertain {
            "uncertain"
        } else {
            "certain"
        },
        reading_note: v.reading_note.as_deref(),
        mean: v.mean_text.as_deref(),
        median: v.median_text.as_deref(),
        derived_from_uncertain_values: v.derived_flagged,
        answers: v
            .rows
            .iter()
            .map(|r| JsonAnswer {
                label: &r.label,
                value: r.value,
                count: r.count,
                percentage: r.tenths.map(|t| t as f64 / 10.0),
                inferred: r.inferred,
            })
            .collect(),
        note: v.note.as_deref(),
    }
}

pub fn json_document(views: &[&QuestionView]) -> String {
    let first = views.first();
    let doc = JsonDocument {
        title: first.map_or("", |v| v.wave_title.as_str()),
        source: first.map_or("", |v| v.source.as_str()),
        fieldwork: first.map_or("", |v| v.fieldwork.as_str()),
        licence: first.map_or("", |v| v.licence.as_str()),
        data_date: first.map_or("", |v| v.data_date.as_str()),
        questions: views.iter().map(|v| json_question(v)).collect(),
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::view::size_text;

    #[test]
    fn csv_fields_are_quoted_per_rfc_4180() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("a;b"), "\"a;b\"");
        assert_eq!(csv_field("zei \"ja\""), "\"zei \"\"ja\"\"\"");
        assert_eq!(csv_field("twee\nregels"), "\"twee\nregels\"");
        assert_eq!(csv_field("<&>"), "<&>");
        assert_eq!(
            csv_field("=HYPERLINK(\"https://x.example\")"),
            "\"'=HYPERLINK(\"\"https://x.example\"\")\""
        );
        assert_eq!(csv_field("+31"), "\"'+31\"");
        assert_eq!(csv_field("-1"), "\"'-1\"");
        assert_eq!(csv_field("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(csv_field("\tx"), "\"'\tx\"");
        assert_eq!(csv_field("\rx"), "\"'\rx\"");
        assert_eq!(csv_field("a-b=c"), "a-b=c");
        assert_eq!(size_text(10), "1 kB");
        assert_eq!(size_text(1500), "2 kB");
    }
}
