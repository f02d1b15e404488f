//! The shape of `src/`: small files, and modules that import each other in one direction only
//! (stages and leaves, no cycles). Functions over 120 lines are a clippy error (clippy.toml).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const MAX_FILE_LINES: usize = 700;

/// Every module of the crate: `crate::render::page` -> its source text.
fn modules() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).unwrap().with_extension("");
        let mut parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if matches!(
            parts.last().map(String::as_str),
            Some("mod" | "lib" | "main")
        ) {
            parts.pop();
        }
        let name = std::iter::once("crate".to_string())
            .chain(parts)
            .collect::<Vec<_>>()
            .join("::");
        out.insert(name, std::fs::read_to_string(path).unwrap());
    }
    out
}

/// The text before `#[cfg(test)]`: tests may use anything.
fn without_tests(text: &str) -> &str {
    text.find("#[cfg(test)]\nmod tests")
        .map_or(text, |i| &text[..i])
}

/// The modules that `module` names in paths (`crate::a::b`, `super::c`, `child::d`).
fn imports(module: &str, text: &str, all: &BTreeMap<String, String>) -> BTreeSet<String> {
    let parent = module.rsplit_once("::").map_or("crate", |(p, _)| p);
    let mut found = BTreeSet::new();
    let code = without_tests(text);
    let words: Vec<&str> = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .filter(|w| w.contains("::"))
        .collect();
    for word in words {
        let path = if let Some(rest) = word.strip_prefix("crate::") {
            format!("crate::{rest}")
        } else if let Some(rest) = word.strip_prefix("super::") {
            format!("{parent}::{rest}")
        } else {
            format!("{module}::{word}")
        };
        // The longest prefix that is a module of the crate.
        let parts: Vec<&str> = path.split("::").collect();
        for len in (2..=parts.len()).rev() {
            let candidate = parts[..len].join("::");
            if all.contains_key(&candidate) {
                if candidate != module {
                    found.insert(candidate);
                }
                break;
            }
        }
    }
    found
}

#[test]
fn no_source_file_is_over_700_lines() {
    let long: Vec<String> = modules()
        .into_iter()
        .filter(|(_, text)| text.lines().count() > MAX_FILE_LINES)
        .map(|(name, text)| format!("{name}: {} lines", text.lines().count()))
        .collect();
    assert_eq!(long, Vec::<String>::new());
}

#[test]
fn modules_import_each_other_without_cycles() {
    let all = modules();
    let graph: BTreeMap<&str, BTreeSet<String>> = all
        .iter()
        .map(|(name, text)| (name.as_str(), imports(name, text, &all)))
        .collect();
    // A module is in a cycle when it can reach itself.
    let mut cycles = Vec::new();
    for start in graph.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&str> = graph[start].iter().map(String::as_str).collect();
        while let Some(next) = stack.pop() {
            if next == *start {
                cycles.push(start.to_string());
                break;
            }
            if seen.insert(next) {
                stack.extend(graph.get(next).into_iter().flatten().map(String::as_str));
            }
        }
    }
    assert_eq!(cycles, Vec::<String>::new(), "modules in an import cycle");
}

#[test]
fn the_cycle_check_sees_imports() {
    let all = modules();
    let of = |m: &str| imports(m, &all[m], &all);
    assert!(of("crate::render::page").contains("crate::render"));
    assert!(of("crate::pipeline").contains("crate::load"));
    assert!(of("crate::render").contains("crate::render::print"));
    assert!(!of("crate::markdown").contains("crate::search"));
    assert!(!of("crate::markdown").contains("crate::render"));
}
