//! What a statistics page shows, computed once: counts, exact percentages, notes, finding text.

use crate::stats::model::{Question, QuestionKind, Reading, Wave};
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
    /// `onbekend`: what an unknown n or share shows, in words rather than as 0.
    pub unknown: String,
    /// Shown on a chart whose counts could not be tied to the answers with certainty.
    pub reading_flag: String,
    /// Appended to a mean and median that rest on such a reading or an inferred count.
    pub derived_flag: String,
    /// Appended to a count the editor inferred.
    pub inferred: String,
    /// In a comparison: the other group had no answer with this wording.
    pub not_offered: String,
    pub respondents: String,
    pub source: String,
}

impl StatLabels {
    pub fn from_strings(strings: &BTreeMap<String, String>) -> StatLabels {
        let get = |k: &str, d: &str| strings.get(k).cloned().unwrap_or_else(|| d.to_string());
        StatLabels {
            unknown_in_chart: get("stats_unknown_in_chart", "onbekend (.)"),
            mean: get("stats_mean", "Gemiddelde"),
            median: get("stats_median", "Mediaan"),
            of: get("stats_of", "van"),
            unknown: get("stats_unknown_word", "onbekend"),
            reading_flag: get(
                "stats_reading_flag",
                "Let op: onzeker hoe de aantallen bij de antwoorden horen. Zie de toelichting.",
            ),
            derived_flag: get("stats_derived_flag", "(berust op een aanname)"),
            inferred: get("stats_inferred", "afgeleid"),
            not_offered: get("stats_not_offered", "geen antwoord met deze tekst"),
            respondents: get("stats_respondents_word", "respondenten"),
            source: get("stats_source", "Bron"),
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
    /// `47,9%`, or `onbekend`.
    pub percent_text: String,
    /// The count is the editor's inference, not the source's figure.
    pub inferred: bool,
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
    /// `14,0%`: the group's response, for the representativeness note.
    pub response_rate: String,
    /// Where the approach and representativeness are explained (a site path).
    pub approach: Option<String>,
    pub text: String,
    pub roles: Vec<String>,
    pub kind: &'static str,
    pub multiple_answers: bool,
    pub rows: Vec<Row>,
    /// None when a count is unknown: then the total is unknown as well.
    pub n: Option<u64>,
    pub n_text: String,
    /// The sum of the rounded shares as published (`100,1%`), or `onbekend`.
    pub total_percent_text: String,
    pub reading_uncertain: bool,
    pub reading_note: Option<String>,
    /// The mean and median rest on an uncertain reading or an inferred count.
    pub derived_flagged: bool,
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
    /// `juni 2023`: as precise as the source.
    pub data_date_text: String,
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
    let n = q.known_n();
    let rows = rows(q, n, labels);
    let known: Vec<u64> = rows.iter().filter_map(|r| r.tenths).collect();
    let scale: Vec<(i64, u64)> = q
        .answers
        .iter()
        .filter_map(|a| Some((a.value?, a.count?)))
        .collect();
    let (mean_text, median_text) = if q.kind == QuestionKind::Scale && n.is_some() {
        (
            scale_mean_tenths(&scale).map(format_tenths),
            scale_median_doubled(&scale).map(format_doubled),
        )
    } else {
        (None, None)
    };
    let reading_note = match &q.reading {
        Reading::Certain => None,
        Reading::Uncertain { note } => Some(note.clone()),
    };
    let derived_flagged =
        mean_text.is_some() && (reading_note.is_some() || q.answers.iter().any(|a| a.inferred));
    let group = wave.group(&q.group);
    let respondents = group.map_or(0, |g| g.respondents);
    let group_label = group.map_or_else(|| q.group.clone(), |g| g.label.clone());
    let n_text = n.map_or_else(|| labels.unknown.clone(), group_thousands);
    let mut finding = finding_text(&rows, &n_text, &mean_text, &median_text, labels);
    // The chart's description carries the same caveats as its visible text.
    if derived_flagged {
        finding.push(' ');
        finding.push_str(&labels.derived_flag);
    }
    if reading_note.is_some() {
        finding.push(' ');
        finding.push_str(&labels.reading_flag);
    }
    let source = if wave.source_annex.is_empty() {
        wave.source_report.clone()
    } else {
        format!("{}, {}", wave.source_report, wave.source_annex)
    };
    let total_percent_text = match n {
        Some(n) if n > 0 => format_percent(known.iter().fold(0u64, |t, s| t.saturating_add(*s))),
        _ => labels.unknown.clone(),
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
        response_rate: group
            .and_then(|g| percent_tenths(g.respondents, g.population))
            .map_or_else(|| labels.unknown.clone(), format_percent),
        approach: wave.source_approach.clone(),
        text: q.text.clone(),
        roles: q.roles.clone(),
        kind: match q.kind {
            QuestionKind::Choice => "choice",
            QuestionKind::Scale => "scale",
        },
        multiple_answers: q.multiple_answers,
        rounding_note: !q.multiple_answers && n.is_some_and(|n| n > 0) && rounding_mismatch(&known),
        rows,
        n,
        n_text,
        total_percent_text,
        reading_uncertain: reading_note.is_some(),
        reading_note,
        derived_flagged,
        mean_text,
        median_text,
        // Respondents, not answers: 36 answers from 22 libraries are still 22 voices.
        small_n: respondents < small_n,
        small_n_threshold: small_n,
        has_unknown: q.has_unknown(),
        over_respondents: n.is_some_and(|n| n > respondents),
        note: q.note.clone(),
        finding,
        fieldwork: wave.fieldwork.clone(),
        source,
        licence: wave.licence.clone(),
        data_date: wave.data_date.clone(),
        data_date_text: crate::nl::format_date_or_month_nl(&wave.data_date)
            .unwrap_or_else(|| wave.data_date.clone()),
        url,
        pair: q.pair.clone(),
        downloads: Vec::new(),
    }
}

/// One row per answer; shares only of a known n.
fn rows(q: &Question, n: Option<u64>, labels: &StatLabels) -> Vec<Row> {
    q.answers
        .iter()
        .map(|a| {
            let tenths = a.count.zip(n).and_then(|(c, n)| percent_tenths(c, n));
            // A share of an unknown count or of an unknown n is unknown: said in words.
            let percent_text = tenths.map_or_else(|| labels.unknown.clone(), format_percent);
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
                percent_text,
                inferred: a.inferred,
            }
        })
        .collect()
}

/// The sentence a screen reader hears for the chart: every answer with its count and share.
fn finding_text(
    rows: &[Row],
    n_text: &str,
    mean: &Option<String>,
    median: &Option<String>,
    labels: &StatLabels,
) -> String {
    let parts: Vec<String> = rows
        .iter()
        .map(|r| match r.count {
            Some(_) if r.inferred => format!(
                "{}: {} ({}), {}",
                r.label, r.count_text, r.percent_text, labels.inferred
            ),
            Some(_) => format!("{}: {} ({})", r.label, r.count_text, r.percent_text),
            None => format!("{}: {}", r.label, labels.unknown_in_chart),
        })
        .collect();
    let mut text = format!("{}. n = {n_text}.", parts.join("; "));
    if let (Some(mean), Some(median)) = (mean, median) {
        text.push_str(&format!(
            " {}: {mean}. {}: {median}.",
            labels.mean, labels.median
        ));
    }
    text
}

/// `Download de gegevens (CSV, 1 kB)`: sizes in whole kB, at least 1.
pub fn size_text(bytes: usize) -> String {
    let kb = bytes.div_ceil(1000).max(1);
    format!("{} kB", group_thousands(kb as u64))
}
