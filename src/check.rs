//! Stage 2, check: what no single file can tell. Two sources claiming one URL, menu entries that
//! point nowhere, and (once every page has its heading ids) links to anchors that do not exist.

use crate::config::CONFIG_FILE;
use crate::content::{self, Content};
use crate::diagnostics::Diagnostic;
use crate::load::Site;
use crate::markdown::{LinkForm, Rendered, SiteLink};
use crate::urls::{self, Urls};
use std::collections::{BTreeMap, HashMap, HashSet};

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
    /// Files the build writes (`sitemap.xml`, `css/site.css`) by URL key: no page may make a
    /// folder of that name, nor of a folder above it.
    files: BTreeMap<String, String>,
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
        let mut folders = key.match_indices('/').skip(1).map(|(i, _)| &key[..=i]);
        let file = folders.find_map(|folder| self.files.get(folder));
        if let Some(first) = self.claimed.get(&key).or(file) {
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

/// Files every site or its theme writes: a page or alias at one of these paths would make a
/// folder where the file must go.
const SITE_FILES: [&str; 5] = [
    "sitemap.xml",
    "robots.txt",
    "atom.xml",
    urls::NOT_FOUND_FILE,
    ".well-known/security.txt",
];

/// Two sources may not claim one URL; taxonomy pages, statistics, search and aliases count too.
/// Returns the URLs of the generated listing pages.
fn claimed_urls(site: &Site, search: bool, diagnostics: &mut Vec<Diagnostic>) -> Vec<String> {
    let mut claims = Claims {
        claimed: BTreeMap::new(),
        files: BTreeMap::new(),
    };
    for file in SITE_FILES {
        claims
            .files
            .insert(url_key(&format!("/{file}/")), format!("het bestand {file}"));
    }
    for file in site.theme.static_files.keys() {
        let by = format!("het bestand {file} uit static/");
        claims.files.insert(url_key(&format!("/{file}/")), by);
    }
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
        let rel = item.target.trim_start_matches('/');
        if item.target.ends_with(".md")
            && !site.content.by_rel.contains_key(rel)
            && !site.content.failed.contains_key(rel)
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

/// Everything a link may point at once the site is rendered.
#[derive(Default)]
pub struct Targets {
    /// Site URL of every content page -> its index.
    content: HashMap<String, usize>,
    /// Site URL of every other page -> the ids on it, when they are known.
    pages: HashMap<String, Option<Vec<String>>>,
    /// Output path of every other file: `css/site.css`.
    files: HashSet<String>,
}

impl Targets {
    pub fn new(content: &Content) -> Targets {
        Targets {
            content: content
                .pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.url.clone(), i))
                .collect(),
            // A page that failed to load exists for links: its own error is the one to fix.
            pages: content
                .failed
                .values()
                .map(|url| (url.clone(), None))
                .collect(),
            ..Targets::default()
        }
    }

    /// A generated page; `ids` `None` when its anchors cannot be checked.
    pub fn add_page(&mut self, site_url: String, ids: Option<Vec<String>>) {
        self.pages.insert(site_url, ids);
    }

    pub fn add_file(&mut self, path: String) {
        self.files.insert(path);
    }

    /// The ids on the page at `url` (`Some(None)`: the page exists, its ids are not known).
    fn find<'a, R: AsRef<Rendered>>(
        &'a self,
        url: &str,
        rendered: &'a [R],
    ) -> Option<Option<&'a [String]>> {
        if let Some(i) = self.content.get(url) {
            return Some(rendered.get(*i).map(|r| r.as_ref().ids.as_slice()));
        }
        if let Some(ids) = self.pages.get(url) {
            return Some(ids.as_deref());
        }
        self.files
            .contains(url.trim_start_matches('/'))
            .then_some(None)
    }

    fn candidates(&self) -> impl Iterator<Item = &str> {
        self.content
            .keys()
            .chain(self.pages.keys())
            .map(String::as_str)
    }
}

/// Links written as URLs (`/cijfers/`, `../financier/`, `https://<base_url>/…`) from `pages`, to
/// pages and files of the site, with their anchors.
pub fn site_links<R: AsRef<Rendered>>(
    content: &Content,
    rendered: &[R],
    pages: impl Iterator<Item = usize>,
    targets: &Targets,
    urls: &Urls,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for i in pages {
        let (Some(page), Some(r)) = (content.pages.get(i), rendered.get(i)) else {
            continue;
        };
        for link in &r.as_ref().site_links {
            // A folder asked for without its `/` is redirected to it by every web server.
            let found = targets.find(&link.url, rendered).or_else(|| {
                (!link.url.ends_with('/'))
                    .then(|| targets.find(&format!("{}/", link.url), rendered))
                    .flatten()
            });
            let problem = match (found, &link.anchor) {
                (None, _) => Some((
                    format!(
                        "de link `{}` wijst naar een pagina die niet bestaat ({})",
                        link.written, link.url
                    ),
                    broken_link_help(link, &page.url, targets, urls),
                )),
                (Some(Some(ids)), Some(anchor)) if !ids.contains(anchor) => Some((
                    format!("de kop `#{anchor}` bestaat niet op {}", link.url),
                    anchor_help(anchor, ids),
                )),
                _ => None,
            };
            if let Some((message, help)) = problem {
                diagnostics.push(
                    Diagnostic::error(&page.source, link.line, link.column, message).help(help),
                );
            }
        }
    }
}

/// The nearest page, written the way the editor wrote the link.
fn broken_link_help(link: &SiteLink, from_url: &str, targets: &Targets, urls: &Urls) -> String {
    let Some(near) = crate::diagnostics::nearest(&link.url, targets.candidates()) else {
        return "controleer het adres; u kunt ook naar het .md-bestand van de pagina linken, zoals `../rollen/financier.md`".to_string();
    };
    let written = match link.form {
        LinkForm::Root => near.to_string(),
        LinkForm::Absolute => urls.permalink(near),
        LinkForm::Relative => urls::relative_path(from_url, near.trim_start_matches('/')),
    };
    let anchor = link
        .anchor
        .as_ref()
        .map_or_else(String::new, |a| format!("#{a}"));
    format!("bedoelt u `{written}{anchor}`?")
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
            files: BTreeMap::from([(
                "/robots.txt/".to_string(),
                "het bestand robots.txt".to_string(),
            )]),
        };
        let mut diagnostics = Vec::new();
        assert!(!claims.claim(
            "/robots.txt/",
            "alias".into(),
            ("content/r.md", 4, 2),
            &mut diagnostics
        ));
        assert!(!claims.claim(
            "/robots.txt/x/",
            "alias".into(),
            ("content/r.md", 5, 2),
            &mut diagnostics
        ));
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
            [
                "content/r.md:4:2 de URL /robots.txt/ wordt al gebruikt door het bestand robots.txt",
                "content/r.md:5:2 de URL /robots.txt/x/ wordt al gebruikt door het bestand robots.txt",
                "content/A.md:2:3 de URL /A/ wordt al gebruikt door content/a.md"
            ]
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
