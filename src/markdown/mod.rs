//! Markdown to HTML plus the plain facts of a page that later stages use: heading ids, the table of
//! contents, links to anchors elsewhere, the text per section and the word count. It knows no
//! templates and no search index.

mod abbr;
mod context;
pub mod figure;
mod image;
mod links;
mod rendered;
mod table;
mod text;
mod toc;

pub use context::{Context, Labels};
pub use links::is_script_url;
pub use rendered::{AnchorLink, LinkForm, Rendered, SiteLink};
pub use text::TextSection;
pub use toc::TocEntry;

use crate::diagnostics::Diagnostic;
use crate::escape;
use crate::highlight;
use crate::slug::{IdAllocator, slugify};
use abbr::AbbreviationShape;
use links::{LineIndex, rewrite_inline};
use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html,
};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use text::plain_text;

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

/// What rendering a page's Markdown needs besides the page: the same for every page of a site.
pub struct Inputs {
    /// Content path -> URL (with base path) of every page.
    pub urls: HashMap<String, String>,
    /// Abbreviation -> meaning.
    pub abbreviations: HashMap<String, String>,
    pub labels: Labels,
    /// Statistics figures that `{{< grafiek ID >}}` may embed: `vraag-id` or `meting/vraag-id`.
    pub figures: HashSet<String>,
    pub unsafe_html: bool,
    pub smart_punctuation: bool,
    /// Ids the theme uses on every page.
    pub reserved_ids: HashSet<String>,
    /// The site's address without trailing slash, and its path part.
    pub base: String,
    pub base_path: String,
    /// The images pages may show and the files published from `content/`.
    pub assets: std::sync::Arc<crate::images::Catalog>,
}

/// Which page a body belongs to.
pub struct PageRef<'a> {
    /// Inside `content/`.
    pub rel: &'a str,
    /// Its site URL.
    pub url: &'a str,
    /// From the site root, for diagnostics.
    pub source: &'a str,
    /// The line of the file on which the body starts.
    pub body_line: usize,
}

impl Inputs {
    /// `body` as the Markdown of `page`.
    pub fn render(&self, page: &PageRef, body: &str) -> Rendered {
        let PageRef {
            rel,
            url,
            source,
            body_line,
        } = *page;
        render(
            body,
            &Context {
                rel,
                page_url: url,
                base: &self.base,
                base_path: &self.base_path,
                source,
                body_line,
                unsafe_html: self.unsafe_html,
                smart_punctuation: self.smart_punctuation,
                urls: &self.urls,
                abbreviations: &self.abbreviations,
                labels: &self.labels,
                figures: &self.figures,
                reserved_ids: &self.reserved_ids,
                assets: &self.assets,
            },
        )
    }
}

type Spanned<'a> = (Event<'a>, Range<usize>);

/// The state of one page while its events are turned into HTML.
struct Writer<'a, 'c> {
    body: &'a str,
    ctx: &'c Context<'c>,
    index: LineIndex,
    out: Rendered,
    ids: IdAllocator,
    headings: Vec<(u8, String, String)>,
    abbr_seen: HashSet<String>,
    abbreviation_shape: AbbreviationShape,
    events: Vec<Event<'a>>,
    /// Inside a link or image: no `<abbr>` there.
    no_abbr_depth: usize,
    tables: usize,
    /// Images so far: the first one loads at once, the others when scrolled near.
    images: usize,
}

pub fn render(body: &str, ctx: &Context) -> Rendered {
    let parser = Parser::new_ext(body, options(ctx.smart_punctuation));
    // Sized from the text up front: growing these vectors step by step was a visible cost.
    let mut all: Vec<Spanned> = Vec::with_capacity(body.len() / 8);
    all.extend(parser.into_offset_iter());
    let mut writer = Writer {
        body,
        ctx,
        index: LineIndex::new(body, ctx.body_line),
        out: Rendered::default(),
        ids: IdAllocator::default(),
        headings: Vec::new(),
        abbr_seen: HashSet::new(),
        abbreviation_shape: AbbreviationShape::of(ctx.abbreviations),
        events: Vec::with_capacity(all.len()),
        no_abbr_depth: 0,
        tables: 0,
        images: 0,
    };
    // The theme's ids and explicit ids (`{#tips}`) are reserved first so generated ids never
    // take them.
    for id in ctx.reserved_ids {
        writer.ids.reserve(id);
    }
    for (event, _) in &all {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
            writer.ids.reserve(id);
        }
    }
    writer.out.sections.push(TextSection::default());
    let mut i = 0usize;
    while let Some((event, range)) = all.get(i) {
        i = i.saturating_add(1);
        i = writer.event(&all, i, event, range);
    }
    writer.finish(body.len())
}

