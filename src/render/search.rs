//! The search page, and the search index's input: every content page's text records (counted while
//! its Markdown was rendered) and every statistics question page's text.

use super::print::is_print_page;
use super::{RenderedPage, State};
use crate::diagnostics::Diagnostic;
use crate::load::Site;
use crate::output::Output;
use crate::search::index::{Choice, PageInput};
use crate::urls::{self, output_path};
use std::borrow::Cow;

/// The theme makes a search page (and the site an index) when it has this template.
pub const TEMPLATE: &str = "zoeken.html";

impl State {
    /// Whether the theme makes a search page.
    pub fn has_search(&self) -> bool {
        self.templates.has(TEMPLATE)
    }

    /// Hands the search page and the index to `put`, file by file. `output` holds the rendered
    /// statistics pages, whose text is indexed too.
    pub fn render_search(
        &self,
        site: &Site,
        pages: &[RenderedPage],
        output: &Output,
        put: &(dyn Fn(String, Vec<u8>) + Sync),
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        if !self.templates.has(TEMPLATE) {
            return;
        }
        let vars = minijinja::context! { current_url => self.urls.link(urls::SEARCH) };
        match self.templates.render(TEMPLATE, self.context(vars)) {
            Ok(html) => put(output_path(urls::SEARCH), html.into_bytes()),
            Err(d) => diagnostics.push(d),
        }
        let inputs = self.search_inputs(site, pages, output);
        let config = &site.config;
        let choices = |list: Vec<(&String, &String)>| -> Vec<Choice> {
            list.into_iter()
                .map(|(key, label)| Choice {
                    key: key.clone(),
                    label: label.clone(),
                })
                .collect()
        };
        let types = choices(
            config
                .search
                .types
                .iter()
                .map(|t| (&t.key, &t.label))
                .collect(),
        );
        let roles = choices(
            config
                .taxonomy(&config.statistics.taxonomy)
                .map(|t| {
                    t.terms
                        .iter()
                        .map(|term| (&term.slug, &term.label))
                        .collect()
                })
                .unwrap_or_default(),
        );
        crate::search::index::build(&inputs, &self.words, &site.glossary, &types, &roles, put);
    }

    fn search_inputs<'p>(
        &self,
        site: &Site,
        pages: &'p [RenderedPage],
        output: &Output,
    ) -> Vec<PageInput<'p>> {
        let config = &site.config;
        let kind = |url: &str| {
            config
                .search
                .type_of(url)
                .map_or_else(String::new, |t| t.key.clone())
        };
        let role_taxonomy = &config.statistics.taxonomy;
        let glossary_template = config
            .markdown
            .abbreviations
            .as_ref()
            .map(|name| format!("{name}.html"));
        let mut inputs = Vec::new();
        for (page, rendered) in site.content.pages.iter().zip(pages) {
            if is_print_page(page) {
                continue;
            }
            let shows_glossary = glossary_template.is_some()
                && page.meta.template.as_ref().map(|(t, _)| t) == glossary_template.as_ref();
            let records = if shows_glossary {
                let mut records = rendered.search.clone();
                records.extend(self.glossary_records(site, &page.meta.title));
                Cow::Owned(records)
            } else {
                Cow::Borrowed(rendered.search.as_slice())
            };
            inputs.push(PageInput {
                url: page.url.clone(),
                title: page.meta.title.clone(),
                kind: kind(&page.url),
                roles: page
                    .meta
                    .terms
                    .get(role_taxonomy)
                    .cloned()
                    .unwrap_or_default(),
                records,
            });
        }
        for (url, q) in self.statistics.question_pages(&self.urls) {
            // The statistics pages' text is what their template wrote: read back from their HTML.
            let Some(html) = output.get(&output_path(&url)) else {
                continue;
            };
            let sections =
                crate::search::extract::sections(std::str::from_utf8(html).unwrap_or(""));
            inputs.push(PageInput {
                kind: kind(&url),
                url,
                title: q.text.clone(),
                records: Cow::Owned(crate::search::record::records(
                    &q.text,
                    "",
                    &sections,
                    &self.words,
                )),
                roles: q.roles.clone(),
            });
        }
        inputs
    }

    /// The glossary's entries as sections of the page that shows them (the page with the template
    /// named after the glossary file, `afkortingen.html`): a reader who searches for an
    /// abbreviation finds its definition. Anchors follow the theme's template: the abbreviation in
    /// lowercase, spaces as `-`.
    fn glossary_records(&self, site: &Site, title: &str) -> Vec<crate::search::record::Record> {
        let Some(name) = &site.config.markdown.abbreviations else {
            return Vec::new();
        };
        let entries = site
            .data_tree
            .pointer(&format!("/{name}"))
            .and_then(serde_json::Value::as_array);
        let field = |entry: &serde_json::Value, key: &str| {
            entry
                .get(key)
                .and_then(serde_json::Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let sections: Vec<crate::markdown::TextSection> = entries
            .into_iter()
            .flatten()
            .map(|entry| {
                let short = field(entry, "afkorting");
                let meaning = field(entry, "betekenis");
                let explanation = field(entry, "uitleg");
                crate::markdown::TextSection {
                    anchor: short.to_lowercase().replace(' ', "-"),
                    text: format!("{meaning}. {explanation}").trim().to_string(),
                    heading: short,
                }
            })
            .filter(|s| !s.heading.is_empty())
            .collect();
        crate::search::record::records(title, "", &sections, &self.words)
    }
}
