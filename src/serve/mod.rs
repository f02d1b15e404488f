//! `handreiking serve`: builds into memory, serves it, watches the sources, rebuilds on save
//! (page by page where it can), and tells open pages to reload.

mod access;
mod http;
pub mod live;
pub mod paths;
mod rename;
mod respond;
mod update;

use crate::diagnostics::{self, Diagnostic, Severity};
use crate::pipeline::{self, BuildOptions, Preview};
use live::{Live, ShownError};
use notify::RecursiveMode;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use update::Update;

pub struct ServeOptions {
    pub root: PathBuf,
    pub port: u16,
    pub bind: String,
    pub open: bool,
    pub drafts: bool,
    pub poll: bool,
}

/// How long a burst of file events may last before it counts as one save.
const DEBOUNCE: Duration = Duration::from_millis(30);

pub fn run(mut options: ServeOptions) -> Result<(), String> {
    // File events carry absolute paths.
    options.root = options
        .root
        .canonicalize()
        .map_err(|e| format!("kan de map van de site niet vinden: {e}"))?;
    let server = http::Server::bind(&options.bind, options.port)?;
    let url = server.url();
    if !access::is_loopback(&options.bind) {
        eprintln!(
            "waarschuwing: de preview luistert op {}, dus ook andere computers in het netwerk kunnen hem zien. Gebruik --bind 127.0.0.1 om alleen op deze computer te kijken.",
            options.bind
        );
    }
    let build_options = BuildOptions {
        root: options.root.clone(),
        base_url: Some(url.clone()),
        drafts: options.drafts,
    };
    let started = Instant::now();
    let (result, preview) = pipeline::build_preview(&build_options);
    let errors = report(&options.root, &result.diagnostics);
    let (theme, strings) = result.theme.clone().unwrap_or_default();
    let text = |key: &str, fallback: &str| {
        strings
            .get(key)
            .cloned()
            .unwrap_or_else(|| fallback.to_string())
    };
    let live = Arc::new(Live::new(
        result.output,
        errors,
        text("serve_errors_title", "De site kan niet worden gebouwd"),
        text(
            "serve_errors_help",
            "Herstel de fouten hieronder en sla het bestand op. Deze melding verdwijnt dan vanzelf.",
        ),
    ));
    println!(
        "Preview op {url} ({} in {} ms). Stop met Ctrl-C.",
        crate::nl::count(result.pages, "pagina", "pagina's"),
        started.elapsed().as_millis()
    );

    let (events_tx, events_rx) = mpsc::channel::<Vec<PathBuf>>();
    let _watcher = watch(&options.root, &theme, options.poll, events_tx)?;
    {
        let live = live.clone();
        let root = options.root.clone();
        std::thread::Builder::new()
            .name("herbouwen".into())
            .spawn(move || rebuild_loop(&root, build_options, preview, &live, &events_rx))
            .map_err(|e| format!("kan de preview niet starten: {e}"))?;
    }
    if options.open {
        open_browser(&url);
    }
    server.run(live);
    Ok(())
}

fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(err) = std::process::Command::new(program).arg(url).spawn() {
        eprintln!("waarschuwing: kan de browser niet openen ({err}); open zelf {url}");
    }
}

/// Prints diagnostics like `build` does and returns what the error box shows: the errors, and
/// when there are any, the warnings beside them (a renamed page explains a broken link).
fn report(root: &Path, found: &[Diagnostic]) -> Vec<ShownError> {
    let mut all = diagnostics::Diagnostics::default();
    all.extend(found.iter().cloned());
    let sorted = all.sorted();
    for d in &sorted {
        eprint!("{}", diagnostics::render_human(d, root));
    }
    let failed = sorted.iter().any(|d| d.severity == Severity::Error);
    sorted
        .into_iter()
        .filter(|_| failed)
        .map(|diagnostic| ShownError {
            excerpt: diagnostics::excerpt(&diagnostic, root),
            diagnostic,
        })
        .collect()
}

/// The folders and files whose changes matter: never public/ or target/.
fn watch(
    root: &Path,
    theme: &str,
    poll: bool,
    tx: mpsc::Sender<Vec<PathBuf>>,
) -> Result<Box<dyn std::any::Any>, String> {
    let handler = move |result: notify_debouncer_full::DebounceEventResult| {
        if let Ok(events) = result {
            if std::env::var_os("HANDREIKING_WATCH_DEBUG").is_some() {
                for e in &events {
                    eprintln!("watch: {:?} {:?}", e.event.kind, e.event.paths);
                }
            }
            // Reading files (as a build does) causes access events: only changes count.
            let paths: Vec<PathBuf> = events
                .into_iter()
                .filter(|e| {
                    matches!(
                        e.event.kind,
                        notify::EventKind::Create(_)
                            | notify::EventKind::Remove(_)
                            | notify::EventKind::Modify(
                                notify::event::ModifyKind::Data(_)
                                    | notify::event::ModifyKind::Name(_)
                                    | notify::event::ModifyKind::Any
                            )
                    )
                })
                .flat_map(|e| e.event.paths)
                .collect();
            if !paths.is_empty() {
                let _ = tx.send(paths);
            }
        }
    };
    let theme = if theme.is_empty() { "default" } else { theme };
    let mut targets: Vec<(PathBuf, RecursiveMode)> =
        vec![(root.to_path_buf(), RecursiveMode::NonRecursive)];
    for dir in ["content", "data", "templates", "static", "i18n"] {
        targets.push((root.join(dir), RecursiveMode::Recursive));
    }
    targets.push((root.join("themes").join(theme), RecursiveMode::Recursive));
    let fail = |e: notify::Error| format!("kan de bestanden niet volgen: {e}");
    if poll {
        let config = notify::Config::default().with_poll_interval(Duration::from_millis(300));
        let mut debouncer = notify_debouncer_full::new_debouncer_opt::<_, notify::PollWatcher, _>(
            DEBOUNCE,
            None,
            handler,
            notify_debouncer_full::NoCache,
            config,
        )
        .map_err(fail)?;
        for (path, mode) in targets.into_iter().filter(|(p, _)| p.exists()) {
            debouncer.watch(&path, mode).map_err(fail)?;
        }
        Ok(Box::new(debouncer))
    } else {
        let mut debouncer =
            notify_debouncer_full::new_debouncer(DEBOUNCE, None, handler).map_err(fail)?;
        for (path, mode) in targets.into_iter().filter(|(p, _)| p.exists()) {
            debouncer.watch(&path, mode).map_err(fail)?;
        }
        Ok(Box::new(debouncer))
    }
}

