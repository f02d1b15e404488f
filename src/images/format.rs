//! The image formats the site shows, and what reading a header tells (a leaf of `images`).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    Gif,
    Webp,
    Svg,
}

impl Format {
    /// The extension of resized versions in this format.
    pub(super) fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Gif => "gif",
            Format::Webp => "webp",
            Format::Svg => "svg",
        }
    }

    /// Only JPEG and PNG get resized versions; a GIF may be animated, WebP is already small and an
    /// SVG has no pixels.
    pub(super) fn resizable(self) -> bool {
        matches!(self, Format::Jpeg | Format::Png)
    }
}

/// What reading an image's header tells.
pub(super) struct Probed {
    pub width: u32,
    pub height: u32,
    pub format: Format,
}
