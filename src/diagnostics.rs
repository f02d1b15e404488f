//! Problems found in a site, collected for the whole run and printed for people, as JSON lines, and as
//! GitHub Actions annotations.

use serde::Serialize;
use std::fmt::Write as _;
use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    /// Path relative to the site root, `/`-separated; empty for problems without a file.
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(
        file: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            line,
            column,
            severity: Severity::Error,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(
        file: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, line, column, message)
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `file:line:column`, leaving out what is unknown.
    pub fn place(&self) -> String {
        match (self.file.is_empty(), self.line, self.column) {
            (true, _, _) => String::new(),
            (false, 0, _) => self.file.clone(),
            (false, line, 0) => format!("{}:{line}", self.file),
            (false, line, column) => format!("{}:{line}:{column}", self.file),
        }
    }
}

/// All diagnostics of one run.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file and place so the output is stable whatever order the parallel stages ran in.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut items = self.items.clone();
        items.sort();
        items.dedup();
        items
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// rustc-style text with the offending source line and a caret under the column.
pub fn render_human(diagnostic: &Diagnostic, root: &Path) -> String {
    let mut out = String::new();
    let label = match diagnostic.severity {
        Severity::Error => "fout",
        Severity::Warning => "waarschuwing",
    };
    let _ = writeln!(out, "{label}: {}", diagnostic.message);
    let place = diagnostic.place();
    if !place.is_empty() {
        let _ = writeln!(out, "  --> {place}");
    }
    out.push_str(&excerpt(diagnostic, root).unwrap_or_default());
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(out, "  = hulp: {help}");
    }
    out
}

/// The offending source line with its number and a caret under the column, as `render_human`
/// shows it (`  |\n3 | rollen: [x]\n  |          ^\n`); `None` without a file and line.
pub fn excerpt(diagnostic: &Diagnostic, root: &Path) -> Option<String> {
    let source_line = source_line(root, diagnostic)?;
    let mut out = String::new();
    let number = diagnostic.line.to_string();
    let gutter = " ".repeat(number.len());
    let _ = writeln!(out, "{gutter} |");
    let _ = writeln!(out, "{number} | {source_line}");
    if diagnostic.column > 0 {
        let indent: String = source_line
            .chars()
            .take(diagnostic.column.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let _ = writeln!(out, "{gutter} | {indent}^");
    } else {
        let _ = writeln!(out, "{gutter} |");
    }
    Some(out)
}

fn source_line(root: &Path, diagnostic: &Diagnostic) -> Option<String> {
    if diagnostic.file.is_empty() || diagnostic.line == 0 {
        return None;
    }
    let bytes = std::fs::read(root.join(&diagnostic.file)).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let line = text
        .split('\n')
        .nth(diagnostic.line.checked_sub(1)?)?
        .trim_end_matches('\r');
    // Very long lines (minified data) would flood the terminal.
    Some(line.chars().take(200).collect())
}

pub fn render_json(diagnostic: &Diagnostic) -> String {
    serde_json::to_string(diagnostic).unwrap_or_default()
}

/// GitHub Actions workflow command; `%`, CR, LF and (in properties) `:` and `,` must be escaped.
pub fn render_github(diagnostic: &Diagnostic) -> String {
    let kind = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = Vec::new();
    if !diagnostic.file.is_empty() {
        props.push(format!("file={}", escape_property(&diagnostic.file)));
        if diagnostic.line > 0 {
            props.push(format!("line={}", diagnostic.line));
        }
        if diagnostic.column > 0 {
            props.push(format!("col={}", diagnostic.column));
        }
    }
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str(" (hulp: ");
        message.push_str(help);
        message.push(')');
    }
    format!("::{kind} {}::{}", props.join(","), escape_data(&message))
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The closest candidate by edit distance, if it is close enough to be a likely typo.
pub fn nearest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong_lower = wrong.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&wrong_lower, &c.to_lowercase()),
                c,
            )
        })
        .filter(|(distance, c)| *distance <= (c.chars().count() / 2).max(2))
        .min_by_key(|(distance, c)| (*distance, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_key() {
        assert_eq!(nearest("titel", ["title", "description"]), Some("title"));
        assert_eq!(
            nearest("financir", ["financier", "promotor"]),
            Some("financier")
        );
        assert_eq!(nearest("xyz", ["financier", "promotor"]), None);
    }

    #[test]
    fn escapes_github_annotations() {
        let d = Diagnostic::error("content/a,b.md", 3, 5, "50% fout\nregel");
        assert_eq!(
            render_github(&d),
            "::error file=content/a%2Cb.md,line=3,col=5::50%25 fout%0Aregel"
        );
    }
}
