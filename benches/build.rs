//! Build benchmark on synthetic sites (not a test): `cargo bench --bench build`.
//!
//! Environment: BENCH_PAGES (default "1000,10000,50000"), BENCH_RUNS (default 5), BENCH_DIR (default
//! /dev/shm, tmpfs), BENCH_DISK (a directory on disk for an extra 10,000-page run; default target/bench).
//! Prints a Markdown table and writes BENCHMARKS.md.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

struct Run {
    seconds: f64,
    index_ms: f64,
    peak_kb: u64,
}

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_handreiking")
}

fn build(site: &Path, out: &Path) -> Run {
    let started = Instant::now();
    let result = Command::new(binary())
        .args(["build", "--root"])
        .arg(site)
        .arg("--output")
        .arg(out)
        .env("HANDREIKING_PROFIEL", "1")
        .output()
        .expect("the binary runs");
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success(), "build failed: {stderr}");
    let value = |label: &str| -> f64 {
        stderr
            .lines()
            .find(|l| l.starts_with(&format!("profiel: {label}")))
            .and_then(|l| {
                // "profiel: <stage> <ms> ms <cpu> ms cpu <kB> kB", or "profiel: piekgeheugen <kB> kB":
                // the first number before "ms" is the wall time.
                let words: Vec<&str> = l.split_whitespace().collect();
                let unit = words
                    .iter()
                    .position(|w| *w == "ms")
                    .or_else(|| words.iter().position(|w| *w == "kB"))?;
                words.get(unit.checked_sub(1)?).map(|w| w.to_string())
            })
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    };
    Run {
        seconds,
        index_ms: value("zoekindex"),
        peak_kb: value("piekgeheugen") as u64,
    }
}

