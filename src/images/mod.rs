//! Images and downloads as content: the files next to pages in `content/` (published at the same
//! path), and the facts of every image a page may show (size, format, resized versions), read
//! once while loading. Rendering asks the `Catalog`; `variants` makes the resized files.

mod format;
mod probe;
mod svg;
pub mod variants;

pub use format::Format;
use format::Probed;

use crate::diagnostics::Diagnostic;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where resized images are kept between builds, below the site's folder.
pub const CACHE_DIR: &str = ".handreiking-cache/afbeeldingen";

/// The widths of the resized versions; only those narrower than the source are made.
pub const WIDTHS: [u32; 3] = [480, 960, 1440];

/// Above these a source image gets a warning: the site resizes it, but it stays a heavy download
/// and a slow build.
const LARGE_BYTES: u64 = 1_000_000;
const LARGE_WIDTH: u32 = 2_400;

/// Files in `content/` larger than this are refused: they would be read into memory whole.
const FILE_LIMIT: u64 = 100_000_000;

/// The extensions of images a browser shows.
const IMAGE_EXTENSIONS: [&str; 6] = ["jpg", "jpeg", "png", "gif", "webp", "svg"];
/// Downloads published from `content/` beside images; other files there are left out.
const DOWNLOAD_EXTENSIONS: [&str; 13] = [
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "csv", "txt", "zip",
];

/// A resized version of an image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    /// Output path: `handreiking/foto-480w.jpg`.
    pub path: String,
}

/// What a page needs to know of an image to show it.
#[derive(Clone, Debug)]
pub struct Image {
    /// Output path of the original: `handreiking/foto.jpg`.
    pub path: String,
    /// Size as shown (a photo's rotation tag applied).
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// The cache key of its resized versions: a hash of the file's content.
    pub key: String,
    /// Narrowest first; empty when the image is small or not resizable.
    pub variants: Vec<Variant>,
}

impl Image {
    /// The versions a browser may choose from, narrowest first: the resized ones, and the original
    /// when it is no wider than the widest resized size (so nothing is made larger, and a large
    /// original is never sent to a screen).
    pub fn candidates(&self) -> Vec<(&str, u32, u32)> {
        let mut out: Vec<(&str, u32, u32)> = self
            .variants
            .iter()
            .map(|v| (v.path.as_str(), v.width, v.height))
            .collect();
        let widest = WIDTHS.iter().copied().max().unwrap_or(0);
        if self.width <= widest || out.is_empty() {
            out.push((self.path.as_str(), self.width, self.height));
        }
        out
    }
}

/// What pages may show and link to, without the bytes.
#[derive(Debug, Default)]
pub struct Catalog {
    /// Output path of every image in `content/` and `static/` (site and theme) -> its facts.
    pub images: BTreeMap<String, Image>,
    /// Output path of every file published from `content/`.
    pub files: BTreeSet<String>,
    /// Images whose file has an error of its own: pages showing them get no second one.
    pub broken: BTreeSet<String>,
}

/// A catalog without files, for rendering Markdown on its own (fuzzing, tests).
pub static NO_FILES: Catalog = Catalog {
    images: BTreeMap::new(),
    files: BTreeSet::new(),
    broken: BTreeSet::new(),
};

/// The files of `content/` that are published, their bytes, and the catalog of images.
#[derive(Default)]
pub struct Images {
    /// Output path -> bytes of every file published from `content/`.
    pub files: BTreeMap<String, Vec<u8>>,
    pub catalog: Arc<Catalog>,
    /// Where resized versions are cached: `<site>/.handreiking-cache/afbeeldingen`.
    pub cache: PathBuf,
    /// Output path -> the file as editors know it (`content/…`, `static/…`), for diagnostics.
    pub sources: BTreeMap<String, String>,
}

/// Whether a file in `content/` is published: images and common downloads, not hidden files.
pub fn is_published(rel: &str) -> bool {
    if rel.split('/').any(|part| part.starts_with('.')) {
        return false;
    }
    let extension = extension(rel);
    IMAGE_EXTENSIONS.contains(&extension.as_str())
        || DOWNLOAD_EXTENSIONS.contains(&extension.as_str())
}

/// Whether a path names an image a browser shows (by its extension).
pub fn is_image_path(path: &str) -> bool {
    IMAGE_EXTENSIONS.contains(&extension(path).as_str())
}

