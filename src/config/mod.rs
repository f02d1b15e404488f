//! `site.yaml`: the typed site configuration.

mod checks;

pub use checks::{check_base_url, check_link_url};

use crate::diagnostics::{Diagnostic, nearest};
use crate::schema::{Reader, get};
use crate::yaml::{self, Node, Pos, Value};
use checks::{BASE_URL_HELP, LINK_HELP, absolute_link, plain_name};
use serde::Serialize;

pub const CONFIG_FILE: &str = "site.yaml";

#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub language: String,
    pub theme: String,
    pub menu: Vec<MenuItem>,
    pub taxonomies: Vec<Taxonomy>,
    pub markdown: MarkdownOptions,
    pub security: Option<Security>,
    pub statistics: Statistics,
    pub search: Search,
    pub extra: serde_json::Value,
}

/// Page types in search results: the longest matching URL prefix decides.
#[derive(Clone, Debug, Serialize)]
pub struct SearchType {
    pub key: String,
    pub label: String,
    pub path: String,
}

#[derive(Clone, Debug, Serialize, Default)]
pub struct Search {
    pub types: Vec<SearchType>,
}

impl Search {
    pub fn type_of(&self, url: &str) -> Option<&SearchType> {
        self.types
            .iter()
            .filter(|t| url.starts_with(&t.path))
            .max_by_key(|t| t.path.len())
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Statistics {
    /// Folder under `data/` with one YAML file per survey wave.
    pub data: String,
    /// URL part under which the statistics pages are published: `/cijfers/`.
    pub url: String,
    /// Taxonomy whose terms the questions' `roles` must be.
    pub taxonomy: String,
    /// Below this n a question shows the "kleine aantallen" note.
    pub small_n: u64,
}

impl Default for Statistics {
    fn default() -> Self {
        Statistics {
            data: "monitor".into(),
            url: "cijfers".into(),
            taxonomy: "rollen".into(),
            small_n: 30,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct MenuItem {
    pub title: String,
    /// Either a URL (`/zoeken/`, `https://…`) or a content file (`handreiking/_index.md`).
    pub target: String,
    #[serde(skip)]
    pub pos: Pos,
}

#[derive(Clone, Debug, Serialize)]
pub struct Taxonomy {
    pub name: String,
    pub label: String,
    pub description: String,
    pub terms: Vec<Term>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Term {
    pub slug: String,
    pub label: String,
    pub description: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct MarkdownOptions {
    pub unsafe_html: bool,
    pub smart_punctuation: bool,
    /// Name of a data file (without `.yaml`) whose entries mark abbreviations with `<abbr>`.
    pub abbreviations: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Security {
    pub contact: String,
    pub expires: String,
    pub policy: Option<String>,
}

const TOP_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "menu",
    "taxonomies",
    "markdown",
    "security",
    "statistics",
    "search",
    "extra",
];

impl Config {
    /// The base URL without trailing slash, e.g. `https://example.nl` or `https://example.nl/ido`.
    pub fn base(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    /// The path part of the base URL, without trailing slash: `` or `/ido`.
    pub fn base_path(&self) -> &str {
        let base = self.base();
        let after_scheme = base.split_once("://").map_or(base, |(_, after)| after);
        after_scheme.find('/').map_or("", |i| &after_scheme[i..])
    }

    pub fn taxonomy(&self, name: &str) -> Option<&Taxonomy> {
        self.taxonomies.iter().find(|t| t.name == name)
    }
}

pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
    let root = match yaml::parse(text) {
        Ok(node) => node,
        Err(err) => {
            let pos = err.pos.unwrap_or_default();
            return Err(vec![
                Diagnostic::error(
                    CONFIG_FILE,
                    pos.line,
                    pos.column,
                    format!("ongeldige YAML: {}", err.message),
                )
                .help(crate::yaml::help(&err.message)),
            ]);
        }
    };
    let mut r = Reader::new(CONFIG_FILE, 0);
    let config = read_config(&mut r, &root);
    if r.diagnostics.is_empty() {
        config.ok_or_default()
    } else {
        Err(r.diagnostics)
    }
}

trait OkOrDefault {
    fn ok_or_default(self) -> Result<Config, Vec<Diagnostic>>;
}

impl OkOrDefault for Option<Config> {
    fn ok_or_default(self) -> Result<Config, Vec<Diagnostic>> {
        self.ok_or_else(|| {
            vec![Diagnostic::error(
                CONFIG_FILE,
                1,
                1,
                "site.yaml kon niet worden gelezen",
            )]
        })
    }
}

fn read_config(r: &mut Reader, root: &Node) -> Option<Config> {
    let entries = r.map(root, "site.yaml")?;
    r.unknown_keys(entries, TOP_KEYS, "site.yaml");

    let title = match get(entries, "title") {
        Some(node) => r.non_empty_string(node, "title"),
        None => {
            r.error(
                Pos::new(1, 1),
                "site.yaml mist `title`",
                Some("voeg een regel `title: Naam van de site` toe".into()),
            );
            None
        }
    };
    let description = get(entries, "description")
        .and_then(|n| r.string(n, "description"))
        .unwrap_or_default();
    let base_url = match get(entries, "base_url") {
        Some(node) => {
            r.non_empty_string(node, "base_url")
                .and_then(|url| match check_base_url(&url) {
                    Ok(()) => Some(url),
                    Err(why) => {
                        r.error(
                            node.pos,
                            format!("`base_url` {why}, maar is `{url}`"),
                            Some(BASE_URL_HELP.into()),
                        );
                        None
                    }
                })
        }
        None => Some("http://localhost/".to_string()),
    };
    let language = plain_name(
        r,
        get(entries, "language"),
        "language",
        "nl",
        "schrijf een taalcode zoals `nl` of `en`: de naam van een bestand in i18n/ zonder `.yaml`",
    );
    let theme = plain_name(
        r,
        get(entries, "theme"),
        "theme",
        "default",
        "gebruik alleen de naam van een map onder themes/, zoals `default`",
    );
    let menu = get(entries, "menu")
        .map(|n| read_menu(r, n))
        .unwrap_or_default();
    let taxonomies = get(entries, "taxonomies")
        .map(|n| read_taxonomies(r, n))
        .unwrap_or_default();
    let markdown = get(entries, "markdown")
        .map(|n| read_markdown(r, n))
        .unwrap_or(MarkdownOptions {
            unsafe_html: false,
            smart_punctuation: true,
            abbreviations: None,
        });
    let security = get(entries, "security").and_then(|n| read_security(r, n));
    let search = get(entries, "search")
        .map(|n| read_search(r, n))
        .unwrap_or_default();
    let statistics = get(entries, "statistics")
        .map(|n| read_statistics(r, n))
        .unwrap_or_default();
    let extra = get(entries, "extra")
        .map(Node::to_json)
        .unwrap_or(serde_json::Value::Null);
    if let Some(Value::Map(extra_entries)) = get(entries, "extra").map(|n| &n.value)
        && let Some(node) = get(extra_entries, "print_url")
        && let Some(url) = node.as_str()
        && let Err(why) = check_link_url(url)
    {
        r.error(
            node.pos,
            format!("`print_url` `{url}` is geen veilig adres: {why}"),
            Some(LINK_HELP.into()),
        );
    }

    Some(Config {
        title: title?,
        description,
        base_url: base_url?,
        language,
        theme,
        menu,
        taxonomies,
        markdown,
        security,
        statistics,
        search,
        extra,
    })
}

fn read_search(r: &mut Reader, node: &Node) -> Search {
    let mut search = Search::default();
    let Some(entries) = r.map(node, "search") else {
        return search;
    };
    r.unknown_keys(entries, &["types"], "search");
    let Some(types) = get(entries, "types") else {
        return search;
    };
    for item in r.seq(types, "types").unwrap_or(&[]) {
        let Some(te) = r.map(item, "een zoektype") else {
            continue;
        };
        r.unknown_keys(te, &["key", "label", "path"], "een zoektype");
        let key = get(te, "key").and_then(|n| r.non_empty_string(n, "key"));
        let label = get(te, "label").and_then(|n| r.non_empty_string(n, "label"));
        let path = get(te, "path").and_then(|n| r.non_empty_string(n, "path"));
        match (key, label, path) {
            (Some(key), Some(label), Some(path))
                if path.starts_with('/') && path.ends_with('/') =>
            {
                search.types.push(SearchType { key, label, path });
            }
            (Some(_), Some(_), Some(path)) => r.error(
                item.pos,
                format!("`path` moet met `/` beginnen en eindigen, maar is `{path}`"),
                Some("bijvoorbeeld `path: /handreiking/`".into()),
            ),
            _ => r.error(
                item.pos,
                "een zoektype heeft `key`, `label` en `path` nodig",
                Some("bijvoorbeeld `{key: monitor, label: Monitor, path: /monitor/}`".into()),
            ),
        }
    }
    search
}

fn read_statistics(r: &mut Reader, node: &Node) -> Statistics {
    let mut s = Statistics::default();
    let Some(entries) = r.map(node, "statistics") else {
        return s;
    };
    r.unknown_keys(
        entries,
        &["data", "url", "taxonomy", "small_n"],
        "statistics",
    );
    if let Some(n) = get(entries, "data") {
        s.data = r.non_empty_string(n, "data").unwrap_or(s.data);
    }
    if let Some(n) = get(entries, "url") {
        match r.non_empty_string(n, "url") {
            Some(url) if is_slug(&url) => s.url = url,
            Some(url) => r.error(
                n.pos,
                format!("`url` moet één URL-deel zijn, zoals `cijfers`, maar is `{url}`"),
                None,
            ),
            None => {}
        }
    }
    if let Some(n) = get(entries, "taxonomy") {
        s.taxonomy = r.non_empty_string(n, "taxonomy").unwrap_or(s.taxonomy);
    }
    if let Some(n) = get(entries, "small_n") {
        match r.int(n, "small_n") {
            Some(v) if v >= 0 => s.small_n = u64::try_from(v).unwrap_or(0),
            Some(_) => r.error(n.pos, "`small_n` moet 0 of meer zijn", None),
            None => {}
        }
    }
    s
}

fn read_menu(r: &mut Reader, node: &Node) -> Vec<MenuItem> {
    let Some(items) = r.seq(node, "menu") else {
        return Vec::new();
    };
    let mut menu = Vec::new();
    for item in items {
        let Some(entries) = r.map(item, "een menu-item") else {
            continue;
        };
        r.unknown_keys(entries, &["title", "url", "page"], "een menu-item");
        let title = get(entries, "title").and_then(|n| r.non_empty_string(n, "title"));
        let target = match (get(entries, "url"), get(entries, "page")) {
            (Some(n), None) => {
                r.non_empty_string(n, "url")
                    .and_then(|url| match check_link_url(&url) {
                        Ok(()) => Some(url),
                        Err(why) => {
                            r.error(
                                n.pos,
                                format!("het menu-adres `{url}` is geen veilig adres: {why}"),
                                Some(LINK_HELP.into()),
                            );
                            None
                        }
                    })
            }
            (None, Some(n)) => r.non_empty_string(n, "page"),
            _ => {
                r.error(
                    item.pos,
                    "een menu-item heeft precies één van `url` of `page` nodig",
                    Some("bijvoorbeeld `page: handreiking/_index.md` of `url: /zoeken/`".into()),
                );
                None
            }
        };
        if title.is_none() && get(entries, "title").is_none() {
            r.error(item.pos, "een menu-item mist `title`", None);
        }
        if let (Some(title), Some(target)) = (title, target) {
            menu.push(MenuItem {
                title,
                target,
                pos: item.pos,
            });
        }
    }
    menu
}

fn read_taxonomies(r: &mut Reader, node: &Node) -> Vec<Taxonomy> {
    let Some(items) = r.seq(node, "taxonomies") else {
        return Vec::new();
    };
    let mut taxonomies: Vec<Taxonomy> = Vec::new();
    for item in items {
        let Some(entries) = r.map(item, "een taxonomie") else {
            continue;
        };
        r.unknown_keys(
            entries,
            &["name", "label", "description", "terms"],
            "een taxonomie",
        );
        let Some(name) = get(entries, "name").and_then(|n| r.non_empty_string(n, "name")) else {
            if get(entries, "name").is_none() {
                r.error(
                    item.pos,
                    "een taxonomie mist `name`",
                    Some("bijvoorbeeld `name: rollen`".into()),
                );
            }
            continue;
        };
        if !is_slug(&name) || crate::content::fields::FIELDS.contains(&name.as_str()) {
            r.error(
                item.pos,
                format!("`{name}` kan geen taxonomienaam zijn"),
                Some("gebruik kleine letters, cijfers en streepjes, en geen naam van een vaste front matter-sleutel".into()),
            );
            continue;
        }
        if taxonomies.iter().any(|t| t.name == name) {
            r.error(
                item.pos,
                format!("taxonomie `{name}` staat er twee keer"),
                None,
            );
            continue;
        }
        let label = get(entries, "label")
            .and_then(|n| r.non_empty_string(n, "label"))
            .unwrap_or_else(|| name.clone());
        let description = get(entries, "description")
            .and_then(|n| r.string(n, "description"))
            .unwrap_or_default();
        let mut terms: Vec<Term> = Vec::new();
        if let Some(terms_node) = get(entries, "terms") {
            for term_node in r.seq(terms_node, "terms").unwrap_or(&[]) {
                let Some(te) = r.map(term_node, "een term") else {
                    continue;
                };
                r.unknown_keys(te, &["slug", "label", "description"], "een term");
                let Some(slug) = get(te, "slug").and_then(|n| r.non_empty_string(n, "slug")) else {
                    if get(te, "slug").is_none() {
                        r.error(term_node.pos, "een term mist `slug`", None);
                    }
                    continue;
                };
                if !is_slug(&slug) {
                    r.error(
                        term_node.pos,
                        format!("`{slug}` is geen geldige slug"),
                        Some("gebruik kleine letters, cijfers en streepjes".into()),
                    );
                    continue;
                }
                if terms.iter().any(|t| t.slug == slug) {
                    r.error(
                        term_node.pos,
                        format!("term `{slug}` staat er twee keer"),
                        None,
                    );
                    continue;
                }
                let label = get(te, "label")
                    .and_then(|n| r.non_empty_string(n, "label"))
                    .unwrap_or_else(|| slug.clone());
                let description = get(te, "description")
                    .and_then(|n| r.string(n, "description"))
                    .unwrap_or_default();
                terms.push(Term {
                    slug,
                    label,
                    description,
                });
            }
        }
        taxonomies.push(Taxonomy {
            name,
            label,
            description,
            terms,
        });
    }
    taxonomies
}

fn read_markdown(r: &mut Reader, node: &Node) -> MarkdownOptions {
    let mut options = MarkdownOptions {
        unsafe_html: false,
        smart_punctuation: true,
        abbreviations: None,
    };
    let Some(entries) = r.map(node, "markdown") else {
        return options;
    };
    r.unknown_keys(
        entries,
        &["unsafe_html", "smart_punctuation", "abbreviations"],
        "markdown",
    );
    if let Some(n) = get(entries, "unsafe_html") {
        options.unsafe_html = r.bool(n, "unsafe_html").unwrap_or(false);
    }
    if let Some(n) = get(entries, "smart_punctuation") {
        options.smart_punctuation = r.bool(n, "smart_punctuation").unwrap_or(true);
    }
    if let Some(n) = get(entries, "abbreviations") {
        options.abbreviations = r.non_empty_string(n, "abbreviations");
    }
    options
}

fn read_security(r: &mut Reader, node: &Node) -> Option<Security> {
    let entries = r.map(node, "security")?;
    r.unknown_keys(entries, &["contact", "expires", "policy"], "security");
    let contact = match get(entries, "contact") {
        Some(n) => r
            .non_empty_string(n, "contact")
            .and_then(|c| absolute_link(r, n, "contact", c)),
        None => {
            r.error(
                node.pos,
                "`security` mist `contact`",
                Some("bijvoorbeeld `contact: https://www.example.nl/melden`".into()),
            );
            None
        }
    };
    let expires = match get(entries, "expires") {
        Some(n) => r.date(n, "expires"),
        None => {
            r.error(
                node.pos,
                "`security` mist `expires`",
                Some("bijvoorbeeld `expires: 2027-12-31`".into()),
            );
            None
        }
    };
    let policy = get(entries, "policy").and_then(|n| {
        r.non_empty_string(n, "policy")
            .and_then(|p| absolute_link(r, n, "policy", p))
    });
    Some(Security {
        contact: contact?,
        expires: expires?,
        policy,
    })
}

/// An id that is also a URL part: lowercase ASCII letters, digits and inner dashes, and whatever
/// [`crate::segment::check_url_part`] asks of every URL part (such as its length).
pub fn is_slug(s: &str) -> bool {
    crate::segment::check_url_part(s).is_ok()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Suggestion text for an unknown taxonomy term.
pub fn term_help(taxonomy: &Taxonomy, wrong: &str) -> String {
    let slugs: Vec<&str> = taxonomy.terms.iter().map(|t| t.slug.as_str()).collect();
    match nearest(wrong, slugs.iter().copied()) {
        Some(near) => format!("bedoelt u `{near}`? Toegestaan zijn: {}", slugs.join(", ")),
        None => format!("toegestaan zijn: {}", slugs.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_line_and_nearest_key() {
        let err = parse("title: Site\nbase_ulr: https://x.nl/\n").unwrap_err();
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].line, 2);
        assert_eq!(err[0].column, 1);
        assert_eq!(err[0].message, "onbekende sleutel `base_ulr` in site.yaml");
        assert!(
            err[0]
                .help
                .as_deref()
                .unwrap()
                .starts_with("bedoelt u `base_url`?")
        );
    }

    #[test]
    fn base_path_is_derived_from_base_url() {
        let c = parse("title: S\nbase_url: https://example.nl/ido/\n").unwrap();
        assert_eq!(c.base(), "https://example.nl/ido");
        assert_eq!(c.base_path(), "/ido");
        let c = parse("title: S\nbase_url: https://example.nl\n").unwrap();
        assert_eq!(c.base_path(), "");
    }
}
