//! Finding the theme's templates, static files and UI strings, with the site's own files on top.

use crate::diagnostics::Diagnostic;
use crate::source;
use crate::yaml::{self, Value};
use include_dir::{Dir, include_dir};
use std::collections::BTreeMap;
use std::path::Path;

/// The default theme, compiled in so that a site made with `handreiking new` builds without a copy.
static BUILTIN_DEFAULT: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

pub struct Template {
    /// Where the template came from, for error messages: `themes/default/templates/page.html`.
    pub display: String,
    pub source: String,
}

#[derive(Default)]
pub struct Theme {
    /// Template name (`page.html`, `partials/nav.html`) -> source.
    pub templates: BTreeMap<String, Template>,
    /// Output path -> bytes, from the theme's and then the site's `static/`.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// UI strings from the theme's `i18n/<language>.yaml`, overridden by the site's.
    pub strings: BTreeMap<String, String>,
}

pub fn load(root: &Path, name: &str, language: &str, diagnostics: &mut Vec<Diagnostic>) -> Theme {
    let mut theme = Theme::default();
    let theme_dir = root.join("themes").join(name);
    let theme_display = format!("themes/{name}");
    let i18n_file = format!("i18n/{language}.yaml");
    if theme_dir.is_dir() {
        read_dir_into(
            &theme_dir.join("templates"),
            &format!("{theme_display}/templates"),
            diagnostics,
            |rel, display, bytes, ds| {
                add_template(&mut theme, rel, display, bytes, ds);
            },
        );
        read_dir_into(
            &theme_dir.join("static"),
            &format!("{theme_display}/static"),
            diagnostics,
            |rel, _, bytes, _| {
                theme.static_files.insert(rel.to_string(), bytes);
            },
        );
        let path = theme_dir.join(&i18n_file);
        if path.is_file() {
            let display = format!("{theme_display}/{i18n_file}");
            match source::read_text(&path, &display) {
                Ok(text) => read_strings(&text, &display, &mut theme.strings, diagnostics),
                Err(d) => diagnostics.push(d),
            }
        }
    } else if name == "default" {
        load_builtin(&mut theme, &i18n_file, diagnostics);
    } else {
        diagnostics.push(
            Diagnostic::error(
                "site.yaml",
                0,
                0,
                format!("het thema `{name}` bestaat niet (themes/{name}/ ontbreekt)"),
            )
            .help("gebruik `theme: default` of maak de map themes/<naam>/ met templates/"),
        );
        return theme;
    }
    read_dir_into(
        &root.join("templates"),
        "templates",
        diagnostics,
        |rel, display, bytes, ds| {
            add_template(&mut theme, rel, display, bytes, ds);
        },
    );
    read_dir_into(
        &root.join("static"),
        "static",
        diagnostics,
        |rel, _, bytes, _| {
            theme.static_files.insert(rel.to_string(), bytes);
        },
    );
    let site_i18n = root.join(&i18n_file);
    if site_i18n.is_file() {
        match source::read_text(&site_i18n, &i18n_file) {
            Ok(text) => read_strings(&text, &i18n_file, &mut theme.strings, diagnostics),
            Err(d) => diagnostics.push(d),
        }
    }
    theme
}

fn load_builtin(theme: &mut Theme, i18n_file: &str, diagnostics: &mut Vec<Diagnostic>) {
    fn walk<'a>(dir: &'a Dir<'a>, out: &mut Vec<&'a include_dir::File<'a>>) {
        out.extend(dir.files());
        for sub in dir.dirs() {
            walk(sub, out);
        }
    }
    let mut files = Vec::new();
    walk(&BUILTIN_DEFAULT, &mut files);
    for file in files {
        let path = file.path().to_string_lossy().replace('\\', "/");
        let display = format!("(ingebouwd thema)/{path}");
        if let Some(rel) = path.strip_prefix("templates/") {
            add_template(theme, rel, &display, file.contents().to_vec(), diagnostics);
        } else if let Some(rel) = path.strip_prefix("static/") {
            theme
                .static_files
                .insert(rel.to_string(), file.contents().to_vec());
        } else if path == i18n_file {
            match source::decode(file.contents().to_vec(), &display) {
                Ok(text) => read_strings(&text, &display, &mut theme.strings, diagnostics),
                Err(d) => diagnostics.push(d),
            }
        }
    }
}

fn add_template(
    theme: &mut Theme,
    rel: &str,
    display: &str,
    bytes: Vec<u8>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    match source::decode(bytes, display) {
        Ok(text) => {
            theme.templates.insert(
                rel.to_string(),
                Template {
                    display: display.to_string(),
                    source: text,
                },
            );
        }
        Err(d) => diagnostics.push(d),
    }
}

/// Calls `add(rel, display, bytes)` for every file below `dir`, in name order; symlinks are refused.
fn read_dir_into(
    dir: &Path,
    display_prefix: &str,
    diagnostics: &mut Vec<Diagnostic>,
    mut add: impl FnMut(&str, &str, Vec<u8>, &mut Vec<Diagnostic>),
) {
    for found in crate::walk::sorted_files(dir, display_prefix, diagnostics) {
        match std::fs::read(&found.path) {
            Ok(bytes) => add(&found.rel, &found.display, bytes, diagnostics),
            Err(err) => diagnostics.push(Diagnostic::error(
                &found.display,
                0,
                0,
                format!("kan het bestand niet lezen: {}", source::io_reason(&err)),
            )),
        }
    }
}

fn read_strings(
    text: &str,
    display: &str,
    strings: &mut BTreeMap<String, String>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let node = match yaml::parse(text) {
        Ok(node) => node,
        Err(err) => {
            let pos = err.pos.unwrap_or_default();
            diagnostics.push(Diagnostic::error(
                display,
                pos.line,
                pos.column,
                format!("ongeldige YAML: {}", err.message),
            ));
            return;
        }
    };
    match node.value {
        Value::Map(entries) => {
            for (key, value) in entries {
                match value.as_str() {
                    Some(s) => {
                        strings.insert(key.name, s.to_string());
                    }
                    None => diagnostics.push(Diagnostic::error(
                        display,
                        value.pos.line,
                        value.pos.column,
                        format!(
                            "de tekst voor `{}` moet tekst zijn, maar is {}",
                            key.name,
                            value.kind_name()
                        ),
                    )),
                }
            }
        }
        Value::Null => {}
        _ => diagnostics.push(Diagnostic::error(
            display,
            1,
            1,
            "het i18n-bestand moet een lijst `sleutel: tekst` zijn",
        )),
    }
}
