//! Search benchmark (not a test): `cargo bench --bench search`.
//!
//! Builds the shipped site and runs the graded queries of tests/browser/relevance.json through its search page
//! in Chromium (tests/browser/relevance.mjs: the real client ranks, the page's list is scored): nDCG@5,
//! success@3 and queries without results, per kind of query, for the queries used while tuning ("dev") and for
//! those held out. Then measures the index and what a first and a second query download, on the shipped site
//! and on a synthetic site of 10,000 pages. Writes the "Search relevance" section of BENCHMARKS.md, with the
//! figures from before issue #15 (tests/browser/relevance-before.json) beside them.
//!
//! Needs Node.js, Chromium (/usr/bin/chromium) and `cd tests/browser && npm ci --ignore-scripts`.
//! Environment: BENCH_DIR (default /dev/shm).

use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const SECTION: &str = "## Search relevance";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_handreiking")
}

fn run(command: &mut Command) -> String {
    let out = command.output().expect("the command runs");
    assert!(
        out.status.success(),
        "{command:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Builds the site at `root` into `out`; returns the build's peak memory in kB.
fn build(root: &Path, out: &Path) -> u64 {
    let _ = std::fs::remove_dir_all(out);
    let result = Command::new(binary())
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .env("HANDREIKING_PROFIEL", "1")
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success(), "build failed: {stderr}");
    // "profiel: piekgeheugen <kB> kB"
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("profiel: piekgeheugen"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|kb| kb.parse().ok())
        .unwrap_or(0)
}

/// Runs tests/browser/relevance.mjs with `args`; returns what it wrote to its --json file.
fn relevance(site: &Path, args: &[&str], scratch: &Path) -> Value {
    let json = scratch.join("relevance.json");
    let printed = run(Command::new("node")
        .arg(repo().join("tests/browser/relevance.mjs"))
        .arg("--site")
        .arg(site)
        .args(args)
        .arg("--json")
        .arg(&json));
    print!("{printed}");
    serde_json::from_str(&std::fs::read_to_string(&json).expect("relevance output")).expect("JSON")
}

/// The index directory's files and bytes.
fn index_size(site: &Path) -> (u64, u64) {
    let mut files = 0;
    let mut bytes = 0;
    for entry in std::fs::read_dir(site.join("zoeken/index"))
        .expect("index")
        .flatten()
    {
        files += 1;
        bytes += entry.metadata().map(|m| m.len()).unwrap_or(0);
    }
    (files, bytes)
}

fn kb(bytes: f64) -> String {
    format!("{:.1} kB", bytes / 1000.0)
}

fn mb(bytes: f64) -> String {
    format!("{:.1} MB", bytes / 1e6)
}

/// `requests, kB` of each measured query.
fn queries_cell(measured: &Value) -> Vec<String> {
    measured
        .as_array()
        .into_iter()
        .flatten()
        .map(|q| {
            format!(
                "{} requests, {}",
                q["requests"],
                kb(q["bytes"].as_f64().unwrap_or(0.0))
            )
        })
        .collect()
}

fn relevance_rows(before: &Value, after: &Value) -> String {
    let mut out = String::from(
        "| queries | kind | nDCG@5 before | nDCG@5 after | success@3 before | success@3 after | no result before | no result after |\n|---|---|---:|---:|---:|---:|---:|---:|\n",
    );
    for set in ["dev", "heldout"] {
        let rows = |v: &Value| v[set].as_array().cloned().unwrap_or_default();
        for (b, a) in rows(before).iter().zip(rows(after).iter()) {
            let name = if set == "dev" {
                "own (tuned on)"
            } else {
                "held out"
            };
            let _ = writeln!(
                out,
                "| {name} | {} | {:.2} | {:.2} | {} of {} | {} of {} | {} | {} |",
                a["kind"].as_str().unwrap_or(""),
                b["ndcg"].as_f64().unwrap_or(0.0),
                a["ndcg"].as_f64().unwrap_or(0.0),
                b["success"],
                b["queries"],
                a["success"],
                a["queries"],
                b["zero"],
                a["zero"]
            );
        }
    }
    out
}

fn size_rows(before: &Value, after: &Value) -> String {
    let mut out = String::from(
        "| site | | index size | index files | first query | second query | build's peak memory |\n|---|---|---:|---:|---|---|---:|\n",
    );
    for (site, label, queries) in [
        ("shipped", "shipped site", "`doorverwijzen`, then `enquete`"),
        (
            "synthetic10k",
            "10,000 pages",
            "`gemeente`, then `doorverwijzen`",
        ),
    ] {
        for (when, v) in [("before", before), ("after", after)] {
            let index = &v[site]["index"];
            let q = queries_cell(&v[site]["queries"]);
            let peak = v[site]["peakKb"]
                .as_f64()
                .map_or("–".to_string(), |kb| format!("{:.0} MB", kb / 1024.0));
            let _ = writeln!(
                out,
                "| {label} ({queries}) | {when} | {} | {} | {} | {} | {peak} |",
                mb(index["bytes"].as_f64().unwrap_or(0.0)),
                index["files"],
                q.first().cloned().unwrap_or_default(),
                q.get(1).cloned().unwrap_or_default()
            );
        }
    }
    out
}

fn section(before: &Value, after: &Value) -> String {
    format!(
        "{SECTION}\n\n\
         Measured by `cargo bench --bench search`: the graded queries of `tests/browser/relevance.json` (40 of our \
         own, eight of each kind: inflections the text does not use, one-letter typos, compounds, abbreviations, \
         full questions; and 20 more written at the same time but held out while tuning) are typed into the search \
         page of the shipped site in Chromium, and the list the page shows is scored: *nDCG@5* with gains \
         2^grade − 1 (grades 0–3 per result URL, a page already shown higher up gains nothing), *success@3* = a \
         best answer (grade 3) among the first three, *no result* = nothing found. Before = {}. The issue's \
         Pagefind 1.6 figures on its own 40 queries are the bar: nDCG@5 0.70, success@3 30 of 40, 3 without a \
         result.\n\n{}\n\
         Index and downloads (bytes as served, uncompressed; requests are index files; a second query loads only \
         files the first did not). The index keeps each section's text (up to 2,000 characters) for excerpts \
         around the matched words, which costs index size and build memory on large sites:\n\n{}\n",
        before["measured"].as_str().unwrap_or("the previous client"),
        relevance_rows(before, after),
        size_rows(before, after)
    )
}

/// BENCHMARKS.md with `section` in place of its old search section (or after the rest).
fn write_benchmarks(section: &str) {
    let path = repo().join("BENCHMARKS.md");
    let old = std::fs::read_to_string(&path).unwrap_or_else(|_| "# Benchmarks\n".into());
    let rest = match old.find(SECTION) {
        Some(at) => old.get(..at).unwrap_or("").trim_end().to_string(),
        None => old.trim_end().to_string(),
    };
    std::fs::write(&path, format!("{rest}\n\n{section}")).expect("write BENCHMARKS.md");
}

fn main() {
    let scratch = PathBuf::from(std::env::var("BENCH_DIR").unwrap_or_else(|_| "/dev/shm".into()))
        .join("handreiking-bench-search");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).expect("scratch dir");
    assert!(
        repo()
            .join("tests/browser/node_modules/playwright-core")
            .is_dir(),
        "run `cd tests/browser && npm ci --ignore-scripts` first"
    );

    let shipped = scratch.join("shipped");
    let shipped_peak = build(repo(), &shipped);
    let dev = relevance(&shipped, &["--set", "dev"], &scratch);
    let heldout = relevance(&shipped, &["--set", "heldout"], &scratch);
    let shipped_queries = relevance(&shipped, &["--bytes", "doorverwijzen", "enquete"], &scratch);
    let (files, bytes) = index_size(&shipped);

    let synthetic = scratch.join("synthetic");
    run(Command::new(binary())
        .arg("synthetic")
        .arg(&synthetic)
        .args(["--pages", "10000", "--seed", "1"]));
    let synthetic_out = scratch.join("synthetic-public");
    let synthetic_peak = build(&synthetic, &synthetic_out);
    let synthetic_queries = relevance(
        &synthetic_out,
        &["--bytes", "gemeente", "doorverwijzen"],
        &scratch,
    );
    let (synthetic_files, synthetic_bytes) = index_size(&synthetic_out);

    let after = serde_json::json!({
        "dev": dev["rows"],
        "heldout": heldout["rows"],
        "shipped": {"index": {"files": files, "bytes": bytes}, "queries": shipped_queries, "peakKb": shipped_peak},
        "synthetic10k": {
            "index": {"files": synthetic_files, "bytes": synthetic_bytes},
            "queries": synthetic_queries,
            "peakKb": synthetic_peak,
        },
    });
    let before: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("tests/browser/relevance-before.json"))
            .expect("before figures"),
    )
    .expect("JSON");
    let text = section(&before, &after);
    println!("\n{text}");
    write_benchmarks(&text);
    let _ = std::fs::remove_dir_all(&scratch);
}
