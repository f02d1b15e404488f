//! The front matter keys the tool itself reads. A taxonomy may not take one of these names, since
//! its terms are written under the taxonomy's name in the same front matter.

pub const FIELDS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "weight",
    "draft",
    "template",
    "aliases",
    "slug",
    "extra",
];
