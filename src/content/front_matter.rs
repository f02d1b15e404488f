//! Splitting a Markdown file into YAML front matter and body, and reading the front matter.

use super::fields::FIELDS;
use crate::config::{Config, term_help};
use crate::diagnostics::Diagnostic;
use crate::schema::{Reader, get};
use crate::yaml::{self, Pos};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default)]
pub struct FrontMatter {
    pub title: String,
    pub description: String,
    pub date: Option<String>,
    pub updated: Option<String>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub template: Option<(String, Pos)>,
    pub aliases: Vec<(String, Pos)>,
    pub slug: Option<(String, Pos)>,
    /// Taxonomy name -> term slugs, in the order written.
    pub terms: BTreeMap<String, Vec<String>>,
    pub extra: serde_json::Value,
}

pub struct Split<'a> {
    pub yaml: &'a str,
    /// Lines before the YAML starts (the opening `---`).
    pub yaml_line_offset: usize,
    pub body: &'a str,
    /// 1-based line number of the first body line.
    pub body_line: usize,
}

/// Finds the front matter between a first line `---` and the next line `---` (or `...`).
pub fn split<'a>(text: &'a str, file: &str) -> Result<Split<'a>, Diagnostic> {
    let first_line = text.split('\n').next().unwrap_or("");
    if first_line.trim_end() != "---" {
        return Err(Diagnostic::error(file, 1, 1, "de pagina begint niet met front matter")
            .help("begin het bestand met een regel `---`, dan `title: …`, en sluit af met een regel `---`"));
    }
    let yaml_start = first_line.len().saturating_add(1);
    let rest = text.get(yaml_start..).unwrap_or("");
    let mut offset = 0usize;
    for (index, line) in rest.split('\n').enumerate() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let yaml = rest.get(..offset).unwrap_or("");
            let body_start = offset
                .saturating_add(line.len())
                .saturating_add(1)
                .min(rest.len());
            return Ok(Split {
                yaml,
                yaml_line_offset: 1,
                body: rest.get(body_start..).unwrap_or(""),
                body_line: index.saturating_add(3),
            });
        }
        offset = offset.saturating_add(line.len()).saturating_add(1);
    }
    Err(
        Diagnostic::error(file, 1, 1, "de front matter wordt niet afgesloten")
            .help("zet na de laatste instelling een regel met alleen `---`"),
    )
}

/// The front matter read as far as possible, with every problem found; a page with problems is
/// still loaded so that its links are checked in the same run.
pub fn parse(
    split: &Split,
    file: &str,
    config: &Config,
) -> Result<(FrontMatter, Vec<Diagnostic>), Vec<Diagnostic>> {
    let root = match yaml::parse(split.yaml) {
        Ok(node) => node,
        Err(err) => {
            let pos = err
                .pos
                .unwrap_or(Pos::new(1, 1))
                .offset_lines(split.yaml_line_offset);
            return Err(vec![
                Diagnostic::error(
                    file,
                    pos.line,
                    pos.column,
                    format!("ongeldige YAML in de front matter: {}", err.message),
                )
                .help(crate::yaml::help(&err.message)),
            ]);
        }
    };
    let mut r = Reader::new(file, split.yaml_line_offset);
    let mut fm = FrontMatter::default();
    let Some(entries) = r.map(&root, "de front matter") else {
        return Err(r.diagnostics);
    };
    let mut allowed: Vec<&str> = FIELDS.to_vec();
    allowed.extend(config.taxonomies.iter().map(|t| t.name.as_str()));
    r.unknown_keys(entries, &allowed, "de front matter");

    match get(entries, "title") {
        Some(node) => fm.title = r.non_empty_string(node, "title").unwrap_or_default(),
        None => r.error(
            Pos::new(1, 1),
            "de pagina heeft geen `title`",
            Some("voeg in de front matter een regel `title: Titel van de pagina` toe".into()),
        ),
    }
    if let Some(n) = get(entries, "description") {
        fm.description = r.string(n, "description").unwrap_or_default();
    }
    if let Some(n) = get(entries, "date") {
        fm.date = r.date(n, "date");
    }
    if let Some(n) = get(entries, "updated") {
        fm.updated = r.date(n, "updated");
    }
    if let Some(n) = get(entries, "weight") {
        fm.weight = r.int(n, "weight");
    }
    if let Some(n) = get(entries, "draft") {
        fm.draft = r.bool(n, "draft").unwrap_or(false);
    }
    if let Some(n) = get(entries, "template")
        && let Some(t) = r.non_empty_string(n, "template")
    {
        if t.contains(['/', '\\']) || t.starts_with('.') || !t.ends_with(".html") {
            r.error(
                n.pos,
                format!("ongeldige template `{t}`"),
                Some("noem een bestand uit templates/, zoals `print.html`".into()),
            );
        } else {
            fm.template = Some((t, r.place(n.pos)));
        }
    }
    if let Some(n) = get(entries, "slug")
        && let Some(s) = r.non_empty_string(n, "slug")
    {
        fm.slug = Some((s, r.place(n.pos)));
    }
    if let Some(n) = get(entries, "aliases") {
        fm.aliases = r
            .strings(n, "aliases")
            .into_iter()
            .map(|(s, pos)| (s, pos.offset_lines(split.yaml_line_offset)))
            .collect();
    }
    if let Some(n) = get(entries, "extra") {
        fm.extra = n.to_json();
    }
    for taxonomy in &config.taxonomies {
        if FIELDS.contains(&taxonomy.name.as_str()) {
            continue;
        }
        let Some(node) = get(entries, &taxonomy.name) else {
            continue;
        };
        let mut slugs = Vec::new();
        for (term, pos) in r.strings(node, &taxonomy.name) {
            if taxonomy.terms.iter().any(|t| t.slug == term) {
                if !slugs.contains(&term) {
                    slugs.push(term);
                }
            } else {
                r.error(
                    pos,
                    format!("onbekende term `{term}` in `{}`", taxonomy.name),
                    Some(term_help(taxonomy, &term)),
                );
            }
        }
        fm.terms.insert(taxonomy.name.clone(), slugs);
    }
    Ok((fm, r.diagnostics))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_counts_body_lines() {
        let s = split("---\ntitle: A\n---\n# Kop\n", "a.md").ok().unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "# Kop\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let err = split("---\ntitle: A\n\nTekst\n", "content/a.md")
            .err()
            .unwrap();
        assert_eq!(err.message, "de front matter wordt niet afgesloten");
    }
}
