//! Files every site gets besides its pages: sitemap.xml, robots.txt, atom.xml, security.txt.

use crate::build::Site;
use crate::content::Kind;
use crate::output::Output;
use std::fmt::Write as _;

pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters other than tab and newline are not allowed in XML 1.0.
            c if c.is_control() && c != '\t' && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

pub fn add<T>(site: &Site, _summaries: &[T], output: &mut Output) {
    let base = site.config.base();
    output.insert("sitemap.xml".into(), sitemap(site).into_bytes());
    output.insert(
        "robots.txt".into(),
        format!("User-agent: *\nAllow: /\n\nSitemap: {base}/sitemap.xml\n").into_bytes(),
    );
    if let Some(feed) = feed(site) {
        output.insert("atom.xml".into(), feed.into_bytes());
    }
    if let Some(security) = &site.config.security {
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

fn sitemap(site: &Site) -> String {
    let base = site.config.base();
    let mut entries: Vec<(String, Option<String>)> = site
        .content
        .pages
        .iter()
        .map(|p| {
            (
                format!("{base}{}", p.url),
                p.meta.updated.clone().or_else(|| p.meta.date.clone()),
            )
        })
        .collect();
    for taxonomy in &site.config.taxonomies {
        entries.push((format!("{base}/{}/", taxonomy.name), None));
        for term in &taxonomy.terms {
            entries.push((format!("{base}/{}/{}/", taxonomy.name, term.slug), None));
        }
    }
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
fn feed(site: &Site) -> Option<String> {
    let base = site.config.base();
    let mut dated: Vec<_> = site
        .content
        .pages
        .iter()
        .filter(|p| p.kind == Kind::Page)
        .filter_map(|p| {
            let updated = p.meta.updated.clone().or_else(|| p.meta.date.clone())?;
            Some((updated, p))
        })
        .collect();
    if dated.is_empty() {
        return None;
    }
    dated.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.url.cmp(&b.1.url)));
    let newest = dated.first().map(|d| d.0.clone()).unwrap_or_default();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"",
    );
    xml.push_str(&xml_escape(&site.config.language));
    let _ = write!(
        xml,
        "\">\n  <title>{}</title>\n  <id>{base}/</id>\n  <link href=\"{base}/\"/>\n  <link rel=\"self\" href=\"{base}/atom.xml\"/>\n  <updated>{newest}T00:00:00Z</updated>\n  <generator>handreiking</generator>\n",
        xml_escape(&site.config.title)
    );
    for (updated, page) in dated.iter().take(100) {
        let url = format!("{base}{}", page.url);
        let _ = write!(
            xml,
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link href=\"{}\"/>\n    <updated>{updated}T00:00:00Z</updated>\n",
            xml_escape(&page.meta.title),
            xml_escape(&url),
            xml_escape(&url),
        );
        if let Some(date) = &page.meta.date {
            let _ = writeln!(xml, "    <published>{date}T00:00:00Z</published>");
        }
        let _ = write!(
            xml,
            "    <author><name>{}</name></author>\n    <summary>{}</summary>\n  </entry>\n",
            xml_escape(&site.config.title),
            xml_escape(&page.meta.description)
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
