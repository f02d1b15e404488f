//! Stage 3, render: a checked `Site` and its Markdown bodies -> every file of the site, handed to a
//! `Sink` as soon as each is made. `State` holds what is the same for every page (compiled
//! templates, the lists of pages, statistics figures); `serve` keeps it between saves.

mod collect;
mod listings;
mod page;
pub mod print;
pub mod search;
pub mod site_files;
mod statistics;
mod targets;
pub mod templates;
pub mod view;

use crate::check::{self, Checked};
use crate::diagnostics::Diagnostic;
use crate::load::Site;
use crate::markdown::{self, Labels, Rendered};
use crate::output::{Output, Sink};
use crate::search::record::{Record, Words};
use crate::urls::Urls;
use minijinja::Value;
use rayon::prelude::*;
use statistics::Statistics;
use std::collections::HashMap;
use std::sync::Arc;
use templates::{Globals, Strings, Templates};
use view::Listings;

/// A page's rendered Markdown and its search records.
#[derive(Default)]
pub struct RenderedPage {
    pub markdown: Rendered,
    pub search: Vec<Record>,
}

impl AsRef<Rendered> for RenderedPage {
    fn as_ref(&self) -> &Rendered {
        &self.markdown
    }
}

/// Whether the search index is made with the site, or left for later (`serve` adds it after the
/// reload so that saving stays fast).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum SearchIndex {
    Now,
    Later,
}

/// Which pages keep their rendered HTML after the build: all (`serve` re-renders pages from
/// them), or only those a print page shows, so that a build's memory does not grow with the site.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum KeepHtml {
    All,
    Printed,
}

#[derive(Clone, Copy)]
pub struct Options {
    pub search: SearchIndex,
    pub keep: KeepHtml,
}

/// What stays the same from page to page, and in `serve` from save to save.
pub struct State {
    urls: Urls,
    templates: Templates,
    globals: Arc<Globals>,
    listings: Listings,
    statistics: Statistics,
    markdown: markdown::Inputs,
    /// The words of every page, numbered for the search index.
    words: Arc<Words>,
}

impl State {
    pub fn new(site: &Site, diagnostics: &mut Vec<Diagnostic>) -> State {
        let config = &site.config;
        let urls = Urls::new(config);
        let mut templates = Templates::new(&site.theme, diagnostics);
        templates.add_url_functions(urls.base(), urls.base_path());
        let listings = Listings::new(&site.content, config, &urls);
        let globals = Arc::new(globals(site, &listings, &urls));
        let statistics = Statistics::new(site, &urls, &templates, &globals, diagnostics);
        templates.add_figures_by_role(statistics.by_role.clone());
        State {
            markdown: markdown_inputs(site, &urls),
            urls,
            templates,
            globals,
            listings,
            statistics,
            words: Words::shared(),
        }
    }

    pub fn urls(&self) -> &Urls {
        &self.urls
    }

    /// After pages `changed` were edited in `site` (by `serve`) in a way lists show (title, date,
    /// order, terms): their summaries, the order of sections and the term counts. Templates and
    /// statistics stay as they are.
    pub fn pages_changed(&mut self, site: &Site, changed: &[usize]) {
        self.listings
            .update(&site.content, &site.config, &self.urls, changed);
        self.globals = Arc::new(globals(site, &self.listings, &self.urls));
    }

    /// A page's Markdown with its search records.
    pub fn render_markdown(&self, site: &Site, i: usize, body: &str) -> RenderedPage {
        let Some(page) = site.content.pages.get(i) else {
            return RenderedPage::default();
        };
        let mut markdown = self.markdown.render(&page_ref(page), body);
        // Counted now, while the text is at hand: the index keeps numbers and excerpts only.
        let search = crate::search::record::records(
            &page.meta.title,
            &page.meta.description,
            &markdown.sections,
            &self.words,
        );
        markdown.sections = Vec::new();
        RenderedPage { markdown, search }
    }

    fn context(&self, own: Value) -> Value {
        templates::context(own, &self.globals)
    }

    /// The sitemap, robots.txt, feed and security.txt.
    pub fn render_site_files(&self, site: &Site, checked: &Checked, output: &mut Output) {
        let config = &site.config;
        let pages = &site.content.pages;
        let mut sitemap: Vec<(String, Option<&str>)> = pages
            .iter()
            .map(|p| {
                let lastmod = p.meta.updated.as_deref().or(p.meta.date.as_deref());
                (self.urls.permalink(&p.url), lastmod)
            })
            .collect();
        sitemap.extend(
            checked
                .listing_urls
                .iter()
                .map(|url| (self.urls.permalink(url), None)),
        );
        let feed = pages
            .iter()
            .filter(|p| p.kind == crate::content::Kind::Page)
            .filter_map(|p| {
                Some(site_files::FeedEntry {
                    title: &p.meta.title,
                    summary: &p.meta.description,
                    url: self.urls.permalink(&p.url),
                    updated: p.meta.updated.as_deref().or(p.meta.date.as_deref())?,
                    published: p.meta.date.as_deref(),
                })
            })
            .collect();
        let files = site_files::SiteFiles {
            base: self.urls.base(),
            title: &config.title,
            language: &config.language,
            security: config.security.as_ref(),
            sitemap,
            feed,
        };
        site_files::add(files, output);
    }
}

