//! The one way the tool walks a source folder: files in name order (so builds are deterministic),
//! symbolic links refused with a diagnostic (a link could pull in files from outside the site).

use crate::diagnostics::Diagnostic;
use std::path::{Path, PathBuf};

pub struct FoundFile {
    pub path: PathBuf,
    /// `/`-separated path below the folder walked.
    pub rel: String,
    /// `/`-separated path from the site root, for diagnostics.
    pub display: String,
}

/// Every file below `dir`, in name order. `display_prefix` is the folder as editors know it
/// (`content`, `themes/default/templates`). A missing folder has no files.
pub fn sorted_files(
    dir: &Path,
    display_prefix: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<FoundFile> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return files;
    }
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let display = err
                    .path()
                    .and_then(|p| p.strip_prefix(dir).ok())
                    .map(|rel| join(display_prefix, &slash_path(rel)))
                    .unwrap_or_else(|| display_prefix.to_string());
                diagnostics.push(Diagnostic::error(
                    display,
                    0,
                    0,
                    format!("kan de map niet lezen: {err}"),
                ));
                continue;
            }
        };
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let rel = slash_path(rel);
        let display = join(display_prefix, &rel);
        if entry.path_is_symlink() {
            diagnostics.push(
                Diagnostic::error(
                    &display,
                    0,
                    0,
                    format!("symbolische koppelingen in {display_prefix}/ worden niet gevolgd"),
                )
                .help(format!(
                    "zet het bestand zelf in {display_prefix}/ in plaats van een koppeling"
                )),
            );
            continue;
        }
        if entry.file_type().is_file() {
            files.push(FoundFile {
                path: entry.into_path(),
                rel,
                display,
            });
        }
    }
    files
}

fn join(prefix: &str, rel: &str) -> String {
    if rel.is_empty() {
        prefix.to_string()
    } else {
        format!("{prefix}/{rel}")
    }
}

pub fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_in_name_order_and_symlinks_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("b")).unwrap();
        std::fs::write(dir.path().join("b/z.md"), "z").unwrap();
        std::fs::write(dir.path().join("a.md"), "a").unwrap();
        std::fs::write(dir.path().join("c.md"), "c").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("d.md")).unwrap();
        let mut diagnostics = Vec::new();
        let found = sorted_files(dir.path(), "content", &mut diagnostics);
        let rels: Vec<&str> = found.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, ["a.md", "b/z.md", "c.md"]);
        assert_eq!(found[1].display, "content/b/z.md");
        #[cfg(unix)]
        {
            let messages: Vec<String> = diagnostics
                .iter()
                .map(|d| {
                    format!(
                        "{}: {} ({})",
                        d.file,
                        d.message,
                        d.help.clone().unwrap_or_default()
                    )
                })
                .collect();
            assert_eq!(
                messages,
                [
                    "content/d.md: symbolische koppelingen in content/ worden niet gevolgd (zet het bestand zelf in content/ in plaats van een koppeling)"
                ]
            );
        }
        assert!(sorted_files(&dir.path().join("nope"), "x", &mut diagnostics).is_empty());
    }
}
