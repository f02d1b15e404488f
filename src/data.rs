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
    let mut names = Names::default();
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
        let mut key = parts;
        key.pop();
        key.push(stem);
        if let Some(clash) = names.clash(&key, &display) {
            diagnostics.push(clash);
            continue;
        }
        match yaml::parse(&text) {
            Ok(node) => files.push(DataFile { display, key, node }),
            Err(err) => {
                let pos = err.pos.unwrap_or_default();
                diagnostics.push(
                    Diagnostic::error(
                        &display,
                        pos.line,
                        pos.column,
                        format!("ongeldige YAML: {}", err.message),
                    )
                    .help(crate::yaml::help(&err.message)),
                );
            }
        }
    }
    files
}

/// The names templates see: `x.yaml` and `x.yml` would both be `data.x`, and so would a folder
/// `x/`; one of them would silently hide the other.
#[derive(Default)]
struct Names {
    /// `monitor/vervolgmonitor-2023` -> the file that has it.
    files: std::collections::HashMap<String, String>,
    /// `monitor`: every folder that holds a data file.
    folders: std::collections::HashSet<String>,
}

impl Names {
    /// Registers a file's name, or tells which other file or folder has it already.
    fn clash(&mut self, key: &[String], display: &str) -> Option<Diagnostic> {
        let name = key.join("/");
        if let Some(other) = self.files.get(&name) {
            return Some(same_name(other, display, &name, display));
        }
        if self.folders.contains(&name) {
            let folder = format!("de map {DATA_DIR}/{name}/");
            return Some(same_name(display, &folder, &name, display));
        }
        let folders: Vec<String> = (1..key.len())
            .map(|end| key.get(..end).unwrap_or(&[]).join("/"))
            .collect();
        for folder in &folders {
            if let Some(other) = self.files.get(folder) {
                let what = format!("de map {DATA_DIR}/{folder}/");
                return Some(same_name(other, &what, folder, display));
            }
        }
        self.folders.extend(folders);
        self.files.insert(name, display.to_string());
        None
    }
}

fn same_name(first: &str, second: &str, name: &str, at: &str) -> Diagnostic {
    Diagnostic::error(
        at,
        0,
        0,
        format!(
            "{first} en {second} hebben dezelfde naam: beide worden `data.{}`",
            name.replace('/', ".")
        ),
    )
    .help("hernoem of verwijder een van de twee: elke naam in data/ kan maar één keer voorkomen")
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
