//! The staging directory a build writes into, and putting it in place of the output directory.
//!
//! Normally the staging directory is a sibling (`.public.nieuw-<pid>`) that one atomic
//! `renameat2(RENAME_EXCHANGE)` swaps with the output. An output directory that is a mount point
//! (a tmpfs, a container volume) cannot be renamed: then the staging directory lives inside it
//! (`public/.handreiking-nieuw-<pid>`) and each top-level entry is swapped on its own.

use super::error::{MARKER, MARKER_TEXT, OutputError, io_error};
use super::lock::OutputLock;
use super::remove::{remove_made_dir, remove_own_dir, remove_stale};
use std::io;
use std::path::{Path, PathBuf};

/// Names this tool uses inside an output directory that is a mount point.
const INSIDE_STAGING: &str = ".handreiking-nieuw-";
const INSIDE_OLD: &str = ".handreiking-oud-";
const INSIDE_LOCK: &str = ".handreiking-slot";

/// Whether a name inside an output directory is one of this tool's working names (not a file of
/// the site): a leftover of these does not make an output directory "not empty".
pub fn is_working_name(name: &str) -> bool {
    name == INSIDE_LOCK || name.starts_with(INSIDE_STAGING) || name.starts_with(INSIDE_OLD)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Place {
    /// Beside the output directory, swapped with it as a whole.
    Beside,
    /// Inside the output directory (a mount point), swapped entry by entry.
    Inside,
}

/// A fresh directory that a build writes into while it renders. `commit` puts it in place;
/// dropped without `commit`, it is removed again, so the output directory only ever holds a
/// complete site.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    place: Place,
    committed: bool,
    /// Directories made so far, relative: a directory that holds many files (the search index has
    /// thousands) is made once instead of being tried again, a failed `mkdir` and a `stat`, per file.
    made: std::sync::Mutex<rustc_hash::FxHashSet<String>>,
    /// Declared last: fields drop after `Drop::drop`, so the lock is held until the staging
    /// directory is gone.
    _lock: OutputLock,
}

impl Staging {
    pub fn create(output: &Path) -> Result<Staging, OutputError> {
        let parent = output.parent().unwrap_or(Path::new(".")).to_path_buf();
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let pid = std::process::id();
        let place = if is_mount_point(output) {
            Place::Inside
        } else {
            Place::Beside
        };
        let (lock, work_dir, prefixes) = match place {
            Place::Beside => (
                parent.join(format!(".{name}.lock")),
                parent.clone(),
                vec![format!(".{name}.nieuw-"), format!(".{name}.oud-")],
            ),
            Place::Inside => (
                output.join(INSIDE_LOCK),
                output.to_path_buf(),
                vec![INSIDE_STAGING.to_string(), INSIDE_OLD.to_string()],
            ),
        };
        let lock = OutputLock::acquire(&lock, output)?;
        remove_stale(&work_dir, &prefixes);
        let dir = match place {
            Place::Beside => parent.join(format!(".{name}.nieuw-{pid}")),
            Place::Inside => output.join(format!("{INSIDE_STAGING}{pid}")),
        };
        std::fs::create_dir(&dir)
            .map_err(|e| io_error("kan de tijdelijke map niet maken:", &dir, &e))?;
        let staging = Staging {
            dir,
            output: output.to_path_buf(),
            place,
            committed: false,
            made: std::sync::Mutex::default(),
            _lock: lock,
        };
        std::fs::write(staging.dir.join(MARKER), MARKER_TEXT)
            .map_err(|e| io_error("kan niet schrijven:", &staging.dir, &e))?;
        Ok(staging)
    }

    /// Writes one file; safe to call from many threads at once. A path that could leave the
    /// staging directory is refused, whatever validation came before.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        if !is_plain_relative(path) {
            return Err(OutputError::Io(format!(
                "weigert te schrijven buiten de uitvoermap: {}",
                crate::diagnostics::printable(path)
            )));
        }
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

    /// Puts the new site in place of the old one, then removes the old one.
    pub fn commit(mut self) -> Result<(), OutputError> {
        self.committed = true;
        let result = match self.place {
            Place::Beside => self.commit_beside(),
            Place::Inside => swap_entries(&self.dir, &self.output),
        };
        if result.is_err() {
            let _ = remove_made_dir(&self.dir);
        }
        result
    }

    fn commit_beside(&self) -> Result<(), OutputError> {
        let (staging, output) = (&self.dir, &self.output);
        if !output.exists() {
            return std::fs::rename(staging, output).map_err(|e| {
                io_error("kan de nieuwe site niet op zijn plaats zetten:", output, &e)
            });
        }
        // An empty directory someone made for us (common in CI) is adopted: the marker decides
        // how the previous contents are removed.
        let adopted = !output.join(MARKER).is_file();
        match swap(staging, output) {
            Ok(()) => {
                // `staging` now holds the previous site.
                if adopted {
                    std::fs::remove_dir(staging)
                        .map_err(|e| io_error("kan de lege map niet verwijderen:", staging, &e))
                } else {
                    remove_own_dir(staging)
                }
            }
            Err(err) if is_busy_or_cross_device(&err) => {
                // A mount point that `create` did not recognise: copy into it and swap the
                // entries there.
                let inside = output.join(format!("{INSIDE_STAGING}{}", std::process::id()));
                copy_tree(staging, &inside)
                    .map_err(|e| io_error("kan de nieuwe site niet kopiëren:", &inside, &e))?;
                let swapped = swap_entries(&inside, output);
                if swapped.is_err() {
                    let _ = remove_made_dir(&inside);
                }
                swapped?;
                remove_made_dir(staging)
            }
            Err(_) => self.rename_twice(adopted),
        }
    }

    /// Without an atomic exchange: the old site aside, the new one in, the old one removed.
    fn rename_twice(&self, adopted: bool) -> Result<(), OutputError> {
        let (staging, output) = (&self.dir, &self.output);
        let old = staging.with_file_name(
            staging
                .file_name()
                .map(|n| n.to_string_lossy().replace(".nieuw-", ".oud-"))
                .unwrap_or_default(),
        );
        std::fs::rename(output, &old)
            .map_err(|e| io_error("kan de oude site niet wegzetten:", output, &e))?;
        if let Err(e) = std::fs::rename(staging, output) {
            let _ = std::fs::rename(&old, output);
            return Err(io_error(
                "kan de nieuwe site niet op zijn plaats zetten:",
                output,
                &e,
            ));
        }
        if adopted {
            std::fs::remove_dir(&old)
                .map_err(|e| io_error("kan de lege map niet verwijderen:", &old, &e))
        } else {
            remove_own_dir(&old)
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_made_dir(&self.dir);
        }
    }
}

