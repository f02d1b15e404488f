//! `serve`'s fast path: after an edit to existing Markdown pages, re-render those pages and what
//! shows them (their section, neighbours, descendants when a section's title changed, taxonomy
//! pages, print pages, sitemap and feed) instead of the whole site.

use crate::check;
use crate::content::{self, CONTENT_DIR, Kind};
use crate::diagnostics::Diagnostic;
use crate::output::Output;
use crate::pipeline::{Preview, has_errors};
use crate::render::{self, print::is_print_page};

pub enum Update {
    /// The changed and dependent files; everything else in the served site stays as it is.
    Files(Output),
    /// The change cannot be applied page by page (a page added, removed, moved or renamed).
    NeedsFullBuild,
    /// The edit has errors; the last good site keeps being served.
    Failed(Vec<Diagnostic>),
}

/// Applies edits to existing content files (`handreiking/rollen/financier.md`) to the preview.
/// Templates, statistics and the lists of pages are kept; only what shows the edited pages is
/// rendered again.
/// An edited page as read from disk: its index, front matter, body line and body.
type Edit = (
    usize,
    crate::content::front_matter::FrontMatter,
    usize,
    String,
);

/// Reads the edited pages. `Err` when the edit cannot be applied page by page or has errors.
fn read_edits(
    preview: &Preview,
    root: &std::path::Path,
    changed: &[String],
    drafts: bool,
) -> Result<(Vec<Edit>, Vec<Diagnostic>), Update> {
    let site = &preview.site;
    let content_dir = root.join(CONTENT_DIR);
    let mut problems = Vec::new();
    let mut edits = Vec::new();
    for rel in changed {
        // A page added or removed changes which files exist: the long way.
        let Some(&i) = site.content.by_rel.get(rel) else {
            return Err(Update::NeedsFullBuild);
        };
        if !content_dir.join(rel).is_file() {
            return Err(Update::NeedsFullBuild);
        }
        match content::load_page(&content_dir, rel, &site.config) {
            Ok((meta, body, body_line, found)) => {
                problems.extend(found);
                let Some(old) = site.content.pages.get(i) else {
                    return Err(Update::NeedsFullBuild);
                };
                // Anything that changes which files exist goes the long way.
                if meta.slug.as_ref().map(|s| &s.0) != old.meta.slug.as_ref().map(|s| &s.0)
                    || (meta.draft && !drafts)
                    || meta
                        .aliases
                        .iter()
                        .map(|a| &a.0)
                        .ne(old.meta.aliases.iter().map(|a| &a.0))
                    || meta.template.as_ref().map(|t| &t.0)
                        != old.meta.template.as_ref().map(|t| &t.0)
                {
                    return Err(Update::NeedsFullBuild);
                }
                edits.push((i, meta, body_line, body));
            }
            Err(ds) => problems.extend(ds),
        }
    }
    if has_errors(&problems) {
        return Err(Update::Failed(problems));
    }
    Ok((edits, problems))
}

