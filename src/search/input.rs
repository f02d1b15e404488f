//! What the index is built from: pages with their text records, and the filter choices.

use crate::search::record::Record;
use serde::Serialize;

/// A rendered page to index.
pub struct PageInput<'a> {
    /// Root-relative URL without the base path: `/handreiking/rollen/financier/`.
    pub url: String,
    pub title: String,
    pub kind: String,
    pub roles: Vec<String>,
    /// Its heading sections, counted when the page was rendered (`record::records`).
    pub records: std::borrow::Cow<'a, [Record]>,
}

#[derive(Serialize, Clone)]
pub struct Choice {
    pub key: String,
    pub label: String,
}

/// A record with the page it belongs to.
pub struct Entry<'a> {
    pub page: &'a PageInput<'a>,
    /// The page's place in the index input.
    pub page_index: usize,
    pub record: &'a Record,
}

impl PageInput<'_> {
    /// The URL as the index writes it: relative to the site root, without the leading `/`.
    pub fn relative_url(&self) -> &str {
        self.url.trim_start_matches('/')
    }
}
