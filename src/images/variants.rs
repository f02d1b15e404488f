//! Publishing: the files of `content/` as they are, and the resized versions of every JPEG and
//! PNG image, made in parallel and kept in `.handreiking-cache/afbeeldingen/` between builds so
//! that a rebuild does not resize again.

use super::format::Format;
use super::probe::MAX_SIDE;
use super::{Image, Images};
use crate::diagnostics::Diagnostic;
use crate::output::Sink;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// JPEG quality of the resized versions: no visible loss in photos at a third of the size.
const JPEG_QUALITY: u8 = 82;

/// How many versions were made, and how many came from the cache.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub resized: usize,
    pub cached: usize,
}

/// Puts every published file of `content/` into `sink`, and the resized versions of the images
/// in the catalog (`static_files` holds the bytes of those in `static/`). A sink that keeps
/// nothing (`check`) gets no versions: nothing is resized.
pub fn publish(
    images: &Images,
    static_files: &BTreeMap<String, Vec<u8>>,
    sink: &Sink,
    diagnostics: &mut Vec<Diagnostic>,
) -> Counts {
    for (path, bytes) in &images.files {
        sink.put(path.clone(), bytes.clone());
    }
    if sink.discards() {
        return Counts::default();
    }
    let cache = Cache::new(&images.cache);
    let work: Vec<(&Image, &[u8])> = images
        .catalog
        .images
        .values()
        .filter(|image| !image.variants.is_empty())
        .filter_map(|image| {
            let bytes = images
                .files
                .get(&image.path)
                .or_else(|| static_files.get(&image.path))?;
            Some((image, bytes.as_slice()))
        })
        .collect();
    let results: Vec<Result<Counts, Diagnostic>> = work
        .par_iter()
        .map(|(image, bytes)| {
            let display = images.sources.get(&image.path).map_or("", String::as_str);
            versions(image, bytes, &cache, sink, display)
        })
        .collect();
    let mut counts = Counts::default();
    for result in results {
        match result {
            Ok(c) => {
                counts.resized = counts.resized.saturating_add(c.resized);
                counts.cached = counts.cached.saturating_add(c.cached);
            }
            Err(d) => diagnostics.push(d),
        }
    }
    diagnostics.extend(cache.finish(&work));
    crate::profile::Stages::start().note(&format!(
        "afbeeldingen: {} verkleind, {} uit de cache",
        counts.resized, counts.cached
    ));
    counts
}

/// An image's resized versions into `sink`: from the cache, or made (and then cached).
fn versions(
    image: &Image,
    bytes: &[u8],
    cache: &Cache,
    sink: &Sink,
    display: &str,
) -> Result<Counts, Diagnostic> {
    let mut counts = Counts::default();
    let mut missing = Vec::new();
    for variant in &image.variants {
        match std::fs::read(cache.file(image, variant.width)) {
            Ok(cached) => {
                sink.put(variant.path.clone(), cached);
                counts.cached = counts.cached.saturating_add(1);
            }
            Err(_) => missing.push(variant),
        }
    }
    if missing.is_empty() {
        return Ok(counts);
    }
    let failed = |why: &str| {
        Diagnostic::error(
            display,
            0,
            0,
            format!("kan de afbeelding niet verkleinen: {why}"),
        )
        .help("open de afbeelding in een fotoprogramma en sla hem opnieuw op als JPEG of PNG")
    };
    let mut from = decode(bytes).map_err(failed)?;
    // Widest first, each from the one before: every step at most halves, which keeps the
    // quality of resizing from the original at a fraction of the work.
    for variant in missing.into_iter().rev() {
        let resized = from.resize_exact(variant.width, variant.height, FilterType::CatmullRom);
        let encoded = encode(&resized, image.format)
            .map_err(|_| failed("de verkleinde versie is niet op te slaan"))?;
        cache.store(image, variant.width, &encoded);
        sink.put(variant.path.clone(), encoded);
        counts.resized = counts.resized.saturating_add(1);
        from = resized;
    }
    Ok(counts)
}

