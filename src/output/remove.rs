//! Removing directories, only ever ones this tool made, and never through a symbolic link: a
//! committed link named like a leftover staging directory must not make a build delete what it
//! points to.

use super::error::{MARKER, OutputError, io_error};
use std::io;
use std::path::Path;

/// Removes a directory only when it is a real directory (not a link) that carries our marker
/// (a real file): we never delete what we did not make.
pub fn remove_own_dir(dir: &Path) -> Result<(), OutputError> {
    let is_ours = is_real_dir(dir)
        && std::fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.file_type().is_file());
    if !is_ours {
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

/// Removes a directory this run made itself (its staging directory), unless something replaced
/// it with a link in the meantime.
pub fn remove_made_dir(dir: &Path) -> Result<(), OutputError> {
    if !is_real_dir(dir) {
        return Ok(());
    }
    remove_tree(dir).map_err(|e| io_error("kan de map niet verwijderen:", dir, &e))
}

fn is_real_dir(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_dir())
}

/// `remove_dir_all`, with the folders two levels down (a site's page folders) removed in parallel:
/// removing the previous site is a large part of a build's writing time. Entries' own types are
/// used (`DirEntry::file_type` does not follow links), so a link inside is removed, not followed.
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

/// Staging and old directories left behind by an interrupted build (`<prefix><pid>`) are removed
/// by the next build, which holds the output's lock: none of them can belong to a build that is
/// still running. A name whose process is still alive is left alone all the same.
pub fn remove_stale(dir: &Path, prefixes: &[String]) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let own = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = prefixes
            .iter()
            .find_map(|p| name.strip_prefix(p.as_str()))
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != own && process_alive(pid) {
            continue;
        }
        let _ = remove_own_dir(&entry.path());
    }
}

#[cfg(target_os = "linux")]
fn process_alive(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(not(target_os = "linux"))]
fn process_alive(_: u32) -> bool {
    // Without /proc the output's lock alone says that no other build is writing.
    false
}
