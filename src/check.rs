//! Stage 2, check: what no single file can tell. Two sources claiming one URL, menu entries that
//! point nowhere, and (once every page has its heading ids) links to anchors that do not exist.

use crate::config::CONFIG_FILE;
use crate::content::{self, Content};
use crate::diagnostics::Diagnostic;
use crate::load::Site;
use crate::markdown::Rendered;
use crate::urls::{self, Urls};
use std::collections::BTreeMap;

/// What the checks found that later stages use.
pub struct Checked {
    /// The site URLs of generated pages that are not content pages or aliases (taxonomies, terms,
    /// search, statistics), for the sitemap.
    pub listing_urls: Vec<String>,
}

/// The checks that need the whole loaded site. `search`: whether the theme makes a search page.
pub fn site(site: &Site, search: bool, diagnostics: &mut Vec<Diagnostic>) -> Checked {
    let listing_urls = claimed_urls(site, search, diagnostics);
    check_menu(site, diagnostics);
    Checked { listing_urls }
}

/// Who claimed a URL first, and where a later claim is reported.
struct Claims {
    claimed: BTreeMap<String, String>,
}

impl Claims {
    fn claim(
        &mut self,
        url: &str,
        by: String,
        place: (&str, usize, usize),
        diagnostics: &mut Vec<Diagnostic>,
    ) -> bool {
        let key = url_key(url);
        if let Some(first) = self.claimed.get(&key) {
            diagnostics.push(
                Diagnostic::error(place.0, place.1, place.2, format!("de URL {url} wordt al gebruikt door {first}"))
                    .help("geef een van beide een andere bestandsnaam of `slug`; hoofdletters en accenten tellen niet als verschil"),
            );
            return false;
        }
        self.claimed.insert(key, by);
        true
    }
}

/// Two sources may not claim one URL; taxonomy pages, statistics, search and aliases count too.
/// Returns the URLs of the generated listing pages.
fn claimed_urls(site: &Site, search: bool, diagnostics: &mut Vec<Diagnostic>) -> Vec<String> {
    let mut claims = Claims {
        claimed: BTreeMap::new(),
    };
    let mut listings = Vec::new();
    let content = &site.content;
    for page in &content.pages {
        let pos = content::pos_of(&page.meta.slug);
        let place = (page.source.as_str(), pos.line, pos.column);
        claims.claim(&page.url, page.source.clone(), place, diagnostics);
    }
    let config_place = (CONFIG_FILE, 0, 0);
    for taxonomy in &site.config.taxonomies {
        let url = Urls::taxonomy(&taxonomy.name);
        let by = format!("taxonomie {}", taxonomy.name);
        claims.claim(&url, by, config_place, diagnostics);
        listings.push(url);
        for term in &taxonomy.terms {
            let url = Urls::term(&taxonomy.name, &term.slug);
            claims.claim(
                &url,
                format!("term {}", term.slug),
                config_place,
                diagnostics,
            );
            listings.push(url);
        }
    }
    if search {
        let by = "de zoekpagina".to_string();
        claims.claim(urls::SEARCH, by, config_place, diagnostics);
        listings.push(urls::SEARCH.to_string());
    }
    let scheme = Urls::new(&site.config);
    for (url, wave) in crate::stats::pages::urls(&scheme, &site.waves) {
        let by = format!("de cijfers uit {wave}");
        claims.claim(&url, by, (wave.as_str(), 0, 0), diagnostics);
        listings.push(url);
    }
    for page in &content.pages {
        for (alias, pos) in &page.meta.aliases {
            match urls::alias_url(alias) {
                Ok(url) => {
                    let by = format!("alias in {}", page.source);
                    let place = (page.source.as_str(), pos.line, pos.column);
                    claims.claim(&url, by, place, diagnostics);
                }
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
    listings
}

/// Case and Unicode normalisation differences do not make a different file on every disk.
fn url_key(url: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    url.nfc().collect::<String>().to_lowercase()
}

fn check_menu(site: &Site, diagnostics: &mut Vec<Diagnostic>) {
    for item in &site.config.menu {
        if item.target.ends_with(".md")
            && !site
                .content
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

/// Links from `pages` to headings on other pages, checked once every page has its heading ids.
/// `rendered` holds every page's Markdown facts, in page order.
pub fn anchors<R: AsRef<Rendered>>(
    content: &Content,
    rendered: &[R],
    pages: impl Iterator<Item = usize>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for i in pages {
        let (Some(page), Some(r)) = (content.pages.get(i), rendered.get(i)) else {
            continue;
        };
        for link in &r.as_ref().anchor_links {
            let target = content
                .by_rel
                .get(&link.target_rel)
                .and_then(|t| rendered.get(*t))
                .map(AsRef::as_ref);
            let Some(target) = target else {
                continue;
            };
            if target.ids.contains(&link.anchor) {
                continue;
            }
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
                .help(anchor_help(&link.anchor, &target.ids)),
            );
        }
    }
}

fn anchor_help(anchor: &str, ids: &[String]) -> String {
    match crate::diagnostics::nearest(anchor, ids.iter().map(String::as_str)) {
        Some(near) => format!(
            "bedoelt u `#{near}`? Koppen op die pagina: {}",
            ids.join(", ")
        ),
        None if ids.is_empty() => "die pagina heeft geen koppen".to_string(),
        None => format!("koppen op die pagina: {}", ids.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_that_differ_only_in_case_or_normalisation_clash() {
        assert_eq!(url_key("/Café/"), url_key("/cafe\u{301}/"));
        assert_eq!(url_key("/ROLLEN/"), "/rollen/");
        let mut claims = Claims {
            claimed: BTreeMap::new(),
        };
        let mut diagnostics = Vec::new();
        assert!(claims.claim(
            "/a/",
            "content/a.md".into(),
            ("content/a.md", 1, 1),
            &mut diagnostics
        ));
        assert!(!claims.claim(
            "/A/",
            "content/A.md".into(),
            ("content/A.md", 2, 3),
            &mut diagnostics
        ));
        let messages: Vec<String> = diagnostics
            .iter()
            .map(|d| format!("{}:{}:{} {}", d.file, d.line, d.column, d.message))
            .collect();
        assert_eq!(
            messages,
            ["content/A.md:2:3 de URL /A/ wordt al gebruikt door content/a.md"]
        );
    }

    #[test]
    fn anchor_help_names_the_nearest_heading() {
        let ids = vec!["tips".to_string(), "achtergrond".to_string()];
        assert_eq!(
            anchor_help("tip", &ids),
            "bedoelt u `#tips`? Koppen op die pagina: tips, achtergrond"
        );
        assert_eq!(anchor_help("x", &[]), "die pagina heeft geen koppen");
        assert_eq!(
            anchor_help("zzzzzz", &ids),
            "koppen op die pagina: tips, achtergrond"
        );
    }
}
