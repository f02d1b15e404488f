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

/// How an editor wrote a link that is not to a `.md` file; a hint is written the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkForm {
    /// `../rollen/financier/`: from the page's own URL, as a browser reads it.
    Relative,
    /// `/rollen/financier/`: from the root of the site.
    Root,
    /// `https://<base_url>/rollen/financier/`: the site's own address.
    Absolute,
}

/// A link to a page or file of this site written as a URL (not as a `.md` file), checked once the
/// whole site is rendered.
#[derive(Clone, Debug)]
pub struct SiteLink {
    /// The site URL it points at, decoded, without query or anchor: `/rollen/financier/`.
    pub url: String,
    pub anchor: Option<String>,
    /// As the editor wrote it.
    pub written: String,
    pub form: LinkForm,
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub ids: Vec<String>,
    pub anchor_links: Vec<AnchorLink>,
    pub site_links: Vec<SiteLink>,
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
