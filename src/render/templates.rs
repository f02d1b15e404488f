//! The template environment (minijinja) and the plain data templates see.

use crate::diagnostics::Diagnostic;
use crate::nl::{format_date_nl, format_number_nl};
use crate::theme::Theme;
use minijinja::value::{Enumerator, Object};
use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Limits so that a template that loops or recurses forever fails with a message instead of hanging.
const TEMPLATE_FUEL: u64 = 10_000_000;
const TEMPLATE_RECURSION: usize = 100;

pub struct Templates {
    env: Environment<'static>,
    /// Template name -> file it came from.
    displays: BTreeMap<String, String>,
    /// Templates that failed to compile: rendering them repeats that error, not "does not exist".
    broken: BTreeMap<String, Diagnostic>,
}

impl Templates {
    pub fn new(theme: &Theme, diagnostics: &mut Vec<Diagnostic>) -> Templates {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Chainable);
        env.set_fuel(Some(TEMPLATE_FUEL));
        env.set_recursion_limit(TEMPLATE_RECURSION);
        env.set_keep_trailing_newline(false);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_formatter(html_formatter);
        env.add_filter("date_nl", date_nl);
        env.add_filter("number_nl", number_nl);
        let mut displays = BTreeMap::new();
        let mut broken = BTreeMap::new();
        for (name, template) in &theme.templates {
            displays.insert(name.clone(), template.display.clone());
            if let Err(err) = env.add_template_owned(name.clone(), template.source.clone()) {
                let diagnostic = template_diagnostic(&err, &displays);
                diagnostics.push(diagnostic.clone());
                broken.insert(name.clone(), diagnostic);
            }
        }
        Templates {
            env,
            displays,
            broken,
        }
    }

    /// `stat_figures(role)`: the prepared figure HTML of every question about that role.
    pub fn add_figures_by_role(&mut self, by_role: BTreeMap<String, Vec<String>>) {
        let by_role = std::sync::Arc::new(by_role);
        self.env
            .add_function("stat_figures", move |role: String| -> Vec<Value> {
                by_role
                    .get(&role)
                    .map(|list| {
                        list.iter()
                            .map(|html| Value::from_safe_string(html.clone()))
                            .collect()
                    })
                    .unwrap_or_default()
            });
    }

    /// `url("/css/site.css")` puts the base path (from base_url) in front of a root-relative path.
    pub fn add_url_functions(&mut self, base_url: &str, base_path: &str) {
        let prefix = base_path.to_string();
        self.env.add_function("url", move |path: String| -> String {
            if path.starts_with('/') {
                format!("{prefix}{path}")
            } else {
                path
            }
        });
        // `absolute(url)`: a root-relative URL that already carries the base path, as a full URL.
        let origin = base_url
            .strip_suffix(base_path)
            .unwrap_or(base_url)
            .to_string();
        self.env
            .add_function("absolute", move |path: String| -> String {
                if path.starts_with('/') {
                    format!("{origin}{path}")
                } else {
                    path
                }
            });
    }

    pub fn has(&self, name: &str) -> bool {
        self.displays.contains_key(name)
    }

    pub fn render(&self, name: &str, context: Value) -> Result<String, Diagnostic> {
        if let Some(diagnostic) = self.broken.get(name) {
            return Err(diagnostic.clone());
        }
        let template = self
            .env
            .get_template(name)
            .map_err(|err| template_diagnostic(&err, &self.displays))?;
        template
            .render(context)
            .map_err(|err| template_diagnostic(&err, &self.displays))
    }
}

/// Escapes like HTML needs (`& < > " '`) but leaves `/` alone, so URLs stay readable in the output;
/// `none` and undefined print nothing rather than the word "none".
fn html_formatter(
    out: &mut minijinja::Output,
    state: &minijinja::State,
    value: &Value,
) -> Result<(), Error> {
    if value.is_undefined() || value.is_none() {
        return Ok(());
    }
    if state.auto_escape() == minijinja::AutoEscape::Html && !value.is_safe() {
        // Strings (nearly every value) are escaped straight into the output, run by run.
        let owned;
        let text = match value.as_str() {
            Some(text) => text,
            None => {
                owned = value.to_string();
                owned.as_str()
            }
        };
        let mut plain_from = 0;
        for (at, byte) in text.bytes().enumerate() {
            let entity = match byte {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                b'\'' => "&#39;",
                _ => continue,
            };
            out.write_str(text.get(plain_from..at).unwrap_or(""))?;
            out.write_str(entity)?;
            plain_from = at.saturating_add(1);
        }
        return out
            .write_str(text.get(plain_from..).unwrap_or(""))
            .map_err(Error::from);
    }
    minijinja::escape_formatter(out, state, value)
}

fn template_diagnostic(err: &Error, displays: &BTreeMap<String, String>) -> Diagnostic {
    // The innermost template named in the error chain is the one with the mistake.
    let mut name = err.name().map(str::to_string);
    let mut line = err.line();
    let mut detail = err
        .detail()
        .map(str::to_string)
        .unwrap_or_else(|| err.kind().to_string());
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        if let Some(inner) = inner.downcast_ref::<Error>()
            && inner.name().is_some()
        {
            name = inner.name().map(str::to_string);
            line = inner.line();
            detail = inner
                .detail()
                .map(str::to_string)
                .unwrap_or_else(|| inner.kind().to_string());
        }
        source = inner.source();
    }
    let file = name
        .as_ref()
        .map(|n| {
            displays
                .get(n)
                .cloned()
                .unwrap_or_else(|| format!("templates/{n}"))
        })
        .unwrap_or_else(|| "templates".to_string());
    let help = match err.kind() {
        ErrorKind::OutOfFuel => "de template doet te veel werk: zoek een lus die nooit stopt",
        ErrorKind::TemplateNotFound => {
            "maak de template aan in templates/ of gebruik een bestaande naam"
        }
        ErrorKind::SyntaxError => "controleer of elke {% … %} en {{ … }} goed is afgesloten",
        _ if detail.contains("recursion limit") => {
            "een macro of include roept zichzelf steeds weer aan: zorg dat de herhaling stopt"
        }
        _ => "controleer de template op deze regel",
    };
    let message = if err.kind() == ErrorKind::OutOfFuel {
        "de template stopt niet (te veel stappen)".to_string()
    } else if detail.contains("recursion limit") {
        "de template roept zichzelf te vaak aan".to_string()
    } else {
        format!("fout in template: {detail}")
    };
    Diagnostic::error(file, line.unwrap_or(0), 0, message).help(help)
}

