//! What rendering a page's Markdown needs besides its text.

use std::collections::{HashMap, HashSet};

/// UI text the renderer writes into the page; it comes from the theme's i18n file.
#[derive(Clone, Debug, Default)]
pub struct Labels {
    pub heading_anchor: String,
    pub table_region: String,
    pub task_done: String,
    pub task_open: String,
}

pub struct Context<'a> {
    /// The page's path inside `content/`.
    pub rel: &'a str,
    /// The page's site URL (`/handreiking/wat/`): relative links start from here, as in a browser.
    pub page_url: &'a str,
    /// The site's address without trailing slash (`https://example.nl/ido`): links to it are links
    /// within the site.
    pub base: &'a str,
    /// The path part of `base` (`/ido`), put in front of root-relative links.
    pub base_path: &'a str,
    /// The page's path from the site root, for diagnostics.
    pub source: &'a str,
    pub body_line: usize,
    pub unsafe_html: bool,
    pub smart_punctuation: bool,
    /// Content path -> URL (with base path) of every page.
    pub urls: &'a HashMap<String, String>,
    /// Abbreviation -> meaning.
    pub abbreviations: &'a HashMap<String, String>,
    pub labels: &'a Labels,
    /// Statistics figures that `{{< grafiek ID >}}` may embed: `vraag-id` or `meting/vraag-id`.
    pub figures: &'a HashSet<String>,
    /// Ids the theme's templates use on every page (`inhoud`, the skip link's target): headings
    /// get other ids, and `{#inhoud}` is an error.
    pub reserved_ids: &'a HashSet<String>,
    /// The images pages may show and the files published from `content/`.
    pub assets: &'a crate::images::Catalog,
}
