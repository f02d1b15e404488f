//! One content page through its template.

use super::State;
use super::print::{self, is_print_page};
use super::templates::context_of;
use super::view::{Link, PageContext, SectionContext};
use crate::content::{Kind, Page};
use crate::diagnostics::Diagnostic;
use crate::load::Site;
use crate::markdown::{Rendered, figure};
use crate::urls::output_path;
use minijinja::Value;

impl State {
    /// Page `i` through its template: its output path and bytes. `all` is every page's rendered
    /// Markdown, which only print pages use.
    pub fn render_page<R: AsRef<Rendered>>(
        &self,
        site: &Site,
        i: usize,
        rendered: &Rendered,
        all: &[R],
    ) -> Result<(String, Vec<u8>), Diagnostic> {
        let content = &site.content;
        let listings = &self.listings;
        let page = content
            .pages
            .get(i)
            .ok_or_else(|| Diagnostic::error("", 0, 0, "interne fout: pagina ontbreekt"))?;
        let summary = listings
            .summaries
            .get(i)
            .ok_or_else(|| Diagnostic::error("", 0, 0, "interne fout"))?;
        let (previous, next) = self.neighbours(site, i, page);
        let page_context = PageContext {
            title: &page.meta.title,
            description: &page.meta.description,
            url: summary.url.clone(),
            permalink: self.urls.permalink(&page.url),
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
            breadcrumbs: self.breadcrumbs(site, page),
            previous,
            next,
            section: page.parent.and_then(|p| listings.link(p)),
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
                    .filter_map(|c| listings.summaries.get(*c))
                    .collect(),
                subsections: page
                    .subsections
                    .iter()
                    .filter_map(|c| listings.summaries.get(*c))
                    .collect(),
            };
            vars.push(("section".to_string(), Value::from_serialize(&section)));
        }
        let template = self.template_of(page)?;
        if is_print_page(page) {
            let pages = print::print_pages(content, listings, i, all);
            vars.push(("print_pages".to_string(), Value::from_serialize(pages)));
        }
        let html = self
            .templates
            .render(template, context_of(vars, &self.globals))?;
        let html = figure::replace_placeholders(html, |key| self.statistics.figure(key));
        Ok((output_path(&page.url), html.into_bytes()))
    }

    fn template_of<'p>(&self, page: &'p Page) -> Result<&'p str, Diagnostic> {
        Ok(match (&page.meta.template, page.kind) {
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
        })
    }

    fn breadcrumbs(&self, site: &Site, page: &Page) -> Vec<Link> {
        let mut breadcrumbs = Vec::new();
        let mut parent = page.parent;
        while let Some(p) = parent {
            breadcrumbs.extend(self.listings.link(p));
            parent = site.content.pages.get(p).and_then(|x| x.parent);
        }
        breadcrumbs.reverse();
        breadcrumbs
    }

    /// The pages before and after a page in its section.
    fn neighbours(&self, site: &Site, i: usize, page: &Page) -> (Option<Link>, Option<Link>) {
        let section = page.parent.and_then(|p| site.content.pages.get(p));
        match (page.kind, section) {
            (Kind::Page, Some(section)) => {
                let pos = self.listings.positions.get(i).copied().flatten();
                let at = |p: Option<usize>| {
                    p.and_then(|p| section.children.get(p))
                        .and_then(|c| self.listings.link(*c))
                };
                (
                    at(pos.and_then(|p| p.checked_sub(1))),
                    at(pos.and_then(|p| p.checked_add(1))),
                )
            }
            _ => (None, None),
        }
    }
}