impl<'a> Writer<'a, '_> {
    /// Writes `event` (which stood just before `next`) and returns where to go on.
    fn event(
        &mut self,
        all: &[Spanned<'a>],
        next: usize,
        event: &Event<'a>,
        range: &Range<usize>,
    ) -> usize {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                if let Some(id) = id
                    .as_deref()
                    .filter(|id| self.ctx.reserved_ids.contains(*id))
                {
                    self.reserved_id(id, range);
                }
                return self.heading(all, next, *level, id.as_deref());
            }
            Event::Start(Tag::Paragraph)
                if may_be_shortcode(all, next)
                    && paragraph_text(all, next)
                        .is_some_and(|t| figure::shortcode(&t).is_some()) =>
            {
                return self.figure(all, next, range);
            }
            Event::Start(Tag::Table(alignments)) => return self.table(all, next, alignments),
            Event::Start(Tag::CodeBlock(kind)) => return self.code_block(all, next, kind),
            Event::Start(Tag::Image { .. }) => {
                let (img, end) = self.image(all, next, range);
                self.events.push(img);
                return end;
            }
            Event::Start(Tag::Link { .. }) => {
                self.no_abbr_depth = self.no_abbr_depth.saturating_add(1);
                let e = self.inline(event.clone(), range);
                self.events.push(e);
            }
            Event::End(TagEnd::Link) => {
                self.no_abbr_depth = self.no_abbr_depth.saturating_sub(1);
                self.events.push(event.clone());
            }
            Event::Text(text) if self.no_abbr_depth == 0 && !self.ctx.abbreviations.is_empty() => {
                abbr::mark_abbreviations(
                    text,
                    self.ctx.abbreviations,
                    &self.abbreviation_shape,
                    &mut self.abbr_seen,
                    &mut self.events,
                );
                self.count_text(text);
            }
            other => {
                match other {
                    Event::Text(t) => self.count_text(t),
                    Event::Code(t) => text::append(&mut self.out.sections, t),
                    Event::SoftBreak | Event::HardBreak | Event::End(_) => {
                        text::block_end(&mut self.out.sections)
                    }
                    _ => {}
                }
                let e = self.inline(other.clone(), range);
                self.events.push(e);
            }
        }
        next
    }

    fn inline(&mut self, event: Event<'a>, range: &Range<usize>) -> Event<'a> {
        rewrite_inline(
            event,
            range,
            self.body,
            &self.index,
            self.ctx,
            &mut self.out,
        )
    }

    fn count_text(&mut self, text: &str) {
        self.out.words = self.out.words.saturating_add(text::count_words(text));
        text::append(&mut self.out.sections, text);
    }

    /// The events of an element from `start` up to its end, links, images and raw HTML rewritten.
    fn inner(&mut self, all: &[Spanned<'a>], start: usize, end: usize) -> Vec<Event<'a>> {
        let stop = end.saturating_sub(1);
        let mut out = Vec::with_capacity(stop.saturating_sub(start));
        let mut i = start;
        while let Some((e, r)) = all.get(i).filter(|_| i < stop) {
            i = i.saturating_add(1);
            if matches!(e, Event::Start(Tag::Image { .. })) {
                let (img, next) = self.image(all, i, r);
                out.push(img);
                i = next;
            } else {
                out.push(self.inline(e.clone(), r));
            }
        }
        out
    }

    fn heading(
        &mut self,
        all: &[Spanned<'a>],
        start: usize,
        level: HeadingLevel,
        explicit_id: Option<&str>,
    ) -> usize {
        let end = end_of(all, start, |e| matches!(e, Event::End(TagEnd::Heading(_))));
        let inner = self.inner(all, start, end);
        let title = plain_text(&inner);
        let id = match explicit_id {
            Some(id) => id.to_string(),
            None => self.ids.unique(&slugify(&title)),
        };
        let mut inner_html = String::new();
        html::push_html(&mut inner_html, inner.into_iter());
        let n = heading_number(level);
        self.events.push(Event::Html(CowStr::from(format!(
            "<h{n} id=\"{id}\">{inner_html} <a class=\"anker\" href=\"#{id}\"><span class=\"visueel-verborgen\">{label}</span><span aria-hidden=\"true\">#</span></a></h{n}>\n",
            id = escape::html(&id),
            label = escape::html(&self.ctx.labels.heading_anchor),
        ))));
        if n == 2 || n == 3 {
            self.out.sections.push(TextSection {
                anchor: id.clone(),
                heading: title.clone(),
                text: String::new(),
            });
        } else {
            text::block_end(&mut self.out.sections);
            text::append(&mut self.out.sections, &title);
            text::block_end(&mut self.out.sections);
        }
        self.headings.push((n, id.clone(), title));
        self.out.ids.push(id);
        end
    }

    fn reserved_id(&mut self, id: &str, range: &Range<usize>) {
        let (line, column) = self.index.place(self.body, range.start);
        self.out.diagnostics.push(
            Diagnostic::error(
                self.ctx.source,
                line,
                column,
                format!("de id `{id}` gebruikt het thema al op elke pagina"),
            )
            .help(format!(
                "kies een andere id, bijvoorbeeld `{{#{id}-2}}`, of laat `{{#…}}` weg"
            )),
        );
    }

    /// A paragraph that holds only `{{< grafiek ID >}}`: a placeholder, or an error.
    fn figure(&mut self, all: &[Spanned<'a>], start: usize, range: &Range<usize>) -> usize {
        let text = paragraph_text(all, start).unwrap_or_default();
        let key = figure::shortcode(&text).unwrap_or_default().to_string();
        let end = end_of(all, start, |e| matches!(e, Event::End(TagEnd::Paragraph)));
        if self.ctx.figures.contains(&key) {
            self.events.push(Event::Html(CowStr::from(format!(
                "{}\n",
                figure::figure_placeholder(&key)
            ))));
            return end;
        }
        let (line, column) = self.index.place(self.body, range.start);
        let near = crate::diagnostics::nearest(&key, self.ctx.figures.iter().map(String::as_str));
        self.out.diagnostics.push(
            Diagnostic::error(
                self.ctx.source,
                line,
                column,
                format!("onbekende grafiek `{key}`"),
            )
            .help(match near {
                Some(near) => {
                    format!("bedoelt u `{near}`? Gebruik de `id` van een vraag uit data/")
                }
                None => "gebruik de `id` van een vraag uit een meting in data/".to_string(),
            }),
        );
        end
    }

    fn table(
        &mut self,
        all: &[Spanned<'a>],
        start: usize,
        alignments: &[pulldown_cmark::Alignment],
    ) -> usize {
        let end = end_of(all, start, |e| matches!(e, Event::End(TagEnd::Table)));
        let inner = self.inner(all, start, end);
        for e in &inner {
            match e {
                Event::Text(t) | Event::Code(t) => text::append(&mut self.out.sections, t),
                Event::End(TagEnd::TableCell) => text::block_end(&mut self.out.sections),
                _ => {}
            }
        }
        text::block_end(&mut self.out.sections);
        self.tables = self.tables.saturating_add(1);
        self.events
            .push(Event::Html(CowStr::from(table::render_table(
                alignments,
                inner,
                self.ctx.labels,
                self.tables,
            ))));
        end
    }

    fn code_block(&mut self, all: &[Spanned<'a>], start: usize, kind: &CodeBlockKind) -> usize {
        let mut code = String::new();
        let mut i = start;
        while let Some((e, _)) = all.get(i) {
            i = i.saturating_add(1);
            match e {
                Event::Text(t) => code.push_str(t),
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        text::block_end(&mut self.out.sections);
        text::append(&mut self.out.sections, &code);
        text::block_end(&mut self.out.sections);
        let language = match kind {
            CodeBlockKind::Fenced(lang) => lang.to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        let inner = highlight::highlight(&code, &language).unwrap_or_else(|| escape::html(&code));
        let lang_class = slugify(language.split([' ', ',', '{']).next().unwrap_or(""));
        let class = if lang_class.is_empty() {
            "code".to_string()
        } else {
            format!("code taal-{lang_class}")
        };
        self.events.push(Event::Html(CowStr::from(format!(
            "<pre class=\"{class}\" tabindex=\"0\"><code>{inner}</code></pre>\n"
        ))));
        i
    }

    fn finish(self, body_len: usize) -> Rendered {
        let mut out = self.out;
        out.html = String::with_capacity(body_len.saturating_add(body_len / 2));
        html::push_html(&mut out.html, self.events.into_iter());
        out.toc = toc::build_toc(&self.headings);
        for section in &mut out.sections {
            let trimmed = section.text.trim_end().len();
            section.text.truncate(trimmed);
        }
        out
    }
}

fn end_of(all: &[Spanned], from: usize, is_end: impl Fn(&Event) -> bool) -> usize {
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
fn may_be_shortcode(all: &[Spanned], from: usize) -> bool {
    matches!(all.get(from), Some((Event::Text(t), _)) if t.trim_start().starts_with("{{"))
}

/// The text of a paragraph that holds nothing but text, starting after its `Start` event.
fn paragraph_text(all: &[Spanned], from: usize) -> Option<String> {
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
        let reserved_ids: HashSet<String> = ["inhoud".to_string()].into_iter().collect();
        let ctx = Context {
            figures: &figures,
            reserved_ids: &reserved_ids,
            rel: "handreiking/wat.md",
            page_url: "/handreiking/wat/",
            base: "https://example.nl",
            base_path: "",
            source: "content/handreiking/wat.md",
            body_line: 5,
            unsafe_html: false,
            smart_punctuation: true,
            urls: &urls,
            abbreviations: &abbreviations,
            labels: &labels,
            assets: &crate::images::NO_FILES,
        };
        render(body, &ctx)
    }

    #[test]
    fn the_theme_ids_are_left_to_the_theme() {
        let r = render_simple("## Inhoud\n\n## Eigen {#inhoud}\n");
        assert_eq!(r.ids, vec!["inhoud-1", "inhoud"]);
        let messages: Vec<String> = r
            .diagnostics
            .iter()
            .map(|d| {
                format!(
                    "{}:{}:{} {} ({})",
                    d.file,
                    d.line,
                    d.column,
                    d.message,
                    d.help.clone().unwrap_or_default()
                )
            })
            .collect();
        assert_eq!(
            messages,
            [
                "content/handreiking/wat.md:7:1 de id `inhoud` gebruikt het thema al op elke pagina (kies een andere id, bijvoorbeeld `{#inhoud-2}`, of laat `{#…}` weg)"
            ]
        );
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
