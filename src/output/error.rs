//! What the output stage's parts share: the marker of a directory this tool made, and its errors.

use std::io;
use std::path::Path;

/// Marks a directory as made by this tool, so it may be replaced; any other directory is left alone.
pub const MARKER: &str = ".handreiking-uitvoer";
pub const MARKER_TEXT: &str =
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

pub fn io_error(what: &str, path: &Path, err: &io::Error) -> OutputError {
    OutputError::Io(format!("{what} {}: {err}", path.display()))
}
