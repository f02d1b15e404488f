//! The site's one URL scheme: where pages, taxonomy terms, statistics, search and aliases live, and
//! which file holds each URL. Every other module asks here instead of formatting URLs itself.
//!
//! A *site URL* is root-relative without the base path (`/rollen/financier/`); a *link* carries the
//! base path (`/ido/rollen/financier/`); a *permalink* is absolute (`https://…/ido/rollen/financier/`).

use crate::config::Config;

/// Where the search page lives (when the theme has `zoeken.html`).
pub const SEARCH: &str = "/zoeken/";
/// The page that a host shows for a missing file.
pub const NOT_FOUND_FILE: &str = "404.html";

#[derive(Clone, Debug)]
pub struct Urls {
    /// `https://example.nl/ido` (no trailing slash).
    base: String,
    /// `/ido`, or empty at the root of a host.
    base_path: String,
    /// The folder of the statistics pages: `cijfers`.
    statistics: String,
}

impl Urls {
    pub fn new(config: &Config) -> Urls {
        Urls {
            base: config.base().to_string(),
            base_path: config.base_path().to_string(),
            statistics: config.statistics.url.clone(),
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// A site URL as a link: the base path in front.
    pub fn link(&self, site_url: &str) -> String {
        format!("{}{site_url}", self.base_path)
    }

    /// A site URL as an absolute address.
    pub fn permalink(&self, site_url: &str) -> String {
        format!("{}{site_url}", self.base)
    }

    pub fn taxonomy(name: &str) -> String {
        format!("/{name}/")
    }

    pub fn term(taxonomy: &str, slug: &str) -> String {
        format!("/{taxonomy}/{slug}/")
    }

    pub fn statistics(&self) -> String {
        format!("/{}/", self.statistics)
    }

    pub fn wave(&self, wave: &str) -> String {
        format!("/{}/{wave}/", self.statistics)
    }

    pub fn question(&self, wave: &str, question: &str) -> String {
        format!("/{}/{wave}/{question}/", self.statistics)
    }

    /// The output file of a wave's download: `cijfers/<meting>/<naam>.<ext>`.
    pub fn download_file(&self, wave: &str, name: &str, extension: &str) -> String {
        format!("{}/{wave}/{name}.{extension}", self.statistics)
    }
}

/// The key under which a statistics figure is found: `meting/vraag-id`.
pub fn figure_key(wave: &str, question: &str) -> String {
    format!("{wave}/{question}")
}

/// The file that serves a site URL: `/a/b/` -> `a/b/index.html`, `/` -> `index.html`.
pub fn output_path(site_url: &str) -> String {
    let trimmed = site_url.trim_start_matches('/');
    if trimmed.is_empty() {
        "index.html".to_string()
    } else {
        format!("{trimmed}index.html")
    }
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
        crate::segment::check_url_part(part)?;
    }
    Ok(format!("/{}/", parts.join("/")))
}

/// Decodes `%XX`; invalid or incomplete escapes and encoded NUL are refused.
pub fn percent_decode(path: &str) -> Option<String> {
    let mut out = Vec::with_capacity(path.len());
    let mut rest = path.as_bytes();
    while let Some((&b, after)) = rest.split_first() {
        if b == b'%' {
            let (hex, after_hex) = after.split_at_checked(2)?;
            let value = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            if value == 0 {
                return None;
            }
            out.push(value);
            rest = after_hex;
        } else {
            out.push(b);
            rest = after;
        }
    }
    String::from_utf8(out).ok()
}

/// Encodes every byte a path may not carry as is (RFC 3986 `pchar` and `/` stay), so that a
/// `Location` header is ASCII: `/café` -> `/caf%C3%A9`.
pub fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A URL path resolved against a site URL folder, as a browser does: `join("/a/b/", "../c/")` is
/// `/a/c/`. Climbing above the root stays at the root.
pub fn join(folder: &str, path: &str) -> String {
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        folder.split('/').filter(|p| !p.is_empty()).collect()
    };
    let pieces: Vec<&str> = path.split('/').collect();
    for (i, piece) in pieces.iter().enumerate() {
        match *piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
        let last = i.saturating_add(1) == pieces.len();
        if last && matches!(*piece, "" | "." | "..") && !parts.is_empty() {
            return format!("/{}/", parts.join("/"));
        }
    }
    if parts.is_empty() {
        "/".to_string()
    } else {
        format!("/{}", parts.join("/"))
    }
}

