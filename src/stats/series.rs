//! Key figures over time: `data/<statistics.data>/reeksen/<id>.yaml`, one series per file, every
//! point with its own year, value, unit and source. Drawn as a chart and a table on the statistics
//! overview and embeddable as `{{< grafiek reeksen/<id> >}}`.

use crate::config::Config;
use crate::data::DataFile;
use crate::diagnostics::Diagnostic;
use crate::schema::{Reader, get};
use crate::stats::numbers::group_thousands;
use crate::stats::svg::{bar_width, document, rect, text, wrap};
use crate::yaml::{Node, Pos};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The folder under the statistics data folder, and the figure key prefix.
pub const FOLDER: &str = "reeksen";

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Point {
    pub year: i64,
    /// `juni 2023`: more precise than the year, when the source says so.
    #[serde(default)]
    pub period: Option<String>,
    pub value: u64,
    /// `ongeveer`, `bijna`: the source's own hedge, kept with the number.
    #[serde(default)]
    pub qualifier: Option<String>,
    pub unit: String,
    pub source: String,
    #[serde(default)]
    pub source_url: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
struct SeriesFile {
    title: String,
    unit: String,
    #[serde(default)]
    note: Option<String>,
    points: Vec<Point>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PointView {
    pub year: i64,
    pub value: u64,
    pub when: String,
    /// `ongeveer 600`, `682`.
    pub value_text: String,
    pub unit: String,
    pub source: String,
    pub source_url: Option<String>,
    /// The point's unit is not the series' unit: listed, but not drawn as a bar beside the others.
    pub other_unit: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct SeriesView {
    pub id: String,
    pub title: String,
    pub unit: String,
    pub note: Option<String>,
    pub points: Vec<PointView>,
    pub mixed_units: bool,
}

const POINT_KEYS: &[&str] = &[
    "year",
    "period",
    "value",
    "qualifier",
    "unit",
    "source",
    "source_url",
];

/// Checks every series file at file:line and declares its figure key.
pub fn check(
    files: &[DataFile],
    config: &Config,
    diagnostics: &mut Vec<Diagnostic>,
    declared: &mut HashSet<String>,
) {
    for file in files {
        let [dir, folder, id] = file.key.as_slice() else {
            continue;
        };
        if dir != &config.statistics.data || folder != FOLDER {
            continue;
        }
        let mut r = Reader::new(&file.display, 0);
        check_file(&mut r, &file.node);
        declared.insert(format!("{FOLDER}/{id}"));
        diagnostics.extend(r.diagnostics);
    }
}

fn check_file(r: &mut Reader, node: &Node) {
    let Some(entries) = r.map(node, "een reeks") else {
        return;
    };
    r.unknown_keys(entries, &["title", "unit", "note", "points"], "een reeks");
    // Every text the series shows is text: anything else would make the file unreadable later,
    // with no place to point at.
    if let Some(n) = get(entries, "note") {
        r.string(n, "note");
    }
    for key in ["title", "unit"] {
        match get(entries, key) {
            Some(n) => {
                r.non_empty_string(n, key);
            }
            None => r.error(
                Pos::new(1, 1),
                format!("de reeks mist `{key}`"),
                Some(format!("voeg `{key}: …` toe")),
            ),
        }
    }
    let Some(points) = get(entries, "points") else {
        r.error(
            Pos::new(1, 1),
            "de reeks mist `points`",
            Some("voeg `points:` toe, met per punt year, value, unit en source".into()),
        );
        return;
    };
    for p in r.seq(points, "points").unwrap_or(&[]) {
        let Some(pe) = r.map(p, "een punt") else {
            continue;
        };
        r.unknown_keys(pe, POINT_KEYS, "een punt");
        for key in ["year", "value", "unit", "source"] {
            let Some(n) = get(pe, key) else {
                r.error(p.pos, format!("een punt mist `{key}`"), Some("elk punt heeft year, value, unit en source: een getal zonder bron of eenheid zegt niets".into()));
                continue;
            };
            match key {
                "year" => {
                    r.int(n, key);
                }
                "value" => {
                    if matches!(r.int(n, key), Some(v) if v < 0) {
                        r.error(
                            n.pos,
                            "`value` is negatief",
                            Some("een kerncijfer is 0 of meer".into()),
                        );
                    }
                }
                _ => {
                    r.non_empty_string(n, key);
                }
            }
        }
        for key in POINT_KEYS
            .iter()
            .filter(|k| !["year", "value", "unit", "source"].contains(k))
        {
            if let Some(n) = get(pe, key) {
                r.non_empty_string(n, key);
            }
        }
    }
}

/// The series, read from the data tree (already checked by `check`), sorted by id.
pub fn from_tree(tree: &serde_json::Value, config: &Config) -> Vec<SeriesView> {
    let Some(serde_json::Value::Object(files)) = tree
        .get(&config.statistics.data)
        .and_then(|d| d.get(FOLDER))
    else {
        return Vec::new();
    };
    let mut out: Vec<SeriesView> = files
        .iter()
        .filter_map(|(id, value)| {
            let file: SeriesFile = serde_json::from_value(value.clone()).ok()?;
            Some(view(id, file))
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

fn view(id: &str, file: SeriesFile) -> SeriesView {
    let mut points: Vec<Point> = file.points;
    points.sort_by_key(|p| p.year);
    let points: Vec<PointView> = points
        .into_iter()
        .map(|p| PointView {
            year: p.year,
            value: p.value,
            when: p.period.clone().unwrap_or_else(|| p.year.to_string()),
            value_text: match &p.qualifier {
                Some(q) => format!("{q} {}", group_thousands(p.value)),
                None => group_thousands(p.value),
            },
            other_unit: p.unit != file.unit,
            unit: p.unit,
            source: p.source,
            source_url: p.source_url,
        })
        .collect();
    SeriesView {
        id: id.to_string(),
        mixed_units: points.iter().any(|p| p.other_unit),
        title: file.title,
        unit: file.unit,
        note: file.note,
        points,
    }
}

const WIDTH: u32 = 340;
const LEFT: u32 = 8;
const VALUE_SPACE: u32 = 150;
const LINE: u32 = 18;
const BAR: u32 = 22;
const GAP: u32 = 14;

/// A bar per point in the series' unit, on one scale; a point in another unit is written out
/// without a bar, so that 15 libraries are not drawn beside 682 IDO's as if they were comparable.
pub fn chart(s: &SeriesView, id_prefix: &str) -> String {
    let max = s
        .points
        .iter()
        .filter(|p| !p.other_unit)
        .map(|p| p.value)
        .max()
        .unwrap_or(0)
        .max(1);
    let bar_space = WIDTH - LEFT - VALUE_SPACE;
    let mut body = String::new();
    let mut y = 8u32;
    let mut finding = Vec::new();
    for p in &s.points {
        y = y.saturating_add(LINE);
        text(&mut body, LEFT + 6, y.saturating_sub(4), &[], &p.when);
        let top = y.saturating_add(2);
        let words = format!("{} {}", p.value_text, p.unit);
        finding.push(format!("{}: {words}", p.when));
        if p.other_unit {
            for line in wrap(&words) {
                y = y.saturating_add(LINE);
                text(&mut body, LEFT + 6, y, &[("font-style", "italic")], &line);
            }
            y = y.saturating_add(GAP);
            continue;
        }
        let width = bar_width(bar_space, p.value, max);
        rect(&mut body, LEFT, top, width, BAR, "#154273");
        text(
            &mut body,
            width.saturating_add(LEFT + 6),
            top.saturating_add(16),
            &[("font-weight", "bold")],
            &p.value_text,
        );
        y = top.saturating_add(BAR + GAP);
    }
    let height = y.saturating_add(4);
    document(
        id_prefix,
        WIDTH,
        height,
        &s.title,
        &format!("{}.", finding.join("; ")),
        &body,
    )
}
