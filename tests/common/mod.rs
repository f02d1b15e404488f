//! Helpers for integration tests: fixture sites in temporary directories, run through the real binary.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_handreiking")
}

pub fn run(args: &[&str], cwd: &Path) -> Run {
    run_env(args, cwd, &[])
}

pub fn run_env(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(bin());
    command
        .args(args)
        .current_dir(cwd)
        .env_remove("GITHUB_ACTIONS");
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().expect("the binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A minimal theme whose output is easy to assert on exactly.
pub const TEST_THEME: &[(&str, &str)] = &[
    (
        "themes/test/templates/page.html",
        "PAGE {{ page.title }}|{{ page.url }}|toc:{% for t in page.toc %}{{ t.id }}({% for c in t.children %}{{ c.id }}{% endfor %});{% endfor %}|terms:{% for t in page.terms.rollen %}{{ t.slug }}={{ t.url }};{% endfor %}|prev:{{ page.previous.url }}|next:{{ page.next.url }}|crumbs:{% for b in page.breadcrumbs %}{{ b.url }};{% endfor %}|\n{{ page.content|safe }}",
    ),
    (
        "themes/test/templates/section.html",
        "SECTION {{ section.title }}|pages:{% for p in section.pages %}{{ p.url }};{% endfor %}|subsections:{% for s in section.subsections %}{{ s.url }};{% endfor %}|\n{{ section.content|safe }}",
    ),
    (
        "themes/test/templates/taxonomy.html",
        "TAXONOMY {{ taxonomy.label }}|{% for t in taxonomy.terms %}{{ t.slug }}:{{ t.count }}:{{ t.url }};{% endfor %}",
    ),
    (
        "themes/test/templates/term.html",
        "TERM {{ term.label }}|{% for p in term.pages %}{{ p.url }};{% endfor %}",
    ),
    ("themes/test/templates/404.html", "NIET GEVONDEN"),
    ("themes/test/templates/alias.html", "ALIAS {{ target }}"),
    (
        "themes/test/i18n/nl.yaml",
        "heading_anchor: Link naar deze kop\ntable_label: Tabel\n",
    ),
];

pub const SITE_YAML: &str = "title: Testsite
base_url: https://example.nl/
theme: test
taxonomies:
  - name: rollen
    label: Rollen
    terms:
      - slug: financier
        label: Financier
      - slug: promotor
        label: Promotor
";

/// A small site that builds (checked), shared by the error and hostile-input tests: a home page,
/// a section with two pages (one tagged, both with a `## Tips` heading) and a page linking to one.
pub fn good_site() -> Fixture {
    let s = Fixture::new(&[
        ("content/_index.md", "---\ntitle: Home\n---\nWelkom.\n"),
        (
            "content/gids/_index.md",
            "---\ntitle: Gids\n---\nDe gids.\n",
        ),
        (
            "content/gids/financier.md",
            "---\ntitle: Financier\nrollen: [financier]\n---\n## Tips\n\nTekst.\n",
        ),
        (
            "content/gids/pagina.md",
            "---\ntitle: Pagina\n---\n## Tips\n\nTekst.\n",
        ),
        (
            "content/pagina.md",
            "---\ntitle: Pagina\n---\nZie de [financier](gids/financier.md#tips).\n",
        ),
    ]);
    let run = s.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    s
}

/// A survey wave with one question, for fixture sites with statistics pages.
pub const WAVE: &str = "title: Testmeting
year: 2023
fieldwork: mei 2023
publisher: Bureau
source:
  report: Rapport
  annex: Bijlage 3
licence: CC BY 4.0
data_date: 2023-06-30
groups:
  - id: gemeenten
    label: Gemeenten
    population: 342
    respondents: 48
questions:
  - id: gemeenten-beleid
    number: 5
    group: gemeenten
    text: Heeft uw gemeente beleid?
    roles: [financier]
    kind: choice
    answers:
      - label: Nee
        count: 23
      - label: Ja
        count: 25
";

/// A free port on loopback for a test server.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("address")
        .port()
}

pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    /// A site with the test theme, `site.yaml`, and the given files.
    pub fn new(files: &[(&str, &str)]) -> Fixture {
        let dir = tempfile::tempdir().expect("tempdir");
        let fixture = Fixture { dir };
        fixture.write("site.yaml", SITE_YAML);
        for (path, text) in TEST_THEME {
            fixture.write(path, text);
        }
        for (path, text) in files {
            fixture.write(path, text);
        }
        fixture
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: &str) {
        self.write_bytes(path, text.as_bytes());
    }

    pub fn write_bytes(&self, path: &str, bytes: &[u8]) {
        let full = self.root().join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, bytes).expect("write");
    }

    pub fn build(&self) -> Run {
        run(&["build"], self.root())
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.public().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }
}

