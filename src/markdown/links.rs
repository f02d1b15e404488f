//! Links and images: script URLs refused, links to Markdown files rewritten to their pretty URL and
//! checked, anchors collected for the check across pages; raw HTML and task markers.

use super::context::Context;
use super::rendered::{AnchorLink, LinkForm, Rendered, SiteLink};
use crate::diagnostics::Diagnostic;
use crate::escape;
use pulldown_cmark::{CowStr, Event, Tag};

pub(super) struct LineIndex {
    starts: Vec<usize>,
    first_line: usize,
}

impl LineIndex {
    pub(super) fn new(text: &str, first_line: usize) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i.saturating_add(1)));
        LineIndex { starts, first_line }
    }

    pub(super) fn place(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self
            .starts
            .partition_point(|s| *s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let column = text
            .get(start..offset)
            .map_or(0, |s| s.chars().count())
            .saturating_add(1);
        (line.saturating_add(self.first_line), column)
    }
}

pub fn is_script_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:", "livescript:", "mocha:"]
        .iter()
        .any(|scheme| cleaned.starts_with(scheme))
}

/// Links are checked and rewritten; raw HTML is escaped unless the site allows it; task markers
/// become text a screen reader can say.
pub(super) fn rewrite_inline<'a>(
    event: Event<'a>,
    range: &std::ops::Range<usize>,
    body: &str,
    index: &LineIndex,
    ctx: &Context,
    out: &mut Rendered,
) -> Event<'a> {
    match event {
        Event::Html(html) | Event::InlineHtml(html) if !ctx.unsafe_html => Event::Text(html),
        Event::TaskListMarker(done) => {
            let (mark, label) = if done {
                ("☑", &ctx.labels.task_done)
            } else {
                ("☐", &ctx.labels.task_open)
            };
            Event::Html(CowStr::from(format!(
                "<span class=\"taak__vinkje\" aria-hidden=\"true\">{mark}</span> <span class=\"visueel-verborgen\">{} </span>",
                escape::html(label)
            )))
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let (line, column) = index.place(body, range.start);
            let dest = resolve_link(&dest_url, line, column, ctx, out);
            Event::Start(Tag::Link {
                link_type,
                dest_url: CowStr::from(dest),
                title,
                id,
            })
        }
        other => other,
    }
}

fn resolve_link(
    dest: &str,
    line: usize,
    column: usize,
    ctx: &Context,
    out: &mut Rendered,
) -> String {
    if is_script_url(dest) {
        out.diagnostics.push(
            Diagnostic::error(ctx.source, line, column, format!("onveilige link `{dest}`"))
                .help("links met javascript:, vbscript: of data: zijn niet toegestaan; gebruik een gewone http(s)-link"),
        );
        return "#".to_string();
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (dest, None),
    };
    if path.is_empty() {
        // `#` alone is the top of the page.
        if let Some(anchor) = anchor.filter(|a| !a.is_empty()) {
            out.anchor_links.push(AnchorLink {
                target_rel: ctx.rel.to_string(),
                anchor: anchor.to_string(),
                line,
                column,
            });
        }
        return dest.to_string();
    }
    if path.ends_with(".md") && !is_external(path) {
        return markdown_file_link(dest, path, anchor, line, column, ctx, out);
    }
    if let Some(file) = content_file(path, ctx) {
        let anchor = anchor.map_or_else(String::new, |a| format!("#{a}"));
        return format!(
            "{}/{}{anchor}",
            ctx.base_path,
            crate::urls::percent_encode(&file)
        );
    }
    let Some((url, form)) = site_url(path, ctx) else {
        return dest.to_string();
    };
    out.site_links.push(SiteLink {
        url,
        anchor: anchor.filter(|a| !a.is_empty()).map(str::to_string),
        written: dest.to_string(),
        form,
        line,
        column,
    });
    // A root-relative link gets the base path, so it works on a host under a sub-path.
    if form == LinkForm::Root {
        format!("{}{dest}", ctx.base_path)
    } else {
        dest.to_string()
    }
}

