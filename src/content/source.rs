//! Reading source files as editors save them: any line ending, with or without a BOM, but UTF-8.

use crate::diagnostics::Diagnostic;
use std::path::Path;

/// Reads a text file, strips a UTF-8 BOM, and turns CRLF and lone CR into LF so that every later
/// stage counts lines the same way.
pub fn read_text(path: &Path, display: &str) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|err| {
        Diagnostic::error(
            display,
            0,
            0,
            format!("kan het bestand niet lezen: {}", io_reason(&err)),
        )
        .help("controleer of het bestand bestaat en leesbaar is")
    })?;
    decode(bytes, display)
}

pub fn decode(bytes: Vec<u8>, display: &str) -> Result<String, Diagnostic> {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let bytes = err.as_bytes();
            let before = bytes.get(..valid).unwrap_or(&[]);
            let line = before.iter().filter(|b| **b == b'\n').count() + 1;
            let line_start = before
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or(&[]))
                .chars()
                .count()
                + 1;
            return Err(Diagnostic::error(
                display,
                line,
                column,
                "het bestand is geen geldige UTF-8-tekst",
            )
            .help("sla het bestand op als UTF-8 (in de meeste editors: Opslaan als… > Codering: UTF-8)"));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if text.contains('\r') {
        Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Ok(text.to_string())
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
}
