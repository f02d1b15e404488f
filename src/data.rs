//! Data files: every YAML file under `data/`, available to templates as plain data.

use crate::diagnostics::Diagnostic;
use crate::source;
use crate::yaml::{self, Node};
use std::collections::BTreeMap;
use std::path::Path;

pub const DATA_DIR: &str = "data";

pub struct DataFile {
    /// `data/monitor/vervolgmonitor-2023.yaml`
    pub display: String,
    /// Key path: `["monitor", "vervolgmonitor-2023"]`.
    pub key: Vec<String>,
    pub node: Node,
}

pub fn load(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<DataFile> {
    let dir = root.join(DATA_DIR);
    let mut files = Vec::new();
    if !dir.is_dir() {
        return files;
    }
    for found in crate::walk::sorted_files(&dir, DATA_DIR, diagnostics) {
        let parts: Vec<String> = found.rel.split('/').map(str::to_string).collect();
        let display = found.display;
        let name = parts.last().cloned().unwrap_or_default();
        let stem = match name
            .strip_suffix(".yaml")
            .or_else(|| name.strip_suffix(".yml"))
        {
            Some(stem) => stem.to_string(),
            _ => continue,
        };
        let text = match source::read_text_limited(&found.path, &display, source::DATA_LIMIT) {
            Ok(t) => t,
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        };
        match yaml::parse(&text) {
            Ok(node) => {
                let mut key = parts;
                key.pop();
                key.push(stem);
                files.push(DataFile { display, key, node });
            }
            Err(err) => {
                let pos = err.pos.unwrap_or_default();
                diagnostics.push(
                    Diagnostic::error(
                        &display,
                        pos.line,
                        pos.column,
                        format!("ongeldige YAML: {}", err.message),
                    )
                    .help(crate::content::front_matter::yaml_help(&err.message)),
                );
            }
        }
    }
    files
}

/// The nested map templates see as `data`.
pub fn to_tree(files: &[DataFile]) -> serde_json::Value {
    fn insert(
        map: &mut serde_json::Map<String, serde_json::Value>,
        key: &[String],
        value: serde_json::Value,
    ) {
        match key {
            [] => {}
            [last] => {
                map.insert(last.clone(), value);
            }
            [dir, rest @ ..] => {
                let entry = map
                    .entry(dir.clone())
                    .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
                if !entry.is_object() {
                    *entry = serde_json::Value::Object(serde_json::Map::new());
                }
                if let serde_json::Value::Object(inner) = entry {
                    insert(inner, rest, value);
                }
            }
        }
    }
    let mut root = serde_json::Map::new();
    for file in files {
        insert(&mut root, &file.key, file.node.to_json());
    }
    serde_json::Value::Object(root)
}

/// Abbreviation -> meaning, from a glossary data file with `afkorting`/`betekenis` entries.
pub fn abbreviations(
    files: &[DataFile],
    name: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(file) = files.iter().find(|f| f.key.join("/") == name) else {
        diagnostics.push(
            Diagnostic::error(
                "site.yaml",
                0,
                0,
                format!("het afkortingenbestand data/{name}.yaml bestaat niet"),
            )
            .help("maak het bestand, of haal `markdown.abbreviations` weg uit site.yaml"),
        );
        return out;
    };
    let mut r = crate::schema::Reader::new(&file.display, 0);
    if let Some(items) = r.seq(&file.node, "afkortingen") {
        for item in items {
            let Some(entries) = r.map(item, "een afkorting") else {
                continue;
            };
            r.unknown_keys(
                entries,
                &["afkorting", "betekenis", "uitleg"],
                "een afkorting",
            );
            let short = crate::schema::get(entries, "afkorting")
                .and_then(|n| r.non_empty_string(n, "afkorting"));
            let long = crate::schema::get(entries, "betekenis")
                .and_then(|n| r.non_empty_string(n, "betekenis"));
            match (short, long) {
                (Some(s), Some(l)) => {
                    if out.insert(s.clone(), l).is_some() {
                        r.error(
                            item.pos,
                            format!("de afkorting `{s}` staat er twee keer"),
                            None,
                        );
                    }
                }
                _ => r.error(
                    item.pos,
                    "een afkorting heeft `afkorting` en `betekenis` nodig",
                    None,
                ),
            }
        }
    }
    diagnostics.extend(r.diagnostics);
    out
}
