//! The content model: pages and sections from `content/`, their URLs, order and taxonomy terms.

pub mod fields;
pub mod front_matter;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::source;
use crate::yaml::Pos;
use front_matter::FrontMatter;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

pub const CONTENT_DIR: &str = "content";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Home,
    Section,
    Page,
}

#[derive(Clone, Debug)]
pub struct Page {
    /// Path from the site root, e.g. `content/handreiking/rollen/financier.md`.
    pub source: String,
    /// Path inside `content/`, e.g. `handreiking/rollen/financier.md`.
    pub rel: String,
    pub kind: Kind,
    /// Root-relative URL without the base path, always ending in `/`: `/handreiking/rollen/financier/`.
    pub url: String,
    pub meta: FrontMatter,
    /// The line of the file on which the Markdown body starts.
    pub body_line: usize,
    /// Index of the section this page or section belongs to; `None` for the home page.
    pub parent: Option<usize>,
    /// For sections: their pages and subsections, in order.
    pub children: Vec<usize>,
    pub subsections: Vec<usize>,
}

impl Page {
    pub fn is_section(&self) -> bool {
        self.kind != Kind::Page
    }
}

pub struct Content {
    pub pages: Vec<Page>,
    pub by_rel: HashMap<String, usize>,
    pub home: Option<usize>,
    /// Pages whose file could not be read (their errors are reported): `rel` -> the URL the file
    /// name gives. Links to them are not reported as broken too, so one mistake gives one error.
    pub failed: BTreeMap<String, String>,
    /// Every other file in `content/` (images, downloads): its path inside `content/`.
    pub files: Vec<String>,
}

struct Loaded {
    rel: String,
    page: Result<(FrontMatter, String, usize), Vec<Diagnostic>>,
    problems: Vec<Diagnostic>,
}

/// Walks `content/` in a fixed order, reads every Markdown file, and assigns URLs and sections.
/// The pages' Markdown bodies come back beside the content, in page order: rendering consumes them.
pub fn load(
    root: &Path,
    config: &Config,
    drafts: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Content, Vec<String>) {
    let content_dir = root.join(CONTENT_DIR);
    if !content_dir.is_dir() {
        diagnostics.push(
            Diagnostic::error(CONTENT_DIR, 0, 0, "de map content/ ontbreekt")
                .help("maak een map content/ met een _index.md voor de voorpagina, of begin met `handreiking new`"),
        );
    }
    let (files, other): (Vec<String>, Vec<String>) =
        crate::walk::sorted_files(&content_dir, CONTENT_DIR, diagnostics)
            .into_iter()
            .map(|f| f.rel)
            .partition(|rel| rel.ends_with(".md"));

    let loaded: Vec<Loaded> = files
        .par_iter()
        .map(|rel| {
            let (page, problems) = match load_page(&content_dir, rel, config) {
                Ok((meta, body, body_line, problems)) => (Ok((meta, body, body_line)), problems),
                Err(ds) => (Err(ds), Vec::new()),
            };
            Loaded {
                rel: rel.clone(),
                page,
                problems,
            }
        })
        .collect();

    let mut pages = Vec::new();
    let mut bodies = Vec::new();
    let mut failed = BTreeMap::new();
    for Loaded {
        rel,
        page,
        problems,
    } in loaded
    {
        diagnostics.extend(problems);
        match page {
            Ok((meta, body, body_line)) => {
                if meta.draft && !drafts {
                    continue;
                }
                let kind = if rel == "_index.md" {
                    Kind::Home
                } else if rel.ends_with("/_index.md") {
                    Kind::Section
                } else {
                    Kind::Page
                };
                pages.push(Page {
                    source: format!("{CONTENT_DIR}/{rel}"),
                    url: String::new(),
                    rel,
                    kind,
                    meta,
                    body_line,
                    parent: None,
                    children: Vec::new(),
                    subsections: Vec::new(),
                });
                bodies.push(body);
            }
            Err(ds) => {
                diagnostics.extend(ds);
                failed.insert(rel.clone(), default_url(&rel));
            }
        }
    }

    assign_urls(&mut pages, diagnostics);
    let by_rel: HashMap<String, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.rel.clone(), i))
        .collect();
    let home = by_rel.get("_index.md").copied();
    if home.is_none() && content_dir.is_dir() {
        diagnostics.push(
            Diagnostic::error(
                format!("{CONTENT_DIR}/_index.md"),
                0,
                0,
                "de voorpagina content/_index.md ontbreekt",
            )
            .help("maak content/_index.md met front matter en de tekst van de voorpagina"),
        );
    }
    link_sections(&mut pages, &by_rel);
    (
        Content {
            pages,
            by_rel,
            home,
            failed,
            files: other,
        },
        bodies,
    )
}

/// Reads one page: its front matter (with the problems found in it) and body.
pub type LoadedPage = (FrontMatter, String, usize, Vec<Diagnostic>);