fn decode(bytes: &[u8]) -> Result<DynamicImage, &'static str> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| "het bestand is geen afbeelding")?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    reader.limits(limits);
    let mut decoder = reader
        .into_decoder()
        .map_err(|_| "het bestand is beschadigd")?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut decoded = DynamicImage::from_decoder(decoder)
        .map_err(|_| "het bestand is beschadigd of te groot om te openen")?;
    // The versions carry no rotation tag: they are turned the way a browser shows the original.
    decoded.apply_orientation(orientation);
    Ok(decoded)
}

/// JPEG for JPEG sources, PNG for PNG (with transparency when the source has it), 8 bits.
fn encode(image: &DynamicImage, format: Format) -> image::ImageResult<Vec<u8>> {
    let mut out = Vec::new();
    let written = if format == Format::Png {
        let encoder = image::codecs::png::PngEncoder::new(&mut out);
        if image.color().has_alpha() {
            image.to_rgba8().write_with_encoder(encoder)
        } else {
            image.to_rgb8().write_with_encoder(encoder)
        }
    } else {
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
        image.to_rgb8().write_with_encoder(encoder)
    };
    written.map(|()| out)
}

/// The folder of cached versions: `<key>-<width>.<ext>`.
struct Cache {
    dir: PathBuf,
    /// The first write error; the build goes on without the cache.
    problem: Mutex<Option<String>>,
    /// Numbers temporary files, so two threads never write the same one.
    written: AtomicUsize,
}

impl Cache {
    fn new(dir: &Path) -> Cache {
        Cache {
            dir: dir.to_path_buf(),
            problem: Mutex::new(None),
            written: AtomicUsize::new(0),
        }
    }

    fn name(image: &Image, width: u32) -> String {
        format!("{}-{width}.{}", image.key, image.format.extension())
    }

    fn file(&self, image: &Image, width: u32) -> PathBuf {
        self.dir.join(Cache::name(image, width))
    }

    /// Written under a temporary name and renamed, so a build running beside this one (`serve`)
    /// never reads half a file.
    fn store(&self, image: &Image, width: u32, bytes: &[u8]) {
        if self.problem.lock().is_ok_and(|p| p.is_some()) {
            return;
        }
        let number = self.written.fetch_add(1, Ordering::Relaxed);
        let temporary = self
            .dir
            .join(format!(".schrijven-{}-{number}", std::process::id()));
        let stored = std::fs::create_dir_all(&self.dir)
            .and_then(|()| std::fs::write(&temporary, bytes))
            .and_then(|()| std::fs::rename(&temporary, self.file(image, width)));
        if let Err(err) = stored {
            let _ = std::fs::remove_file(&temporary);
            if let Ok(mut problem) = self.problem.lock() {
                problem.get_or_insert(err.to_string());
            }
        }
    }

    /// Removes versions of images the site no longer has, so the cache does not grow with every
    /// replaced photo; reports a write problem once, as a warning.
    fn finish(self, work: &[(&Image, &[u8])]) -> Option<Diagnostic> {
        if let Some(err) = self.problem.into_inner().ok().flatten() {
            return Some(
                Diagnostic::warning(
                    super::CACHE_DIR,
                    0,
                    0,
                    format!("kan verkleinde afbeeldingen niet bewaren: {err}"),
                )
                .help("de site is gebouwd, maar de volgende bouw verkleint de afbeeldingen opnieuw; controleer of de map van de site schrijfbaar is"),
            );
        }
        let used: HashSet<String> = work
            .iter()
            .flat_map(|(image, _)| image.variants.iter().map(|v| Cache::name(image, v.width)))
            .collect();
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return None;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if is_cache_name(&name) && !used.contains(&name) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        None
    }
}

/// `<32 hex digits>-<width>.<jpg|png>`: only files the cache wrote are ever removed.
fn is_cache_name(name: &str) -> bool {
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    let Some((key, width)) = stem.split_once('-') else {
        return false;
    };
    matches!(ext, "jpg" | "png")
        && key.len() == 32
        && key.bytes().all(|b| b.is_ascii_hexdigit())
        && !width.is_empty()
        && width.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_cache_names_are_pruned() {
        assert!(super::is_cache_name(
            "0123456789abcdef0123456789abcdef-480.jpg"
        ));
        assert!(!super::is_cache_name("foto-480.jpg"));
        assert!(!super::is_cache_name(
            "0123456789abcdef0123456789abcdef-480.txt"
        ));
        assert!(!super::is_cache_name(".schrijven-1-2"));
    }
}
