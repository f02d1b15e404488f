//! A page renamed or moved while `serve` runs: its old address stops working, so the editor is told
//! which `aliases:` line keeps old links and bookmarks alive.

use crate::content::CONTENT_DIR;
use crate::diagnostics::Diagnostic;
use crate::pipeline::Preview;
use std::path::{Path, PathBuf};

/// One warning per page that a save renamed: exactly one Markdown file of the old site is gone and
/// one new one appeared among the changed paths. `new` is the rebuilt preview, when it built.
pub fn hints(
    root: &Path,
    paths: &[PathBuf],
    old: Option<&Preview>,
    new: Option<&Preview>,
) -> Vec<Diagnostic> {
    let Some(old) = old else {
        return Vec::new();
    };
    let content = root.join(CONTENT_DIR);
    let markdown: Vec<String> = paths
        .iter()
        .filter_map(|p| p.strip_prefix(&content).ok())
        .map(crate::walk::slash_path)
        .filter(|rel| rel.ends_with(".md"))
        .collect();
    let gone: Vec<&String> = markdown
        .iter()
        .filter(|rel| old.site.content.by_rel.contains_key(*rel) && !content.join(rel).exists())
        .collect();
    let added: Vec<&String> = markdown
        .iter()
        .filter(|rel| !old.site.content.by_rel.contains_key(*rel) && content.join(rel).is_file())
        .collect();
    let ([gone], [added]) = (gone.as_slice(), added.as_slice()) else {
        return Vec::new();
    };
    let Some(old_url) = old
        .site
        .content
        .by_rel
        .get(*gone)
        .and_then(|i| old.site.content.pages.get(*i))
        .map(|p| p.url.clone())
    else {
        return Vec::new();
    };
    let new_page = new
        .and_then(|p| p.site.content.by_rel.get(*added).map(|i| (p, *i)))
        .and_then(|(p, i)| p.site.content.pages.get(i));
    if new_page.is_some_and(|p| {
        p.url == old_url
            || p.meta
                .aliases
                .iter()
                .any(|(a, _)| crate::urls::alias_url(a).ok().as_deref() == Some(old_url.as_str()))
    }) {
        return Vec::new();
    }
    vec![
        Diagnostic::warning(
            format!("{CONTENT_DIR}/{added}"),
            0,
            0,
            format!("{CONTENT_DIR}/{gone} heet nu {CONTENT_DIR}/{added}: het oude adres {old_url} bestaat niet meer"),
        )
        .help(format!(
            "zet `aliases: [\"{old_url}\"]` in de front matter van {CONTENT_DIR}/{added}, dan blijven links en bladwijzers naar het oude adres werken"
        )),
    ]
}
