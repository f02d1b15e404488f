//! The search index: built from the rendered pages in the same run, written as small script files
//! that the browser loads only as a query needs them (see docs/SEARCH-FORMAT.md).

pub mod extract;
pub mod files;
pub mod index;
pub mod input;
pub mod layout;
pub mod lexicon;
pub mod record;
pub mod text;
