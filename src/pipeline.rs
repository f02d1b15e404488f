//! The driver: load -> check -> render -> output. Each stage takes a plain value and hands the next
//! one; this module only sequences them. `build` writes through a `Sink`; `check` discards.

use crate::check::{self, Checked};
use crate::diagnostics::{Diagnostic, Severity};
use crate::load::{self, Site};
use crate::output::{Output, Sink};
use crate::render::{self, KeepHtml, RenderedPage, SearchIndex, State};

pub use crate::load::BuildOptions;

#[derive(Default)]
pub struct BuildResult {
    /// The site's files, for `serve` only: `build` writes them as they are rendered.
    pub output: Output,
    /// How many files the build made.
    pub files: usize,
    pub diagnostics: Vec<Diagnostic>,
    pub pages: usize,
    pub sections: usize,
    /// Facts of the survey sources worth a look (counts above the respondents); `check` prints them.
    pub source_warnings: Vec<Diagnostic>,
    /// The theme's name and UI strings, once `site.yaml` was read (serve watches the theme and
    /// words its error box with them, also when the site has errors).
    pub theme: Option<(String, std::collections::BTreeMap<String, String>)>,
}

/// A rendered site with everything needed to render it again page by page: what `serve` keeps.
pub struct Preview {
    pub site: Site,
    pub checked: Checked,
    pub state: State,
    /// Every page's rendered Markdown, in page order.
    pub pages: Vec<RenderedPage>,
    /// What links may point at.
    pub targets: check::Targets,
}

/// A full build whose files go to `sink` as soon as each is rendered.
pub fn build(options: &BuildOptions, sink: &Sink) -> BuildResult {
    let options_render = render::Options {
        search: SearchIndex::Now,
        keep: KeepHtml::Printed,
    };
    run(options, options_render, sink).0
}

/// A full build in memory, without the search index (serve adds it after the reload), that keeps
/// what `serve` needs to update it page by page. No preview when the site has errors.
pub fn build_preview(options: &BuildOptions) -> (BuildResult, Option<Preview>) {
    let sink = Sink::memory();
    let options_render = render::Options {
        search: SearchIndex::Later,
        keep: KeepHtml::All,
    };
    let (mut result, preview) = run(options, options_render, &sink);
    result.output = sink.into_memory();
    (result, preview)
}

fn run(
    options: &BuildOptions,
    render_options: render::Options,
    sink: &Sink,
) -> (BuildResult, Option<Preview>) {
    let mut diagnostics = Vec::new();
    let Some(load::Loaded { site, bodies }) = load::load(options, &mut diagnostics) else {
        return (
            BuildResult {
                diagnostics,
                ..BuildResult::default()
            },
            None,
        );
    };
    let mut result = BuildResult {
        source_warnings: site.source_warnings.clone(),
        pages: site.page_count(),
        sections: site.section_count(),
        theme: Some((site.config.theme.clone(), site.theme.strings.clone())),
        ..BuildResult::default()
    };
    let search = site.theme.templates.contains_key(render::search::TEMPLATE);
    let checked = check::site(&site, search, &mut diagnostics);
    if has_errors(&diagnostics) {
        render::check_markdown(&site, &bodies, &mut diagnostics);
        result.diagnostics = diagnostics;
        return (result, None);
    }
    let mut stages = crate::profile::Stages::start();
    let state = State::new(&site, &mut diagnostics);
    stages.done("voorbereiden renderen");
    let (pages, targets) = render::site(
        &site,
        &checked,
        &state,
        bodies,
        render_options,
        sink,
        &mut diagnostics,
    );
    result.files = sink.len();
    let failed = has_errors(&diagnostics);
    result.diagnostics = diagnostics;
    let preview = (!failed).then_some(Preview {
        site,
        checked,
        state,
        pages,
        targets,
    });
    (result, preview)
}

pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}