fn globals(site: &Site, listings: &Listings, urls: &Urls) -> Globals {
    let site_context = view::site_context(&site.config, &site.content, listings, urls);
    Globals {
        site: Value::from_serialize(&site_context),
        data: Value::from_serialize(&site.data_tree),
        i18n: Value::from_object(Strings::new(&site.theme.strings)),
        build: minijinja::context! {
            generator => "handreiking",
            version => env!("CARGO_PKG_VERSION"),
        },
    }
}

fn markdown_inputs(site: &Site, urls: &Urls) -> markdown::Inputs {
    let string = |key: &str, fallback: &str| {
        site.theme
            .strings
            .get(key)
            .cloned()
            .unwrap_or_else(|| fallback.to_string())
    };
    markdown::Inputs {
        // Pages that failed to load count too: a link to one is not a second mistake.
        urls: site
            .content
            .pages
            .iter()
            .map(|p| (p.rel.clone(), urls.link(&p.url)))
            .chain(
                site.content
                    .failed
                    .iter()
                    .map(|(rel, url)| (rel.clone(), urls.link(url))),
            )
            .collect(),
        abbreviations: site.glossary.iter().cloned().collect::<HashMap<_, _>>(),
        labels: Labels {
            heading_anchor: string("heading_anchor", "#"),
            table_region: string("table_label", "Tabel"),
            task_done: string("task_done", "[x]"),
            task_open: string("task_open", "[ ]"),
        },
        figures: site.figures.clone(),
        reserved_ids: theme_ids(&site.theme),
        unsafe_html: site.config.markdown.unsafe_html,
        smart_punctuation: site.config.markdown.smart_punctuation,
        base: urls.base().to_string(),
        base_path: urls.base_path().to_string(),
        assets: site.images.catalog.clone(),
    }
}

/// The templates around a content page's Markdown.
const PAGE_TEMPLATES: [&str; 6] = [
    "base.html",
    "page.html",
    "section.html",
    "index.html",
    "print.html",
    "macros.html",
];

/// The ids that the templates around content write as they are (`id="inhoud"`): any content
/// page may carry them.
fn theme_ids(theme: &crate::theme::Theme) -> std::collections::HashSet<String> {
    let mut ids = std::collections::HashSet::new();
    let around_content = PAGE_TEMPLATES
        .iter()
        .filter_map(|name| theme.templates.get(*name));
    for template in around_content {
        for (at, found) in template.source.match_indices("id=\"") {
            let rest = template
                .source
                .get(at.saturating_add(found.len())..)
                .unwrap_or("");
            let value = rest.split('"').next().unwrap_or("");
            let literal = !value.is_empty()
                && value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if literal {
                ids.insert(value.to_string());
            }
        }
    }
    ids
}

fn page_ref(page: &crate::content::Page) -> markdown::PageRef<'_> {
    markdown::PageRef {
        rel: &page.rel,
        url: &page.url,
        source: &page.source,
        body_line: page.body_line,
    }
}

/// Renders every page and file of the site into `sink`. Each page goes from Markdown through its
/// template into the sink in one step on one thread, and only what later stages need of it (ids,
/// links, search records) is kept: the site is never held whole in memory.
pub fn site(
    site: &Site,
    checked: &Checked,
    state: &State,
    bodies: Vec<String>,
    options: Options,
    sink: &Sink,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<RenderedPage>, check::Targets) {
    let mut stages = crate::profile::Stages::start();
    let pages = render_pages(site, state, bodies, options.keep, sink, diagnostics);
    stages.done("pagina's");
    crate::images::variants::publish(&site.images, &site.theme.static_files, sink, diagnostics);
    stages.done("afbeeldingen");
    check::anchors(&site.content, &pages, 0..pages.len(), diagnostics);
    for (i, page) in site.content.pages.iter().enumerate() {
        if print::is_print_page(page)
            && let Some(own) = pages.get(i)
        {
            match state.render_page(site, i, &own.markdown, &pages) {
                Ok((path, bytes)) => sink.put(path, bytes),
                Err(d) => diagnostics.push(d),
            }
        }
    }
    stages.done("links, afdrukpagina's");
    // Taxonomy pages on one side; statistics pages and then the search index (which reads them)
    // on the other: they do not depend on each other, and the index has sequential stretches.
    let mut files = Output::new();
    let mut taxonomy_files = Output::new();
    let mut taxonomy_problems = Vec::new();
    rayon::join(
        || state.render_taxonomies(site, &mut taxonomy_files, &mut taxonomy_problems),
        || {
            state.statistics.render(
                &state.urls,
                &state.templates,
                &state.globals,
                &mut files,
                diagnostics,
            );
            if options.search == SearchIndex::Now {
                let put = |path, bytes| sink.put(path, bytes);
                state.render_search(site, &pages, &files, &put, diagnostics);
            }
        },
    );
    diagnostics.extend(taxonomy_problems);
    files.extend(taxonomy_files);
    stages.done("taxonomie, cijfers, index");
    state.render_special(site, &mut files, diagnostics);
    state.render_site_files(site, checked, &mut files);
    let targets = targets::targets(site, &files, state.has_search());
    let all = 0..pages.len();
    check::site_links(
        &site.content,
        &pages,
        all,
        &targets,
        &state.urls,
        diagnostics,
    );
    sink.put_all(files);
    for (path, bytes) in &site.theme.static_files {
        sink.put_if_absent(path, bytes);
    }
    stages.done("rest");
    (pages, targets)
}

