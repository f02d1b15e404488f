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
    pub record: &'a Record,
}

impl Entry<'_> {
    pub fn url(&self) -> String {
        let base = self.page.url.trim_start_matches('/');
        if self.record.anchor.is_empty() {
            base.to_string()
        } else {
            format!("{base}#{}", self.record.anchor)
        }
    }
}
