//! The one pipeline: load, check, render. `build` writes its Output to disk; `check` only reports.

use crate::config::{self, CONFIG_FILE, Config};
use crate::content::{self, Content, Kind};
use crate::data;
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, Labels, Rendered};
use crate::output::{Output, Sink};
use crate::render::{self, Globals, Strings, Templates};
use crate::site_files;
use crate::stats::model::Wave;
use crate::stats::view::StatLabels;
use crate::theme::{self, Theme};
use minijinja::Value;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

pub struct BuildOptions {
    pub root: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
}

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
}

/// Everything loaded and checked, before templates run.
pub struct Site {
    pub config: Config,
    pub content: Content,
    pub theme: Theme,
    pub data_tree: serde_json::Value,
    pub rendered: Vec<Rendered>,
    pub waves: Vec<Wave>,
    pub source_warnings: Vec<Diagnostic>,
    /// Abbreviation and meaning, from the glossary: synonyms for search.
    pub glossary: Vec<(String, String)>,
    pub markdown: MarkdownInputs,
    pub stats_cache: std::sync::OnceLock<StatsCache>,
}

/// The search page is built when the theme has this template.
const SEARCH_TEMPLATE: &str = "zoeken.html";
const SEARCH_URL: &str = "/zoeken/";

/// A full build whose files go to `sink` as soon as each is rendered.
pub fn build(options: &BuildOptions, sink: &Sink) -> BuildResult {
    build_into(options, true, sink, false).0
}

/// A full build in memory that also returns the loaded site, so `serve` can update it page by
/// page later. `search: false` leaves the search index out (serve adds it after the reload).
pub fn build_keeping_site(options: &BuildOptions, search: bool) -> (BuildResult, Option<Site>) {
    let sink = Sink::memory();
    let (mut result, site) = build_into(options, search, &sink, true);
    result.output = sink.into_memory();
    (result, site)
}

/// `keep_html`: keep every page's rendered Markdown in the returned site (serve re-renders pages
/// from it); a build keeps only what print pages need, so memory does not grow with the site.
fn build_into(
    options: &BuildOptions,
    search: bool,
    sink: &Sink,
    keep_html: bool,
) -> (BuildResult, Option<Site>) {
    let mut diagnostics = Vec::new();
    let Some(mut site) = load(options, &mut diagnostics) else {
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
        pages: site
            .content
            .pages
            .iter()
            .filter(|p| p.kind == Kind::Page)
            .count(),
        sections: site.content.pages.iter().filter(|p| p.is_section()).count(),
        ..BuildResult::default()
    };
    if diagnostics
        .iter()
        .any(|d| d.severity == crate::diagnostics::Severity::Error)
    {
        // Nothing is rendered, but the Markdown's own mistakes are reported in the same run.
        check_markdown(&site, &mut diagnostics);
        result.diagnostics = diagnostics;
        return (result, Some(site));
    }
    render_site(&mut site, search, sink, keep_html, &mut diagnostics);
    result.files = sink.len();
    result.diagnostics = diagnostics;
    (result, Some(site))
}

pub fn load(options: &BuildOptions, diagnostics: &mut Vec<Diagnostic>) -> Option<Site> {
    let mut stages = crate::profile::Stages::start();
    let root = &options.root;
    let config_path = root.join(CONFIG_FILE);
    let text = match content::source::read_text(&config_path, CONFIG_FILE) {
        Ok(text) => text,
        Err(d) => {
            diagnostics.push(d.help("start in de map van de site (met site.yaml), geef --root MAP, of maak een site met `handreiking new`"));
            return None;
        }
    };
    let mut config = match config::parse(&text) {
        Ok(c) => c,
        Err(ds) => {
            diagnostics.extend(ds);
            return None;
        }
    };
    if let Some(base_url) = &options.base_url {
        config.base_url = base_url.clone();
    }

    let theme = theme::load(root, &config.theme, &config.language, diagnostics);
    let data_files = data::load(root, diagnostics);
    let glossary: Vec<(String, String)> = match &config.markdown.abbreviations {
        Some(name) => data::abbreviations(&data_files, name, diagnostics)
            .into_iter()
            .collect(),
        None => Vec::new(),
    };
    let abbreviations: HashMap<String, String> = glossary.iter().cloned().collect();
    let data_tree = data::to_tree(&data_files);
    let mut source_warnings = Vec::new();
    let mut figures = std::collections::HashSet::new();
    let waves = crate::stats::model::load(
        &data_files,
        &config,
        diagnostics,
        &mut source_warnings,
        &mut figures,
    );
    stages.done("config, thema, data");
    let content = content::load(root, &config, options.drafts, diagnostics);
    stages.done("content laden");
    check_urls(
        &content,
        &config,
        &waves,
        theme.templates.contains_key(SEARCH_TEMPLATE),
        diagnostics,
    );

    let markdown = MarkdownInputs::new(&config, &theme, &content, abbreviations, figures);
    check_menu(&config, &content, diagnostics);
    Some(Site {
        config,
        content,
        theme,
        data_tree,
        // Markdown is rendered page by page together with the templates: see `render_site`.
        rendered: Vec::new(),
        waves,
        source_warnings,
        glossary,
        markdown,
        stats_cache: std::sync::OnceLock::new(),
    })
}

/// What rendering Markdown needs besides the page itself; kept so `serve` can re-render one page.
pub struct MarkdownInputs {
    /// Content path -> URL with base path, of every page.
    urls: HashMap<String, String>,
    abbreviations: HashMap<String, String>,
    labels: Labels,
    figures: std::collections::HashSet<String>,
    unsafe_html: bool,
    smart_punctuation: bool,
    /// The words of every page, numbered for the search index.
    pub words: std::sync::Arc<crate::search::record::Words>,
}