/// The relative path from folder `from` to `to` (both `/`-separated, without a leading `/`):
/// `relative_path("a/b", "a/c/d.md")` is `../c/d.md`.
pub fn relative_path(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').filter(|p| !p.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').filter(|p| !p.is_empty()).collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out: Vec<&str> = vec![".."; from.len().saturating_sub(common)];
    out.extend(to_parts.iter().skip(common));
    let mut text = out.join("/");
    if to.ends_with('/') && !text.is_empty() {
        text.push('/');
    }
    if text.is_empty() {
        "./".to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(base_url: &str) -> Urls {
        let mut config = crate::config::parse("title: T\nbase_url: https://x.nl/\n")
            .unwrap_or_else(|_| unreachable!());
        config.base_url = base_url.to_string();
        Urls::new(&config)
    }

    #[test]
    fn links_and_permalinks_carry_the_base() {
        let u = urls("https://www.vng.nl/ido/");
        assert_eq!(u.base_path(), "/ido");
        assert_eq!(u.link("/rollen/"), "/ido/rollen/");
        assert_eq!(u.permalink("/rollen/"), "https://www.vng.nl/ido/rollen/");
        let root = urls("https://ido.example.nl");
        assert_eq!(root.link("/rollen/"), "/rollen/");
        assert_eq!(root.permalink("/"), "https://ido.example.nl/");
    }

    #[test]
    fn terms_statistics_and_files() {
        let u = urls("https://x.nl/");
        assert_eq!(Urls::taxonomy("rollen"), "/rollen/");
        assert_eq!(Urls::term("rollen", "financier"), "/rollen/financier/");
        assert_eq!(u.statistics(), "/cijfers/");
        assert_eq!(u.wave("gemeenten-2023"), "/cijfers/gemeenten-2023/");
        assert_eq!(u.question("g", "q1"), "/cijfers/g/q1/");
        assert_eq!(u.download_file("g", "q1", "csv"), "cijfers/g/q1.csv");
        assert_eq!(figure_key("g", "q1"), "g/q1");
        assert_eq!(output_path("/"), "index.html");
        assert_eq!(output_path("/a/b/"), "a/b/index.html");
        assert_eq!(output_path(SEARCH), "zoeken/index.html");
    }

    #[test]
    fn links_resolve_like_a_browser_and_hints_are_relative() {
        assert_eq!(join("/a/b/", "../c/"), "/a/c/");
        assert_eq!(join("/a/b/", "c"), "/a/b/c");
        assert_eq!(join("/a/b/", "/x/y/"), "/x/y/");
        assert_eq!(join("/a/", "../../.."), "/");
        assert_eq!(join("/a/b/", ".."), "/a/");
        assert_eq!(join("/", "css/site.css"), "/css/site.css");
        assert_eq!(relative_path("a/b", "a/c/d.md"), "../c/d.md");
        assert_eq!(relative_path("gids", "gids/pagina.md"), "pagina.md");
        assert_eq!(relative_path("", "gids/pagina.md"), "gids/pagina.md");
        assert_eq!(
            relative_path("gids/wat", "gids/financier/"),
            "../financier/"
        );
        assert_eq!(relative_path("a", "a/"), "./");
        assert_eq!(percent_decode("/caf%C3%A9/").as_deref(), Some("/café/"));
        assert_eq!(percent_decode("/%00"), None);
        assert_eq!(percent_encode("/café/"), "/caf%C3%A9/");
    }

    #[test]
    fn aliases_stay_inside_the_site() {
        assert_eq!(alias_url("oud/pad"), Ok("/oud/pad/".to_string()));
        assert_eq!(alias_url("/oud//pad/"), Ok("/oud/pad/".to_string()));
        assert!(alias_url("/../x/").is_err());
        assert!(alias_url("https://x.nl/").is_err());
        assert!(alias_url("C:/x").is_err());
        assert!(alias_url("a\\b").is_err());
        assert!(alias_url("/").is_err());
    }
}
