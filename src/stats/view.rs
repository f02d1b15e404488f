//! What a statistics page shows, computed once: counts, exact percentages, notes, finding text.

use crate::stats::model::{Question, QuestionKind, Wave};
use crate::stats::numbers::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// Words the charts and notes use, from the theme's i18n file.
#[derive(Clone, Debug)]
pub struct StatLabels {
    pub unknown_in_chart: String,
    pub mean: String,
    pub median: String,
    pub of: String,
}

impl StatLabels {
    pub fn from_strings(strings: &BTreeMap<String, String>) -> StatLabels {
        let get = |k: &str, d: &str| strings.get(k).cloned().unwrap_or_else(|| d.to_string());
        StatLabels {
            unknown_in_chart: get("stats_unknown_in_chart", "onbekend (.)"),
            mean: get("stats_mean", "Gemiddelde"),
            median: get("stats_median", "Mediaan"),
            of: get("stats_of", "van"),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub label: String,
    pub value: Option<i64>,
    pub value_text: Option<String>,
    pub count: Option<u64>,
    /// `23`, or `.` when unknown (as CBS writes it).
    pub count_text: String,
    #[serde(skip)]
    pub tenths: Option<u64>,
    /// `47,9%`, or `.` when unknown.
    pub percent_text: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Download {
    pub url: String,
    pub format: String,
    pub size: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct QuestionView {
    pub id: String,
    pub wave: String,
    pub wave_title: String,
    pub year: i64,
    pub number: i64,
    pub group: String,
    pub group_label: String,
    pub respondents: u64,
    pub population: u64,
    pub text: String,
    pub roles: Vec<String>,
    pub kind: &'static str,
    pub multiple_answers: bool,
    pub rows: Vec<Row>,
    pub n: u64,
    pub n_text: String,
    pub mean_text: Option<String>,
    pub median_text: Option<String>,
    pub rounding_note: bool,
    pub small_n: bool,
    pub small_n_threshold: u64,
    pub has_unknown: bool,
    pub over_respondents: bool,
    pub note: Option<String>,
    pub finding: String,
    pub fieldwork: String,
    pub source: String,
    pub licence: String,
    pub data_date: String,
    pub url: String,
    pub pair: Option<String>,
    pub downloads: Vec<Download>,
}

pub fn question_view(
    wave: &Wave,
    q: &Question,
    url: String,
    small_n: u64,
    labels: &StatLabels,
) -> QuestionView {
    let n = q.n();
    let rows: Vec<Row> = q
        .answers
        .iter()
        .map(|a| {
            let tenths = a.count.and_then(|c| percent_tenths(c, n));
            Row {
                label: a.label.clone(),
                value: a.value,
                value_text: if q.kind == QuestionKind::Scale {
                    a.value.map(|v| v.to_string())
                } else {
                    None
                },
                count: a.count,
                count_text: a.count.map_or_else(|| ".".to_string(), group_thousands),
                tenths,
                percent_text: tenths.map_or_else(|| ".".to_string(), format_percent),
            }
        })
        .collect();
    let known: Vec<u64> = rows.iter().filter_map(|r| r.tenths).collect();
    let scale: Vec<(i64, u64)> = q
        .answers
        .iter()
        .filter_map(|a| Some((a.value?, a.count?)))
        .collect();
    let (mean_text, median_text) = if q.kind == QuestionKind::Scale {
        (
            scale_mean_tenths(&scale).map(format_tenths),
            scale_median_doubled(&scale).map(format_doubled),
        )
    } else {
        (None, None)
    };
    let group = wave.group(&q.group);
    let respondents = group.map_or(0, |g| g.respondents);
    let group_label = group.map_or_else(|| q.group.clone(), |g| g.label.clone());
    let finding = finding_text(&rows, n, &mean_text, &median_text, labels);
    let source = if wave.source_annex.is_empty() {
        wave.source_report.clone()
    } else {
        format!("{}, {}", wave.source_report, wave.source_annex)
    };
    QuestionView {
        id: q.id.clone(),
        wave: wave.id.clone(),
        wave_title: wave.title.clone(),
        year: wave.year,
        number: q.number,
        group: q.group.clone(),
        group_label,
        respondents,
        population: group.map_or(0, |g| g.population),
        text: q.text.clone(),
        roles: q.roles.clone(),
        kind: match q.kind {
            QuestionKind::Choice => "choice",
            QuestionKind::Scale => "scale",
        },
        multiple_answers: q.multiple_answers,
        rounding_note: !q.multiple_answers && n > 0 && rounding_mismatch(&known),
        rows,
        n,
        n_text: group_thousands(n),
        mean_text,
        median_text,
        small_n: n > 0 && n < small_n,
        small_n_threshold: small_n,
        has_unknown: q.has_unknown(),
        over_respondents: n > respondents,
        note: q.note.clone(),
        finding,
        fieldwork: wave.fieldwork.clone(),
        source,
        licence: wave.licence.clone(),
        data_date: wave.data_date.clone(),
        url,
        pair: q.pair.clone(),
        downloads: Vec::new(),
    }
}

/// The sentence a screen reader hears for the chart: every answer with its count and share.
fn finding_text(
    rows: &[Row],
    n: u64,
    mean: &Option<String>,
    median: &Option<String>,
    labels: &StatLabels,
) -> String {
    let parts: Vec<String> = rows
        .iter()
        .map(|r| match r.count {
            Some(_) => format!("{}: {} ({})", r.label, r.count_text, r.percent_text),
            None => format!("{}: {}", r.label, labels.unknown_in_chart),
        })
        .collect();
    let mut text = format!("{}. n = {}.", parts.join("; "), group_thousands(n));
    if let (Some(mean), Some(median)) = (mean, median) {
        text.push_str(&format!(
            " {}: {mean}. {}: {median}.",
            labels.mean, labels.median
        ));
    }
    text
}

// ---------- downloads ----------

/// A text field. Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, tab or CR as a
/// formula (`=HYPERLINK(…)`, DDE): as the OWASP CSV-injection guidance says, such a text gets a
/// leading `'` and quotes. Numbers never pass through here, so a negative count stays a number.
fn csv_field(s: &str) -> String {
    let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula {
        format!("\"'{}\"", s.replace('"', "\"\""))
    } else if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub const CSV_HEADER: &str = "meting,vraag_id,vraagnummer,groep,vraag,antwoord,schaalwaarde,aantal,percentage,n,respondenten,veldwerk,bron,licentie,datum_gegevens";

/// RFC 4180: CRLF line ends, fields with `,` `"` or line breaks quoted, `"` doubled. Unknown counts
/// are empty fields. Every row carries the metadata so each stays meaningful on its own.
pub fn csv_rows(views: &[&QuestionView]) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    for v in views {
        for r in &v.rows {
            let fields = [
                csv_field(&v.wave_title),
                csv_field(&v.id),
                v.number.to_string(),
                csv_field(&v.group_label),
                csv_field(&v.text),
                csv_field(&r.label),
                r.value.map(|x| x.to_string()).unwrap_or_default(),
                r.count.map(|c| c.to_string()).unwrap_or_default(),
                r.tenths
                    .map(|t| format!("{}.{}", t / 10, t % 10))
                    .unwrap_or_default(),
                v.n.to_string(),
                v.respondents.to_string(),
                csv_field(&v.fieldwork),
                csv_field(&v.source),
                csv_field(&v.licence),
                v.data_date.clone(),
            ];
            out.push_str(&fields.join(","));
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
    count: Option<u64>,
    percentage: Option<f64>,
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
    n: u64,
    respondents: u64,
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

pub fn json_document(views: &[&QuestionView]) -> String {
    let first = views.first();
    let doc = JsonDocument {
        title: first.map_or("", |v| v.wave_title.as_str()),
        source: first.map_or("", |v| v.source.as_str()),
        fieldwork: first.map_or("", |v| v.fieldwork.as_str()),
        licence: first.map_or("", |v| v.licence.as_str()),
        data_date: first.map_or("", |v| v.data_date.as_str()),
        questions: views
            .iter()
            .map(|v| JsonQuestion {
                id: &v.id,
                number: v.number,
                group: &v.group_label,
                text: &v.text,
                kind: v.kind,
                multiple_answers: v.multiple_answers,
                roles: &v.roles,
                n: v.n,
                respondents: v.respondents,
                answers: v
                    .rows
                    .iter()
                    .map(|r| JsonAnswer {
                        label: &r.label,
                        value: r.value,
                        count: r.count,
                        percentage: r.tenths.map(|t| t as f64 / 10.0),
                    })
                    .collect(),
                note: v.note.as_deref(),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// `Download de gegevens (CSV, 1 kB)`: sizes in whole kB, at least 1.
pub fn size_text(bytes: usize) -> String {
    let kb = bytes.div_ceil(1000).max(1);
    format!("{} kB", group_thousands(kb as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_per_rfc_4180() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
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