/// Another site, mail or phone: anything with a scheme, or starting with `//`.
pub(super) fn is_external(path: &str) -> bool {
    path.starts_with("//")
        || path
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.is_empty() && !scheme.contains('/'))
}

/// A file published from `content/` (a download, an image) that a relative link names from the
/// page's own file, as images and `.md` links are found: `rapport.pdf` beside the page.
fn content_file(path: &str, ctx: &Context) -> Option<String> {
    if path.starts_with('/') || is_external(path) {
        return None;
    }
    let path = path.split('?').next().unwrap_or("");
    let decoded = crate::urls::percent_decode(path)?;
    crate::content::resolve_rel(ctx.rel, &decoded).filter(|file| ctx.assets.files.contains(file))
}

/// The site URL a link points at (decoded, without query), and how it was written; `None` for a
/// link to another site.
fn site_url(path: &str, ctx: &Context) -> Option<(String, LinkForm)> {
    let own = path
        .strip_prefix(ctx.base)
        .filter(|rest| rest.is_empty() || rest.starts_with(['/', '?']));
    let (path, form) = match own {
        Some(rest) => (rest, LinkForm::Absolute),
        None if is_external(path) => return None,
        None if path.starts_with('/') => (path, LinkForm::Root),
        None => (path, LinkForm::Relative),
    };
    let path = path.split('?').next().unwrap_or("");
    let path = crate::urls::percent_decode(path).unwrap_or_else(|| path.to_string());
    let url = match form {
        LinkForm::Relative => crate::urls::join(ctx.page_url, &path),
        _ if path.is_empty() => "/".to_string(),
        _ => crate::urls::join("/", &path),
    };
    Some((url, form))
}

/// A link to a Markdown file: rewritten to its page's URL, or an error with a link that works.
fn markdown_file_link(
    dest: &str,
    path: &str,
    anchor: Option<&str>,
    line: usize,
    column: usize,
    ctx: &Context,
    out: &mut Rendered,
) -> String {
    let Some(target) = crate::content::resolve_rel(ctx.rel, path) else {
        out.diagnostics.push(
            Diagnostic::error(
                ctx.source,
                line,
                column,
                format!("de link `{dest}` wijst buiten content/"),
            )
            .help("tel het aantal `../`: een link mag niet hoger gaan dan de map content/"),
        );
        return "#".to_string();
    };
    let Some(url) = ctx.urls.get(&target) else {
        let near = crate::diagnostics::nearest(&target, ctx.urls.keys().map(String::as_str));
        let help = match near {
            Some(near) => format!(
                "bedoelt u `{}`? Paden zijn relatief aan de map van deze pagina",
                written_like(path, ctx.rel, near)
            ),
            None => "controleer de bestandsnaam; paden zijn relatief aan de map van deze pagina"
                .to_string(),
        };
        out.diagnostics.push(
            Diagnostic::error(
                ctx.source,
                line,
                column,
                format!(
                    "de link `{dest}` wijst naar een pagina die niet bestaat (content/{target})"
                ),
            )
            .help(help),
        );
        return "#".to_string();
    };
    match anchor {
        Some(anchor) => {
            out.anchor_links.push(AnchorLink {
                target_rel: target,
                anchor: anchor.to_string(),
                line,
                column,
            });
            format!("{url}#{anchor}")
        }
        None => url.clone(),
    }
}

/// The content file `target` written the way `written` was, from the page `from_rel`: from
/// `content/` when it started with `/`, else relative to the page's folder.
fn written_like(written: &str, from_rel: &str, target: &str) -> String {
    if written.starts_with('/') {
        return format!("/{target}");
    }
    let folder = from_rel.rsplit_once('/').map_or("", |(dir, _)| dir);
    crate::urls::relative_path(folder, target)
}