impl MarkdownInputs {
    fn new(
        config: &Config,
        theme: &Theme,
        content: &Content,
        abbreviations: HashMap<String, String>,
        figures: std::collections::HashSet<String>,
    ) -> MarkdownInputs {
        let base_path = config.base_path();
        MarkdownInputs {
            urls: content
                .pages
                .iter()
                .map(|p| (p.rel.clone(), format!("{base_path}{}", p.url)))
                .collect(),
            abbreviations,
            labels: Labels {
                heading_anchor: string(theme, "heading_anchor", "#"),
                table_region: string(theme, "table_label", "Tabel"),
                task_done: string(theme, "task_done", "[x]"),
                task_open: string(theme, "task_open", "[ ]"),
            },
            figures,
            unsafe_html: config.markdown.unsafe_html,
            smart_punctuation: config.markdown.smart_punctuation,
            words: crate::search::record::Words::shared(),
        }
    }

    pub fn render(&self, page: &content::Page) -> Rendered {
        self.render_body(page, &page.body)
    }

    /// Renders `body` as the Markdown of `page` (whose own `body` a build has already taken),
    /// with the page's search records.
    pub fn render_body(&self, page: &content::Page, body: &str) -> Rendered {
        let mut rendered = self.render_markdown(page, body);
        // Counted now, while the text is at hand: the index keeps numbers and excerpts only.
        rendered.search = crate::search::record::records(
            &page.meta.title,
            &page.meta.description,
            &rendered.sections,
            &self.words,
        );
        rendered.sections = Vec::new();
        rendered
    }

    /// The Markdown alone: HTML, ids, links and diagnostics, and the text for search.
    fn render_markdown(&self, page: &content::Page, body: &str) -> Rendered {
        let ctx = markdown::Context {
            rel: &page.rel,
            source: &page.source,
            body_line: page.body_line,
            unsafe_html: self.unsafe_html,
            smart_punctuation: self.smart_punctuation,
            urls: &self.urls,
            abbreviations: &self.abbreviations,
            labels: &self.labels,
            figures: &self.figures,
        };
        markdown::render(body, &ctx)
    }
}

/// Links to headings on other pages, checked once every page has its heading ids.
pub fn check_anchors(
    content: &Content,
    rendered: &[Rendered],
    pages: impl Iterator<Item = usize>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for i in pages {
        let (Some(page), Some(r)) = (content.pages.get(i), rendered.get(i)) else {
            continue;
        };
        for link in &r.anchor_links {
            let target = content
                .by_rel
                .get(&link.target_rel)
                .and_then(|t| rendered.get(*t));
            let Some(target) = target else {
                continue;
            };
            if target.ids.contains(&link.anchor) {
                continue;
            }
            let help = match crate::diagnostics::nearest(
                &link.anchor,
                target.ids.iter().map(String::as_str),
            ) {
                Some(near) => format!(
                    "bedoelt u `#{near}`? Koppen op die pagina: {}",
                    target.ids.join(", ")
                ),
                None if target.ids.is_empty() => "die pagina heeft geen koppen".to_string(),
                None => format!("koppen op die pagina: {}", target.ids.join(", ")),
            };
            diagnostics.push(
                Diagnostic::error(
                    &page.source,
                    link.line,
                    link.column,
                    format!(
                        "de kop `#{}` bestaat niet op content/{}",
                        link.anchor, link.target_rel
                    ),
                )
                .help(help),
            );
        }
    }
}

fn string(theme: &Theme, key: &str, fallback: &str) -> String {
    theme
        .strings
        .get(key)
        .cloned()
        .unwrap_or_else(|| fallback.to_string())
}

/// Two sources may not claim one URL; taxonomy pages and aliases count too.
fn check_urls(
    content: &Content,
    config: &Config,
    waves: &[Wave],
    search: bool,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut claimed: BTreeMap<String, String> = BTreeMap::new();
    let mut claim = |url: String,
                     by: String,
                     place: (String, usize, usize),
                     diagnostics: &mut Vec<Diagnostic>| {
        let key = url_key(&url);
        if let Some(first) = claimed.get(&key) {
            diagnostics.push(
                Diagnostic::error(place.0, place.1, place.2, format!("de URL {url} wordt al gebruikt door {first}"))
                    .help("geef een van beide een andere bestandsnaam of `slug`; hoofdletters en accenten tellen niet als verschil"),
            );
        } else {
            claimed.insert(key, by);
        }
    };
    for page in &content.pages {
        let pos = content::pos_of(&page.meta.slug);
        claim(
            page.url.clone(),
            page.source.clone(),
            (page.source.clone(), pos.line, pos.column),
            diagnostics,
        );
    }
    for taxonomy in &config.taxonomies {
        claim(
            format!("/{}/", taxonomy.name),
            format!("taxonomie {}", taxonomy.name),
            (CONFIG_FILE.into(), 0, 0),
            diagnostics,
        );
        for term in &taxonomy.terms {
            claim(
                format!("/{}/{}/", taxonomy.name, term.slug),
                format!("term {}", term.slug),
                (CONFIG_FILE.into(), 0, 0),
                diagnostics,
            );
        }
    }
    if search {
        claim(
            SEARCH_URL.to_string(),
            "de zoekpagina".to_string(),
            (CONFIG_FILE.into(), 0, 0),
            diagnostics,
        );
    }
    for (url, wave) in crate::stats::pages::urls(config, waves) {
        claim(
            url,
            format!("de cijfers uit {wave}"),
            (wave.clone(), 0, 0),
            diagnostics,
        );
    }
    for page in &content.pages {
        for (alias, pos) in &page.meta.aliases {
            match alias_url(alias) {
                Ok(url) => claim(
                    url,
                    format!("alias in {}", page.source),
                    (page.source.clone(), pos.line, pos.column),
                    diagnostics,
                ),
                Err(why) => diagnostics.push(
                    Diagnostic::error(
                        &page.source,
                        pos.line,
                        pos.column,
                        format!("ongeldige alias `{alias}`: {why}"),
                    )
                    .help("een alias is een oud pad op deze site, zoals `/oude-pagina/`"),
                ),
            }
        }
    }
}