pub fn load_page(
    content_dir: &Path,
    rel: &str,
    config: &Config,
) -> Result<LoadedPage, Vec<Diagnostic>> {
    let display = format!("{CONTENT_DIR}/{rel}");
    let text = source::read_text_limited(&content_dir.join(rel), &display, source::PAGE_LIMIT)
        .map_err(|d| vec![d])?;
    let split = front_matter::split(&text, &display).map_err(|d| vec![d])?;
    let (meta, problems) = front_matter::parse(&split, &display, config)?;
    Ok((meta, split.body.to_string(), split.body_line, problems))
}

/// Pretty URLs: `a/b.md` -> `/a/b/`, `a/_index.md` -> `/a/`; `slug` replaces the last part.
fn assign_urls(pages: &mut [Page], diagnostics: &mut Vec<Diagnostic>) {
    let mut bad_folders = std::collections::HashSet::new();
    for page in pages.iter_mut() {
        let without_ext = page.rel.trim_end_matches(".md");
        let mut parts: Vec<String> = without_ext.split('/').map(str::to_string).collect();
        if page.is_section() {
            parts.pop();
        }
        check_path_parts(page, &parts, &mut bad_folders, diagnostics);
        if let Some((slug, pos)) = &page.meta.slug {
            if let Err(message) = check_url_part(slug) {
                diagnostics.push(
                    Diagnostic::error(&page.source, pos.line, pos.column, format!("ongeldige slug `{slug}`: {message}"))
                        .help("een slug is één deel van een URL: kleine letters, cijfers en streepjes, zoals `mijn-pagina`"),
                );
            } else if page.kind == Kind::Home {
                diagnostics.push(Diagnostic::error(
                    &page.source,
                    pos.line,
                    pos.column,
                    "de voorpagina kan geen slug hebben",
                ));
            } else if let Some(last) = parts.last_mut() {
                *last = slug.clone();
            }
        }
        page.url = if parts.is_empty() {
            "/".to_string()
        } else {
            format!("/{}/", parts.join("/"))
        };
    }
}

/// The URL a file name gives, before any `slug`: `a/b.md` -> `/a/b/`, `a/_index.md` -> `/a/`.
fn default_url(rel: &str) -> String {
    let without_ext = rel.trim_end_matches(".md");
    let mut parts: Vec<&str> = without_ext.split('/').collect();
    if parts.last() == Some(&"_index") {
        parts.pop();
    }
    if parts.is_empty() {
        "/".to_string()
    } else {
        format!("/{}/", parts.join("/"))
    }
}

pub use crate::segment::{check_url_part, is_bidi_control};

/// Every folder and file name on the way to a page becomes a URL part, so each passes the same
/// check as `slug:`. A bad folder is reported once, at the folder.
fn check_path_parts(
    page: &Page,
    parts: &[String],
    bad_folders: &mut std::collections::HashSet<String>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut folder = String::from(CONTENT_DIR);
    for (i, part) in parts.iter().enumerate() {
        folder.push('/');
        folder.push_str(part);
        let Err(why) = check_url_part(part) else {
            continue;
        };
        let is_file = page.kind == Kind::Page && i.saturating_add(1) == parts.len();
        if !is_file && !bad_folders.insert(folder.clone()) {
            continue;
        }
        diagnostics.push(if is_file {
            let name = page.rel.rsplit('/').next().unwrap_or(&page.rel);
            Diagnostic::error(
                &page.source,
                0,
                0,
                format!("ongeldige bestandsnaam `{name}`: het URL-deel `{part}` {why}"),
            )
            .help("de bestandsnaam wordt een deel van de URL: hernoem het bestand naar kleine letters, cijfers en streepjes, zoals `mijn-pagina.md`")
        } else {
            Diagnostic::error(
                &folder,
                0,
                0,
                format!("ongeldige mapnaam `{part}`: het URL-deel `{part}` {why}"),
            )
            .help("de mapnaam wordt een deel van de URL: hernoem de map naar kleine letters, cijfers en streepjes, zoals `mijn-sectie`")
        });
    }
}

