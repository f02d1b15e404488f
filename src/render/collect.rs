//! Rendered files into an `Output`.

use crate::diagnostics::Diagnostic;
use crate::output::Output;

/// Rendered files go into `output` in order; failures become diagnostics.
pub fn insert_rendered(
    results: Vec<Result<(String, Vec<u8>), Diagnostic>>,
    output: &mut Output,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for result in results {
        match result {
            Ok((path, bytes)) => {
                output.insert(path, bytes);
            }
            Err(d) => diagnostics.push(d),
        }
    }
}