/// Case and Unicode normalisation differences do not make a different file on every disk.
fn url_key(url: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    url.nfc().collect::<String>().to_lowercase()
}

/// `/oud/pad` or `oud/pad/` -> `/oud/pad/`, refusing anything that could leave the output root.
pub fn alias_url(alias: &str) -> Result<String, &'static str> {
    if alias.contains('\\') || alias.contains("://") || alias.get(1..2) == Some(":") {
        return Err("mag geen `\\`, schijfletter of volledige URL zijn");
    }
    let parts: Vec<&str> = alias.split('/').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        return Err("mag niet leeg zijn of alleen `/` zijn");
    }
    for part in &parts {
        content::check_url_part(part)?;
    }
    Ok(format!("/{}/", parts.join("/")))
}

fn check_menu(config: &Config, content: &Content, diagnostics: &mut Vec<Diagnostic>) {
    for item in &config.menu {
        if item.target.ends_with(".md")
            && !content
                .by_rel
                .contains_key(item.target.trim_start_matches('/'))
        {
            diagnostics.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    item.pos.line,
                    item.pos.column,
                    format!(
                        "het menu wijst naar content/{}, maar die pagina bestaat niet",
                        item.target
                    ),
                )
                .help("schrijf het pad vanaf content/, zoals `handreiking/_index.md`"),
            );
        }
    }
}

// ---------- what templates see ----------

#[derive(Serialize, Clone)]
struct Link {
    title: String,
    url: String,
}

#[derive(Serialize, Clone)]
struct TermRef {
    slug: String,
    label: String,
    url: String,
}

#[derive(Serialize, Clone)]
struct Summary {
    title: String,
    description: String,
    url: String,
    date: Option<String>,
    terms: BTreeMap<String, Vec<TermRef>>,
}

#[derive(Serialize)]
struct PageContext<'a> {
    title: &'a str,
    description: &'a str,
    url: String,
    permalink: String,
    kind: &'static str,
    date: Option<&'a str>,
    updated: Option<&'a str>,
    content: &'a str,
    toc: &'a [markdown::TocEntry],
    terms: &'a BTreeMap<String, Vec<TermRef>>,
    breadcrumbs: Vec<Link>,
    previous: Option<Link>,
    next: Option<Link>,
    section: Option<Link>,
    reading_minutes: usize,
    source: &'a str,
    extra: &'a serde_json::Value,
}

#[derive(Serialize)]
struct SectionContext<'a> {
    title: &'a str,
    url: String,
    content: &'a str,
    pages: Vec<&'a Summary>,
    subsections: Vec<&'a Summary>,
}

#[derive(Serialize)]
struct TermContext {
    slug: String,
    label: String,
    description: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct TaxonomyContext {
    name: String,
    label: String,
    description: String,
    url: String,
    terms: Vec<TermContext>,
}

#[derive(Serialize)]
struct SiteContext<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    language: &'a str,
    menu: Vec<Link>,
    taxonomies: Vec<TaxonomyContext>,
    extra: &'a serde_json::Value,
}

#[derive(Serialize)]
struct PrintPage<'a> {
    title: &'a str,
    url: String,
    anchor: String,
    content: String,
    toc: &'a [markdown::TocEntry],
}

struct Renderer<'a> {
    site: &'a Site,
    base_path: String,
    templates: Templates,
    globals: Arc<Globals>,
    summaries: Vec<Summary>,
    /// Each page's place among its section's pages, for previous/next without a search per page.
    positions: Vec<Option<usize>>,
    taxonomy_index: BTreeMap<String, BTreeMap<String, Vec<usize>>>,
    stats: &'a crate::stats::pages::Prepared,
    stat_labels: StatLabels,
    /// `meting/vraag-id` -> the figure's HTML.
    figures: &'a BTreeMap<String, String>,
}

/// The statistics pages' data and figures, prepared once per loaded site.
pub struct StatsCache {
    stats: crate::stats::pages::Prepared,
    figures: BTreeMap<String, String>,
    by_role: BTreeMap<String, Vec<String>>,
}

const STAT_TEMPLATES: [&str; 4] = [
    "partials/grafiek.html",
    "cijfers.html",
    "cijfers-meting.html",
    "cijfers-vraag.html",
];

pub fn output_path(url: &str) -> String {
    let trimmed = url.trim_start_matches('/');
    if trimmed.is_empty() {
        "index.html".to_string()
    } else {
        format!("{trimmed}index.html")
    }
}