/// Every file below `dir` with its bytes, for byte-for-byte comparison of whole trees.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, std::fs::read(entry.path()).expect("read"));
        }
    }
    out
}

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped site, built once: by the first test that asks for it, in this process or any other
/// of the same test run (nextest runs each test in a process of its own). The build is kept under
/// the target directory, keyed by the binary and every source file's size and time, and reused while
/// neither changes. Returns the output directory; its build's stdout and stderr lie beside it.
pub fn shipped_site() -> PathBuf {
    static SITE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    SITE.get_or_init(build_shipped_once).clone()
}

/// What the shipped site's build printed: (stdout, stderr).
pub fn shipped_build_output() -> (String, String) {
    let out = shipped_site();
    let read =
        |name: &str| std::fs::read_to_string(out.with_extension(name)).expect("build output");
    (read("stdout"), read("stderr"))
}

fn build_shipped_once() -> PathBuf {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("shipped-site");
    std::fs::create_dir_all(&base).expect("mkdir");
    let lock = std::fs::File::create(base.join("lock")).expect("lock file");
    lock.lock().expect("lock");
    let key = format!("{:016x}", shipped_key());
    let out = base.join(&key);
    if out.join(".handreiking-uitvoer").is_file() && out.with_extension("stderr").is_file() {
        return out;
    }
    for entry in std::fs::read_dir(&base).expect("read dir").flatten() {
        let name = entry.file_name();
        if name != "lock" {
            let path = entry.path();
            let _ = std::fs::remove_dir_all(&path).or_else(|_| std::fs::remove_file(&path));
        }
    }
    let run = run(
        &[
            "build",
            "--root",
            repo().to_str().expect("utf-8 path"),
            "--output",
            out.to_str().expect("utf-8 path"),
        ],
        repo(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::write(out.with_extension("stdout"), &run.stdout).expect("write");
    std::fs::write(out.with_extension("stderr"), &run.stderr).expect("write");
    out
}

/// A hash of the binary and of every source of the shipped site (path, size, modification time).
fn shipped_key() -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let mut add = |path: &Path| {
        if let Ok(meta) = std::fs::metadata(path) {
            path.hash(&mut hasher);
            meta.len().hash(&mut hasher);
            meta.modified().ok().hash(&mut hasher);
        }
    };
    add(Path::new(bin()));
    add(&repo().join("site.yaml"));
    for dir in ["content", "data", "static", "templates", "themes", "i18n"] {
        for entry in walkdir::WalkDir::new(repo().join(dir))
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            add(entry.path());
        }
    }
    hasher.finish()
}

