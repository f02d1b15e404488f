//! Where records live in the index files. A record's id names its page (`page << sectionBits |
//! section`), so the client groups hits per page before it loads any document; and documents files
//! hold whole pages, in site order, so that a page's sections and its neighbours come in one request.

use crate::search::input::Entry;
use std::ops::Range;

/// About this many bytes per documents file: few requests for the ten pages on screen, and few
/// bytes of pages that are not.
const FILE_BYTES: usize = 6_000;
/// A page never shares its file with more than this many others.
const MAX_PAGES_PER_FILE: usize = 16;

pub struct Layout {
    /// The bits of a record id that number its section.
    pub section_bits: u32,
    /// Each record's id (records in input order).
    pub ids: Vec<u64>,
    /// Each record's page number. Pages without records get no number.
    pub page_of: Vec<u32>,
    /// The records of each numbered page.
    pub pages: Vec<Range<usize>>,
    pub pages_per_file: usize,
}

impl Layout {
    /// The layout of `records`, which come page by page.
    pub fn new(records: &[Entry]) -> Layout {
        let mut pages: Vec<Range<usize>> = Vec::new();
        for (i, entry) in records.iter().enumerate() {
            let same_page = i > 0
                && records
                    .get(i.saturating_sub(1))
                    .is_some_and(|before| before.page_index == entry.page_index);
            match pages.last_mut() {
                Some(range) if same_page => range.end = i.saturating_add(1),
                _ => pages.push(i..i.saturating_add(1)),
            }
        }
        let most = pages.iter().map(ExactSizeIterator::len).max().unwrap_or(1);
        // The fewest bits that number every section of the longest page.
        let section_bits = usize::BITS.saturating_sub(most.saturating_sub(1).leading_zeros());
        let mut ids = vec![0; records.len()];
        let mut page_of = vec![0; records.len()];
        for (page, range) in pages.iter().enumerate() {
            for (section, record) in range.clone().enumerate() {
                let id = ((page as u64) << section_bits) | section as u64;
                if let (Some(slot), Some(owner)) = (ids.get_mut(record), page_of.get_mut(record)) {
                    *slot = id;
                    *owner = u32::try_from(page).unwrap_or(u32::MAX);
                }
            }
        }
        let pages_per_file = pages_per_file(records, pages.len());
        Layout {
            section_bits,
            ids,
            page_of,
            pages,
            pages_per_file,
        }
    }

    /// The documents files: each with its number and its pages.
    pub fn files(&self) -> impl Iterator<Item = (usize, &[Range<usize>])> {
        self.pages.chunks(self.pages_per_file.max(1)).enumerate()
    }
}

/// Pages per documents file, from the average size of a page in it.
fn pages_per_file(records: &[Entry], pages: usize) -> usize {
    let bytes: usize = records
        .iter()
        .map(|e| {
            e.record
                .text
                .len()
                .saturating_add(e.record.heading.len())
                .saturating_add(e.record.anchor.len())
                .saturating_add(e.page.url.len() / 4)
                .saturating_add(e.page.title.len() / 4)
        })
        .sum();
    let average = bytes.checked_div(pages).unwrap_or(FILE_BYTES).max(1);
    FILE_BYTES
        .saturating_add(average / 2)
        .checked_div(average)
        .unwrap_or(1)
        .clamp(1, MAX_PAGES_PER_FILE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::input::PageInput;
    use crate::search::record::Record;

    fn page(records: usize, text: &str) -> PageInput<'static> {
        PageInput {
            url: "/a/".into(),
            title: "A".into(),
            kind: String::new(),
            roles: Vec::new(),
            records: std::borrow::Cow::Owned(vec![
                Record {
                    text: text.into(),
                    ..Record::default()
                };
                records
            ]),
        }
    }

    fn entries<'a>(pages: &'a [PageInput<'a>]) -> Vec<Entry<'a>> {
        pages
            .iter()
            .enumerate()
            .flat_map(|(page_index, page)| {
                page.records.iter().map(move |record| Entry {
                    page,
                    page_index,
                    record,
                })
            })
            .collect()
    }

    #[test]
    fn ids_name_page_and_section() {
        let pages = [page(3, "x"), page(0, "x"), page(5, "x"), page(1, "x")];
        let layout = Layout::new(&entries(&pages));
        assert_eq!(layout.section_bits, 3);
        assert_eq!(layout.ids, [0, 1, 2, 8, 9, 10, 11, 12, 16]);
        assert_eq!(layout.page_of, [0, 0, 0, 1, 1, 1, 1, 1, 2]);
        assert_eq!(layout.pages, [0..3, 3..8, 8..9]);
        let one = [page(1, "x"), page(1, "x")];
        let layout = Layout::new(&entries(&one));
        assert_eq!((layout.section_bits, layout.ids.clone()), (0, vec![0, 1]));
    }

    #[test]
    fn files_hold_about_six_kilobytes_of_pages() {
        let small = [page(2, &"a".repeat(500)), page(2, &"a".repeat(500))];
        assert_eq!(Layout::new(&entries(&small)).pages_per_file, 6);
        let large = [page(2, &"a".repeat(5000))];
        assert_eq!(Layout::new(&entries(&large)).pages_per_file, 1);
        let tiny = [page(1, "a")];
        assert_eq!(
            Layout::new(&entries(&tiny)).pages_per_file,
            MAX_PAGES_PER_FILE
        );
    }
}