/// Applies edits to existing content files (`handreiking/rollen/financier.md`) to the preview.
/// Templates, statistics and the lists of pages are kept; only what shows the edited pages is
/// rendered again.
pub fn update_pages(
    preview: &mut Preview,
    root: &std::path::Path,
    changed: &[String],
    drafts: bool,
) -> Update {
    let mut stages = crate::profile::Stages::start();
    let (new_pages, mut problems) = match read_edits(preview, root, changed, drafts) {
        Ok(read) => read,
        Err(update) => return update,
    };
    let indices: Vec<usize> = new_pages.iter().map(|(i, ..)| *i).collect();
    let site = &mut preview.site;
    let mut bodies = Vec::new();
    let mut affected: Vec<usize> = Vec::new();
    let mut reorder = false;
    // Whether anything that other pages show of the edited ones changed (titles in lists, order, roles).
    let mut listings = false;
    for (i, meta, body_line, body) in new_pages {
        let Some(page) = site.content.pages.get_mut(i) else {
            continue;
        };
        let title_changed = page.meta.title != meta.title;
        reorder |= title_changed || page.meta.weight != meta.weight || page.meta.date != meta.date;
        let listed = title_changed
            || page.meta.description != meta.description
            || page.meta.date != meta.date
            || page.meta.updated != meta.updated
            || page.meta.weight != meta.weight
            || page.meta.terms != meta.terms;
        listings |= listed;
        let old_neighbours = if listed {
            neighbours(&site.content, i)
        } else {
            Vec::new()
        };
        let Some(page) = site.content.pages.get_mut(i) else {
            continue;
        };
        page.meta = meta;
        page.body_line = body_line;
        bodies.push((i, body));
        affected.push(i);
        affected.extend(old_neighbours);
        if title_changed && page.kind != Kind::Page {
            affected.extend(descendants(&site.content, i));
        }
    }
    if reorder {
        content::sort_sections(&mut site.content.pages);
    }
    let site = &preview.site;
    stages.done("bijwerken: lezen");
    if listings {
        preview.state.pages_changed(site, &indices);
        stages.done("bijwerken: lijsten");
    }
    for i in indices.iter().copied() {
        if listings {
            affected.extend(neighbours(&site.content, i));
        }
    }
    for (i, body) in bodies {
        let rendered = preview.state.render_markdown(site, i, &body);
        problems.extend(rendered.markdown.diagnostics.iter().cloned());
        if let Some(slot) = preview.pages.get_mut(i) {
            *slot = rendered;
        }
    }
    stages.done("bijwerken: markdown");
    recheck_links(preview, changed, &indices, &mut problems);
    if has_errors(&problems) {
        return Update::Failed(problems);
    }
    stages.done("bijwerken: markdown, links");
    // Pages that print their whole section show the edited content too.
    affected.extend(
        site.content
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| is_print_page(p))
            .map(|(i, _)| i),
    );
    affected.sort_unstable();
    affected.dedup();
    let mut diagnostics = Vec::new();
    let files = render::update(
        site,
        &preview.checked,
        &preview.state,
        &preview.pages,
        &affected,
        listings,
        &mut diagnostics,
    );
    stages.done("bijwerken: renderen");
    if has_errors(&diagnostics) {
        return Update::Failed(diagnostics);
    }
    Update::Files(files)
}

/// Headings may have changed: links from any page to the edited ones are checked again, as `.md`
/// links and as URLs; the edited pages' own links are checked whole.
fn recheck_links(
    preview: &Preview,
    changed: &[String],
    indices: &[usize],
    problems: &mut Vec<Diagnostic>,
) {
    let site = &preview.site;
    let changed_rels: std::collections::HashSet<&str> =
        changed.iter().map(String::as_str).collect();
    let changed_urls: std::collections::HashSet<&str> = indices
        .iter()
        .filter_map(|i| site.content.pages.get(*i))
        .map(|p| p.url.as_str())
        .collect();
    let mut linking: Vec<usize> = preview
        .pages
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            let m = &r.markdown;
            m.anchor_links
                .iter()
                .any(|l| changed_rels.contains(l.target_rel.as_str()))
                || m.site_links
                    .iter()
                    .any(|l| changed_urls.contains(l.url.as_str()))
        })
        .map(|(i, _)| i)
        .chain(indices.iter().copied())
        .collect();
    linking.sort_unstable();
    linking.dedup();
    check::anchors(
        &site.content,
        &preview.pages,
        linking.iter().copied(),
        problems,
    );
    let urls = preview.state.urls();
    let targets = &preview.targets;
    check::site_links(
        &site.content,
        &preview.pages,
        linking.into_iter(),
        targets,
        urls,
        problems,
    );
}

/// The page's section, the section's own section, and the pages before and after it.
fn neighbours(content: &content::Content, i: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let Some(page) = content.pages.get(i) else {
        return out;
    };
    if let Some(parent) = page.parent {
        out.push(parent);
        if let Some(section) = content.pages.get(parent) {
            if let Some(grand) = section.parent {
                out.push(grand);
            }
            if let Some(pos) = section.children.iter().position(|c| *c == i) {
                out.extend(pos.checked_sub(1).and_then(|p| section.children.get(p)));
                out.extend(pos.checked_add(1).and_then(|n| section.children.get(n)));
            }
        }
    }
    out
}

fn descendants(content: &content::Content, i: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut stack = vec![i];
    while let Some(s) = stack.pop() {
        if let Some(section) = content.pages.get(s) {
            out.extend(section.children.iter().copied());
            out.extend(section.subsections.iter().copied());
            stack.extend(section.subsections.iter().copied());
        }
    }
    out
}
