//! The searchable text of a rendered page: its main content, split into sections at `h2`/`h3`
//! headings, without navigation, anchors, hidden helper text and chart drawings.

use crate::markdown::TextSection as Section;

/// Elements whose text is not content: navigation, drawings, and helper text for screen readers.
const SKIPPED_TAGS: &[&str] = &[
    "nav", "svg", "script", "style", "noscript", "button", "form",
];
/// Classes of elements that repeat on every page (meta lines, role labels, download links).
const SKIPPED_CLASSES: &[&str] = &[
    "visueel-verborgen",
    "pagina-meta",
    "pagina-rollen",
    "figuur__downloads",
    "anker",
];
const VOID: &[&str] = &[
    "br", "hr", "img", "input", "meta", "link", "wbr", "source", "col", "area", "base",
];
/// Elements whose text runs on with its neighbours (`(<abbr>IDO</abbr>)`): no space at their edges.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
];

struct Tag<'a> {
    /// Lowercase already: the theme and the engine write lowercase tags.
    name: &'a str,
    closing: bool,
    self_closing: bool,
    attributes: &'a str,
}

fn parse_tag(raw: &str) -> Tag<'_> {
    let closing = raw.starts_with('/');
    let body = raw.trim_start_matches('/');
    let self_closing = body.ends_with('/');
    let body = body.trim_end_matches('/');
    let name_end = body.find(|c: char| c.is_whitespace()).unwrap_or(body.len());
    Tag {
        name: body.get(..name_end).unwrap_or(""),
        closing,
        self_closing,
        attributes: body.get(name_end..).unwrap_or(""),
    }
}

/// `pattern` is the attribute name with `="`, e.g. `class="`.
fn attribute<'a>(attributes: &'a str, pattern: &str) -> Option<&'a str> {
    let (_, rest) = attributes.split_once(pattern)?;
    rest.get(..rest.find('"')?)
}

fn is_skipped(tag: &Tag) -> bool {
    if SKIPPED_TAGS.contains(&tag.name) {
        return true;
    }
    if tag.attributes.is_empty() {
        return false;
    }
    if attribute(tag.attributes, "aria-hidden=\"") == Some("true") {
        return true;
    }
    attribute(tag.attributes, "class=\"").is_some_and(|class| {
        class
            .split_whitespace()
            .any(|c| SKIPPED_CLASSES.contains(&c))
    })
}