/// Every page's Markdown and, except for print pages (which follow once every page is rendered),
/// its template, in parallel.
fn render_pages(
    site: &Site,
    state: &State,
    bodies: Vec<String>,
    keep: KeepHtml,
    sink: &Sink,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<RenderedPage> {
    let printed = print::printed_pages(&site.content);
    let results: Vec<(RenderedPage, Option<Diagnostic>)> = bodies
        .into_par_iter()
        .enumerate()
        .map(|(i, body)| {
            let mut rendered = state.render_markdown(site, i, &body);
            drop(body);
            let mut problem = None;
            let is_print = site.content.pages.get(i).is_some_and(print::is_print_page);
            if !is_print {
                let all: &[RenderedPage] = &[];
                match state.render_page(site, i, &rendered.markdown, all) {
                    Ok((path, bytes)) => sink.put(path, bytes),
                    Err(d) => problem = Some(d),
                }
            }
            if keep == KeepHtml::Printed && !printed.get(i).copied().unwrap_or(false) {
                rendered.markdown.html = String::new();
            }
            (rendered, problem)
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    for (mut rendered, problem) in results {
        diagnostics.append(&mut rendered.markdown.diagnostics);
        diagnostics.extend(problem);
        pages.push(rendered);
    }
    pages
}

/// The Markdown of every page rendered only for its diagnostics (links, anchors, figures): a site
/// with errors elsewhere is not rendered, but the Markdown's own mistakes are reported in the same
/// run.
pub fn check_markdown(site: &Site, bodies: &[String], diagnostics: &mut Vec<Diagnostic>) {
    let urls = Urls::new(&site.config);
    let inputs = markdown_inputs(site, &urls);
    let mut rendered: Vec<Rendered> = site
        .content
        .pages
        .par_iter()
        .zip(bodies)
        .map(|(page, body)| {
            let mut r = inputs.render(&page_ref(page), body);
            r.html = String::new();
            r.sections = Vec::new();
            r
        })
        .collect();
    for r in &mut rendered {
        diagnostics.append(&mut r.diagnostics);
    }
    check::anchors(&site.content, &rendered, 0..rendered.len(), diagnostics);
}

/// Re-renders pages `pages`, and with `listings` also what lists pages (taxonomies, 404, aliases,
/// sitemap, feed), for `serve` after an edit. Statistics pages and the search index are left alone.
pub fn update(
    site: &Site,
    checked: &Checked,
    state: &State,
    rendered: &[RenderedPage],
    pages: &[usize],
    listings: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Output {
    let mut stages = crate::profile::Stages::start();
    let mut output = Output::new();
    let results: Vec<Result<(String, Vec<u8>), Diagnostic>> = pages
        .par_iter()
        .map(|i| match rendered.get(*i) {
            Some(own) => state.render_page(site, *i, &own.markdown, rendered),
            None => Err(Diagnostic::error(
                "",
                0,
                0,
                "interne fout: pagina ontbreekt",
            )),
        })
        .collect();
    collect::insert_rendered(results, &mut output, diagnostics);
    stages.done("bijwerken: pagina's");
    if listings {
        state.render_taxonomies(site, &mut output, diagnostics);
        stages.done("bijwerken: taxonomieën");
        state.render_special(site, &mut output, diagnostics);
        state.render_site_files(site, checked, &mut output);
        stages.done("bijwerken: sitemap, feed");
    }
    output
}

/// The search page and index over a complete `output`; returns only the search files.
pub fn search_files(
    site: &Site,
    state: &State,
    rendered: &[RenderedPage],
    output: &Output,
    diagnostics: &mut Vec<Diagnostic>,
) -> Output {
    let with_search = std::sync::Mutex::new(Output::new());
    let put = |path, bytes| {
        if let Ok(mut files) = with_search.lock() {
            files.insert(path, bytes);
        }
    };
    state.render_search(site, rendered, output, &put, diagnostics);
    with_search.into_inner().unwrap_or_default()
}
