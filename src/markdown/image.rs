//! Images: `![alt](foto.jpg)` is found from the page's own file, as a link to a `.md` file is, and
//! `/img/x.jpg` from `static/`. A missing image or one without alt text is an error; a local image
//! becomes one `<img>` with its size, its resized versions and lazy loading.

use super::{Spanned, Writer};
use crate::diagnostics::Diagnostic;
use crate::escape;
use crate::images::Image;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::fmt::Write as _;
use std::ops::Range;

/// Alt text that marks an image as decoration: it gets `alt=""`, so screen readers skip it.
pub const DECORATIVE: &str = "decoratief";

/// How wide an image is shown: the default theme's text column is at most 75ch (about 42rem); on
/// narrower screens an image fills the width.
const SIZES: &str = "(min-width: 45rem) 42rem, 100vw";

/// Where an image was found.
enum Found<'c> {
    Local(&'c Image),
    /// Another site's, or one already reported: `src` as written.
    AsWritten(String),
}

impl<'a, 'c> Writer<'a, 'c> {
    /// The image whose `Start` event stood just before `start`, up to its end: one `<img>`, and
    /// where to go on.
    pub(super) fn image(
        &mut self,
        all: &[Spanned<'a>],
        start: usize,
        range: &Range<usize>,
    ) -> (Event<'a>, usize) {
        let end = image_end(all, start);
        let (dest, title) = match all.get(start.saturating_sub(1)) {
            Some((
                Event::Start(Tag::Image {
                    dest_url, title, ..
                }),
                _,
            )) => (dest_url.to_string(), title.to_string()),
            _ => (String::new(), String::new()),
        };
        let alt = alt_text(all.get(start..end.saturating_sub(1)).unwrap_or(&[]));
        let (line, column) = self.index.place(self.body, range.start);
        let found = self.find_image(&dest, line, column);
        if alt.trim().is_empty() {
            self.problem(line, column, format!("de afbeelding `{dest}` heeft geen alt-tekst"), format!(
                "beschrijf tussen de haken wat de afbeelding laat zien, zoals `![Medewerkers aan de balie]({dest})`; is de afbeelding alleen versiering, schrijf dan `![{DECORATIVE}]({dest})`"
            ));
        }
        let alt = if alt.trim().eq_ignore_ascii_case(DECORATIVE) {
            String::new()
        } else {
            alt.trim().to_string()
        };
        let first = self.images == 0;
        self.images = self.images.saturating_add(1);
        let html = img(&found, &alt, &title, first, self.ctx.base_path);
        (Event::InlineHtml(CowStr::from(html)), end)
    }

    fn problem(&mut self, line: usize, column: usize, message: String, help: String) {
        self.out
            .diagnostics
            .push(Diagnostic::error(self.ctx.source, line, column, message).help(help));
    }

    /// The image `dest` points at, or an error (then `src` stays as written, or `#` for a script).
    fn find_image(&mut self, dest: &str, line: usize, column: usize) -> Found<'c> {
        let ctx = self.ctx;
        if super::is_script_url(dest) {
            self.problem(
                line,
                column,
                format!("onveilige afbeeldingslink `{dest}`"),
                "gebruik een gewone http(s)-link of een pad naar een bestand in static/".into(),
            );
            return Found::AsWritten("#".to_string());
        }
        let path = dest.split(['#', '?']).next().unwrap_or("");
        let own = path
            .strip_prefix(ctx.base)
            .filter(|rest| rest.starts_with('/'));
        let (path, root) = match own {
            Some(rest) => (rest, true),
            None if super::links::is_external(path) => {
                return Found::AsWritten(dest.to_string());
            }
            None => (path, path.starts_with('/')),
        };
        let decoded = crate::urls::percent_decode(path).unwrap_or_else(|| path.to_string());
        let target = if root {
            Some(decoded.trim_start_matches('/').to_string())
        } else {
            crate::content::resolve_rel(ctx.rel, &decoded)
        };
        let Some(target) = target else {
            self.problem(
                line,
                column,
                format!("de afbeelding `{dest}` wijst buiten content/"),
                "tel het aantal `../`: een pad mag niet hoger gaan dan de map content/".into(),
            );
            return Found::AsWritten(dest.to_string());
        };
        if let Some(image) = ctx.assets.images.get(&target) {
            return Found::Local(image);
        }
        if !ctx.assets.broken.contains(&target) {
            let (message, help) = self.missing(dest, &decoded, &target, root);
            self.problem(line, column, message, help);
        }
        Found::AsWritten(dest.to_string())
    }