/// Time from saving one page to the reload message on the live-reload socket of `serve`, per run.
fn serve_reload_seconds(site: &Path, runs: usize) -> Vec<f64> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(18_999);
    let mut child = Command::new(binary())
        .args(["serve", "--root"])
        .arg(site)
        .args(["--port", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("serve starts");
    let url = format!("ws://127.0.0.1:{port}/__handreiking/live");
    let started = Instant::now();
    let mut socket = loop {
        match tungstenite::connect(url.as_str()) {
            Ok((socket, _)) => break socket,
            Err(_) if started.elapsed().as_secs() < 120 => {
                std::thread::sleep(std::time::Duration::from_millis(100))
            }
            Err(err) => panic!("serve did not start: {err}"),
        }
    };
    let _hello = socket.read();
    // Let the search index, which serve adds after the first build, settle first.
    std::thread::sleep(std::time::Duration::from_secs(3));
    let page = site.join("content/monitor/pagina-00002.md");
    let mut times = Vec::new();
    for i in 0..runs {
        let mut text = std::fs::read_to_string(&page).expect("page");
        let _ = writeln!(text, "\nBewaard in de preview {i}.");
        let saved = Instant::now();
        std::fs::write(&page, text).expect("write page");
        loop {
            match socket.read() {
                Ok(tungstenite::Message::Text(_)) => break,
                Ok(_) => continue,
                Err(err) => panic!("live reload socket: {err}"),
            }
        }
        times.push(saved.elapsed().as_secs_f64());
        // Wait for the search index that follows each reload, as an editor pausing between saves would.
        std::thread::sleep(std::time::Duration::from_millis(2500));
    }
    let _ = child.kill();
    let _ = child.wait();
    times
}

/// The floor that the performance issue names, to compare machines: read every page, render it
/// with pulldown-cmark and write it, in parallel, nothing else.
fn floor_seconds(site: &Path, out: &Path) -> f64 {
    use rayon::prelude::*;
    let _ = std::fs::remove_dir_all(out);
    let started = Instant::now();
    let pages: Vec<PathBuf> = walk(&site.join("content"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.par_iter().enumerate().for_each(|(i, page)| {
        let text = std::fs::read_to_string(page).unwrap_or_default();
        let mut html = String::with_capacity(text.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&text));
        let dir = out.join(i.to_string());
        std::fs::create_dir_all(&dir).expect("floor dir");
        std::fs::write(dir.join("index.html"), html).expect("floor write");
    });
    let seconds = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(out);
    seconds
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

fn dir_size(dir: &Path) -> u64 {
    walk(dir)
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map(|kb| format!("{:.0} GiB", kb as f64 / 1024.0 / 1024.0))
        .unwrap_or_default();
    format!("{cpu}, {cores} cores, {memory} memory")
}

fn main() {
    let pages: Vec<usize> = std::env::var("BENCH_PAGES")
        .unwrap_or_else(|_| "1000,10000,50000".into())
        .split(',')
        .filter_map(|p| p.trim().parse().ok())
        .collect();
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5)
        .max(1);
    let tmpfs = PathBuf::from(std::env::var("BENCH_DIR").unwrap_or_else(|_| "/dev/shm".into()));
    let disk = PathBuf::from(
        std::env::var("BENCH_DISK")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/target/bench").into()),
    );
    let mut plan: Vec<(usize, PathBuf, &str)> =
        pages.iter().map(|n| (*n, tmpfs.clone(), "tmpfs")).collect();
    if pages.contains(&10_000) {
        plan.push((10_000, disk.clone(), "disk"));
    }
    let mut table = String::from(
        "| pages | storage | full build (median) | full build (min–max) | floor | build ÷ floor | no-op rebuild | one page changed (serve) | peak memory | output | search index time | index size |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for (n, base, storage) in plan {
        let site = base.join(format!("handreiking-bench-{n}"));
        let out = base.join(format!("handreiking-bench-{n}-public"));
        let _ = std::fs::remove_dir_all(&site);
        let _ = std::fs::remove_dir_all(&out);
        std::fs::create_dir_all(&base).expect("bench dir");
        let made = Command::new(binary())
            .arg("synthetic")
            .arg(&site)
            .args(["--pages", &n.to_string(), "--seed", "1"])
            .output()
            .expect("generator runs");
        assert!(
            made.status.success(),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );
        let mut full = Vec::new();
        for _ in 0..runs {
            let _ = std::fs::remove_dir_all(&out);
            full.push(build(&site, &out));
        }
        let noop: Vec<f64> = (0..runs).map(|_| build(&site, &out).seconds).collect();
        let floor_out = base.join(format!("handreiking-bench-{n}-floor"));
        let floor = median(
            (0..runs)
                .map(|_| floor_seconds(&site, &floor_out))
                .collect(),
        );
        let full_median = median(full.iter().map(|r| r.seconds).collect());
        let fastest = full.iter().map(|r| r.seconds).fold(f64::INFINITY, f64::min);
        let slowest = full.iter().map(|r| r.seconds).fold(0.0, f64::max);
        let changed = serve_reload_seconds(&site, runs);
        let index = out.join("zoeken/index");
        let row = format!(
            "| {n} | {storage} | {:.2} s | {:.2}–{:.2} s | {:.2} s | {:.1} | {:.2} s | {:.0} ms | {:.0} MB | {:.0} MB | {:.2} s | {:.1} MB |\n",
            full_median,
            fastest,
            slowest,
            floor,
            full_median / floor.max(1e-9),
            median(noop),
            median(changed) * 1000.0,
            median(full.iter().map(|r| r.peak_kb as f64).collect()) / 1024.0,
            dir_size(&out) as f64 / 1e6,
            median(full.iter().map(|r| r.index_ms).collect()) / 1000.0,
            dir_size(&index) as f64 / 1e6,
        );
        print!("{row}");
        table.push_str(&row);
        let _ = std::fs::remove_dir_all(&site);
        let _ = std::fs::remove_dir_all(&out);
    }
    let report = format!(
        "# Benchmarks\n\nMachine: {}.\n\n{table}\n\
         - Every figure is the median of {runs} runs of the release binary on a synthetic site (`handreiking synthetic DIR --pages N --seed 1`: four sections, front matter with roles, 3-6 headings, lists, tables, links, code, a 200-question survey wave).\n\
         - *full build*: from an empty output directory, including statistics pages, search index and the atomic write; *min–max* are the fastest and the slowest of the runs. *no-op rebuild*: the same again over an existing output (builds are not cached on disk, so this is a full build that replaces the output). *one page changed (serve)*: `handreiking serve` runs on the site; the time from writing one changed page to the reload message on its live-reload socket (file event, debounce, page-by-page rebuild).\n\
         - *floor*: what the performance issue calls the floor, measured on this machine: read every page, render it with pulldown-cmark and write it, in parallel, nothing else (the issue quotes 0.12 s for 10,000 pages on its reference machine). *build ÷ floor* compares runs on different machines.\n\
         - *peak memory*: the build process's VmHWM. *search index time*: building the search index, including writing its files (they are written as they are made, so on disk this is bound by the disk). What a query downloads is measured with the real client by `cargo bench --bench search` (section Search relevance below).\n\n\
         Rerun: `cargo bench --bench build` (set `BENCH_PAGES=10000 BENCH_RUNS=3` for a quicker run).\n",
        machine()
    );
    // The sections below the table (serve after the restructuring, search relevance from
    // `cargo bench --bench search`) stay as they are.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/BENCHMARKS.md");
    let search = std::fs::read_to_string(path)
        .ok()
        .and_then(|old| old.find("\n## ").map(|at| old[at + 1..].to_string()));
    let report = match search {
        Some(section) => format!("{report}\n{section}"),
        None => report,
    };
    std::fs::write(path, &report).expect("write BENCHMARKS.md");
    println!("\n{report}");
}