fn parent_dir(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

fn link_sections(pages: &mut [Page], by_rel: &HashMap<String, usize>) {
    // The section of a file is the nearest folder above it with an _index.md.
    let find_section = |mut dir: &str| -> Option<usize> {
        loop {
            let index = if dir.is_empty() {
                "_index.md".to_string()
            } else {
                format!("{dir}/_index.md")
            };
            if let Some(i) = by_rel.get(&index) {
                return Some(*i);
            }
            if dir.is_empty() {
                return None;
            }
            dir = parent_dir(dir);
        }
    };
    let parents: Vec<Option<usize>> = pages
        .iter()
        .map(|p| match p.kind {
            Kind::Home => None,
            Kind::Section => find_section(parent_dir(parent_dir(&p.rel))),
            Kind::Page => find_section(parent_dir(&p.rel)),
        })
        .collect();
    for (i, parent) in parents.iter().enumerate() {
        if let Some(page) = pages.get_mut(i) {
            page.parent = *parent;
        }
        if let Some(parent) = parent {
            let is_section = pages.get(i).is_some_and(Page::is_section);
            if let Some(section) = pages.get_mut(*parent) {
                if is_section {
                    section.subsections.push(i);
                } else {
                    section.children.push(i);
                }
            }
        }
    }
    sort_sections(pages);
}

/// Orders every section's pages and subsections: weight (unweighted last), date (newest first,
/// undated last), title, path.
pub fn sort_sections(pages: &mut [Page]) {
    let order: Vec<(Option<i64>, Option<String>, String, String)> = pages
        .iter()
        .map(|p| {
            (
                p.meta.weight,
                p.meta.date.clone(),
                p.meta.title.to_lowercase(),
                p.rel.clone(),
            )
        })
        .collect();
    let compare = |a: &usize, b: &usize| {
        let (Some(a), Some(b)) = (order.get(*a), order.get(*b)) else {
            return std::cmp::Ordering::Equal;
        };
        let by_weight = match (a.0, b.0) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        let by_date = match (&a.1, &b.1) {
            (Some(x), Some(y)) => y.cmp(x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        by_weight
            .then(by_date)
            .then_with(|| a.2.cmp(&b.2))
            .then_with(|| a.3.cmp(&b.3))
    };
    for page in pages.iter_mut() {
        page.children.sort_by(compare);
        page.subsections.sort_by(compare);
    }
}

/// Every page in reading order: home, then depth-first through sections.
pub fn reading_order(content: &Content) -> Vec<usize> {
    let mut out = Vec::with_capacity(content.pages.len());
    fn visit(content: &Content, i: usize, out: &mut Vec<usize>) {
        out.push(i);
        if let Some(page) = content.pages.get(i) {
            for child in &page.children {
                out.push(*child);
            }
            for sub in &page.subsections {
                visit(content, *sub, out);
            }
        }
    }
    if let Some(home) = content.home {
        visit(content, home, &mut out);
    }
    out
}

/// Term slug -> pages tagged with it, per taxonomy, in reading order.
pub fn taxonomy_index(
    content: &Content,
    config: &Config,
) -> BTreeMap<String, BTreeMap<String, Vec<usize>>> {
    let mut index: BTreeMap<String, BTreeMap<String, Vec<usize>>> = BTreeMap::new();
    for taxonomy in &config.taxonomies {
        let terms = index.entry(taxonomy.name.clone()).or_default();
        for term in &taxonomy.terms {
            terms.insert(term.slug.clone(), Vec::new());
        }
    }
    for i in reading_order(content) {
        let Some(page) = content.pages.get(i) else {
            continue;
        };
        for (taxonomy, slugs) in &page.meta.terms {
            for slug in slugs {
                if let Some(list) = index.get_mut(taxonomy).and_then(|t| t.get_mut(slug)) {
                    list.push(i);
                }
            }
        }
    }
    index
}

/// Resolves a link target written in `from`'s Markdown to a content file path, e.g.
/// `../rollen/financier.md` from `handreiking/wat.md` -> `rollen/financier.md`.
/// A leading `/` starts at `content/`. Returns `None` when it climbs above `content/`.
pub fn resolve_rel(from_rel: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        parent_dir(from_rel)
            .split('/')
            .filter(|s| !s.is_empty())
            .collect()
    };
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

pub fn pos_of(p: &Option<(String, Pos)>) -> Pos {
    p.as_ref().map(|(_, pos)| *pos).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_markdown_links() {
        assert_eq!(
            resolve_rel("handreiking/wat.md", "rollen/financier.md").as_deref(),
            Some("handreiking/rollen/financier.md")
        );
        assert_eq!(
            resolve_rel("handreiking/rollen/a.md", "../financiering.md").as_deref(),
            Some("handreiking/financiering.md")
        );
        assert_eq!(resolve_rel("a.md", "../x.md"), None);
        assert_eq!(
            resolve_rel("a/b/c.md", "/monitor/_index.md").as_deref(),
            Some("monitor/_index.md")
        );
    }

    #[test]
    fn refuses_url_parts_that_escape() {
        assert!(check_url_part("..").is_err());
        assert!(check_url_part("a/b").is_err());
        assert!(check_url_part("a\\b").is_err());
        assert!(check_url_part("C:").is_err());
        assert!(check_url_part("mijn-pagina").is_ok());
        assert!(check_url_part("ido's").is_ok());
        assert!(check_url_part("'\"onload=\"x").is_err());
        assert!(check_url_part("a\u{202e}b").is_err());
        assert!(check_url_part("a\u{1b}b").is_err());
        assert!(check_url_part(&"a".repeat(255)).is_ok());
        assert!(check_url_part(&"a".repeat(256)).is_err());
    }
}