    /// The message and hint for an image that is not there: the nearest image, written the way
    /// the editor wrote the path.
    fn missing(&self, dest: &str, decoded: &str, target: &str, root: bool) -> (String, String) {
        let assets = self.ctx.assets;
        if !crate::images::is_image_path(target) {
            return (
                format!("`{dest}` is geen afbeelding die de site kan tonen"),
                "de site toont JPEG, PNG, GIF, WebP en SVG; sla de afbeelding in een van die vormen op".into(),
            );
        }
        if root {
            let near =
                crate::diagnostics::nearest(target, assets.images.keys().map(String::as_str));
            let help = match near {
                Some(near) => format!("bedoelt u `/{near}`? Een pad met `/` vooraan begint in static/"),
                None => "zet de afbeelding in static/, of naast de pagina en schrijf dan alleen de bestandsnaam".into(),
            };
            return (
                format!("de afbeelding `{dest}` bestaat niet (static/{target})"),
                help,
            );
        }
        let message = format!("de afbeelding `{dest}` bestaat niet (content/{target})");
        // Written as if from the site's root: it is in static/.
        let in_static = decoded.trim_start_matches("./");
        if assets.images.contains_key(in_static) && !assets.files.contains(in_static) {
            return (
                message,
                format!("bedoelt u `/{in_static}`? Een pad met `/` vooraan begint in static/"),
            );
        }
        let content_images = assets
            .images
            .keys()
            .filter(|p| assets.files.contains(*p))
            .map(String::as_str);
        let help = match crate::diagnostics::nearest(target, content_images) {
            Some(near) => {
                let folder = self.ctx.rel.rsplit_once('/').map_or("", |(dir, _)| dir);
                format!(
                    "bedoelt u `{}`? Paden zijn relatief aan de map van deze pagina",
                    crate::urls::relative_path(folder, near)
                )
            }
            None => "zet de afbeelding naast de pagina en schrijf alleen de bestandsnaam; paden zijn relatief aan de map van deze pagina".into(),
        };
        (message, help)
    }
}

/// The index just after the `End` of the image whose `Start` stood before `from`.
fn image_end(all: &[Spanned], from: usize) -> usize {
    let mut depth = 1usize;
    let mut i = from;
    while let Some((event, _)) = all.get(i) {
        i = i.saturating_add(1);
        match event {
            Event::Start(Tag::Image { .. }) => depth = depth.saturating_add(1),
            Event::End(TagEnd::Image) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
    }
    i
}

/// The plain text between an image's brackets.
fn alt_text(events: &[Spanned]) -> String {
    let mut alt = String::new();
    for (event, _) in events {
        match event {
            Event::Text(t) | Event::Code(t) => alt.push_str(t),
            Event::SoftBreak | Event::HardBreak => alt.push(' '),
            _ => {}
        }
    }
    alt
}

/// `<img>` with the size of `src`, its versions for `srcset`, and lazy loading below the first.
fn img(found: &Found, alt: &str, title: &str, first: bool, base_path: &str) -> String {
    let link = |path: &str| format!("{base_path}/{}", crate::urls::percent_encode(path));
    let mut html = String::from("<img");
    let mut size = String::new();
    match found {
        Found::Local(image) => {
            let candidates = image.candidates();
            let (src, width, height) = candidates.last().copied().unwrap_or(("", 0, 0));
            let _ = write!(html, " src=\"{}\"", escape::html(&link(src)));
            let _ = write!(size, " width=\"{width}\" height=\"{height}\"");
            if candidates.len() > 1 {
                let srcset: Vec<String> = candidates
                    .iter()
                    .map(|(path, w, _)| format!("{} {w}w", link(path)))
                    .collect();
                let _ = write!(
                    size,
                    " srcset=\"{}\" sizes=\"{SIZES}\"",
                    escape::html(&srcset.join(", "))
                );
            }
        }
        Found::AsWritten(src) => {
            let _ = write!(html, " src=\"{}\"", escape::html(src));
        }
    }
    let _ = write!(html, " alt=\"{}\"", escape::html(alt));
    if !title.is_empty() {
        let _ = write!(html, " title=\"{}\"", escape::html(title));
    }
    html.push_str(&size);
    html.push_str(" decoding=\"async\"");
    // The first image may be in view when the page opens: it loads at once.
    if !first {
        html.push_str(" loading=\"lazy\"");
    }
    html.push('>');
    html
}
