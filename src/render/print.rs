//! Print pages: a page with `template: print.html` shows its whole section on one page, in reading
//! order, with every page's ids made unique.

use super::view::Listings;
use crate::content::{Content, Page};
use crate::markdown::{Rendered, TocEntry};
use serde::Serialize;
use std::collections::HashSet;

pub const TEMPLATE: &str = "print.html";

#[derive(Serialize)]
pub struct PrintPage<'a> {
    title: &'a str,
    url: String,
    anchor: String,
    content: String,
    toc: &'a [TocEntry],
}

pub fn is_print_page(page: &Page) -> bool {
    page.meta
        .template
        .as_ref()
        .is_some_and(|(t, _)| t == TEMPLATE)
}

/// Which pages a print page shows: their rendered Markdown is kept until the print page is made.
pub fn printed_pages(content: &Content) -> Vec<bool> {
    let mut printed = vec![false; content.pages.len()];
    for page in content.pages.iter().filter(|p| is_print_page(p)) {
        if let Some(section) = page.parent {
            for i in section_reading_order(content, section) {
                if let Some(slot) = printed.get_mut(i) {
                    *slot = true;
                }
            }
        }
    }
    printed
}

/// A section, then its pages, then its subsections in the same way.
fn section_reading_order(content: &Content, section: usize) -> Vec<usize> {
    fn visit(content: &Content, i: usize, out: &mut Vec<usize>) {
        out.push(i);
        if let Some(p) = content.pages.get(i) {
            out.extend(p.children.iter().copied());
            for s in &p.subsections {
                visit(content, *s, out);
            }
        }
    }
    let mut order = Vec::new();
    visit(content, section, &mut order);
    order
}

/// The anchor of a printed page: `/handreiking/rollen/` -> `p-handreiking-rollen`.
pub fn page_anchor(site_url: &str) -> String {
    let anchor = format!("p-{}", crate::slug::slugify(site_url));
    if anchor == "p-" {
        "p-home".to_string()
    } else {
        anchor
    }
}

/// All pages below the print page's section, in reading order, with ids made unique per page.
/// `all` is every page's rendered Markdown.
pub fn print_pages<'r, R: AsRef<Rendered>>(
    content: &'r Content,
    listings: &Listings,
    print_index: usize,
    all: &'r [R],
) -> Vec<PrintPage<'r>> {
    let Some(section) = content.pages.get(print_index).and_then(|p| p.parent) else {
        return Vec::new();
    };
    section_reading_order(content, section)
        .into_iter()
        .filter(|i| *i != print_index)
        .filter_map(|i| {
            let page = content.pages.get(i)?;
            let rendered = all.get(i)?.as_ref();
            let anchor = page_anchor(&page.url);
            Some(PrintPage {
                title: &page.meta.title,
                url: listings
                    .summaries
                    .get(i)
                    .map_or_else(String::new, |s| s.url.clone()),
                content: prefix_ids(&rendered.html, &anchor, &rendered.ids),
                anchor,
                toc: &rendered.toc,
            })
        })
        .collect()
}

/// One page's HTML made fit for a page that holds many: ids prefixed (`id="tips"` ->
/// `id="p-x--tips"`, and the links to them) and headings one level down, under the page's own
/// `h2`. One pass over the HTML, however many headings the page has.
pub fn prefix_ids(html: &str, prefix: &str, ids: &[String]) -> String {
    let ids: HashSet<&str> = ids.iter().map(String::as_str).collect();
    let mut out = String::with_capacity(html.len().saturating_add(html.len() / 8));
    let mut rest = html;
    while let Some(at) = rest.find(['i', 'h', '<']) {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let taken = rewrite_at(from, prefix, &ids, &mut out);
        rest = from.get(taken..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// Writes the start of `from` (an `id="…"`, `href="#…"`, heading tag or one character) to `out`,
/// rewritten, and returns how many bytes of `from` it used.
fn rewrite_at(from: &str, prefix: &str, ids: &HashSet<&str>, out: &mut String) -> usize {
    for attribute in ["id=\"", "href=\"#"] {
        if let Some(value) = from.strip_prefix(attribute)
            && let Some(end) = value.find('"')
            && let Some(id) = value.get(..end)
            && ids.contains(id)
        {
            out.push_str(attribute);
            out.push_str(prefix);
            out.push_str("--");
            out.push_str(id);
            out.push('"');
            return attribute.len().saturating_add(end).saturating_add(1);
        }
    }
    let bytes = from.as_bytes();
    // `<h2 ` .. `<h5 ` and `</h2>` .. `</h5>`: one level deeper.
    let (closing, digit_at) = match bytes.get(1) {
        Some(b'/') => (true, 3),
        _ => (false, 2),
    };
    let tag_start = if closing { "</h" } else { "<h" };
    let after = if closing { b'>' } else { b' ' };
    if from.starts_with(tag_start)
        && let Some(digit) = bytes.get(digit_at).copied()
        && (b'2'..=b'5').contains(&digit)
        && bytes.get(digit_at.saturating_add(1)) == Some(&after)
    {
        out.push_str(tag_start);
        out.push(char::from(digit.saturating_add(1)));
        return digit_at.saturating_add(1);
    }
    let first = from.chars().next().map_or(1, char::len_utf8);
    out.push_str(from.get(..first).unwrap_or(""));
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_links_to_them_are_prefixed_and_headings_go_down_a_level() {
        let html = "<h2 id=\"tips\">Tips <a class=\"anker\" href=\"#tips\">#</a></h2>\n<p><a href=\"#andere\">x</a> <a href=\"#elders\">y</a></p>\n<h5 id=\"d\">D</h5><h6 id=\"e\">E</h6><h1>T</h1><hr>\n";
        let ids = vec![
            "tips".to_string(),
            "d".to_string(),
            "e".to_string(),
            "andere".to_string(),
        ];
        assert_eq!(
            prefix_ids(html, "p-gids", &ids),
            "<h3 id=\"p-gids--tips\">Tips <a class=\"anker\" href=\"#p-gids--tips\">#</a></h3>\n<p><a href=\"#p-gids--andere\">x</a> <a href=\"#elders\">y</a></p>\n<h6 id=\"p-gids--d\">D</h6><h6 id=\"p-gids--e\">E</h6><h1>T</h1><hr>\n"
        );
    }

    #[test]
    fn text_that_only_looks_like_markup_is_kept() {
        let ids = vec!["a".to_string()];
        assert_eq!(
            prefix_ids("hid=\"b\" héh <h2>x", "p", &ids),
            "hid=\"b\" héh <h2>x"
        );
        assert_eq!(prefix_ids("id=\"a", "p", &ids), "id=\"a");
    }

    #[test]
    fn thousands_of_headings_take_one_pass() {
        let ids: Vec<String> = (0..8_000).map(|i| format!("kop-{i}")).collect();
        let html: String = ids
            .iter()
            .map(|id| format!("<h2 id=\"{id}\">K</h2>\n"))
            .collect();
        let out = prefix_ids(&html, "p", &ids);
        assert_eq!(out.matches("<h3 id=\"p--kop-").count(), 8_000);
        assert!(out.ends_with("<h3 id=\"p--kop-7999\">K</h3>\n"));
    }

    #[test]
    fn anchors_of_printed_pages() {
        assert_eq!(page_anchor("/"), "p-home");
        assert_eq!(page_anchor("/handreiking/rollen/"), "p-handreiking-rollen");
    }
}
