//! What rendering a page's Markdown gives: HTML and the facts later stages use.

use super::text::TextSection;
use super::toc::TocEntry;
use crate::diagnostics::Diagnostic;

/// A link to an anchor on another page, checked once every page has its heading ids.
#[derive(Clone, Debug)]
pub struct AnchorLink {
    pub target_rel: String,
    pub anchor: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub ids: Vec<String>,
    pub anchor_links: Vec<AnchorLink>,
    pub diagnostics: Vec<Diagnostic>,
    pub words: usize,
    /// The page's plain text split at `##`/`###` headings.
    pub sections: Vec<TextSection>,
}

impl AsRef<Rendered> for Rendered {
    fn as_ref(&self) -> &Rendered {
        self
    }
}