fn extension(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Reads the published files of `content/` (`files`: paths inside it) and the facts of every
/// image there and in `static` (output path -> bytes, the theme's and the site's). A file that
/// cannot be read or an image whose size cannot be told is an error at that file; a large image
/// a warning.
pub fn load(
    root: &Path,
    files: &[String],
    static_files: &BTreeMap<String, Vec<u8>>,
    theme: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Images {
    let read: Vec<(String, Result<Vec<u8>, Diagnostic>)> = files
        .par_iter()
        .filter(|rel| is_published(rel))
        .map(|rel| {
            let bytes =
                check_name(rel).and_then(|()| read_file(&root.join("content").join(rel), rel));
            (rel.clone(), bytes)
        })
        .collect();
    let mut images = Images {
        cache: root.join(CACHE_DIR),
        ..Images::default()
    };
    // Files with an error of their own: a page showing one gets no second error.
    let mut unreadable = BTreeSet::new();
    for (rel, bytes) in read {
        match bytes {
            Ok(bytes) => {
                if static_files.contains_key(&rel) {
                    diagnostics.push(clash(&rel, theme, root));
                    continue;
                }
                images.sources.insert(rel.clone(), format!("content/{rel}"));
                images.files.insert(rel, bytes);
            }
            Err(d) => {
                diagnostics.push(d);
                unreadable.insert(rel);
            }
        }
    }
    for path in static_files.keys().filter(|p| is_image_path(p)) {
        images
            .sources
            .insert(path.clone(), static_display(root, theme, path));
    }
    let sources: Vec<(&String, &Vec<u8>)> = images
        .files
        .iter()
        .chain(static_files.iter())
        .filter(|(path, _)| is_image_path(path))
        .collect();
    let probed: Vec<(&String, Described)> = sources
        .par_iter()
        .map(|(path, bytes)| {
            let display = images.sources.get(*path).map_or("", String::as_str);
            (*path, describe(path, bytes, display))
        })
        .collect();
    let mut catalog = Catalog {
        files: images.files.keys().cloned().collect(),
        broken: unreadable,
        ..Catalog::default()
    };
    for (path, result) in probed {
        match result {
            Ok((image, warnings)) => {
                diagnostics.extend(warnings);
                catalog.images.insert(image.path.clone(), image);
            }
            Err(d) => {
                diagnostics.push(d);
                catalog.broken.insert(path.clone());
            }
        }
    }
    images.catalog = Arc::new(catalog);
    images
}

/// The file name becomes part of its address, so it passes the same check as a page's.
fn check_name(rel: &str) -> Result<(), Diagnostic> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let Err(why) = crate::segment::check_url_part(name) else {
        return Ok(());
    };
    let (stem, extension) = name.rsplit_once('.').unwrap_or((name, ""));
    let suggestion = format!(
        "{}.{}",
        crate::slug::slugify(stem),
        extension.to_lowercase()
    );
    Err(Diagnostic::error(
        format!("content/{rel}"),
        0,
        0,
        format!("ongeldige bestandsnaam `{name}`: het URL-deel `{name}` {why}"),
    )
    .help(format!(
        "de bestandsnaam wordt een deel van de URL: hernoem het bestand naar kleine letters, cijfers en streepjes, zoals `{suggestion}`"
    )))
}

fn read_file(path: &Path, rel: &str) -> Result<Vec<u8>, Diagnostic> {
    let display = format!("content/{rel}");
    let size = std::fs::metadata(path)
        .map_err(|e| Diagnostic::error(&display, 0, 0, format!("kan het bestand niet lezen: {e}")))?
        .len();
    if size > FILE_LIMIT {
        return Err(Diagnostic::error(
            &display,
            0,
            0,
            format!(
                "het bestand is te groot om te publiceren ({})",
                size_text(size)
            ),
        )
        .help("de grens is 100 MB; zet grote bestanden op een andere plek en link ernaar"));
    }
    std::fs::read(path)
        .map_err(|e| Diagnostic::error(&display, 0, 0, format!("kan het bestand niet lezen: {e}")))
}

/// A file in `content/` and one in `static/` would be published at the same address.
fn clash(rel: &str, theme: &str, root: &Path) -> Diagnostic {
    Diagnostic::error(
        format!("content/{rel}"),
        0,
        0,
        format!(
            "het adres /{rel} wordt al gebruikt door {}",
            static_display(root, theme, rel)
        ),
    )
    .help("geef een van beide een andere naam of zet hem in een andere map")
}

/// A file of `static/` as editors know it: the site's own, or the theme's.
fn static_display(root: &Path, theme: &str, path: &str) -> String {
    if root.join("static").join(path).is_file() {
        format!("static/{path}")
    } else if root.join("themes").join(theme).is_dir() {
        format!("themes/{theme}/static/{path}")
    } else {
        format!("(ingebouwd thema)/static/{path}")
    }
}

/// An image's facts with its warnings, or the error that makes it unusable.
type Described = Result<(Image, Vec<Diagnostic>), Diagnostic>;

/// An image's facts, with a warning when it is large.
fn describe(path: &str, bytes: &[u8], display: &str) -> Described {
    let found = if extension(path) == "svg" {
        svg::probe(bytes, display)?
    } else {
        probe::probe(bytes, display)?
    };
    let mut problems = Vec::new();
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    let wide = found.format != Format::Svg && found.width > LARGE_WIDTH;
    if size > LARGE_BYTES || wide {
        problems.push(large_warning(display, size, &found));
    }
    let variants = plan_variants(path, &found);
    Ok((
        Image {
            path: path.to_string(),
            width: found.width,
            height: found.height,
            format: found.format,
            key: if variants.is_empty() {
                String::new()
            } else {
                cache_key(bytes)
            },
            variants,
        },
        problems,
    ))
}

fn large_warning(display: &str, size: u64, found: &Probed) -> Diagnostic {
    let what = if found.format == Format::Svg {
        size_text(size)
    } else {
        // Pixel sizes as photo programs show them: `3000 × 2000`.
        format!(
            "{}, {} × {} pixels",
            size_text(size),
            found.width,
            found.height
        )
    };
    Diagnostic::warning(display, 0, 0, format!("grote afbeelding: {what}"))
        .help("de site maakt zelf kleinere versies voor schermen, maar het origineel blijft zwaar om te downloaden en maakt de bouw trager; verklein de afbeelding tot hooguit 2400 pixels breed en 1 MB")
}

/// `876 kB`, `2,3 MB` (1 kB = 1.000 bytes, as elsewhere on the site).
pub fn size_text(bytes: u64) -> String {
    if bytes < 1_000_000 {
        let kb = bytes.saturating_add(500) / 1000;
        format!("{} kB", crate::nl::group_thousands(kb.max(1)))
    } else {
        let tenths = bytes.saturating_add(50_000) / 100_000;
        format!(
            "{} MB",
            crate::nl::format_tenths(i64::try_from(tenths).unwrap_or(i64::MAX))
        )
    }
}

/// The resized versions of an image, narrowest first: `foto-480w.jpg` beside `foto.jpg`.
fn plan_variants(path: &str, found: &Probed) -> Vec<Variant> {
    if !found.format.resizable() {
        return Vec::new();
    }
    let stem = path.rsplit_once('.').map_or(path, |(stem, _)| stem);
    WIDTHS
        .iter()
        .filter(|w| **w < found.width)
        .map(|w| Variant {
            width: *w,
            height: scaled_height(found.width, found.height, *w),
            path: format!("{stem}-{w}w.{}", found.format.extension()),
        })
        .collect()
}

/// The height at `width` with the aspect ratio kept, rounded, at least 1.
pub(crate) fn scaled_height(source_width: u32, source_height: u32, width: u32) -> u32 {
    let scaled = u64::from(source_height)
        .saturating_mul(u64::from(width))
        .saturating_add(u64::from(source_width) / 2)
        .checked_div(u64::from(source_width))
        .unwrap_or(1);
    u32::try_from(scaled).unwrap_or(u32::MAX).max(1)
}

/// Bumped when the way versions are made changes, so that older cached files are not used.
const CACHE_VERSION: &[u8] = b"handreiking-afbeeldingen-1";

fn cache_key(bytes: &[u8]) -> String {
    use sha1::Digest;
    let mut hasher = sha1::Sha1::new();
    hasher.update(CACHE_VERSION);
    hasher.update(bytes);
    hasher
        .finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_in_dutch() {
        assert_eq!(size_text(876_000), "876 kB");
        assert_eq!(size_text(300), "1 kB");
        assert_eq!(size_text(2_345_678), "2,3 MB");
        assert_eq!(size_text(12_000_000), "12,0 MB");
    }

    #[test]
    fn versions_only_narrower_than_the_source() {
        let found = Probed {
            width: 1000,
            height: 667,
            format: Format::Jpeg,
        };
        let paths: Vec<(u32, u32, String)> = plan_variants("a/foto.JPEG", &found)
            .into_iter()
            .map(|v| (v.width, v.height, v.path))
            .collect();
        assert_eq!(
            paths,
            [
                (480, 320, "a/foto-480w.jpg".to_string()),
                (960, 640, "a/foto-960w.jpg".to_string())
            ]
        );
        let svg = Probed {
            width: 3000,
            height: 10,
            format: Format::Svg,
        };
        assert!(plan_variants("a.svg", &svg).is_empty());
    }

    #[test]
    fn published_files() {
        assert!(is_published("a/Foto.JPG"));
        assert!(is_published("rapport.pdf"));
        assert!(!is_published("a/.verborgen.jpg"));
        assert!(!is_published(".git/x.png"));
        assert!(!is_published("notities.md~"));
        assert!(!is_published("index.html"));
    }
}
