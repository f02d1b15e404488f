//! A raster image's format and size from its header, without decoding the pixels.

use super::format::{Format, Probed};
use crate::diagnostics::Diagnostic;
use image::metadata::Orientation;
use image::{ImageDecoder, ImageFormat, ImageReader};
use std::io::Cursor;

/// Larger images are refused: decoding one takes gigabytes, and no screen needs it.
pub(crate) const MAX_SIDE: u32 = 16_384;

const REWRITE: &str =
    "open de afbeelding in een fotoprogramma en sla hem opnieuw op als JPEG of PNG";

pub(super) fn probe(bytes: &[u8], display: &str) -> Result<Probed, Diagnostic> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| not_an_image(display))?;
    let format = match reader.format() {
        Some(ImageFormat::Jpeg) => Format::Jpeg,
        Some(ImageFormat::Png) => Format::Png,
        Some(ImageFormat::Gif) => Format::Gif,
        Some(ImageFormat::WebP) => Format::Webp,
        _ => return Err(not_an_image(display)),
    };
    let mut decoder = reader
        .into_decoder()
        .map_err(|_| damaged(display, format))?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 {
        return Err(damaged(display, format));
    }
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(Diagnostic::error(
            display,
            0,
            0,
            format!("de afbeelding is te groot: {width} × {height} pixels"),
        )
        .help("verklein de afbeelding tot hooguit 2400 pixels breed; de grens is 16384 pixels"));
    }
    // Phones store photos sideways with a tag that says how to turn them; browsers follow it.
    let turned = matches!(
        decoder.orientation().unwrap_or(Orientation::NoTransforms),
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    );
    let (width, height) = if turned {
        (height, width)
    } else {
        (width, height)
    };
    Ok(Probed {
        width,
        height,
        format,
    })
}

fn not_an_image(display: &str) -> Diagnostic {
    Diagnostic::error(
        display,
        0,
        0,
        "het bestand is geen afbeelding die de site kan tonen",
    )
    .help(format!(
        "{REWRITE}; de site toont JPEG, PNG, GIF, WebP en SVG"
    ))
}

fn damaged(display: &str, format: Format) -> Diagnostic {
    let name = match format {
        Format::Jpeg => "JPEG",
        Format::Png => "PNG",
        Format::Gif => "GIF",
        Format::Webp => "WebP",
        Format::Svg => "SVG",
    };
    Diagnostic::error(
        display,
        0,
        0,
        format!("de afbeelding is beschadigd: het begin is {name}, maar de rest niet te lezen"),
    )
    .help(REWRITE)
}
