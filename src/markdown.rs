//! Markdown to HTML: heading ids and anchors, table of contents, link rewriting and checking,
//! accessible tables, highlighted code, escaped raw HTML and `<abbr>` on first use.

use crate::diagnostics::Diagnostic;
use crate::highlight;
use crate::slug::{IdAllocator, slugify};
use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html,
};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

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
    /// The page's plain text split at `##`/`###` headings, for the search index.
    pub sections: Vec<crate::search::extract::Section>,
    /// The same sections counted for the search index (`MarkdownInputs::render_body` makes them
    /// and then drops `sections`).
    pub search: Vec<crate::search::record::Record>,
}

/// Appends text to the section being collected for search.
fn search_text(sections: &mut [crate::search::extract::Section], text: &str) {
    if let Some(section) = sections.last_mut() {
        section.text.push_str(text);
    }
}

/// `text.split_whitespace().count()`, on bytes when the text can hold no whitespace outside ASCII
/// (nearly all text): a word starts wherever a non-space byte follows a space or the start. Written
/// so that the compiler vectorises it: ten times faster than `split_whitespace` on a page.
fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    // Lead bytes of the whitespace characters beyond ASCII (U+0085, U+00A0, U+1680, U+2000 to
    // U+205F, U+3000): without them every byte over 0x7F belongs to a word.
    let wide = bytes.iter().fold(0u8, |seen, b| {
        seen | u8::from(*b == 0xC2 || b.wrapping_sub(0xE1) < 3)
    });
    if wide != 0 {
        return text.split_whitespace().count();
    }
    // 1 for the ASCII whitespace `char::is_whitespace` accepts: space, and tab to carriage return.
    let space = |b: u8| u8::from(b == b' ' || b.wrapping_sub(b'\t') < 5);
    let first = usize::from(bytes.first().is_some_and(|b| space(*b) == 0));
    let next = bytes.get(1..).unwrap_or(&[]);
    // Pairs of a byte and the next, in chunks whose counts fit in a byte.
    let starts: usize = bytes
        .chunks(255)
        .zip(next.chunks(255))
        .map(|(here, after)| {
            let count = here.iter().zip(after).fold(0u8, |count, (a, b)| {
                count.wrapping_add(space(*a) & (space(*b) ^ 1))
            });
            usize::from(count)
        })
        .sum();
    first.saturating_add(starts)
}

/// Ends a block: the next text does not run on with this one.
fn search_break(sections: &mut [crate::search::extract::Section]) {
    if let Some(section) = sections.last_mut()
        && !section.text.is_empty()
        && !section.text.ends_with(' ')
    {
        section.text.push(' ');
    }
}

/// UI text the renderer writes into the page; it comes from the theme's i18n file.
#[derive(Clone, Debug, Default)]
pub struct Labels {
    pub heading_anchor: String,
    pub table_region: String,
    pub task_done: String,
    pub task_open: String,
}

pub struct Context<'a> {
    /// The page's path inside `content/`.
    pub rel: &'a str,
    /// The page's path from the site root, for diagnostics.
    pub source: &'a str,
    pub body_line: usize,
    pub unsafe_html: bool,
    pub smart_punctuation: bool,
    /// Content path -> URL (with base path) of every page.
    pub urls: &'a HashMap<String, String>,
    /// Abbreviation -> meaning.
    pub abbreviations: &'a HashMap<String, String>,
    pub labels: &'a Labels,
    /// Statistics figures that `{{< grafiek ID >}}` may embed: `vraag-id` or `meting/vraag-id`.
    pub figures: &'a std::collections::HashSet<String>,
}

/// Marks the place of an embedded figure; replaced by the figure's HTML when the page is rendered.
pub fn figure_placeholder(key: &str) -> String {
    format!("<!--handreiking:grafiek:{key}-->")
}

