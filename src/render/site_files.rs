//! Files every site gets besides its pages: sitemap.xml, robots.txt, atom.xml, security.txt.

use crate::config::Security;
use crate::escape::xml as xml_escape;
use crate::output::Output;
use std::fmt::Write as _;

/// A dated page for the feed.
pub struct FeedEntry<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    /// Absolute URL.
    pub url: String,
    /// `updated`, or else `date`.
    pub updated: &'a str,
    pub published: Option<&'a str>,
}

/// What the site files say, as plain data.
pub struct SiteFiles<'a> {
    /// Absolute base URL without trailing slash.
    pub base: &'a str,
    pub title: &'a str,
    pub language: &'a str,
    pub security: Option<&'a Security>,
    /// Absolute URL and last change of every page a search engine should know.
    pub sitemap: Vec<(String, Option<&'a str>)>,
    /// The dated pages.
    pub feed: Vec<FeedEntry<'a>>,
}

pub fn add(files: SiteFiles, output: &mut Output) {
    let base = files.base;
    output.insert("sitemap.xml".into(), sitemap(files.sitemap).into_bytes());
    output.insert(
        "robots.txt".into(),
        format!("User-agent: *\nAllow: /\n\nSitemap: {base}/sitemap.xml\n").into_bytes(),
    );
    if let Some(feed) = feed(files.base, files.title, files.language, files.feed) {
        output.insert("atom.xml".into(), feed.into_bytes());
    }
    if let Some(security) = files.security {
        let mut text = format!(
            "Contact: {}\nExpires: {}T00:00:00Z\nPreferred-Languages: nl, en\nCanonical: {base}/.well-known/security.txt\n",
            security.contact, security.expires
        );
        if let Some(policy) = &security.policy {
            let _ = writeln!(text, "Policy: {policy}");
        }
        output.insert(".well-known/security.txt".into(), text.into_bytes());
    }
}

fn sitemap(mut entries: Vec<(String, Option<&str>)>) -> String {
    entries.sort();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (loc, lastmod) in entries {
        let _ = write!(xml, "  <url>\n    <loc>{}</loc>\n", xml_escape(&loc));
        if let Some(lastmod) = lastmod {
            let _ = writeln!(xml, "    <lastmod>{lastmod}</lastmod>");
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// An Atom feed of the dated pages, newest first; no feed when no page has a date.
fn feed(base: &str, title: &str, language: &str, mut dated: Vec<FeedEntry>) -> Option<String> {
    if dated.is_empty() {
        return None;
    }
    dated.sort_by(|a, b| b.updated.cmp(a.updated).then_with(|| a.url.cmp(&b.url)));
    let newest = dated.first().map(|d| d.updated).unwrap_or_default();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"",
    );
    xml.push_str(&xml_escape(language));
    let _ = write!(
        xml,
        "\">\n  <title>{}</title>\n  <id>{base}/</id>\n  <link href=\"{base}/\"/>\n  <link rel=\"self\" href=\"{base}/atom.xml\"/>\n  <updated>{newest}T00:00:00Z</updated>\n  <generator>handreiking</generator>\n",
        xml_escape(title)
    );
    for entry in dated.iter().take(100) {
        let url = xml_escape(&entry.url);
        let _ = write!(
            xml,
            "  <entry>\n    <title>{}</title>\n    <id>{url}</id>\n    <link href=\"{url}\"/>\n    <updated>{}T00:00:00Z</updated>\n",
            xml_escape(entry.title),
            entry.updated,
        );
        if let Some(date) = entry.published {
            let _ = writeln!(xml, "    <published>{date}T00:00:00Z</published>");
        }
        let _ = write!(
            xml,
            "    <author><name>{}</name></author>\n    <summary>{}</summary>\n  </entry>\n",
            xml_escape(title),
            xml_escape(entry.summary)
        );
    }
    xml.push_str("</feed>\n");
    Some(xml)
}

/// Used when the theme has no `alias.html`.
pub fn redirect_page(target: &str) -> String {
    let t = xml_escape(target);
    format!(
        "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n<title>Doorverwijzing</title>\n<link rel=\"canonical\" href=\"{t}\">\n<meta http-equiv=\"refresh\" content=\"0; url={t}\">\n</head>\n<body>\n<p><a href=\"{t}\">{t}</a></p>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_is_sorted_and_escaped() {
        let xml = sitemap(vec![
            ("https://x.nl/b/".into(), None),
            ("https://x.nl/a&b/".into(), Some("2023-06-01")),
        ]);
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n  <url>\n    <loc>https://x.nl/a&amp;b/</loc>\n    <lastmod>2023-06-01</lastmod>\n  </url>\n  <url>\n    <loc>https://x.nl/b/</loc>\n  </url>\n</urlset>\n"
        );
    }

    #[test]
    fn no_feed_without_dated_pages_and_newest_first_with_them() {
        assert_eq!(feed("https://x.nl", "T", "nl", Vec::new()), None);
        let entry = |title: &'static str, updated: &'static str| FeedEntry {
            title,
            summary: "s",
            url: format!("https://x.nl/{title}/"),
            updated,
            published: None,
        };
        let xml = feed(
            "https://x.nl",
            "T",
            "nl",
            vec![entry("oud", "2022-01-01"), entry("nieuw", "2023-01-01")],
        )
        .unwrap_or_default();
        let nieuw = xml.find("<title>nieuw</title>").unwrap_or(usize::MAX);
        let oud = xml.find("<title>oud</title>").unwrap_or(0);
        assert!(nieuw < oud, "{xml}");
        assert!(
            xml.contains("<updated>2023-01-01T00:00:00Z</updated>\n  <generator>"),
            "{xml}"
        );
    }
}
