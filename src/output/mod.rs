//! The built site as an ordered map (path -> bytes), where a build may write, and writing it to
//! disk: into a staging directory that replaces the output directory only when the build succeeded.

mod error;
mod lock;
mod remove;
mod staging;

use error::io_error;
pub use error::{MARKER, OutputError};
pub use staging::Staging;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file of the site, by path relative to the output root (`handreiking/index.html`).
/// A BTreeMap so that iteration order, and with it every listing, is the same on every build.
pub type Output = BTreeMap<String, Vec<u8>>;

/// Checks that `output` may be replaced as a whole, and returns its absolute path.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<PathBuf, OutputError> {
    let root = root
        .canonicalize()
        .map_err(|e| io_error("kan de sitemap niet vinden:", root, &e))?;
    if output.exists() && !output.is_symlink() {
        let full = output
            .canonicalize()
            .map_err(|e| io_error("kan de uitvoermap niet vinden:", output, &e))?;
        return check_resolved(&root, full);
    }
    let name = output
        .file_name()
        .filter(|n| *n != "." && *n != "..")
        .ok_or_else(|| unsafe_dir(output, "heeft geen mapnaam"))?
        .to_owned();
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let parent = parent.canonicalize().map_err(|e| {
        io_error(
            "de bovenliggende map van de uitvoermap bestaat niet:",
            &parent,
            &e,
        )
    })?;
    check_resolved(&root, parent.join(name))
}

fn check_resolved(root: &Path, output: PathBuf) -> Result<PathBuf, OutputError> {
    if output == root {
        return Err(unsafe_dir(&output, "is de map van de site zelf"));
    }
    if output.parent().is_none() || Some(output.as_path()) == std::env::home_dir().as_deref() {
        return Err(unsafe_dir(&output, "is de hoofdmap of uw thuismap"));
    }
    if root.starts_with(&output) {
        return Err(unsafe_dir(&output, "bevat de site"));
    }
    for input in ["content", "data", "static", "templates", "themes"] {
        if output.starts_with(root.join(input)) {
            return Err(unsafe_dir(
                &output,
                &format!("ligt in de invoermap {input}/"),
            ));
        }
    }
    if output.is_symlink() {
        return Err(unsafe_dir(&output, "is een symbolische koppeling"));
    }
    if output.exists() {
        if !output.is_dir() {
            return Err(unsafe_dir(&output, "is een bestand, geen map"));
        }
        if output.join("content").exists() || output.join("site.yaml").exists() {
            return Err(unsafe_dir(
                &output,
                "bevat content/ of site.yaml: het lijkt een site",
            ));
        }
        // This tool's own leftovers inside a mount point do not count.
        let empty = std::fs::read_dir(&output)
            .map_err(|e| io_error("kan de uitvoermap niet lezen:", &output, &e))?
            .flatten()
            .all(|e| staging::is_working_name(&e.file_name().to_string_lossy()));
        if !empty && !output.join(MARKER).is_file() {
            return Err(unsafe_dir(
                &output,
                "is niet door handreiking gemaakt en is niet leeg",
            ));
        }
    }
    Ok(output)
}

fn unsafe_dir(output: &Path, why: &str) -> OutputError {
    OutputError::Unsafe(
        format!("onveilige uitvoermap {}: de map {why}", output.display()),
        "kies met --output een nieuwe of lege map, of een map die handreiking eerder maakte (zoals public/)".into(),
    )
}

/// Where a build puts its files: into memory (`serve`), straight into a staging directory
/// (`build`: pages are written as soon as they are rendered, so the site is never held whole in
/// memory), or nowhere (`check`). It remembers which paths it holds, so a later file can yield.
pub struct Sink {
    target: Target,
    paths: std::sync::Mutex<std::collections::HashSet<String>>,
    error: std::sync::Mutex<Option<OutputError>>,
}

enum Target {
    Memory(std::sync::Mutex<Output>),
    Disk(Staging),
    Discard,
}

impl Sink {
    pub fn memory() -> Sink {
        Sink::new(Target::Memory(std::sync::Mutex::new(Output::new())))
    }

    pub fn disk(staging: Staging) -> Sink {
        Sink::new(Target::Disk(staging))
    }

    pub fn discard() -> Sink {
        Sink::new(Target::Discard)
    }

    fn new(target: Target) -> Sink {
        Sink {
            target,
            paths: std::sync::Mutex::new(std::collections::HashSet::new()),
            error: std::sync::Mutex::new(None),
        }
    }

    /// Adds or replaces a file. A write error is kept and returned by `into_staging`.
    pub fn put(&self, path: String, bytes: Vec<u8>) {
        match &self.target {
            Target::Memory(files) => {
                if let Ok(mut files) = files.lock() {
                    files.insert(path.clone(), bytes);
                }
            }
            Target::Disk(staging) => {
                if let Err(err) = staging.write(&path, &bytes)
                    && let Ok(mut first) = self.error.lock()
                {
                    first.get_or_insert(err);
                }
            }
            Target::Discard => {}
        }
        if let Ok(mut paths) = self.paths.lock() {
            paths.insert(path);
        }
    }

    pub fn put_all(&self, files: Output) {
        use rayon::prelude::*;
        files
            .into_par_iter()
            .for_each(|(path, bytes)| self.put(path, bytes));
    }

    /// Adds a file unless the site already has one at that path.
    pub fn put_if_absent(&self, path: &str, bytes: &[u8]) {
        let present = self.paths.lock().is_ok_and(|p| p.contains(path));
        if !present {
            self.put(path.to_string(), bytes.to_vec());
        }
    }

    /// Whether files put here are thrown away (`check`): work only the files need can be skipped.
    pub fn discards(&self) -> bool {
        matches!(self.target, Target::Discard)
    }

    pub fn len(&self) -> usize {
        self.paths.lock().map_or(0, |p| p.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The files held in memory (empty for the other sinks).
    pub fn into_memory(self) -> Output {
        match self.target {
            Target::Memory(files) => files.into_inner().unwrap_or_default(),
            _ => Output::new(),
        }
    }

    /// The staging directory, or the first write error.
    pub fn into_staging(self) -> Result<Option<Staging>, OutputError> {
        if let Some(err) = self.error.into_inner().ok().flatten() {
            return Err(err);
        }
        match self.target {
            Target::Disk(staging) => Ok(Some(staging)),
            _ => Ok(None),
        }
    }
}