/// `{{< grafiek gemeenten-beleidsnota >}}` alone in a paragraph -> `Some("gemeenten-beleidsnota")`.
fn figure_shortcode(text: &str) -> Option<&str> {
    let inner = text.trim().strip_prefix("{{<")?.strip_suffix(">}}")?.trim();
    let key = inner.strip_prefix("grafiek")?;
    if !key.starts_with(char::is_whitespace) {
        return None;
    }
    let key = key.trim().trim_matches('"');
    (!key.is_empty()).then_some(key)
}

pub fn options(smart_punctuation: bool) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST;
    if smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    options
}

/// Byte offset -> (line, column) within the body, shifted to the file's line numbers.
struct LineIndex {
    starts: Vec<usize>,
    first_line: usize,
}

impl LineIndex {
    fn new(text: &str, first_line: usize) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i.saturating_add(1)));
        LineIndex { starts, first_line }
    }

    fn place(&self, text: &str, offset: usize) -> (usize, usize) {
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

/// Script-capable URL schemes are refused wherever a link or image can carry them.
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

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Infallible: writing into a String.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

fn escape_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

pub fn render(body: &str, ctx: &Context) -> Rendered {
    let index = LineIndex::new(body, ctx.body_line);
    let mut out = Rendered::default();
    let mut ids = IdAllocator::default();
    let mut headings: Vec<(u8, String, String)> = Vec::new();
    let mut abbr_seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let abbreviation_shape = AbbreviationShape::of(ctx.abbreviations);

    // Explicit ids (`{#tips}`) are reserved first so generated ids never take them.
    let parser = Parser::new_ext(body, options(ctx.smart_punctuation));
    // Sized from the text up front: growing these vectors step by step was a visible cost.
    let mut all: Vec<(Event, std::ops::Range<usize>)> = Vec::with_capacity(body.len() / 8);
    all.extend(parser.into_offset_iter());
    let mut events: Vec<Event> = Vec::with_capacity(all.len());
    for (event, _) in &all {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
            ids.reserve(id);
        }
    }

    let mut i = 0usize;
    let mut no_abbr_depth = 0usize;
    let mut tables = 0usize;
    out.sections.push(crate::search::extract::Section {
        anchor: String::new(),
        heading: String::new(),
        text: String::new(),
    });
    while let Some((event, range)) = all.get(i) {
        i = i.saturating_add(1);
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let start = i;
                i = end_of(&all, i, |e| matches!(e, Event::End(TagEnd::Heading(_))));
                let inner: Vec<Event> = all
                    .get(start..i.saturating_sub(1))
                    .unwrap_or(&[])
                    .iter()
                    .map(|(e, r)| rewrite_inline(e.clone(), r, body, &index, ctx, &mut out))
                    .collect();
                let title = plain_text(&inner);
                let id = match id {
                    Some(id) => id.to_string(),
                    None => ids.unique(&slugify(&title)),
                };
                let mut inner_html = String::new();
                html::push_html(&mut inner_html, inner.into_iter());
                let n = heading_number(*level);
                events.push(Event::Html(CowStr::from(format!(
                    "<h{n} id=\"{id}\">{inner_html} <a class=\"anker\" href=\"#{id}\"><span class=\"visueel-verborgen\">{label}</span><span aria-hidden=\"true\">#</span></a></h{n}>\n",
                    id = escape_attr(&id),
                    label = escape(&ctx.labels.heading_anchor),
                ))));
                if n == 2 || n == 3 {
                    out.sections.push(crate::search::extract::Section {
                        anchor: id.clone(),
                        heading: title.clone(),
                        text: String::new(),
                    });
                } else {
                    search_break(&mut out.sections);
                    search_text(&mut out.sections, &title);
                    search_break(&mut out.sections);
                }
                headings.push((n, id.clone(), title));
                out.ids.push(id);
            }
            Event::Start(Tag::Paragraph)
                if may_be_shortcode(&all, i)
                    && paragraph_text(&all, i).is_some_and(|t| figure_shortcode(&t).is_some()) =>
            {
                let text = paragraph_text(&all, i).unwrap_or_default();
                let key = figure_shortcode(&text).unwrap_or_default().to_string();
                while let Some((e, _)) = all.get(i) {
                    i = i.saturating_add(1);
                    if matches!(e, Event::End(TagEnd::Paragraph)) {
                        break;
                    }
                }
                if ctx.figures.contains(&key) {
                    events.push(Event::Html(CowStr::from(format!(
                        "{}\n",
                        figure_placeholder(&key)
                    ))));
                } else {
                    let (line, column) = index.place(body, range.start);
                    let near =
                        crate::diagnostics::nearest(&key, ctx.figures.iter().map(String::as_str));
                    out.diagnostics.push(
                        Diagnostic::error(
                            ctx.source,
                            line,
                            column,
                            format!("onbekende grafiek `{key}`"),
                        )
                        .help(match near {
                            Some(near) => format!(
                                "bedoelt u `{near}`? Gebruik de `id` van een vraag uit data/"
                            ),
                            None => {
                                "gebruik de `id` van een vraag uit een meting in data/".to_string()
                            }
                        }),
                    );
                }
            }
            Event::Start(Tag::Table(alignments)) => {
                let start = i;
                i = end_of(&all, i, |e| matches!(e, Event::End(TagEnd::Table)));
                let inner: Vec<Event> = all
                    .get(start..i.saturating_sub(1))
                    .unwrap_or(&[])
                    .iter()
                    .map(|(e, r)| rewrite_inline(e.clone(), r, body, &index, ctx, &mut out))
                    .collect();
                for e in &inner {
                    match e {
                        Event::Text(t) | Event::Code(t) => search_text(&mut out.sections, t),
                        Event::End(TagEnd::TableCell) => search_break(&mut out.sections),
                        _ => {}
                    }
                }
                search_break(&mut out.sections);
                tables = tables.saturating_add(1);
                events.push(Event::Html(CowStr::from(render_table(
                    alignments, inner, ctx.labels, tables,
                ))));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let mut code = String::new();
                while let Some((e, _)) = all.get(i) {
                    i = i.saturating_add(1);
                    match e {
                        Event::Text(t) => code.push_str(t),
                        Event::End(TagEnd::CodeBlock) => break,
                        _ => {}
                    }
                }
                search_break(&mut out.sections);
                search_text(&mut out.sections, &code);
                search_break(&mut out.sections);
                let language = match kind {
                    CodeBlockKind::Fenced(lang) => lang.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let inner = highlight::highlight(&code, &language).unwrap_or_else(|| escape(&code));
                let lang_class = slugify(language.split([' ', ',', '{']).next().unwrap_or(""));
                let class = if lang_class.is_empty() {
                    "code".to_string()
                } else {
                    format!("code taal-{lang_class}")
                };
                events.push(Event::Html(CowStr::from(format!(
                    "<pre class=\"{class}\" tabindex=\"0\"><code>{inner}</code></pre>\n"
                ))));
            }
            Event::Start(Tag::Link { .. }) | Event::Start(Tag::Image { .. }) => {
                no_abbr_depth = no_abbr_depth.saturating_add(1);
                events.push(rewrite_inline(
                    event.clone(),
                    range,
                    body,
                    &index,
                    ctx,
                    &mut out,
                ));
            }
            Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
                no_abbr_depth = no_abbr_depth.saturating_sub(1);
                events.push(event.clone());
            }
            Event::Text(text) if no_abbr_depth == 0 && !ctx.abbreviations.is_empty() => {
                mark_abbreviations(
                    text,
                    ctx.abbreviations,
                    &abbreviation_shape,
                    &mut abbr_seen,
                    &mut events,
                );
                out.words = out.words.saturating_add(count_words(text));
                search_text(&mut out.sections, text);
            }
            other => {
                match other {
                    Event::Text(t) => {
                        out.words = out.words.saturating_add(count_words(t));
                        search_text(&mut out.sections, t);
                    }
                    Event::Code(t) => search_text(&mut out.sections, t),
                    Event::SoftBreak | Event::HardBreak | Event::End(_) => {
                        search_break(&mut out.sections)
                    }
                    _ => {}
                }
                events.push(rewrite_inline(
                    other.clone(),
                    range,
                    body,
                    &index,
                    ctx,
                    &mut out,
                ));
            }
        }
    }

    out.html = String::with_capacity(body.len().saturating_add(body.len() / 2));
    html::push_html(&mut out.html, events.into_iter());
    out.toc = build_toc(&headings);
    for section in &mut out.sections {
        let trimmed = section.text.trim_end().len();
        section.text.truncate(trimmed);
    }
    out
}

