//! An SVG image's size from its `width` and `height`, else its `viewBox`; scripts are refused,
//! because the file is also published on its own, where a browser would run them.

use super::format::{Format, Probed};
use crate::diagnostics::Diagnostic;

const SAVE_PLAIN: &str =
    "sla de tekening opnieuw op als gewone SVG, zonder scripts of ingesloten HTML";

pub(super) fn probe(bytes: &[u8], display: &str) -> Result<Probed, Diagnostic> {
    let unreadable = || {
        Diagnostic::error(display, 0, 0, "de SVG-afbeelding is niet te lezen")
            .help("open de tekening in een tekenprogramma en sla hem opnieuw op als SVG")
    };
    let text = std::str::from_utf8(bytes).map_err(|_| unreadable())?;
    let options = roxmltree::ParsingOptions {
        // Drawing programs write a DOCTYPE; roxmltree limits what its entities may expand to.
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let document =
        roxmltree::Document::parse_with_options(text, options).map_err(|_| unreadable())?;
    let svg = document.root_element();
    if svg.tag_name().name() != "svg" {
        return Err(unreadable());
    }
    if let Some(what) = script_in(&document) {
        return Err(Diagnostic::error(
            display,
            0,
            0,
            format!("de SVG-afbeelding bevat een script ({what})"),
        )
        .help(SAVE_PLAIN));
    }
    let size = match (
        length(svg.attribute("width")),
        length(svg.attribute("height")),
    ) {
        (Some(width), Some(height)) => Some((width, height)),
        _ => svg.attribute("viewBox").and_then(view_box),
    };
    let Some((width, height)) = size else {
        return Err(Diagnostic::error(
            display,
            0,
            0,
            "de SVG-afbeelding heeft geen maat (geen width en height, en geen viewBox)",
        )
        .help("zet een viewBox op het <svg>-element, zoals `viewBox=\"0 0 800 600\"`"));
    };
    Ok(Probed {
        width,
        height,
        format: Format::Svg,
    })
}

/// A script element, embedded HTML, an event attribute or a `javascript:` link, if any.
fn script_in(document: &roxmltree::Document) -> Option<String> {
    for node in document.descendants().filter(roxmltree::Node::is_element) {
        let name = node.tag_name().name();
        if name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("foreignObject") {
            return Some(format!("<{name}>"));
        }
        for attribute in node.attributes() {
            let key = attribute.name();
            let script_url = attribute
                .value()
                .trim()
                .to_ascii_lowercase()
                .starts_with("javascript:");
            if key.to_ascii_lowercase().starts_with("on") || script_url {
                return Some(format!("het attribuut {key} op <{name}>"));
            }
        }
    }
    None
}

/// A length in pixels: a number with `px` or no unit, rounded up; others (`%`, `em`) are no size.
fn length(value: Option<&str>) -> Option<u32> {
    let value = value?.trim();
    let number = value.strip_suffix("px").unwrap_or(value).trim();
    whole(number.parse::<f64>().ok()?)
}

/// `0 0 800 600` (spaces or commas) -> (800, 600).
fn view_box(value: &str) -> Option<(u32, u32)> {
    let numbers: Vec<f64> = value
        .split([' ', ',', '\t', '\n', '\r'])
        .filter(|p| !p.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    match numbers.as_slice() {
        [_, _, width, height] => Some((whole(*width)?, whole(*height)?)),
        _ => None,
    }
}

fn whole(value: f64) -> Option<u32> {
    let rounded = value.ceil();
    (rounded >= 1.0 && rounded <= f64::from(super::probe::MAX_SIDE)).then(|| {
        // In range by the check above.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let whole = rounded as u32;
        whole
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(svg: &str) -> Result<(u32, u32), String> {
        probe(svg.as_bytes(), "x.svg")
            .map(|p| (p.width, p.height))
            .map_err(|d| d.message)
    }

    #[test]
    fn size_from_attributes_or_view_box() {
        assert_eq!(
            size("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120px\" height=\"80.5\"/>"),
            Ok((120, 81))
        );
        assert_eq!(
            size(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" viewBox=\"0,0,800,600\"/>"
            ),
            Ok((800, 600))
        );
        assert_eq!(
            size(
                "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\"></svg>"
            ),
            Ok((32, 32))
        );
        assert_eq!(
            size("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            Err("de SVG-afbeelding heeft geen maat (geen width en height, en geen viewBox)".into())
        );
        assert_eq!(
            size("<html/>"),
            Err("de SVG-afbeelding is niet te lezen".into())
        );
    }

    #[test]
    fn scripts_are_refused() {
        assert_eq!(
            size(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><script>alert(1)</script></svg>"
            ),
            Err("de SVG-afbeelding bevat een script (<script>)".into())
        );
        assert_eq!(
            size(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\" onload=\"alert(1)\"/>"
            ),
            Err("de SVG-afbeelding bevat een script (het attribuut onload op <svg>)".into())
        );
        assert_eq!(
            size(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:x=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 1 1\"><a x:href=\" JavaScript:alert(1)\"/></svg>"
            ),
            Err("de SVG-afbeelding bevat een script (het attribuut href op <a>)".into())
        );
    }
}
