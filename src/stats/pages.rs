//! The statistics pages: an index of waves, one overview per wave, one page per question, the
//! downloads, and the figures that other pages embed.

use crate::config::Config;
use crate::stats::chart;
use crate::stats::download::{self, Dialect};
use crate::stats::model::Wave;
use crate::stats::numbers::{format_percent, percent_tenths};
use crate::stats::view::{self, Download, QuestionView, StatLabels};
use crate::urls::Urls;
use serde::Serialize;
use std::collections::BTreeMap;

/// Every URL the statistics claim, with the file that claims it.
pub fn urls(scheme: &Urls, waves: &[Wave]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(first) = waves.first() {
        out.push((scheme.statistics(), first.display.clone()));
    }
    for wave in waves {
        out.push((scheme.wave(&wave.id), wave.display.clone()));
        for q in &wave.questions {
            out.push((scheme.question(&wave.id, &q.id), wave.display.clone()));
        }
    }
    out
}

#[derive(Clone, Debug, Serialize)]
pub struct GroupView {
    pub id: String,
    pub label: String,
    pub population: u64,
    pub respondents: u64,
    pub rate: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct QuestionLink {
    pub id: String,
    pub number: i64,
    pub group_label: String,
    pub text: String,
    pub url: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct RoleQuestions {
    pub slug: String,
    pub label: String,
    pub url: String,
    pub questions: Vec<QuestionLink>,
}

#[derive(Clone, Debug, Serialize)]
pub struct WaveView {
    pub id: String,
    pub title: String,
    pub year: i64,
    pub fieldwork: String,
    pub publisher: String,
    pub source: String,
    pub licence: String,
    pub data_date: String,
    pub data_date_text: String,
    pub url: String,
    pub groups: Vec<GroupView>,
    pub question_count: usize,
    pub questions: Vec<QuestionLink>,
    pub by_role: Vec<RoleQuestions>,
    pub downloads: Vec<Download>,
}

pub struct Prepared {
    pub waves: Vec<WaveView>,
    /// In wave order, then question order.
    pub questions: Vec<QuestionView>,
    /// Output path -> bytes of every CSV and JSON download.
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Prepared {
    pub fn question(&self, wave: &str, id: &str) -> Option<&QuestionView> {
        self.questions.iter().find(|q| q.wave == wave && q.id == id)
    }

    /// The figure key `vraag-id` means the newest wave that asked it.
    pub fn resolve(&self, key: &str) -> Option<&QuestionView> {
        match key.split_once('/') {
            Some((wave, id)) => self.question(wave, id),
            None => self
                .questions
                .iter()
                .filter(|q| q.id == key)
                .max_by_key(|q| (q.year, q.wave.clone())),
        }
    }
}

pub fn prepare(config: &Config, waves: &[Wave], labels: &StatLabels, scheme: &Urls) -> Prepared {
    let mut files = BTreeMap::new();
    let mut questions = Vec::new();
    let mut wave_views = Vec::new();
    let roles = config.taxonomy(&config.statistics.taxonomy);
    for wave in waves {
        let wave_url = scheme.link(&scheme.wave(&wave.id));
        let mut views: Vec<QuestionView> = wave
            .questions
            .iter()
            .map(|q| {
                view::question_view(
                    wave,
                    q,
                    scheme.link(&scheme.question(&wave.id, &q.id)),
                    config.statistics.small_n,
                    labels,
                )
            })
            .collect();
        let mut sink = Sink {
            files: &mut files,
            scheme,
            wave: &wave.id,
            wave_url: &wave_url,
        };
        for v in &mut views {
            let name = v.id.clone();
            let chart = svg(v, labels, "download");
            let mut links = sink.data(&name, &[&*v]);
            links.push(sink.put(&name, "svg", "SVG", chart));
            v.downloads = links;
        }
        let refs: Vec<&QuestionView> = views.iter().collect();
        let downloads = sink.data(&wave.id, &refs);
        let link = |v: &QuestionView| QuestionLink {
            id: v.id.clone(),
            number: v.number,
            group_label: v.group_label.clone(),
            text: v.text.clone(),
            url: v.url.clone(),
        };
        let by_role = roles
            .map(|t| {
                t.terms
                    .iter()
                    .map(|term| RoleQuestions {
                        slug: term.slug.clone(),
                        label: term.label.clone(),
                        url: scheme.link(&Urls::term(&t.name, &term.slug)),
                        questions: views
                            .iter()
                            .filter(|v| v.roles.contains(&term.slug))
                            .map(link)
                            .collect(),
                    })
                    .filter(|r| !r.questions.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        wave_views.push(WaveView {
            id: wave.id.clone(),
            title: wave.title.clone(),
            year: wave.year,
            fieldwork: wave.fieldwork.clone(),
            publisher: wave.publisher.clone(),
            source: views
                .first()
                .map(|v| v.source.clone())
                .unwrap_or_else(|| wave.source_report.clone()),
            licence: wave.licence.clone(),
            data_date: wave.data_date.clone(),
            data_date_text: crate::nl::format_date_or_month_nl(&wave.data_date)
                .unwrap_or_else(|| wave.data_date.clone()),
            url: wave_url.clone(),
            groups: wave
                .groups
                .iter()
                .map(|g| GroupView {
                    id: g.id.clone(),
                    label: g.label.clone(),
                    population: g.population,
                    respondents: g.respondents,
                    rate: percent_tenths(g.respondents, g.population)
                        .map(format_percent)
                        .unwrap_or_else(|| ".".into()),
                })
                .collect(),
            question_count: views.len(),
            questions: views.iter().map(link).collect(),
            by_role,
            downloads,
        });
        questions.extend(views);
    }
    wave_views.sort_by(|a, b| b.year.cmp(&a.year).then_with(|| a.id.cmp(&b.id)));
    Prepared {
        waves: wave_views,
        questions,
        files,
    }
}

/// Where one wave's downloads go.
struct Sink<'a> {
    files: &'a mut BTreeMap<String, Vec<u8>>,
    scheme: &'a Urls,
    wave: &'a str,
    wave_url: &'a str,
}

impl Sink<'_> {
    /// Stores one download and returns its link, with the size of what was stored.
    fn put(&mut self, name: &str, extension: &str, format: &str, text: String) -> Download {
        let link = Download {
            url: format!("{}{name}.{extension}", self.wave_url),
            format: format.into(),
            size: view::size_text(text.len()),
        };
        self.files.insert(
            self.scheme.download_file(self.wave, name, extension),
            text.into_bytes(),
        );
        link
    }

    /// `<name>.csv`, `<name>.excel.csv` (semicolons, for Dutch Excel) and `<name>.json`. A dot
    /// never occurs in an id, so `<name>.excel.csv` cannot be another question's file.
    fn data(&mut self, name: &str, views: &[&QuestionView]) -> Vec<Download> {
        vec![
            self.put(
                name,
                "csv",
                "CSV",
                download::csv_rows(views, Dialect::Comma),
            ),
            self.put(
                name,
                "excel.csv",
                "CSV voor Excel",
                download::csv_rows(views, Dialect::Semicolon),
            ),
            self.put(name, "json", "JSON", download::json_document(views)),
        ]
    }
}

/// The SVG for a question; ids are unique per place the figure appears.
pub fn svg(view: &QuestionView, labels: &StatLabels, place: &str) -> String {
    chart::bar_chart(
        view,
        labels,
        &format!("grafiek-{place}-{}-{}", view.wave, view.id),
    )
}
