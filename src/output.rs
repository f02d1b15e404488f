//! The built site as an ordered map (path -> bytes) and writing it to disk in one atomic step.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// Every file of the site, by path relative to the output root (`handreiking/index.html`).
/// A BTreeMap so that iteration order, and with it every listing, is the same on every build.
pub type Output = BTreeMap<String, Vec<u8>>;

/// Marks a directory as made by this tool, so it may be replaced; any other directory is left alone.
pub const MARKER: &str = ".handreiking-uitvoer";
const MARKER_TEXT: &str =
    "Deze map is gemaakt door handreiking en wordt bij elke build in zijn geheel vervangen.\n";

#[derive(Debug)]
pub enum OutputError {
    Unsafe(String, String),
    Io(String),
}

impl OutputError {
    pub fn into_diagnostic(self) -> crate::diagnostics::Diagnostic {
        match self {
            OutputError::Unsafe(message, help) => {
                crate::diagnostics::Diagnostic::error("", 0, 0, message).help(help)
            }
            OutputError::Io(message) => crate::diagnostics::Diagnostic::error("", 0, 0, message),
        }
    }
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::Unsafe(message, help) => write!(f, "{message}\n  = hulp: {help}"),
            OutputError::Io(message) => f.write_str(message),
        }
    }
}

fn io_error(what: &str, path: &Path, err: &io::Error) -> OutputError {
    OutputError::Io(format!("{what} {}: {err}", path.display()))
}

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
        let empty = std::fs::read_dir(&output)
            .map_err(|e| io_error("kan de uitvoermap niet lezen:", &output, &e))?
            .next()
            .is_none();
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

/// A fresh sibling directory (`.public.nieuw-<pid>`) that a build writes into while it renders.
/// `commit` swaps it into place; dropped without `commit`, it is removed again, so the output
/// directory only ever holds a complete site.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    /// The output directory's parent and name: staging and old sites are its siblings.
    parent: PathBuf,
    name: String,
    committed: bool,
    /// Directories made so far, relative: a directory that holds many files (the search index has
    /// thousands) is made once instead of being tried again, a failed `mkdir` and a `stat`, per file.
    made: std::sync::Mutex<rustc_hash::FxHashSet<String>>,
}

impl Staging {
    pub fn create(output: &Path) -> Result<Staging, OutputError> {
        let parent = output.parent().unwrap_or(Path::new(".")).to_path_buf();
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let pid = std::process::id();
        let dir = parent.join(format!(".{name}.nieuw-{pid}"));
        if dir.exists() {
            remove_own_dir(&dir)?;
        }
        std::fs::create_dir(&dir)
            .map_err(|e| io_error("kan de tijdelijke map niet maken:", &dir, &e))?;
        let staging = Staging {
            dir,
            output: output.to_path_buf(),
            parent,
            name,
            committed: false,
            made: std::sync::Mutex::default(),
        };
        std::fs::write(staging.dir.join(MARKER), MARKER_TEXT)
            .map_err(|e| io_error("kan niet schrijven:", &staging.dir, &e))?;
        Ok(staging)
    }

    /// Writes one file; safe to call from many threads at once.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let full = self.dir.join(path);
        if let Some((dir, _)) = path.rsplit_once('/') {
            let made = self.made.lock().is_ok_and(|made| made.contains(dir));
            if !made {
                let parent = self.dir.join(dir);
                std::fs::create_dir_all(&parent)
                    .map_err(|e| io_error("kan de map niet maken:", &parent, &e))?;
                if let Ok(mut made) = self.made.lock() {
                    made.insert(dir.to_string());
                }
            }
        }
        std::fs::write(&full, bytes).map_err(|e| io_error("kan niet schrijven:", &full, &e))
    }

    /// Puts the new site in place of the old one in one step, then removes the old one.
    pub fn commit(mut self) -> Result<(), OutputError> {
        self.committed = true;
        let output = self.output.clone();
        let staging = self.dir.clone();
        let (parent, name) = (self.parent.as_path(), self.name.as_str());
        let pid = std::process::id();
        let result = (|| {
            if output.exists() {
                if swap(&staging, &output).is_ok() {
                    // `staging` now holds the previous site.
                    remove_own_dir(&staging)?;
                } else {
                    let old = parent.join(format!(".{name}.oud-{pid}"));
                    std::fs::rename(&output, &old)
                        .map_err(|e| io_error("kan de oude site niet wegzetten:", &output, &e))?;
                    if let Err(e) = std::fs::rename(&staging, &output) {
                        let _ = std::fs::rename(&old, &output);
                        return Err(io_error(
                            "kan de nieuwe site niet op zijn plaats zetten:",
                            &output,
                            &e,
                        ));
                    }
                    remove_own_dir(&old)?;
                }
            } else {
                std::fs::rename(&staging, &output).map_err(|e| {
                    io_error(
                        "kan de nieuwe site niet op zijn plaats zetten:",
                        &output,
                        &e,
                    )
                })?;
            }
            Ok(())
        })();
        if result.is_err() && staging.exists() {
            let _ = remove_own_dir(&staging);
        }
        result?;
        remove_stale(parent, name);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_own_dir(&self.dir);
        }
    }
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

#[cfg(target_os = "linux")]
fn swap(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn swap(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Removes a directory only when it carries our marker: we never delete what we did not make.
fn remove_own_dir(dir: &Path) -> Result<(), OutputError> {
    if !dir.join(MARKER).is_file() {
        return Err(OutputError::Unsafe(
            format!(
                "de map {} is niet door handreiking gemaakt en wordt niet verwijderd",
                dir.display()
            ),
            "verwijder of hernoem de map zelf".into(),
        ));
    }
    remove_tree(dir).map_err(|e| io_error("kan de map niet verwijderen:", dir, &e))
}

/// `remove_dir_all`, with the folders two levels down (a site's page folders) removed in parallel:
/// removing the previous site is a large part of a build's writing time.
fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let mut inner = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            for child in std::fs::read_dir(entry.path())? {
                inner.push(child?);
            }
        }
    }
    inner.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())
        } else {
            std::fs::remove_file(entry.path())
        }
    })?;
    std::fs::remove_dir_all(dir)
}

/// Staging directories left behind by an interrupted build are cleaned up by the next one.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.nieuw-"), format!(".{name}.oud-")];
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if prefixes.iter().any(|p| file_name.starts_with(p.as_str())) {
            let _ = remove_own_dir(&entry.path());
        }
    }
}