/// The index just after the first event from `from` on that `is_end` accepts.
fn end_of(
    all: &[(Event, std::ops::Range<usize>)],
    from: usize,
    is_end: impl Fn(&Event) -> bool,
) -> usize {
    let mut i = from;
    while let Some((e, _)) = all.get(i) {
        i = i.saturating_add(1);
        if is_end(e) {
            break;
        }
    }
    i
}

/// Whether the paragraph starting after `from` opens with `{{` (the parser may split `{{<`): only
/// then is its text collected.
fn may_be_shortcode(all: &[(Event, std::ops::Range<usize>)], from: usize) -> bool {
    matches!(all.get(from), Some((Event::Text(t), _)) if t.trim_start().starts_with("{{"))
}

/// The text of a paragraph that holds nothing but text, starting after its `Start` event.
fn paragraph_text(all: &[(Event, std::ops::Range<usize>)], from: usize) -> Option<String> {
    let mut text = String::new();
    for (event, _) in all.get(from..)? {
        match event {
            Event::Text(t) => text.push_str(t),
            Event::SoftBreak => text.push(' '),
            Event::End(TagEnd::Paragraph) => return Some(text),
            _ => return None,
        }
    }
    None
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Links are checked and rewritten; raw HTML is escaped unless the site allows it; task markers
/// become text a screen reader can say.
fn rewrite_inline<'a>(
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
                escape(label)
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
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let (line, column) = index.place(body, range.start);
            let dest = if is_script_url(&dest_url) {
                out.diagnostics.push(
                    Diagnostic::error(
                        ctx.source,
                        line,
                        column,
                        format!("onveilige afbeeldingslink `{dest_url}`"),
                    )
                    .help("gebruik een gewone http(s)-link of een pad naar een bestand in static/"),
                );
                String::from("#")
            } else {
                dest_url.to_string()
            };
            Event::Start(Tag::Image {
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
    let is_external =
        dest.contains("://") || dest.starts_with("mailto:") || dest.starts_with("tel:");
    if is_external || !path.ends_with(".md") {
        if path.is_empty()
            && let Some(anchor) = anchor
        {
            out.anchor_links.push(AnchorLink {
                target_rel: ctx.rel.to_string(),
                anchor: anchor.to_string(),
                line,
                column,
            });
        }
        return dest.to_string();
    }
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
            Some(near) => {
                format!("bedoelt u `{near}`? Paden zijn relatief aan de map van deze pagina")
            }
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

fn plain_text(events: &[Event]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

/// Nests `###` under the `##` before it, and so on.
fn build_toc(headings: &[(u8, String, String)]) -> Vec<TocEntry> {
    fn insert(list: &mut Vec<TocEntry>, entry: TocEntry) {
        if let Some(last) = list.last_mut()
            && entry.level > last.level
        {
            insert(&mut last.children, entry);
            return;
        }
        list.push(entry);
    }
    let mut toc = Vec::new();
    for (level, id, title) in headings {
        if *level < 2 {
            continue;
        }
        insert(
            &mut toc,
            TocEntry {
                level: *level,
                id: id.clone(),
                title: title.clone(),
                children: Vec::new(),
            },
        );
    }
    toc
}

fn looks_numeric(text: &str) -> bool {
    let t = text
        .trim()
        .trim_start_matches(['€', '-', '+', '±'])
        .trim()
        .trim_end_matches('%')
        .trim();
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' ' | '\u{a0}'))
        && t.chars().any(|c| c.is_ascii_digit())
}

/// Tables with `th scope`, numeric columns marked for right alignment with tabular figures, and a
/// focusable scroll wrapper so narrow screens never scroll the page sideways.
fn render_table(
    alignments: &[Alignment],
    events: Vec<Event>,
    labels: &Labels,
    number: usize,
) -> String {
    let mut rows: Vec<(bool, Vec<Vec<Event>>)> = Vec::new();
    let mut in_head = false;
    let mut cell: Option<Vec<Event>> = None;
    for event in events {
        match event {
            Event::Start(Tag::TableHead) => {
                in_head = true;
                rows.push((true, Vec::new()));
            }
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableRow) => rows.push((in_head, Vec::new())),
            Event::Start(Tag::TableCell) => cell = Some(Vec::new()),
            Event::End(TagEnd::TableCell) => {
                if let (Some(c), Some(row)) = (cell.take(), rows.last_mut()) {
                    row.1.push(c);
                }
            }
            Event::End(TagEnd::TableRow) => {}
            other => {
                if let Some(c) = cell.as_mut() {
                    c.push(other);
                }
            }
        }
    }
    let columns = alignments.len();
    let numeric: Vec<bool> = (0..columns)
        .map(|col| {
            let body: Vec<String> = rows
                .iter()
                .filter(|(head, _)| !head)
                .filter_map(|(_, cells)| cells.get(col).map(|c| plain_text(c)))
                .filter(|t| !t.is_empty() && t != "." && t != "-")
                .collect();
            alignments.get(col) == Some(&Alignment::Right)
                || (!body.is_empty() && body.iter().all(|t| looks_numeric(t)))
        })
        .collect();
    let mut html = format!(
        "<div class=\"tabel-wrapper\" tabindex=\"0\" role=\"region\" aria-label=\"{} {number}\">\n<table>\n",
        escape_attr(&labels.table_region)
    );
    let mut body_open = false;
    for (head, cells) in rows {
        if head {
            html.push_str("<thead>\n<tr>");
        } else if !body_open {
            html.push_str("<tbody>\n<tr>");
            body_open = true;
        } else {
            html.push_str("<tr>");
        }
        for (col, cell) in cells.into_iter().enumerate() {
            let alignment = alignments.get(col);
            let num =
                numeric.get(col).copied().unwrap_or(false) || alignment == Some(&Alignment::Right);
            let centred = alignment == Some(&Alignment::Center);
            html.push_str(if head { "<th scope=\"col\"" } else { "<td" });
            html.push_str(match (num, centred) {
                (true, true) => " class=\"num midden\"",
                (true, false) => " class=\"num\"",
                (false, true) => " class=\"midden\"",
                (false, false) => "",
            });
            html.push('>');
            html::push_html(&mut html, cell.into_iter());
            html.push_str(if head { "</th>" } else { "</td>" });
        }
        html.push_str("</tr>\n");
        if head {
            html.push_str("</thead>\n");
        }
    }
    if body_open {
        html.push_str("</tbody>\n");
    }
    html.push_str("</table>\n</div>\n");
    html
}

/// What an abbreviation can look like, so that most words are passed over without a lookup.
struct AbbreviationShape {
    longest: usize,
    first_chars: Vec<char>,
    /// The first bytes of the abbreviations that start with a letter or digit (a word never
    /// starts otherwise): only where one of these stands can an abbreviation start.
    first_bytes: [bool; 256],
}

impl AbbreviationShape {
    fn of(abbreviations: &HashMap<String, String>) -> AbbreviationShape {
        let mut first_chars: Vec<char> = abbreviations
            .keys()
            .filter_map(|k| k.chars().next())
            .collect();
        first_chars.sort_unstable();
        first_chars.dedup();
        let mut first_bytes = [false; 256];
        for c in first_chars.iter().filter(|c| c.is_alphanumeric()) {
            let mut utf8 = [0u8; 4];
            if let Some(byte) = c.encode_utf8(&mut utf8).as_bytes().first()
                && let Some(slot) = first_bytes.get_mut(usize::from(*byte))
            {
                *slot = true;
            }
        }
        AbbreviationShape {
            longest: abbreviations.keys().map(String::len).max().unwrap_or(0),
            first_chars,
            first_bytes,
        }
    }

    fn may_be(&self, word: &str) -> bool {
        word.len() <= self.longest
            && word
                .chars()
                .next()
                .is_some_and(|c| self.first_chars.binary_search(&c).is_ok())
    }

    /// The words of `text` that start with one of `first_bytes`, with where each starts. The
    /// same words as `words_in` finds: letters and digits, with hyphens inside (`AOW-leeftijd`),
    /// a trailing hyphen left off. Only candidate bytes are looked at closely: this runs over
    /// every text of every page, and most words cannot be an abbreviation.
    fn candidates<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, &'t str)> + 't {
        text.bytes()
            .enumerate()
            .filter(|(_, byte)| {
                self.first_bytes
                    .get(usize::from(*byte))
                    .copied()
                    .unwrap_or(false)
            })
            .filter_map(move |(start, _)| {
                // Inside a word when a letter or digit stands before, hyphens between allowed.
                let before = text.get(..start)?.trim_end_matches('-');
                if before
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
                {
                    return None;
                }
                let rest = text.get(start..)?;
                let end = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '-'))
                    .unwrap_or(rest.len());
                let word = rest.get(..end)?.trim_end_matches('-');
                (!word.is_empty()).then_some((start, word))
            })
    }
}

