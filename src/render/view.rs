//! What templates see: plain, serialisable views of the site and its pages.

use crate::config::Config;
use crate::content::{self, Content};
use crate::markdown::TocEntry;
use crate::urls::Urls;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize, Clone)]
pub struct Link {
    pub title: String,
    pub url: String,
}

#[derive(Serialize, Clone)]
pub struct TermRef {
    pub slug: String,
    pub label: String,
    pub url: String,
}

/// A page as lists show it (sections, terms, previous/next).
#[derive(Serialize, Clone)]
pub struct Summary {
    pub title: String,
    pub description: String,
    pub url: String,
    pub date: Option<String>,
    pub terms: BTreeMap<String, Vec<TermRef>>,
}

#[derive(Serialize)]
pub struct PageContext<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub url: String,
    pub permalink: String,
    pub kind: &'static str,
    pub date: Option<&'a str>,
    pub updated: Option<&'a str>,
    pub content: &'a str,
    pub toc: &'a [TocEntry],
    pub terms: &'a BTreeMap<String, Vec<TermRef>>,
    pub breadcrumbs: Vec<Link>,
    pub previous: Option<Link>,
    pub next: Option<Link>,
    pub section: Option<Link>,
    pub reading_minutes: usize,
    pub source: &'a str,
    pub extra: &'a serde_json::Value,
}

#[derive(Serialize)]
pub struct SectionContext<'a> {
    pub title: &'a str,
    pub url: String,
    pub content: &'a str,
    pub pages: Vec<&'a Summary>,
    pub subsections: Vec<&'a Summary>,
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
pub struct SiteContext<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    language: &'a str,
    menu: Vec<Link>,
    taxonomies: Vec<TaxonomyContext>,
    extra: &'a serde_json::Value,
}

/// Term slug -> pages tagged with it, per taxonomy, in reading order.
pub type TaxonomyIndex = BTreeMap<String, BTreeMap<String, Vec<usize>>>;

/// The site's pages as lists show them, kept while the site is served and updated page by page.
pub struct Listings {
    pub summaries: Vec<Summary>,
    /// Each page's place among its section's pages, for previous/next without a search per page.
    pub positions: Vec<Option<usize>>,
    pub taxonomy_index: TaxonomyIndex,
}

impl Listings {
    pub fn new(content: &Content, config: &Config, urls: &Urls) -> Listings {
        Listings {
            summaries: content
                .pages
                .iter()
                .map(|p| summary(p, config, urls))
                .collect(),
            positions: positions(content),
            taxonomy_index: content::taxonomy_index(content, config),
        }
    }

    /// After pages `changed` were edited: their summaries, and the order and term lists of all.
    pub fn update(&mut self, content: &Content, config: &Config, urls: &Urls, changed: &[usize]) {
        for i in changed {
            if let (Some(slot), Some(page)) = (self.summaries.get_mut(*i), content.pages.get(*i)) {
                *slot = summary(page, config, urls);
            }
        }
        self.positions = positions(content);
        self.taxonomy_index = content::taxonomy_index(content, config);
    }

    pub fn link(&self, i: usize) -> Option<Link> {
        self.summaries.get(i).map(|s| Link {
            title: s.title.clone(),
            url: s.url.clone(),
        })
    }

    /// The pages of a term, as summaries.
    pub fn term_pages(&self, taxonomy: &str, term: &str) -> Vec<&Summary> {
        self.taxonomy_index
            .get(taxonomy)
            .and_then(|m| m.get(term))
            .map(|list| list.iter().filter_map(|i| self.summaries.get(*i)).collect())
            .unwrap_or_default()
    }

    fn term_count(&self, taxonomy: &str, term: &str) -> usize {
        self.taxonomy_index
            .get(taxonomy)
            .and_then(|m| m.get(term))
            .map_or(0, Vec::len)
    }
}

fn summary(page: &content::Page, config: &Config, urls: &Urls) -> Summary {
    let term_ref = |taxonomy: &str, slug: &str| -> Option<TermRef> {
        let t = config.taxonomy(taxonomy)?;
        let term = t.terms.iter().find(|x| x.slug == slug)?;
        Some(TermRef {
            slug: slug.to_string(),
            label: term.label.clone(),
            url: urls.link(&Urls::term(taxonomy, slug)),
        })
    };
    Summary {
        title: page.meta.title.clone(),
        description: page.meta.description.clone(),
        url: urls.link(&page.url),
        date: page.meta.date.clone(),
        terms: page
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
    }
}

fn positions(content: &Content) -> Vec<Option<usize>> {
    let mut positions = vec![None; content.pages.len()];
    for section in &content.pages {
        for (pos, child) in section.children.iter().enumerate() {
            if let Some(slot) = positions.get_mut(*child) {
                *slot = Some(pos);
            }
        }
    }
    positions
}

/// `site` in templates: title, menu, taxonomies with their term counts.
pub fn site_context<'a>(
    config: &'a Config,
    content: &Content,
    listings: &Listings,
    urls: &'a Urls,
) -> SiteContext<'a> {
    SiteContext {
        title: &config.title,
        description: &config.description,
        base_url: urls.base(),
        language: &config.language,
        menu: config
            .menu
            .iter()
            .map(|m| Link {
                title: m.title.clone(),
                url: if m.target.ends_with(".md") {
                    content
                        .by_rel
                        .get(m.target.trim_start_matches('/'))
                        .and_then(|i| listings.summaries.get(*i))
                        .map(|s| s.url.clone())
                        .unwrap_or_default()
                } else if m.target.starts_with('/') {
                    urls.link(&m.target)
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
                url: urls.link(&Urls::taxonomy(&t.name)),
                terms: t
                    .terms
                    .iter()
                    .map(|term| TermContext {
                        slug: term.slug.clone(),
                        label: term.label.clone(),
                        description: term.description.clone(),
                        url: urls.link(&Urls::term(&t.name, &term.slug)),
                        count: listings.term_count(&t.name, &term.slug),
                    })
                    .collect(),
            })
            .collect(),
        extra: &config.extra,
    }
}
