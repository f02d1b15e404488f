//! Stage 1, load: disk -> a `Site` (configuration, theme, data, survey waves, pages) and the pages'
//! Markdown bodies. Nothing here renders; a `Site` is not changed by later stages.

use crate::config::{self, CONFIG_FILE, Config};
use crate::content::{self, Content, Kind};
use crate::data;
use crate::diagnostics::Diagnostic;
use crate::images::{self, Images};
use crate::stats::model::Wave;
use crate::theme::{self, Theme};
use std::collections::HashSet;
use std::path::PathBuf;

pub struct BuildOptions {
    pub root: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// Everything a build reads, loaded and checked per file.
pub struct Site {
    pub config: Config,
    /// The pages, without their bodies (see `Loaded::bodies`).
    pub content: Content,
    pub theme: Theme,
    /// The data files as one tree: `data.<file>.<key>` in templates.
    pub data_tree: serde_json::Value,
    pub waves: Vec<Wave>,
    /// Facts of the survey sources worth a look (counts above the respondents); `check` prints them.
    pub source_warnings: Vec<Diagnostic>,
    /// Abbreviation and meaning, from the glossary data file.
    pub glossary: Vec<(String, String)>,
    /// The keys `{{< grafiek ID >}}` may use.
    pub figures: HashSet<String>,
    /// The files published from `content/` and the facts of every image.
    pub images: Images,
}

impl Site {
    pub fn page_count(&self) -> usize {
        self.content
            .pages
            .iter()
            .filter(|p| p.kind == Kind::Page)
            .count()
    }

    pub fn section_count(&self) -> usize {
        self.content.pages.iter().filter(|p| p.is_section()).count()
    }
}

/// The loaded site and the Markdown body of every page, in page order.
pub struct Loaded {
    pub site: Site,
    pub bodies: Vec<String>,
}

/// Reads the site at `options.root`. `None` when there is no usable `site.yaml`: nothing else can
/// be read without it. Every other problem is a diagnostic, and loading goes on.
pub fn load(options: &BuildOptions, diagnostics: &mut Vec<Diagnostic>) -> Option<Loaded> {
    let mut stages = crate::profile::Stages::start();
    let root = &options.root;
    let mut config = read_config(options, diagnostics)?;
    if let Some(base_url) = &options.base_url {
        config.base_url = base_url.clone();
    }
    let theme = theme::load(root, &config.theme, &config.language, diagnostics);
    let data_files = data::load(root, diagnostics);
    // A glossary file that failed to load has its own error; "it does not exist" would be a second.
    let failed = |name: &str| {
        let prefix = format!("{}/{name}.", data::DATA_DIR);
        diagnostics.iter().any(|d| d.file.starts_with(&prefix))
    };
    let glossary: Vec<(String, String)> = match &config.markdown.abbreviations {
        Some(name) if failed(name) => Vec::new(),
        Some(name) => data::abbreviations(&data_files, name, diagnostics)
            .into_iter()
            .collect(),
        None => Vec::new(),
    };
    let data_tree = data::to_tree(&data_files);
    let mut source_warnings = Vec::new();
    let mut figures = HashSet::new();
    let waves = crate::stats::model::load(
        &data_files,
        &config,
        diagnostics,
        &mut source_warnings,
        &mut figures,
    );
    stages.done("config, thema, data");
    let (content, bodies) = content::load(root, &config, options.drafts, diagnostics);
    stages.done("content laden");
    let images = images::load(
        root,
        &content.files,
        &theme.static_files,
        &config.theme,
        diagnostics,
    );
    stages.done("afbeeldingen lezen");
    Some(Loaded {
        site: Site {
            config,
            content,
            theme,
            data_tree,
            waves,
            source_warnings,
            glossary,
            figures,
            images,
        },
        bodies,
    })
}

fn read_config(options: &BuildOptions, diagnostics: &mut Vec<Diagnostic>) -> Option<Config> {
    let config_path = options.root.join(CONFIG_FILE);
    let text = match crate::source::read_text(&config_path, CONFIG_FILE) {
        Ok(text) => text,
        Err(d) => {
            diagnostics.push(d.help("start in de map van de site (met site.yaml), geef --root MAP, of maak een site met `handreiking new`"));
            return None;
        }
    };
    match config::parse(&text) {
        Ok(c) => Some(c),
        Err(ds) => {
            diagnostics.extend(ds);
            None
        }
    }
}
