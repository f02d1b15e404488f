//! The table of contents: headings nested by level.

use serde::Serialize;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

pub(super) fn build_toc(headings: &[(u8, String, String)]) -> Vec<TocEntry> {
    fn insert(list: &mut Vec<TocEntry>, entry: TocEntry) {
        if let Some(last) = list.last_mut()
            && entry.level > last.level
        {
            insert(&mut last.children, entry);
            return;
        }
        list.push(entry);
    }
    let mut toc = Vec::new();
    for (level, id, title) in headings {
        if *level < 2 {
            continue;
        }
        insert(
            &mut toc,
            TocEntry {
                level: *level,
                id: id.clone(),
                title: title.clone(),
                children: Vec::new(),
            },
        );
    }
    toc
}