fn date_nl(value: Value) -> Result<String, Error> {
    let s = value.as_str().unwrap_or_default();
    format_date_nl(s).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("`{s}` is geen datum (JJJJ-MM-DD)"),
        )
    })
}

fn number_nl(value: Value, decimals: Option<usize>) -> Result<String, Error> {
    if let Some(i) = value.as_i64()
        && decimals.unwrap_or(0) == 0
    {
        return Ok(format_number_nl(i as f64, 0));
    }
    let f = f64::try_from(value.clone()).map_err(|_| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("`{value}` is geen getal"),
        )
    })?;
    Ok(format_number_nl(
        f,
        decimals.unwrap_or(if f.fract() == 0.0 { 0 } else { 1 }),
    ))
}

/// The names of the variables every template sees.
const GLOBAL_NAMES: [&str; 4] = ["site", "data", "i18n", "build"];

/// The variables every template sees, found by name. minijinja's merged context looked each name up
/// in ordered maps of `Value` keys, comparing values, on every variable a template reads: a fifth of
/// the time spent in templates.
#[derive(Debug)]
pub struct Globals {
    pub site: Value,
    pub data: Value,
    pub i18n: Value,
    pub build: Value,
}

impl Object for Globals {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        match key.as_str()? {
            "site" => Some(self.site.clone()),
            "data" => Some(self.data.clone()),
            "i18n" => Some(self.i18n.clone()),
            "build" => Some(self.build.clone()),
            _ => None,
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&GLOBAL_NAMES)
    }
}

/// One render's own variables (`page`, `current_url`, ...), which go before the globals. They are
/// few, so a list compared by name is the quickest to search.
#[derive(Debug)]
struct RenderVars {
    own: Vec<(String, Value)>,
    globals: Arc<Globals>,
}

impl Object for RenderVars {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let name = key.as_str()?;
        match self.own.iter().find(|(own, _)| own == name) {
            Some((_, value)) => Some(value.clone()),
            None => self.globals.get_value(key),
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let mut keys: Vec<Value> = self
            .own
            .iter()
            .map(|(name, _)| Value::from(name.as_str()))
            .collect();
        keys.extend(
            GLOBAL_NAMES
                .iter()
                .filter(|global| !self.own.iter().any(|(own, _)| own == *global))
                .map(|global| Value::from(*global)),
        );
        Enumerator::Values(keys)
    }
}

/// The context of one render: its `own` variables by name, then the globals.
pub fn context_of(own: Vec<(String, Value)>, globals: &Arc<Globals>) -> Value {
    Value::from_object(RenderVars {
        own,
        globals: Arc::clone(globals),
    })
}

/// The same for variables in a map, as `minijinja::context!` makes them.
pub fn context(own: Value, globals: &Arc<Globals>) -> Value {
    let own = own
        .try_iter()
        .map(|keys| {
            keys.filter_map(|key| {
                let value = own.get_item(&key).ok()?;
                Some((key.as_str()?.to_string(), value))
            })
            .collect()
        })
        .unwrap_or_default();
    context_of(own, globals)
}

/// UI strings by name in a hash table, for the many `i18n.…` lookups of every page.
#[derive(Debug)]
pub struct Strings(HashMap<String, Value>);

impl Strings {
    pub fn new(strings: &BTreeMap<String, String>) -> Strings {
        Strings(
            strings
                .iter()
                .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
                .collect(),
        )
    }
}

impl Object for Strings {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.0.get(key.as_str()?).cloned()
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let mut keys: Vec<&String> = self.0.keys().collect();
        keys.sort();
        Enumerator::Values(keys.into_iter().map(|k| Value::from(k.as_str())).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_render_sees_its_own_variables_before_the_globals() {
        let strings: BTreeMap<String, String> =
            [("skip_link".to_string(), "Naar de inhoud".to_string())]
                .into_iter()
                .collect();
        let globals = Arc::new(Globals {
            site: minijinja::context! { title => "Handreiking" },
            data: Value::from(()),
            i18n: Value::from_object(Strings::new(&strings)),
            build: minijinja::context! { version => "1" },
        });
        let mut env = Environment::new();
        env.add_template(
            "t",
            "{{ site.title }}|{{ i18n.skip_link }}|{{ i18n.missing }}|{{ page.title }}|{{ build.version }}|{{ nothing }}",
        )
        .unwrap();
        let own = minijinja::context! { page => minijinja::context! { title => "Rollen" }, build => minijinja::context! { version => "eigen" } };
        let html = env
            .get_template("t")
            .unwrap()
            .render(context(own, &globals))
            .unwrap();
        assert_eq!(html, "Handreiking|Naar de inhoud||Rollen|eigen|");
        let names: Vec<String> = context(minijinja::context! { page => 1, build => 2 }, &globals)
            .try_iter()
            .unwrap()
            .map(|k| k.to_string())
            .collect();
        assert_eq!(names, ["page", "build", "site", "data", "i18n"]);
    }
}