/// Editors write swap, backup and temporary files next to the real one; they are not sources.
fn is_noise(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

enum Plan {
    Nothing,
    Pages(Vec<String>),
    Full,
}

fn plan(root: &Path, paths: &[PathBuf]) -> Plan {
    let mut pages = Vec::new();
    let mut full = false;
    for path in paths {
        if is_noise(path) {
            continue;
        }
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        match parts.as_slice() {
            [] => {}
            [file] if file != "site.yaml" => {}
            [first, rest @ ..]
                if first == "content"
                    && !rest.is_empty()
                    && rest.last().is_some_and(|f| f.ends_with(".md")) =>
            {
                pages.push(rest.join("/"));
            }
            _ => full = true,
        }
    }
    pages.sort();
    pages.dedup();
    if full {
        Plan::Full
    } else if pages.is_empty() {
        Plan::Nothing
    } else {
        Plan::Pages(pages)
    }
}

/// `preview` is `None` when the site has errors: the first change then rebuilds it whole.
fn rebuild_loop(
    root: &Path,
    options: BuildOptions,
    mut preview: Option<Preview>,
    live: &Live,
    events: &mpsc::Receiver<Vec<PathBuf>>,
) {
    let mut search_pending = preview.is_some();
    // After a failed page update the loaded site may be ahead of the served one: rebuild fully.
    let mut dirty = preview.is_none();
    loop {
        let received = if search_pending {
            events.recv_timeout(Duration::from_millis(1))
        } else {
            events
                .recv()
                .map_err(|_| mpsc::RecvTimeoutError::Disconnected)
        };
        let paths = match received {
            Ok(paths) => paths,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if let Some(p) = preview.as_ref() {
                    add_search(p, live);
                }
                search_pending = false;
                continue;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        let started = Instant::now();
        let plan = match (plan(root, &paths), preview.as_ref(), dirty) {
            (Plan::Nothing, _, _) => continue,
            (Plan::Pages(pages), Some(_), false) => Plan::Pages(pages),
            _ => Plan::Full,
        };
        let outcome = match (&plan, preview.as_mut()) {
            (Plan::Pages(pages), Some(p)) => update::update_pages(p, root, pages, options.drafts),
            _ => Update::NeedsFullBuild,
        };
        match outcome {
            Update::Files(files) => {
                dirty = false;
                let count = files.len();
                if let Ok(mut output) = live.output.write() {
                    output.extend(files);
                }
                if let Ok(mut errors) = live.errors.write() {
                    errors.clear();
                }
                live.publish();
                println!(
                    "Bijgewerkt: {} in {} ms",
                    crate::nl::count(count, "bestand", "bestanden"),
                    started.elapsed().as_millis()
                );
                search_pending = true;
            }
            Update::Failed(found) => {
                dirty = true;
                let errors = report(root, &found);
                if let Ok(mut e) = live.errors.write() {
                    *e = errors;
                }
                live.publish();
            }
            Update::NeedsFullBuild => {
                let (mut result, new_preview) = pipeline::build_preview(&options);
                let renamed = rename::hints(root, &paths, preview.as_ref(), new_preview.as_ref());
                result.diagnostics.extend(renamed);
                let errors = report(root, &result.diagnostics);
                if errors.is_empty() {
                    if let Ok(mut output) = live.output.write() {
                        *output = result.output;
                    }
                    preview = new_preview;
                    dirty = false;
                    search_pending = true;
                    println!(
                        "Opnieuw gebouwd: {} in {} ms",
                        crate::nl::count(result.pages, "pagina", "pagina's"),
                        started.elapsed().as_millis()
                    );
                } else {
                    dirty = true;
                }
                if let Ok(mut e) = live.errors.write() {
                    *e = errors;
                }
                live.publish();
            }
        }
    }
}

/// The search page and index, added after the reload so that saving stays fast.
fn add_search(preview: &Preview, live: &Live) {
    let files = {
        let Ok(output) = live.output.read() else {
            return;
        };
        let mut diagnostics = Vec::new();
        crate::render::search_files(
            &preview.site,
            &preview.state,
            &preview.pages,
            &output,
            &mut diagnostics,
        )
    };
    if let Ok(mut output) = live.output.write() {
        output.extend(files);
    }
}