/// The words of `text` with where each starts: letters and digits, with hyphens inside
/// (`AOW-leeftijd`), a trailing hyphen left off. The reference for `AbbreviationShape::candidates`.
#[cfg(test)]
fn words_in(text: &str) -> impl Iterator<Item = (usize, &str)> {
    // Whether a word character starts at `at` (a hyphen counts inside a word), and its length.
    let class = move |at: usize, in_word: bool| -> Option<(bool, usize)> {
        let c = text.get(at..)?.chars().next()?;
        Some((c.is_alphanumeric() || in_word && c == '-', c.len_utf8()))
    };
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        loop {
            let (word, len) = class(pos, false)?;
            if word {
                break;
            }
            pos = pos.saturating_add(len);
        }
        let start = pos;
        while let Some((true, len)) = class(pos, true) {
            pos = pos.saturating_add(len);
        }
        Some((start, text.get(start..pos)?.trim_end_matches('-')))
    })
}

/// The first use of each abbreviation on a page gets `<abbr title>`; later uses stay plain text.
fn mark_abbreviations<'a>(
    event_text: &CowStr<'a>,
    abbreviations: &HashMap<String, String>,
    shape: &AbbreviationShape,
    seen: &mut std::collections::HashSet<String>,
    events: &mut Vec<Event<'a>>,
) {
    // Dereferenced once: a `CowStr` decides its kind on every access.
    let text: &str = event_text;
    let mut last = 0usize;
    let mut marked = false;
    // Once every abbreviation has had its first use, the rest of the page stays as it is.
    let candidates = (seen.len() < abbreviations.len())
        .then(|| shape.candidates(text))
        .into_iter()
        .flatten();
    for (start, word) in candidates {
        if !shape.may_be(word) || seen.contains(word) {
            continue;
        }
        if let Some(meaning) = abbreviations.get(word) {
            seen.insert(word.to_string());
            if start > last {
                events.push(Event::Text(CowStr::from(
                    text.get(last..start).unwrap_or("").to_string(),
                )));
            }
            events.push(Event::Html(CowStr::from(format!(
                "<abbr title=\"{}\">{}</abbr>",
                escape_attr(meaning),
                escape(word)
            ))));
            last = start.saturating_add(word.len());
            marked = true;
        }
    }
    if !marked {
        // The common case: the text stays as the parser gave it, without a copy.
        events.push(Event::Text(event_text.clone()));
    } else if last < text.len() {
        events.push(Event::Text(CowStr::from(
            text.get(last..).unwrap_or("").to_string(),
        )));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_simple(body: &str) -> Rendered {
        let mut urls = HashMap::new();
        urls.insert(
            "handreiking/rollen/financier.md".to_string(),
            "/handreiking/rollen/financier/".to_string(),
        );
        let mut abbreviations = HashMap::new();
        abbreviations.insert("KCC".to_string(), "Klantcontactcentrum".to_string());
        let labels = Labels {
            heading_anchor: "Link naar deze kop".into(),
            table_region: "Tabel".into(),
            task_done: "gedaan".into(),
            task_open: "nog te doen".into(),
        };
        let figures: std::collections::HashSet<String> =
            ["gemeenten-beleidsnota".to_string()].into_iter().collect();
        let ctx = Context {
            figures: &figures,
            rel: "handreiking/wat.md",
            source: "content/handreiking/wat.md",
            body_line: 5,
            unsafe_html: false,
            smart_punctuation: true,
            urls: &urls,
            abbreviations: &abbreviations,
            labels: &labels,
        };
        render(body, &ctx)
    }

    #[test]
    fn headings_get_folded_unique_ids_and_toc() {
        let r = render_simple("## Enquête & respons\n\n### Tips\n\n## Tips\n\n## Eigen {#eigen}\n");
        assert_eq!(r.ids, vec!["enquete-respons", "tips", "tips-1", "eigen"]);
        assert!(r.html.starts_with("<h2 id=\"enquete-respons\">Enquête &amp; respons <a class=\"anker\" href=\"#enquete-respons\">"), "{}", r.html);
        assert_eq!(r.toc.len(), 3);
        assert_eq!(r.toc[0].children[0].id, "tips");
    }

    #[test]
    fn rewrites_markdown_links_and_reports_broken_ones_at_file_line() {
        let r = render_simple(
            "Zie [financier](rollen/financier.md#tips).\n\nEn [weg](rollen/weg.md).\n",
        );
        assert!(
            r.html
                .contains("href=\"/handreiking/rollen/financier/#tips\""),
            "{}",
            r.html
        );
        assert_eq!(r.anchor_links.len(), 1);
        assert_eq!(r.diagnostics.len(), 1);
        let d = &r.diagnostics[0];
        assert_eq!((d.line, d.column), (7, 4));
        assert_eq!(
            d.message,
            "de link `rollen/weg.md` wijst naar een pagina die niet bestaat (content/handreiking/rollen/weg.md)"
        );
    }

    #[test]
    fn escapes_raw_html_and_refuses_script_links() {
        let r = render_simple(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y]( JaVaScRiPt:alert(1))\n",
        );
        assert!(
            r.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("javascript:"), "{}", r.html);
        assert_eq!(r.diagnostics.len(), 2);
    }

    #[test]
    fn figure_shortcodes_become_placeholders_or_errors() {
        let r = render_simple(
            "Tekst.\n\n{{< grafiek gemeenten-beleidsnota >}}\n\n{{< grafiek gemeenten-beleid >}}\n",
        );
        assert_eq!(
            r.html,
            "<p>Tekst.</p>\n<!--handreiking:grafiek:gemeenten-beleidsnota-->\n"
        );
        assert_eq!(r.diagnostics.len(), 1);
        let d = &r.diagnostics[0];
        assert_eq!(
            (d.line, d.column, d.message.as_str()),
            (9, 1, "onbekende grafiek `gemeenten-beleid`")
        );
        assert_eq!(
            d.help.as_deref(),
            Some("bedoelt u `gemeenten-beleidsnota`? Gebruik de `id` van een vraag uit data/")
        );
    }

    #[test]
    fn marks_only_the_first_abbreviation() {
        let r = render_simple("Het KCC helpt. Bel het KCC.\n");
        assert_eq!(
            r.html,
            "<p>Het <abbr title=\"Klantcontactcentrum\">KCC</abbr> helpt. Bel het KCC.</p>\n"
        );
    }

    #[test]
    fn finds_words_with_inner_hyphens() {
        let words: Vec<(usize, &str)> = words_in("De AOW-leeftijd, café- en KCC-").collect();
        assert_eq!(
            words,
            [
                (0, "De"),
                (3, "AOW-leeftijd"),
                (17, "café"),
                (24, "en"),
                (27, "KCC")
            ]
        );
        assert_eq!(words_in("").count(), 0);
        assert_eq!(words_in(" - , ").count(), 0);
    }

    #[test]
    fn abbreviation_candidates_are_the_words_that_may_start_one() {
        let abbreviations: HashMap<String, String> = ["KCC", "AOW", "Één", "e-ID", "-X", "1G"]
            .into_iter()
            .map(|k| (k.to_string(), String::new()))
            .collect();
        let shape = AbbreviationShape::of(&abbreviations);
        for text in [
            "De AOW-leeftijd, café- en KCC-",
            "xKCC KCC-x x-KCC x--KCC --KCC - KCC -KCC",
            "éKCC é-KCC «KCC» KCC’s KCC1 1G 11G",
            "Één ééN Èén e-ID ee-ID -X X",
            "",
            "K",
            "KCC",
        ] {
            let expected: Vec<(usize, &str)> = words_in(text)
                .filter(|(_, w)| {
                    w.bytes()
                        .next()
                        .is_some_and(|b| shape.first_bytes[usize::from(b)])
                })
                .collect();
            assert_eq!(
                shape.candidates(text).collect::<Vec<_>>(),
                expected,
                "{text:?}"
            );
        }
    }

    #[test]
    fn counts_words_like_split_whitespace() {
        for text in [
            "",
            " ",
            "een",
            " een  twee\tdrie\n",
            "a\x0Bb\x0Cc\rd",
            "café au\u{a0}lait",
            "x\u{3000}y ",
            "één  tweeë drie",
            "“aanhalingstekens” en\u{2009}smalle\u{202f}spaties",
        ] {
            assert_eq!(
                count_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
        assert_eq!(count_words("a\x0Bb"), 2);
        // Across the 255-byte chunks the count is made in.
        for length in [254, 255, 256, 509, 510, 511, 1000] {
            for step in [1, 2, 3, 7, 254, 255] {
                let text: String = (0..length)
                    .map(|i| if i % step == 0 { ' ' } else { 'x' })
                    .collect();
                assert_eq!(
                    count_words(&text),
                    text.split_whitespace().count(),
                    "{length} {step}"
                );
            }
        }
    }

    #[test]
    fn tables_have_scope_and_numeric_columns() {
        let r = render_simple(
            "| Groep | Aantal |\n|---|---|\n| Gemeenten | 48 |\n| Bibliotheken | 22 |\n",
        );
        assert!(
            r.html.contains(
                "<th scope=\"col\">Groep</th><th scope=\"col\" class=\"num\">Aantal</th>"
            ),
            "{}",
            r.html
        );
        assert!(r.html.contains("<td class=\"num\">48</td>"), "{}", r.html);
        assert!(!r.html.contains("style="));
    }
}
