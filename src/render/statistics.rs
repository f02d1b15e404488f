//! The statistics pages and the figures other pages embed: prepared once per loaded site (they
//! depend only on data, templates and configuration), so `serve` keeps them between saves.

use super::templates::{self, Globals, Templates};
use crate::diagnostics::Diagnostic;
use crate::load::Site;
use crate::output::Output;
use crate::stats::pages::{Prepared, svg};
use crate::stats::view::{QuestionView, StatLabels};
use crate::urls::{Urls, figure_key, output_path};
use minijinja::Value;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

const TEMPLATES: [&str; 4] = [
    "partials/grafiek.html",
    "cijfers.html",
    "cijfers-meting.html",
    "cijfers-vraag.html",
];

pub struct Statistics {
    pub prepared: Prepared,
    labels: StatLabels,
    /// `meting/vraag-id` -> the figure's HTML.
    figures: BTreeMap<String, String>,
    /// Role -> the figures of the questions about it, for `stat_figures(role)`.
    pub by_role: BTreeMap<String, Vec<String>>,
    /// The key-figure series' figures, in id order, for the overview page.
    series: Vec<String>,
}

impl Statistics {
    pub fn new(
        site: &Site,
        urls: &Urls,
        templates: &Templates,
        globals: &Arc<Globals>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Statistics {
        let labels = StatLabels::from_strings(&site.theme.strings);
        let prepared = crate::stats::pages::prepare(&site.config, &site.waves, &labels, urls);
        let mut figures = BTreeMap::new();
        if !prepared.questions.is_empty() {
            check_templates(templates, &site.config.theme, diagnostics);
            figures = render_figures(&prepared, &labels, templates, globals, diagnostics);
        }
        let mut series = Vec::new();
        for s in crate::stats::series::from_tree(&site.data_tree, &site.config) {
            let key = format!("{}/{}", crate::stats::series::FOLDER, s.id);
            let vars = minijinja::context! {
                s => Value::from_serialize(&s),
                svg => Value::from_safe_string(crate::stats::series::chart(&s, &format!("grafiek-reeks-{}", s.id))),
            };
            match templates.render("partials/reeks.html", templates::context(vars, globals)) {
                Ok(html) => {
                    figures.insert(key, html.clone());
                    series.push(html);
                }
                Err(d) => {
                    diagnostics.push(d);
                    break;
                }
            }
        }
        let mut by_role: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for wave in &prepared.waves {
            for q in prepared.questions.iter().filter(|q| q.wave == wave.id) {
                for role in &q.roles {
                    if let Some(html) = figures.get(&figure_key(&q.wave, &q.id)) {
                        by_role.entry(role.clone()).or_default().push(html.clone());
                    }
                }
            }
        }
        Statistics {
            prepared,
            labels,
            figures,
            by_role,
            series,
        }
    }

    /// The figure HTML for a short-code key (`vraag-id` or `meting/vraag-id`).
    pub fn figure(&self, key: &str) -> Option<&str> {
        match self.prepared.resolve(key) {
            Some(q) => self.figures.get(&figure_key(&q.wave, &q.id)),
            // A series: `reeksen/<id>`.
            None => self.figures.get(key),
        }
        .map(String::as_str)
    }

    /// Every statistics page and download into `output`.
    pub fn render(
        &self,
        urls: &Urls,
        templates: &Templates,
        globals: &Arc<Globals>,
        output: &mut Output,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        if self.prepared.questions.is_empty() {
            return;
        }
        let results: Vec<Result<(String, Vec<u8>), Diagnostic>> = self
            .jobs(urls)
            .into_par_iter()
            .map(|(template, url, vars)| {
                let vars = minijinja::context! { current_url => urls.link(&url), ..vars };
                let html = templates.render(template, templates::context(vars, globals))?;
                Ok((output_path(&url), html.into_bytes()))
            })
            .collect();
        super::collect::insert_rendered(results, output, diagnostics);
        for (path, bytes) in &self.prepared.files {
            output.insert(path.clone(), bytes.clone());
        }
    }

    /// (template, site URL, variables) of every statistics page.
    fn jobs(&self, urls: &Urls) -> Vec<(&'static str, String, Value)> {
        let cijfers_url = urls.link(&urls.statistics());
        let mut jobs: Vec<(&str, String, Value)> = vec![(
            "cijfers.html",
            urls.statistics(),
            minijinja::context! {
                waves => Value::from_serialize(&self.prepared.waves),
                reeksen => self.series.iter().map(|h| Value::from_safe_string(h.clone())).collect::<Vec<_>>(),
            },
        )];
        for wave in &self.prepared.waves {
            // A wave lists all its questions: made into a value once, shared by its question pages.
            let wave_value = Value::from_serialize(wave);
            jobs.push((
                "cijfers-meting.html",
                urls.wave(&wave.id),
                minijinja::context! { wave => wave_value.clone(), cijfers_url => cijfers_url.clone() },
            ));
            for q in self.prepared.questions.iter().filter(|q| q.wave == wave.id) {
                let vars = minijinja::context! {
                    wave => wave_value.clone(),
                    cijfers_url => cijfers_url.clone(),
                    ..self.question_vars(q)
                };
                jobs.push(("cijfers-vraag.html", urls.question(&wave.id, &q.id), vars));
            }
        }
        jobs
    }

    /// A question page's own variables: its chart, the paired question and the other waves.
    fn question_vars(&self, q: &QuestionView) -> Value {
        let labels = &self.labels;
        let pair = q
            .pair
            .as_ref()
            .and_then(|p| self.prepared.question(&q.wave, p));
        let mut compare: Vec<&QuestionView> = self
            .prepared
            .questions
            .iter()
            .filter(|other| other.id == q.id)
            .collect();
        compare.sort_by_key(|v| (v.year, v.wave.clone()));
        // One chart on one scale when both groups' shares are known; otherwise each on its own.
        let compare_svg = pair.filter(|p| p.n.is_some() && q.n.is_some()).map(|p| {
            Value::from_safe_string(crate::stats::compare::compare_chart(
                q,
                p,
                labels,
                &format!("grafiek-vergelijking-{}-{}", q.wave, q.id),
            ))
        });
        minijinja::context! {
            q => Value::from_serialize(q),
            svg => Value::from_safe_string(svg(q, labels, "vraag")),
            compare_svg,
            same_wording => pair.is_some_and(|p| p.text == q.text),
            svg_naast => pair.map(|_| Value::from_safe_string(svg(q, labels, "naast"))),
            pair => pair.map(Value::from_serialize),
            pair_svg => pair.map(|p| Value::from_safe_string(svg(p, labels, "paar"))),
            compare => if compare.len() > 1 { Value::from_serialize(&compare) } else { Value::from(()) },
        }
    }

    /// The statistics question pages, for the search index: their URL, question and roles.
    pub fn question_pages(&self, urls: &Urls) -> Vec<(String, &QuestionView)> {
        self.prepared
            .questions
            .iter()
            .map(|q| (urls.question(&q.wave, &q.id), q))
            .collect()
    }
}

fn check_templates(templates: &Templates, theme: &str, diagnostics: &mut Vec<Diagnostic>) {
    for name in TEMPLATES {
        if !templates.has(name) {
            diagnostics.push(
                Diagnostic::error(
                    format!("themes/{theme}/templates/{name}"),
                    0,
                    0,
                    format!("de template `{name}` ontbreekt; die is nodig voor de cijferpagina's"),
                )
                .help("voeg de template toe aan het thema of aan templates/ van de site"),
            );
        }
    }
}

/// Every question's figure, in parallel: a survey has hundreds of questions.
fn render_figures(
    prepared: &Prepared,
    labels: &StatLabels,
    templates: &Templates,
    globals: &Arc<Globals>,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, String> {
    let rendered: Vec<Result<(String, String), Diagnostic>> = prepared
        .questions
        .par_iter()
        .map(|q| {
            // Embedded elsewhere (role pages, shortcode): the figure links to its question page.
            let vars = minijinja::context! {
                q => Value::from_serialize(q),
                svg => Value::from_safe_string(svg(q, labels, "figuur")),
                embedded => true,
            };
            templates
                .render("partials/grafiek.html", templates::context(vars, globals))
                .map(|html| (figure_key(&q.wave, &q.id), html))
        })
        .collect();
    let mut figures = BTreeMap::new();
    // One template error is reported once, not once per question.
    for figure in rendered {
        match figure {
            Ok((key, html)) => {
                figures.insert(key, html);
            }
            Err(d) => {
                diagnostics.push(d);
                break;
            }
        }
    }
    figures
}