impl<'a> Renderer<'a> {
    /// Everything the templates need that is the same for every page.
    fn new(site: &'a Site, diagnostics: &mut Vec<Diagnostic>) -> Renderer<'a> {
        let config = &site.config;
        let base_path = config.base_path().to_string();
        let mut templates = Templates::new(&site.theme, diagnostics);
        templates.add_url_functions(config.base(), &base_path);
        let taxonomy_index = content::taxonomy_index(&site.content, config);
        let term_ref = |taxonomy: &str, slug: &str| -> Option<TermRef> {
            let t = config.taxonomy(taxonomy)?;
            let term = t.terms.iter().find(|x| x.slug == slug)?;
            Some(TermRef {
                slug: slug.to_string(),
                label: term.label.clone(),
                url: format!("{base_path}/{taxonomy}/{slug}/"),
            })
        };
        let summaries: Vec<Summary> = site
            .content
            .pages
            .iter()
            .map(|p| Summary {
                title: p.meta.title.clone(),
                description: p.meta.description.clone(),
                url: format!("{base_path}{}", p.url),
                date: p.meta.date.clone(),
                terms: p
                    .meta
                    .terms
                    .iter()
                    .map(|(t, slugs)| {
                        (
                            t.clone(),
                            slugs.iter().filter_map(|s| term_ref(t, s)).collect(),
                        )
                    })
                    .collect(),
            })
            .collect();
        let site_context = SiteContext {
            title: &config.title,
            description: &config.description,
            base_url: config.base(),
            language: &config.language,
            menu: config
                .menu
                .iter()
                .map(|m| Link {
                    title: m.title.clone(),
                    url: if m.target.ends_with(".md") {
                        site.content
                            .by_rel
                            .get(m.target.trim_start_matches('/'))
                            .and_then(|i| summaries.get(*i))
                            .map(|s| s.url.clone())
                            .unwrap_or_default()
                    } else if m.target.starts_with('/') {
                        format!("{base_path}{}", m.target)
                    } else {
                        m.target.clone()
                    },
                })
                .collect(),
            taxonomies: config
                .taxonomies
                .iter()
                .map(|t| TaxonomyContext {
                    name: t.name.clone(),
                    label: t.label.clone(),
                    description: t.description.clone(),
                    url: format!("{base_path}/{}/", t.name),
                    terms: t
                        .terms
                        .iter()
                        .map(|term| TermContext {
                            slug: term.slug.clone(),
                            label: term.label.clone(),
                            description: term.description.clone(),
                            url: format!("{base_path}/{}/{}/", t.name, term.slug),
                            count: taxonomy_index
                                .get(&t.name)
                                .and_then(|m| m.get(&term.slug))
                                .map_or(0, Vec::len),
                        })
                        .collect(),
                })
                .collect(),
            extra: &config.extra,
        };
        let globals = Arc::new(Globals {
            site: Value::from_serialize(&site_context),
            data: Value::from_serialize(&site.data_tree),
            i18n: Value::from_object(Strings::new(&site.theme.strings)),
            build: minijinja::context! {
                generator => "handreiking",
                version => env!("CARGO_PKG_VERSION"),
            },
        });
        let stat_labels = StatLabels::from_strings(&site.theme.strings);
        // Statistics depend only on data, templates and config: `serve` computes them once.
        let cache = site.stats_cache.get_or_init(|| {
            let stats = crate::stats::pages::prepare(config, &site.waves, &stat_labels, &base_path);
            let mut figures: BTreeMap<String, String> = BTreeMap::new();
            if !stats.questions.is_empty() {
                for name in STAT_TEMPLATES {
                    if !templates.has(name) {
                        diagnostics.push(
                        Diagnostic::error(
                            format!("themes/{}/templates/{name}", config.theme),
                            0,
                            0,
                            format!(
                                "de template `{name}` ontbreekt; die is nodig voor de cijferpagina's"
                            ),
                        )
                        .help("voeg de template toe aan het thema of aan templates/ van de site"),
                    );
                    }
                }
                // In parallel: a survey has hundreds of questions.
                let rendered: Vec<Result<(String, String), Diagnostic>> = stats
                    .questions
                    .par_iter()
                    .map(|q| {
                        let vars = minijinja::context! {
                            q => Value::from_serialize(q),
                            svg => Value::from_safe_string(crate::stats::pages::svg(q, &stat_labels, "figuur")),
                        };
                        templates
                            .render(
                                "partials/grafiek.html",
                                render::context(vars, &globals),
                            )
                            .map(|html| (format!("{}/{}", q.wave, q.id), html))
                    })
                    .collect();
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
            }
            let mut by_role: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for wave in &stats.waves {
                for q in stats.questions.iter().filter(|q| q.wave == wave.id) {
                    for role in &q.roles {
                        if let Some(html) = figures.get(&format!("{}/{}", q.wave, q.id)) {
                            by_role.entry(role.clone()).or_default().push(html.clone());
                        }
                    }
                }
            }

            StatsCache { stats, figures, by_role }
        });
        templates.add_figures_by_role(cache.by_role.clone());
        let mut positions = vec![None; site.content.pages.len()];
        for section in &site.content.pages {
            for (pos, child) in section.children.iter().enumerate() {
                if let Some(slot) = positions.get_mut(*child) {
                    *slot = Some(pos);
                }
            }
        }
        Renderer {
            site,
            base_path,
            templates,
            globals,
            summaries,
            positions,
            taxonomy_index,
            stats: &cache.stats,
            stat_labels,
            figures: &cache.figures,
        }
    }
}

/// Renders every page and file of the site into `sink`. Each page goes from Markdown through its
/// template into the sink in one step on one thread, and only what later stages need of it (ids,
/// links, search text) is kept: the site is never held whole in memory.
fn render_site(
    site: &mut Site,
    search: bool,
    sink: &Sink,
    keep_html: bool,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let bodies: Vec<String> = site
        .content
        .pages
        .iter_mut()
        .map(|p| std::mem::take(&mut p.body))
        .collect();
    site.rendered = render_all(site, bodies, search, sink, keep_html, diagnostics);
}

fn render_all(
    site: &Site,
    bodies: Vec<String>,
    search: bool,
    sink: &Sink,
    keep_html: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Rendered> {
    let mut stages = crate::profile::Stages::start();
    let printed = printed_pages(&site.content);
    let renderer = Renderer::new(site, diagnostics);
    stages.done("voorbereiden renderen");
    let results: Vec<(Rendered, Option<Diagnostic>)> = site
        .content
        .pages
        .par_iter()
        .zip(bodies)
        .enumerate()
        .map(|(i, (page, body))| {
            let mut rendered = site.markdown.render_body(page, &body);
            drop(body);
            let mut problem = None;
            // Print pages show other pages' content: they follow once every page is rendered.
            if !is_print_page(page) {
                match renderer.render_page(i, &rendered, &[]) {
                    Ok((path, bytes)) => sink.put(path, bytes),
                    Err(d) => problem = Some(d),
                }
            }
            if !keep_html && !printed.get(i).copied().unwrap_or(false) {
                rendered.html = String::new();
            }
            (rendered, problem)
        })
        .collect();
    let mut rendered = Vec::with_capacity(results.len());
    for (mut r, problem) in results {
        diagnostics.append(&mut r.diagnostics);
        diagnostics.extend(problem);
        rendered.push(r);
    }
    stages.done("pagina's");
    check_anchors(&site.content, &rendered, 0..rendered.len(), diagnostics);
    for (i, page) in site.content.pages.iter().enumerate() {
        if is_print_page(page)
            && let Some(own) = rendered.get(i)
        {
            match renderer.render_page(i, own, &rendered) {
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
        || renderer.render_taxonomies(&mut taxonomy_files, &mut taxonomy_problems),
        || {
            renderer.render_stats(&mut files, diagnostics);
            if search {
                renderer.search_into(
                    &rendered,
                    &files,
                    &|path, bytes| sink.put(path, bytes),
                    diagnostics,
                );
            }
        },
    );
    diagnostics.extend(taxonomy_problems);
    files.extend(taxonomy_files);
    stages.done("taxonomie, cijfers, index");
    renderer.render_special(&mut files, diagnostics);
    site_files::add(site, &renderer.summaries, &mut files);
    sink.put_all(files);
    for (path, bytes) in &site.theme.static_files {
        sink.put_if_absent(path, bytes);
    }
    stages.done("rest");
    rendered
}

/// Renders the Markdown of every page only for its diagnostics (links, anchors, figures).
fn check_markdown(site: &Site, diagnostics: &mut Vec<Diagnostic>) {
    let mut rendered: Vec<Rendered> = site
        .content
        .pages
        .par_iter()
        .map(|page| {
            let mut r = site.markdown.render_markdown(page, &page.body);
            r.html = String::new();
            r.sections = Vec::new();
            r
        })
        .collect();
    for r in &mut rendered {
        diagnostics.append(&mut r.diagnostics);
    }
    check_anchors(&site.content, &rendered, 0..rendered.len(), diagnostics);
}

fn is_print_page(page: &content::Page) -> bool {
    page.meta
        .template
        .as_ref()
        .is_some_and(|(t, _)| t == "print.html")
}

/// Which pages a print page shows: their rendered Markdown is kept until the print page is made.
fn printed_pages(content: &Content) -> Vec<bool> {
    let mut printed = vec![false; content.pages.len()];
    for page in content.pages.iter().filter(|p| is_print_page(p)) {
        if let Some(section) = page.parent {
            for i in section_reading_order(content, section) {
                if let Some(slot) = printed.get_mut(i) {
                    *slot = true;
                }
            }
        }
    }
    printed
}

/// A section, then its pages, then its subsections in the same way.
fn section_reading_order(content: &Content, section: usize) -> Vec<usize> {
    fn visit(content: &Content, i: usize, out: &mut Vec<usize>) {
        out.push(i);
        if let Some(p) = content.pages.get(i) {
            out.extend(p.children.iter().copied());
            for s in &p.subsections {
                visit(content, *s, out);
            }
        }
    }
    let mut order = Vec::new();
    visit(content, section, &mut order);
    order
}

/// Rendered files go into `output` in order; failures become diagnostics.
fn insert_rendered(
    results: Vec<Result<(String, Vec<u8>), Diagnostic>>,
    output: &mut Output,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for result in results {
        match result {
            Ok((path, bytes)) => {
                output.insert(path, bytes);
            }
            Err(d) => diagnostics.push(d),
        }
    }
}

/// Re-renders some pages, and with `listings` also what lists pages (taxonomies, 404, aliases,
/// sitemap, feed), for `serve` after an edit. Statistics pages and the search index are left alone.
pub fn render_update(
    site: &Site,
    pages: &[usize],
    listings: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Output {
    let mut stages = crate::profile::Stages::start();
    let renderer = Renderer::new(site, diagnostics);
    stages.done("bijwerken: voorbereiden");
    let mut output = Output::new();
    let results: Vec<Result<(String, Vec<u8>), Diagnostic>> = pages
        .par_iter()
        .map(|i| match site.rendered.get(*i) {
            Some(own) => renderer.render_page(*i, own, &site.rendered),
            None => Err(Diagnostic::error(
                "",
                0,
                0,
                "interne fout: pagina ontbreekt",
            )),
        })
        .collect();
    insert_rendered(results, &mut output, diagnostics);
    stages.done("bijwerken: pagina's");
    if listings {
        renderer.render_taxonomies(&mut output, diagnostics);
        stages.done("bijwerken: taxonomieën");
        renderer.render_special(&mut output, diagnostics);
        site_files::add(site, &renderer.summaries, &mut output);
        stages.done("bijwerken: sitemap, feed");
    }
    output
}

/// The search page and index over a complete `output`; returns only the search files.
pub fn render_search_files(
    site: &Site,
    output: &Output,
    diagnostics: &mut Vec<Diagnostic>,
) -> Output {
    let renderer = Renderer::new(site, diagnostics);
    let with_search = std::sync::Mutex::new(Output::new());
    renderer.search_into(
        &site.rendered,
        output,
        &|path, bytes| {
            if let Ok(mut files) = with_search.lock() {
                files.insert(path, bytes);
            }
        },
        diagnostics,
    );
    with_search.into_inner().unwrap_or_default()
}

impl Renderer<'_> {
    fn context(&self, extra: Value) -> Value {
        render::context(extra, &self.globals)
    }

    fn url(&self, url: &str) -> String {
        format!("{}{url}", self.base_path)
    }

    fn link(&self, i: usize) -> Option<Link> {
        self.summaries.get(i).map(|s| Link {
            title: s.title.clone(),
            url: s.url.clone(),
        })
    }

    /// Page `i` through its template. `all` is every page's rendered Markdown, which only print
    /// pages use.
    fn render_page(
        &self,
        i: usize,
        rendered: &Rendered,
        all: &[Rendered],
    ) -> Result<(String, Vec<u8>), Diagnostic> {
        let content = &self.site.content;
        let page = content
            .pages
            .get(i)
            .ok_or_else(|| Diagnostic::error("", 0, 0, "interne fout: pagina ontbreekt"))?;
        let mut breadcrumbs = Vec::new();
        let mut parent = page.parent;
        while let Some(p) = parent {
            breadcrumbs.extend(self.link(p));
            parent = content.pages.get(p).and_then(|x| x.parent);
        }
        breadcrumbs.reverse();
        let (previous, next) = match (page.kind, page.parent.and_then(|p| content.pages.get(p))) {
            (Kind::Page, Some(section)) => {
                let pos = self.positions.get(i).copied().flatten();
                let prev = pos
                    .and_then(|p| p.checked_sub(1))
                    .and_then(|p| section.children.get(p))
                    .and_then(|c| self.link(*c));
                let next = pos
                    .and_then(|p| p.checked_add(1))
                    .and_then(|p| section.children.get(p))
                    .and_then(|c| self.link(*c));
                (prev, next)
            }
            _ => (None, None),
        };
        let summary = self
            .summaries
            .get(i)
            .ok_or_else(|| Diagnostic::error("", 0, 0, "interne fout"))?;
        let page_context = PageContext {
            title: &page.meta.title,
            description: &page.meta.description,
            url: summary.url.clone(),
            permalink: format!("{}{}", self.site.config.base(), page.url),
            kind: match page.kind {
                Kind::Home => "home",
                Kind::Section => "section",
                Kind::Page => "page",
            },
            date: page.meta.date.as_deref(),
            updated: page.meta.updated.as_deref(),
            content: &rendered.html,
            toc: &rendered.toc,
            terms: &summary.terms,
            breadcrumbs,
            previous,
            next,
            section: page.parent.and_then(|p| self.link(p)),
            reading_minutes: rendered.words.div_ceil(200).max(1),
            source: &page.source,
            extra: &page.meta.extra,
        };
        let mut vars = vec![
            ("page".to_string(), Value::from_serialize(&page_context)),
            ("current_url".to_string(), Value::from(summary.url.clone())),
        ];
        if page.is_section() {
            let section = SectionContext {
                title: &page.meta.title,
                url: summary.url.clone(),
                content: &rendered.html,
                pages: page
                    .children
                    .iter()
                    .filter_map(|c| self.summaries.get(*c))
                    .collect(),
                subsections: page
                    .subsections
                    .iter()
                    .filter_map(|c| self.summaries.get(*c))
                    .collect(),
            };
            vars.push(("section".to_string(), Value::from_serialize(&section)));
        }
        let template = match (&page.meta.template, page.kind) {
            (Some((name, pos)), _) => {
                if !self.templates.has(name) {
                    return Err(Diagnostic::error(
                        &page.source,
                        pos.line,
                        pos.column,
                        format!("de template `{name}` bestaat niet"),
                    )
                    .help("maak templates/<naam>.html of kies een template van het thema"));
                }
                name.as_str()
            }
            (None, Kind::Home) if self.templates.has("index.html") => "index.html",
            (None, Kind::Home | Kind::Section) => "section.html",
            (None, Kind::Page) => "page.html",
        };
        if template == "print.html" {
            vars.push((
                "print_pages".to_string(),
                Value::from_serialize(self.print_pages(i, all)),
            ));
        }
        let html = self
            .templates
            .render(template, render::context_of(vars, &self.globals))?;
        let html = self.insert_figures(html);
        Ok((output_path(&page.url), html.into_bytes()))
    }

    /// All pages below the print page's section, in reading order, with ids made unique per page.
    fn print_pages<'r>(&'r self, print_index: usize, all: &'r [Rendered]) -> Vec<PrintPage<'r>> {
        let content = &self.site.content;
        let Some(section) = content.pages.get(print_index).and_then(|p| p.parent) else {
            return Vec::new();
        };
        section_reading_order(content, section)
            .into_iter()
            .filter(|i| *i != print_index)
            .filter_map(|i| {
                let page = content.pages.get(i)?;
                let rendered = all.get(i)?;
                let anchor = format!("p-{}", crate::slug::slugify(&page.url));
                let anchor = if anchor == "p-" {
                    "p-home".to_string()
                } else {
                    anchor
                };
                Some(PrintPage {
                    title: &page.meta.title,
                    url: self.url(&page.url),
                    content: prefix_ids(&rendered.html, &anchor, &rendered.ids),
                    anchor,
                    toc: &rendered.toc,
                })
            })
            .collect()
    }

    /// Hands the search page and the index over every content page and every statistics page in
    /// `output` to `put`, file by file.
    fn search_into(
        &self,
        rendered: &[Rendered],
        output: &Output,
        put: &(dyn Fn(String, Vec<u8>) + Sync),
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        if !self.templates.has(SEARCH_TEMPLATE) {
            return;
        }
        let vars = minijinja::context! { current_url => self.url(SEARCH_URL) };
        match self.templates.render(SEARCH_TEMPLATE, self.context(vars)) {
            Ok(html) => {
                put(output_path(SEARCH_URL), html.into_bytes());
            }
            Err(d) => diagnostics.push(d),
        }
        let config = &self.site.config;
        let kind = |url: &str| {
            config
                .search
                .type_of(url)
                .map_or_else(String::new, |t| t.key.clone())
        };
        let role_taxonomy = &config.statistics.taxonomy;
        let mut pages = Vec::new();
        for (page, rendered) in self.site.content.pages.iter().zip(rendered) {
            if is_print_page(page) {
                continue;
            }
            // The Markdown's own text, collected while it was rendered; the description leads.
            pages.push(crate::search::index::PageInput {
                url: page.url.clone(),
                title: page.meta.title.clone(),
                kind: kind(&page.url),
                roles: page
                    .meta
                    .terms
                    .get(role_taxonomy)
                    .cloned()
                    .unwrap_or_default(),
                records: std::borrow::Cow::Borrowed(&rendered.search),
            });
        }
        let root = &config.statistics.url;
        for q in &self.stats.questions {
            let url = format!("/{root}/{}/{}/", q.wave, q.id);
            if let Some(html) = output.get(&output_path(&url)) {
                pages.push(crate::search::index::PageInput {
                    kind: kind(&url),
                    url,
                    title: q.text.clone(),
                    records: std::borrow::Cow::Owned(crate::search::record::records(
                        &q.text,
                        "",
                        &crate::search::extract::sections(std::str::from_utf8(html).unwrap_or("")),
                        &self.site.markdown.words,
                    )),
                    roles: q.roles.clone(),
                });
            }
        }
        let types: Vec<crate::search::index::Choice> = config
            .search
            .types
            .iter()
            .map(|t| crate::search::index::Choice {
                key: t.key.clone(),
                label: t.label.clone(),
            })
            .collect();
        let roles: Vec<crate::search::index::Choice> = config
            .taxonomy(role_taxonomy)
            .map(|t| {
                t.terms
                    .iter()
                    .map(|term| crate::search::index::Choice {
                        key: term.slug.clone(),
                        label: term.label.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        crate::search::index::build(
            &pages,
            &self.site.markdown.words,
            &self.site.glossary,
            &types,
            &roles,
            put,
        );
    }

    /// Replaces the placeholders that `{{< grafiek … >}}` left in the content.
    fn insert_figures(&self, html: String) -> String {
        const START: &str = "<!--handreiking:grafiek:";
        if !html.contains(START) {
            return html;
        }
        let mut out = String::with_capacity(html.len());
        let mut rest = html.as_str();
        while let Some(i) = rest.find(START) {
            out.push_str(rest.get(..i).unwrap_or(""));
            let after = i
                .checked_add(START.len())
                .and_then(|n| rest.get(n..))
                .unwrap_or("");
            let Some(end) = after.find("-->") else {
                break;
            };
            let key = after.get(..end).unwrap_or("");
            if let Some(q) = self.stats.resolve(key) {
                out.push_str(
                    self.figures
                        .get(&format!("{}/{}", q.wave, q.id))
                        .map_or("", String::as_str),
                );
            }
            rest = end
                .checked_add("-->".len())
                .and_then(|n| after.get(n..))
                .unwrap_or("");
        }
        out.push_str(rest);
        out
    }

    fn render_stats(&self, output: &mut Output, diagnostics: &mut Vec<Diagnostic>) {
        if self.stats.questions.is_empty() {
            return;
        }
        let root = &self.site.config.statistics.url;
        let cijfers_url = self.url(&format!("/{root}/"));
        // (template, URL, variables) of every statistics page, rendered in parallel below.
        let mut jobs: Vec<(&str, String, Value)> = vec![(
            "cijfers.html",
            format!("/{root}/"),
            minijinja::context! { waves => Value::from_serialize(&self.stats.waves) },
        )];
        for wave in &self.stats.waves {
            // A wave lists all its questions: made into a value once, shared by its question pages.
            let wave_value = Value::from_serialize(wave);
            jobs.push((
                "cijfers-meting.html",
                format!("/{root}/{}/", wave.id),
                minijinja::context! { wave => wave_value.clone(), cijfers_url => cijfers_url.clone() },
            ));
            for q in self.stats.questions.iter().filter(|q| q.wave == wave.id) {
                let pair = q
                    .pair
                    .as_ref()
                    .and_then(|p| self.stats.question(&q.wave, p));
                let mut compare: Vec<&crate::stats::view::QuestionView> = self
                    .stats
                    .questions
                    .iter()
                    .filter(|other| other.id == q.id)
                    .collect();
                compare.sort_by_key(|v| (v.year, v.wave.clone()));
                let vars = minijinja::context! {
                    wave => wave_value.clone(),
                    cijfers_url => cijfers_url.clone(),
                    q => Value::from_serialize(q),
                    svg => Value::from_safe_string(crate::stats::pages::svg(q, &self.stat_labels, "vraag")),
                    svg_naast => pair.map(|_| Value::from_safe_string(crate::stats::pages::svg(q, &self.stat_labels, "naast"))),
                    pair => pair.map(Value::from_serialize),
                    pair_svg => pair.map(|p| Value::from_safe_string(crate::stats::pages::svg(p, &self.stat_labels, "paar"))),
                    compare => if compare.len() > 1 { Value::from_serialize(&compare) } else { Value::from(()) },
                };
                jobs.push((
                    "cijfers-vraag.html",
                    format!("/{root}/{}/{}/", wave.id, q.id),
                    vars,
                ));
            }
        }
        let results: Vec<Result<(String, Vec<u8>), Diagnostic>> = jobs
            .into_par_iter()
            .map(|(template, url, vars)| {
                let vars = minijinja::context! { current_url => self.url(&url), ..vars };
                let html = self.templates.render(template, self.context(vars))?;
                Ok((output_path(&url), html.into_bytes()))
            })
            .collect();
        insert_rendered(results, output, diagnostics);
        for (path, bytes) in &self.stats.files {
            output.insert(path.clone(), bytes.clone());
        }
    }

    fn render_taxonomies(&self, output: &mut Output, diagnostics: &mut Vec<Diagnostic>) {
        let config = &self.site.config;
        for (t_index, taxonomy) in config.taxonomies.iter().enumerate() {
            let taxonomy_value = Value::from_serialize(
                self.globals
                    .site
                    .get_attr("taxonomies")
                    .and_then(|t| t.get_item(&Value::from(t_index)))
                    .unwrap_or_default(),
            );
            let url = format!("/{}/", taxonomy.name);
            if self.templates.has("taxonomy.html") {
                let vars = minijinja::context! { taxonomy => taxonomy_value.clone(), current_url => self.url(&url) };
                match self.templates.render("taxonomy.html", self.context(vars)) {
                    Ok(html) => {
                        output.insert(output_path(&url), html.into_bytes());
                    }
                    Err(d) => diagnostics.push(d),
                }
            }
            if !self.templates.has("term.html") {
                continue;
            }
            // Term pages list many pages each: they are rendered in parallel.
            let results: Vec<Result<(String, Vec<u8>), Diagnostic>> = taxonomy
                .terms
                .par_iter()
                .map(|term| {
                    let pages: Vec<&Summary> = self
                        .taxonomy_index
                        .get(&taxonomy.name)
                        .and_then(|m| m.get(&term.slug))
                        .map(|list| list.iter().filter_map(|i| self.summaries.get(*i)).collect())
                        .unwrap_or_default();
                    let term_url = format!("/{}/{}/", taxonomy.name, term.slug);
                    let vars = minijinja::context! {
                        taxonomy => taxonomy_value.clone(),
                        term => minijinja::context! {
                            slug => term.slug.clone(),
                            label => term.label.clone(),
                            description => term.description.clone(),
                            url => self.url(&term_url),
                            pages => Value::from_serialize(&pages),
                        },
                        current_url => self.url(&term_url),
                    };
                    let html = self.templates.render("term.html", self.context(vars))?;
                    Ok((output_path(&term_url), html.into_bytes()))
                })
                .collect();
            insert_rendered(results, output, diagnostics);
        }
    }

    fn render_special(&self, output: &mut Output, diagnostics: &mut Vec<Diagnostic>) {
        if self.templates.has("404.html") {
            let vars = minijinja::context! { current_url => self.url("/404.html") };
            match self.templates.render("404.html", self.context(vars)) {
                Ok(html) => {
                    output.insert("404.html".to_string(), html.into_bytes());
                }
                Err(d) => diagnostics.push(d),
            }
        }
        for page in &self.site.content.pages {
            for (alias, _) in &page.meta.aliases {
                let Ok(alias_url) = alias_url(alias) else {
                    continue;
                };
                let target = format!("{}{}", self.site.config.base(), page.url);
                let html = if self.templates.has("alias.html") {
                    let vars = minijinja::context! { target => target, current_url => self.url(&alias_url) };
                    match self.templates.render("alias.html", self.context(vars)) {
                        Ok(html) => html,
                        Err(d) => {
                            diagnostics.push(d);
                            continue;
                        }
                    }
                } else {
                    site_files::redirect_page(&target)
                };
                output.insert(output_path(&alias_url), html.into_bytes());
            }
        }
    }
}

/// One page's HTML made fit for a page that holds many: ids prefixed (`id="tips"` ->
/// `id="p-x-tips"`, and the links to them) and headings one level down, under the page's own `h2`.
fn prefix_ids(html: &str, prefix: &str, ids: &[String]) -> String {
    let mut out = html.to_string();
    for id in ids {
        out = out
            .replace(&format!("id=\"{id}\""), &format!("id=\"{prefix}--{id}\""))
            .replace(
                &format!("href=\"#{id}\""),
                &format!("href=\"#{prefix}--{id}\""),
            );
    }
    // Deepest first, so a heading is never shifted twice.
    for (level, deeper) in [(5, 6), (4, 5), (3, 4), (2, 3)] {
        out = out
            .replace(&format!("<h{level} "), &format!("<h{deeper} "))
            .replace(&format!("</h{level}>"), &format!("</h{deeper}>"));
    }
    out
}
