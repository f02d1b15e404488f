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

/// rustc-style text with the offending source line and a caret under the column. Every value is
/// passed through [`printable`]: text from content cannot start a line of its own or steer the
/// terminal.
pub fn render_human(diagnostic: &Diagnostic, root: &Path) -> String {
    let mut out = String::new();
    let label = match diagnostic.severity {
        Severity::Error => "fout",
        Severity::Warning => "waarschuwing",
    };
    let _ = writeln!(out, "{label}: {}", printable(&diagnostic.message));
    let place = diagnostic.place();
    if !place.is_empty() {
        let _ = writeln!(out, "  --> {}", printable(&place));
    }
    out.push_str(&excerpt(diagnostic, root).unwrap_or_default());
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(out, "  = hulp: {}", printable(help));
    }
    out
}

/// The offending source line with its number and a caret under the column, as `render_human`
/// shows it (`  |\n3 | rollen: [x]\n  |          ^\n`); `None` without a file and line. Control
/// characters and direction marks in the line are shown escaped, and the caret stands under the
/// character as shown.
pub fn excerpt(diagnostic: &Diagnostic, root: &Path) -> Option<String> {
    let source_line = source_line(root, diagnostic)?;
    let mut out = String::new();
    let number = diagnostic.line.to_string();
    let gutter = " ".repeat(number.len());
    let _ = writeln!(out, "{gutter} |");
    let shown: String = source_line
        .chars()
        .map(|c| SourceChar(c).to_string())
        .collect();
    let _ = writeln!(out, "{number} | {shown}");
    if diagnostic.column > 0 {
        let indent: String = source_line
            .chars()
            .take(diagnostic.column.saturating_sub(1))
            .map(|c| match c {
                '\t' => "\t".to_string(),
                c => " ".repeat(SourceChar(c).to_string().chars().count()),
            })
            .collect();
        let _ = writeln!(out, "{gutter} | {indent}^");
    } else {
        let _ = writeln!(out, "{gutter} |");
    }
    Some(out)
}

/// Text for a terminal or a CI log: line breaks, escape sequences and other control characters,
/// and Unicode direction marks, are shown as `\n`, `\u{1b}`, `\u{202e}` instead of acting.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().saturating_add(8));
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    std::borrow::Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control() || crate::segment::is_bidi_control(c)
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if needs_escape(c) => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
        c => out.push(c),
    }
}

/// A character of a quoted source line: tabs stay (the caret line repeats them), the rest as in
/// [`printable`].
struct SourceChar(char);

impl std::fmt::Display for SourceChar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0 == '\t' {
            return f.write_str("\t");
        }
        let mut s = String::new();
        push_escaped(&mut s, self.0);
        f.write_str(&s)
    }
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
        props.push(format!(
            "file={}",
            escape_property(&log_safe(&diagnostic.file))
        ));
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
    format!(
        "::{kind} {}::{}",
        props.join(","),
        escape_data(&log_safe(&message))
    )
}

/// GitHub's own escapes (`%0A`) keep line breaks in an annotation; other control characters and
/// direction marks are shown as in [`printable`].
fn log_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\n' || c == '\r' {
            out.push(c);
        } else {
            push_escaped(&mut out, c);
        }
    }
    out
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
    fn printed_values_cannot_start_lines_or_steer_the_terminal() {
        let d = Diagnostic::error(
            "content/a\u{202e}b.md",
            0,
            0,
            "onbekende term `x\n::error file=site.yaml,line=1::nep\u{1b}[2J`",
        )
        .help("tab\there");
        assert_eq!(
            render_human(&d, Path::new("/nonexistent")),
            "fout: onbekende term `x\\n::error file=site.yaml,line=1::nep\\u{1b}[2J`\n  --> content/a\\u{202e}b.md\n  = hulp: tab\\there\n"
        );
        assert_eq!(
            render_github(&d),
            "::error file=content/a\\u{202e}b.md::onbekende term `x%0A::error file=site.yaml,line=1::nep\\u{1b}[2J` (hulp: tab\\there)"
        );
    }

    #[test]
    fn the_caret_stands_under_an_escaped_source_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "x\u{1b}\ty: z\n").unwrap();
        let d = Diagnostic::error("a.md", 1, 5, "fout hier");
        assert_eq!(
            render_human(&d, dir.path()),
            "fout: fout hier\n  --> a.md:1:5\n  |\n1 | x\\u{1b}\ty: z\n  |        \t ^\n"
        );
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
