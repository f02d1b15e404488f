//! What links may point at: every page and file the build made, with the ids on each page.

use crate::check::Targets;
use crate::load::Site;
use crate::output::Output;
use crate::urls;

/// The targets of a rendered site. `files` holds every page and file besides the content pages
/// (statistics, taxonomy, 404, aliases, site files); `search` whether the search page exists.
pub fn targets(site: &Site, files: &Output, search: bool) -> Targets {
    let mut targets = Targets::new(&site.content);
    for (path, bytes) in files {
        match path.strip_suffix("index.html") {
            Some(folder) if folder.is_empty() || folder.ends_with('/') => {
                let html = std::str::from_utf8(bytes).unwrap_or("");
                targets.add_page(format!("/{folder}"), Some(ids_in(html)));
            }
            _ => targets.add_file(path.clone()),
        }
    }
    if search {
        targets.add_page(urls::SEARCH.to_string(), None);
    }
    for path in site.theme.static_files.keys() {
        targets.add_file(path.clone());
    }
    // Files from content/ and the resized versions of images are published too.
    let catalog = &site.images.catalog;
    for path in &catalog.files {
        targets.add_file(path.clone());
    }
    for variant in catalog.images.values().flat_map(|image| &image.variants) {
        targets.add_file(variant.path.clone());
    }
    targets
}

/// The values of every `id="…"` in the HTML.
fn ids_in(html: &str) -> Vec<String> {
    html.match_indices(" id=\"")
        .filter_map(|(at, found)| {
            let rest = html.get(at.saturating_add(found.len())..)?;
            let end = rest.find('"')?;
            Some(crate::search::extract::decode_entities(rest.get(..end)?).into_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_every_id() {
        assert_eq!(
            super::ids_in(
                "<h2 id=\"a\">A</h2><div class=\"x\" id=\"b&amp;c\"></div><p data-id=\"no\">"
            ),
            ["a", "b&c"]
        );
    }
}
