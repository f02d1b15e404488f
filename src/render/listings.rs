//! Pages made from lists of pages: taxonomy and term pages, the 404 page and alias redirects.

use super::State;
use super::site_files::redirect_page;
use crate::diagnostics::Diagnostic;
use crate::load::Site;
use crate::output::Output;
use crate::urls::{self, Urls, output_path};
use minijinja::Value;
use rayon::prelude::*;

impl State {
    pub fn render_taxonomies(
        &self,
        site: &Site,
        output: &mut Output,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        for (t_index, taxonomy) in site.config.taxonomies.iter().enumerate() {
            let taxonomy_value = Value::from_serialize(
                self.globals
                    .site
                    .get_attr("taxonomies")
                    .and_then(|t| t.get_item(&Value::from(t_index)))
                    .unwrap_or_default(),
            );
            let url = Urls::taxonomy(&taxonomy.name);
            if self.templates.has("taxonomy.html") {
                let vars = minijinja::context! { taxonomy => taxonomy_value.clone(), current_url => self.urls.link(&url) };
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
                    let pages = self.listings.term_pages(&taxonomy.name, &term.slug);
                    let term_url = Urls::term(&taxonomy.name, &term.slug);
                    let vars = minijinja::context! {
                        taxonomy => taxonomy_value.clone(),
                        term => minijinja::context! {
                            slug => term.slug.clone(),
                            label => term.label.clone(),
                            description => term.description.clone(),
                            url => self.urls.link(&term_url),
                            pages => Value::from_serialize(&pages),
                        },
                        current_url => self.urls.link(&term_url),
                    };
                    let html = self.templates.render("term.html", self.context(vars))?;
                    Ok((output_path(&term_url), html.into_bytes()))
                })
                .collect();
            super::collect::insert_rendered(results, output, diagnostics);
        }
    }

    /// The 404 page and a redirect page for every alias.
    pub fn render_special(
        &self,
        site: &Site,
        output: &mut Output,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        if self.templates.has(urls::NOT_FOUND_FILE) {
            let vars = minijinja::context! { current_url => self.urls.link(&format!("/{}", urls::NOT_FOUND_FILE)) };
            match self
                .templates
                .render(urls::NOT_FOUND_FILE, self.context(vars))
            {
                Ok(html) => {
                    output.insert(urls::NOT_FOUND_FILE.to_string(), html.into_bytes());
                }
                Err(d) => diagnostics.push(d),
            }
        }
        for page in &site.content.pages {
            for (alias, _) in &page.meta.aliases {
                let Ok(alias_url) = urls::alias_url(alias) else {
                    continue;
                };
                let target = self.urls.permalink(&page.url);
                let html = if self.templates.has("alias.html") {
                    let vars = minijinja::context! { target => target, current_url => self.urls.link(&alias_url) };
                    match self.templates.render("alias.html", self.context(vars)) {
                        Ok(html) => html,
                        Err(d) => {
                            diagnostics.push(d);
                            continue;
                        }
                    }
                } else {
                    redirect_page(&target)
                };
                output.insert(output_path(&alias_url), html.into_bytes());
            }
        }
    }
}
