//! Reading source files as editors save them: any line ending, with or without a BOM, but UTF-8.

use crate::diagnostics::Diagnostic;
use std::io::Read as _;
use std::path::Path;

/// One megabyte as people count it in sizes: 1 000 000 bytes.
const MB: u64 = 1_000_000;

/// How large a kind of file may be, and how a refusal names it.
#[derive(Clone, Copy, Debug)]
pub struct SizeLimit {
    pub max_mb: u64,
    /// The file in the refusal: "de pagina is 50,0 MB groot".
    pub this: &'static str,
    /// The kind in the refusal: "een pagina mag hoogstens 10 MB zijn".
    pub any: &'static str,
    pub help: &'static str,
}

/// Markdown pages: a page larger than this is almost certainly a mistake (a pasted export, an
/// embedded file) and would slow every stage after it.
pub const PAGE_LIMIT: SizeLimit = SizeLimit {
    max_mb: 10,
    this: "de pagina",
    any: "een pagina",
    help: "verdeel de tekst over meer pagina's; afbeeldingen en downloads horen in static/",
};

/// YAML files in `data/`: the parsed tree takes several times the file's size in memory.
pub const DATA_LIMIT: SizeLimit = SizeLimit {
    max_mb: 10,
    this: "het databestand",
    any: "een databestand",
    help: "verdeel de gegevens over meer bestanden in data/",
};

/// Reads a text file, strips a UTF-8 BOM, and turns CRLF and lone CR into LF so that every later
/// stage counts lines the same way.
pub fn read_text(path: &Path, display: &str) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|err| unreadable(&err, display))?;
    decode(bytes, display)
}

/// Like [`read_text`], but refuses a file larger than `limit` before reading it into memory.
pub fn read_text_limited(
    path: &Path,
    display: &str,
    limit: SizeLimit,
) -> Result<String, Diagnostic> {
    let max_bytes = limit.max_mb.saturating_mul(MB);
    let file = std::fs::File::open(path).map_err(|err| unreadable(&err, display))?;
    let len = file
        .metadata()
        .map_err(|err| unreadable(&err, display))?
        .len();
    if len > max_bytes {
        return Err(too_large(len, display, limit));
    }
    // The file may grow between the size check and the read: never read more than one byte past
    // the limit.
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|err| unreadable(&err, display))?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > max_bytes {
        return Err(too_large(read, display, limit));
    }
    decode(bytes, display)
}

fn unreadable(err: &std::io::Error, display: &str) -> Diagnostic {
    let help = match err.kind() {
        std::io::ErrorKind::PermissionDenied => {
            "geef uzelf leesrechten op het bestand (rechtermuisknop > Eigenschappen, op een Mac: Toon info) of verwijder het"
        }
        _ => "controleer of het bestand bestaat en leesbaar is",
    };
    Diagnostic::error(
        display,
        0,
        0,
        format!("kan het bestand niet lezen: {}", io_reason(err)),
    )
    .help(help)
}

fn too_large(bytes: u64, display: &str, limit: SizeLimit) -> Diagnostic {
    Diagnostic::error(
        display,
        0,
        0,
        format!(
            "{} is {} groot; {} mag hoogstens {} MB zijn",
            limit.this,
            megabytes(bytes),
            limit.any,
            limit.max_mb
        ),
    )
    .help(limit.help)
}

/// `52428800` -> `52,5 MB`: one decimal with a Dutch comma, rounded up so that a file just over a
/// limit never reads as exactly the limit.
fn megabytes(bytes: u64) -> String {
    let tenths = bytes.div_ceil(MB / 10);
    format!(
        "{} MB",
        crate::nl::format_tenths(i64::try_from(tenths).unwrap_or(i64::MAX))
    )
}

/// Checks that `bytes` are UTF-8, then strips a BOM and normalises line endings.
pub fn decode(bytes: Vec<u8>, display: &str) -> Result<String, Diagnostic> {
    let mut text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let bytes = err.as_bytes();
            let before = bytes.get(..valid).unwrap_or(&[]);
            let line = before
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                .saturating_add(1);
            let line_start = before
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i.saturating_add(1));
            let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or(&[]))
                .chars()
                .count()
                .saturating_add(1);
            return Err(Diagnostic::error(
                display,
                line,
                column,
                "het bestand is geen geldige UTF-8-tekst",
            )
            .help("sla het bestand op als UTF-8 (in de meeste editors: Opslaan als… > Codering: UTF-8)"));
        }
    };
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if text.contains('\r') {
        Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        // The common case: hand the text on without copying it.
        Ok(text)
    }
}

pub fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "het bestand bestaat niet".into(),
        std::io::ErrorKind::PermissionDenied => "geen leesrechten".into(),
        _ => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_line_endings_and_bom() {
        let text = decode(b"\xef\xbb\xbfa\r\nb\rc\n".to_vec(), "x.md").unwrap();
        assert_eq!(text, "a\nb\nc\n");
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let err = decode(b"---\ntitle: caf\xe9\n".to_vec(), "content/a.md").unwrap_err();
        assert_eq!((err.line, err.column), (2, 11));
        assert_eq!(err.message, "het bestand is geen geldige UTF-8-tekst");
    }

    #[test]
    fn text_without_bom_or_cr_is_passed_on_unchanged() {
        assert_eq!(decode(b"a\nb\n".to_vec(), "x.md").unwrap(), "a\nb\n");
        assert_eq!(decode(b"\xef\xbb\xbfa\n".to_vec(), "x.md").unwrap(), "a\n");
    }

    #[test]
    fn sizes_have_one_decimal_rounded_up() {
        assert_eq!(megabytes(50_000_000), "50,0 MB");
        assert_eq!(megabytes(10_000_001), "10,1 MB");
        assert_eq!(megabytes(52_428_800), "52,5 MB");
        assert_eq!(megabytes(0), "0,0 MB");
    }

    #[test]
    fn a_file_over_the_limit_is_refused_and_one_at_the_limit_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let limit = SizeLimit {
            max_mb: 1,
            ..DATA_LIMIT
        };
        let at = dir.path().join("at.yaml");
        std::fs::write(&at, vec![b'a'; 1_000_000]).unwrap();
        assert_eq!(
            read_text_limited(&at, "data/at.yaml", limit).unwrap().len(),
            1_000_000
        );
        let over = dir.path().join("over.yaml");
        std::fs::write(&over, vec![b'a'; 1_000_001]).unwrap();
        let err = read_text_limited(&over, "data/over.yaml", limit).unwrap_err();
        assert_eq!(
            err.message,
            "het databestand is 1,1 MB groot; een databestand mag hoogstens 1 MB zijn"
        );
        assert_eq!((err.line, err.column), (0, 0));
        assert_eq!(err.help.as_deref(), Some(DATA_LIMIT.help));
    }
}