pub fn decode_entities(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(rest.get(..i).unwrap_or(""));
        let after = rest.get(i..).unwrap_or("");
        let Some(end) = after.find(';').filter(|e| *e <= 10) else {
            out.push('&');
            rest = after.get(1..).unwrap_or("");
            continue;
        };
        let entity = after.get(1..end).unwrap_or("");
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = after.get(end.saturating_add(1)..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = after.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

fn push_text(target: &mut String, text: &str) {
    let decoded = decode_entities(text);
    for word in decoded.split_whitespace() {
        if !target.is_empty() && !target.ends_with(' ') {
            target.push(' ');
        }
        target.push_str(word);
    }
}

/// Splits the `<main>` of a page into sections. Block ends become spaces so words never run together.
pub fn sections(html: &str) -> Vec<Section> {
    let main = html
        .find("<main")
        .and_then(|i| html.get(i..))
        .and_then(|m| m.split_once('>').map(|(_, after)| after))
        .map(|m| m.get(..m.find("</main>").unwrap_or(m.len())).unwrap_or(""))
        .unwrap_or("");
    let mut sections = vec![Section {
        anchor: String::new(),
        heading: String::new(),
        text: String::new(),
    }];
    let mut skip_stack: Vec<&str> = Vec::new();
    let mut in_heading: Option<String> = None;
    let mut heading_text = String::new();
    let mut rest = main;
    while !rest.is_empty() {
        let (text, after_text) = match rest.find('<') {
            Some(i) => (rest.get(..i).unwrap_or(""), rest.get(i..).unwrap_or("")),
            None => (rest, ""),
        };
        if skip_stack.is_empty() && !text.is_empty() {
            if in_heading.is_some() {
                push_text(&mut heading_text, text);
            } else if let Some(section) = sections.last_mut() {
                push_text(&mut section.text, text);
            }
        }
        if after_text.is_empty() {
            break;
        }
        let Some(end) = after_text.find('>') else {
            break;
        };
        let raw = after_text.get(1..end).unwrap_or("");
        rest = after_text.get(end.saturating_add(1)..).unwrap_or("");
        if raw.starts_with('!') {
            continue;
        }
        let tag = parse_tag(raw);
        if let Some(open) = skip_stack.last() {
            if tag.closing && tag.name == *open {
                skip_stack.pop();
            } else if !tag.closing && tag.name == *open && !tag.self_closing {
                skip_stack.push(tag.name);
            }
            continue;
        }
        if !tag.closing && is_skipped(&tag) && !tag.self_closing && !VOID.contains(&tag.name) {
            skip_stack.push(tag.name);
            continue;
        }
        let is_heading = matches!(tag.name, "h1" | "h2" | "h3");
        if is_heading && !tag.closing {
            in_heading = Some(attribute(tag.attributes, "id=\"").unwrap_or("").to_string());
            heading_text.clear();
        } else if is_heading && tag.closing {
            if let Some(anchor) = in_heading.take() {
                if tag.name == "h1" || anchor.is_empty() {
                    // The page title: its text belongs to the first section.
                    if let Some(section) = sections.last_mut() {
                        let title = std::mem::take(&mut heading_text);
                        push_text(&mut section.text, &title);
                    }
                } else {
                    sections.push(Section {
                        anchor,
                        heading: heading_text.clone(),
                        text: String::new(),
                    });
                }
            }
        } else if !INLINE.contains(&tag.name) && (!VOID.contains(&tag.name) || tag.name == "br") {
            let target = if in_heading.is_some() {
                &mut heading_text
            } else {
                &mut sections
                    .last_mut()
                    .map(|s| &mut s.text)
                    .into_iter()
                    .next()
                    .unwrap_or(&mut heading_text)
            };
            if !target.is_empty() && !target.ends_with(' ') {
                target.push(' ');
            }
        }
    }
    for section in &mut sections {
        section.text = section.text.trim().to_string();
        section.heading = section.heading.trim().to_string();
    }
    sections.retain(|s| !s.text.is_empty() || !s.heading.is_empty());
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_main_content_at_headings_and_drops_navigation() {
        let html = "<header><nav>Menu</nav></header><main id=\"inhoud\"><h1 id=\"t\">Titel</h1><p class=\"intro\">Inleiding &amp; doel.</p>\
            <nav class=\"inhoudsopgave\"><h2>Inhoudsopgave</h2><ol><li>Tips</li></ol></nav>\
            <h2 id=\"tips\">Tips <a class=\"anker\" href=\"#tips\"><span class=\"visueel-verborgen\">Link naar kop:</span><span aria-hidden=\"true\">#</span></a></h2>\
            <p>Bel het <abbr title=\"Klantcontactcentrum\">KCC</abbr>.<br>Nu.</p><svg><title>Grafiek</title><text>23</text></svg>\
            <h3 id=\"meer\">Meer</h3><ul><li>Een</li><li>Twee</li></ul></main><footer>Voet</footer>";
        assert_eq!(
            sections(html),
            vec![
                Section {
                    anchor: "".into(),
                    heading: "".into(),
                    text: "Titel Inleiding & doel.".into()
                },
                Section {
                    anchor: "tips".into(),
                    heading: "Tips".into(),
                    text: "Bel het KCC . Nu.".into()
                },
                Section {
                    anchor: "meer".into(),
                    heading: "Meer".into(),
                    text: "Een Twee".into()
                },
            ]
        );
    }

    #[test]
    fn decodes_entities() {
        assert_eq!(
            decode_entities("a &amp; b &lt;c&gt; &#39;d&#x27; &quot;"),
            "a & b <c> 'd' \""
        );
        assert_eq!(decode_entities("R&D en & meer"), "R&D en & meer");
    }
}