/// A path relative to the output root that stays inside it: no empty, `.` or `..` part, no
/// backslash, NUL or leading `/`.
fn is_plain_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(['\\', '\0'])
        && path
            .split('/')
            .all(|p| !p.is_empty() && p != "." && p != "..")
}

/// Puts every top-level entry of `new` into `output` (a mount point that cannot be renamed as a
/// whole): an entry both sites have is exchanged in one step, a new one is moved in, and one
/// only the old site had is moved out. A reader never finds a page missing that both sites
/// have; while the entries are swapped, some are already new and some still old.
fn swap_entries(new: &Path, output: &Path) -> Result<(), OutputError> {
    let pid = std::process::id();
    let old = output.join(format!("{INSIDE_OLD}{pid}"));
    std::fs::create_dir(&old).map_err(|e| io_error("kan de map niet maken:", &old, &e))?;
    let mut names = std::collections::HashSet::new();
    let entries = std::fs::read_dir(new).map_err(|e| io_error("kan niet lezen:", new, &e))?;
    for entry in entries {
        let entry = entry.map_err(|e| io_error("kan niet lezen:", new, &e))?;
        let name = entry.file_name();
        let target = output.join(&name);
        let moved = if std::fs::symlink_metadata(&target).is_ok() {
            swap(&entry.path(), &target).or_else(|_| {
                std::fs::rename(&target, old.join(&name))?;
                std::fs::rename(entry.path(), &target)
            })
        } else {
            std::fs::rename(entry.path(), &target)
        };
        moved.map_err(|e| {
            io_error(
                "kan de nieuwe site niet op zijn plaats zetten:",
                &target,
                &e,
            )
        })?;
        names.insert(name);
    }
    let entries = std::fs::read_dir(output).map_err(|e| io_error("kan niet lezen:", output, &e))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if names.contains(&name) || is_working_name(&name.to_string_lossy()) {
            continue;
        }
        std::fs::rename(entry.path(), old.join(&name))
            .map_err(|e| io_error("kan de oude site niet wegzetten:", &entry.path(), &e))?;
    }
    // Both hold only what this run moved there: the previous versions of the site's entries.
    remove_made_dir(new)?;
    remove_made_dir(&old)
}

/// Copies a staging directory into the output directory, for an output on another file system.
fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    for entry in walkdir::WalkDir::new(from).follow_links(false) {
        let entry = entry.map_err(io::Error::other)?;
        let rel = entry.path().strip_prefix(from).map_err(io::Error::other)?;
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir(&target)?;
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

fn is_busy_or_cross_device(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::ResourceBusy | io::ErrorKind::CrossesDevices
    )
}

/// A mount point cannot be renamed (`EBUSY`), and renaming into one crosses devices (`EXDEV`).
fn is_mount_point(dir: &Path) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(dir) else {
        return false;
    };
    if !meta.file_type().is_dir() {
        return false;
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{AtFlags, CWD, StatxAttributes, StatxFlags};
        if let Ok(stx) = rustix::fs::statx(
            CWD,
            dir,
            AtFlags::NO_AUTOMOUNT | AtFlags::SYMLINK_NOFOLLOW,
            StatxFlags::empty(),
        ) && stx
            .stx_attributes_mask
            .contains(StatxAttributes::MOUNT_ROOT)
        {
            return stx.stx_attributes.contains(StatxAttributes::MOUNT_ROOT);
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let parent = dir.parent().unwrap_or(Path::new("/"));
        std::fs::metadata(parent).is_ok_and(|p| p.dev() != meta.dev())
    }
    #[cfg(not(unix))]
    false
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_stay_inside_the_staging_directory() {
        assert!(is_plain_relative("handreiking/index.html"));
        assert!(is_plain_relative(".well-known/security.txt"));
        for bad in [
            "",
            "/etc/passwd",
            "../index.html",
            "a/../../b",
            "a//b",
            "./a",
            "a\\b",
            "a\0b",
            "a/",
        ] {
            assert!(!is_plain_relative(bad), "{bad:?}");
        }
    }
}