/// Writes `files`, builds, and checks the exit code, that every `expected` text is in the
/// diagnostics, and that public/ is byte-identical to before.
pub fn assert_build_fails(s: &Fixture, files: &[(&str, &[u8])], code: i32, expected: &[&str]) {
    let before = snapshot(&s.public());
    for (path, bytes) in files {
        s.write_bytes(path, bytes);
    }
    let run = s.build();
    assert_eq!(
        run.code, code,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    for text in expected {
        assert!(
            run.stderr.contains(text),
            "expected:\n{text}\ngot:\n{}",
            run.stderr
        );
    }
    assert!(
        snapshot(&s.public()) == before,
        "public/ changed after a failed build"
    );
}

/// Writes `files`, builds, and checks the exit code, that standard error is exactly `expected`
/// (every diagnostic and the summary line: an extra or doubled diagnostic fails), and that
/// public/ is byte-identical to before.
///
/// With `UPDATE_EXPECTED=1` a mismatch is recorded instead (target/expected-updates/), for
/// `scripts/update-expected.py` to write into the test; review the diff before committing.
pub fn assert_build_fails_exactly(s: &Fixture, files: &[(&str, &[u8])], code: i32, expected: &str) {
    let before = snapshot(&s.public());
    for (path, bytes) in files {
        s.write_bytes(path, bytes);
    }
    let run = s.build();
    let stderr = run
        .stderr
        .replace(s.root().to_str().unwrap_or("\0"), "<site>");
    if stderr != expected && std::env::var_os("UPDATE_EXPECTED").is_some() {
        record_expected(expected, &stderr);
    } else {
        assert_eq!(stderr, expected, "stdout: {}", run.stdout);
    }
    assert_eq!(
        run.code, code,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert!(
        snapshot(&s.public()) == before,
        "public/ changed after a failed build"
    );
}

fn record_expected(expected: &str, actual: &str) {
    let dir = repo().join("target/expected-updates");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let record = serde_json::json!({ "expected": expected, "actual": actual });
    let name: String = expected
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(60)
        .collect();
    let name = format!("{name}-{}.json", expected.len());
    std::fs::write(dir.join(name), record.to_string()).expect("write");
}

/// Every `href` and `src` in every HTML file under `public` that points into the site and finds
/// no file there (or no element with its `#anchor`), as `page: link`. Links to other sites are
/// left alone. `base_path` is the path part of base_url (`/ido`), or empty.
pub fn broken_links(public: &Path, base_path: &str) -> Vec<String> {
    let mut broken = Vec::new();
    for entry in walkdir::WalkDir::new(public).sort_by_file_name() {
        let path = entry.expect("walk").into_path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(&path).expect("read");
        let rel = path
            .strip_prefix(public)
            .expect("prefix")
            .to_string_lossy()
            .replace('\\', "/");
        let folder = format!("/{}", rel.rsplit_once('/').map_or("", |(d, _)| d));
        for attribute in [" href=\"", " src=\""] {
            for (at, _) in html.match_indices(attribute) {
                let value = &html[at + attribute.len()..];
                let value = &value[..value.find('"').expect("closing quote")];
                let value = value.replace("&amp;", "&");
                if value.is_empty() || value.starts_with("//") || value.contains(':') {
                    continue;
                }
                let (target, anchor) = value.split_once('#').unwrap_or((&value, ""));
                let target = target.split('?').next().unwrap_or("");
                let file = if target.is_empty() {
                    path.clone()
                } else {
                    let site_path = if let Some(rooted) = target.strip_prefix('/') {
                        match format!("/{rooted}").strip_prefix(base_path) {
                            Some(inside) => inside.to_string(),
                            None => {
                                broken.push(format!("{rel}: {value} (outside {base_path})"));
                                continue;
                            }
                        }
                    } else {
                        format!("{folder}/{target}")
                    };
                    let mut parts: Vec<&str> = Vec::new();
                    for part in site_path.split('/') {
                        match part {
                            "" | "." => {}
                            ".." => {
                                parts.pop();
                            }
                            p => parts.push(p),
                        }
                    }
                    let joined = public.join(parts.join("/"));
                    if joined.is_dir() {
                        joined.join("index.html")
                    } else {
                        joined
                    }
                };
                if !file.is_file() {
                    broken.push(format!("{rel}: {value}"));
                } else if !anchor.is_empty() && file.extension().is_some_and(|e| e == "html") {
                    let target_html = std::fs::read_to_string(&file).expect("read");
                    if !target_html.contains(&format!("id=\"{anchor}\"")) {
                        broken.push(format!("{rel}: {value} (no #{anchor})"));
                    }
                }
            }
        }
    }
    broken
}
