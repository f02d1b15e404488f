//! `handreiking new DIR`: a small site that builds as it is, to start from.

use std::path::Path;

const FILES: &[(&str, &str)] = &[
    (
        "site.yaml",
        "title: Mijn handreiking\ndescription: Een nieuwe site gemaakt met handreiking.\nbase_url: https://www.example.nl/\nlanguage: nl\ntheme: default\nmenu:\n  - title: Handreiking\n    page: handreiking/_index.md\ntaxonomies:\n  - name: rollen\n    label: Rollen\n    terms:\n      - slug: financier\n        label: Financier\n      - slug: promotor\n        label: Promotor\nmarkdown:\n  abbreviations: afkortingen\n",
    ),
    (
        "content/_index.md",
        "---\ntitle: Mijn handreiking\ndescription: De voorpagina van de site.\n---\n\nWelkom. Lees verder in de [handreiking](handreiking/_index.md).\n",
    ),
    (
        "content/handreiking/_index.md",
        "---\ntitle: Handreiking\ndescription: Alle pagina's van de handreiking.\nweight: 10\n---\n\nHier staan de pagina's van de handreiking.\n",
    ),
    (
        "content/handreiking/eerste-pagina.md",
        "---\ntitle: Eerste pagina\ndescription: Een voorbeeld van een pagina.\nrollen: [financier]\n---\n\n## Wat staat hier?\n\nDeze pagina is een voorbeeld. Het IDO helpt inwoners.\n\n## Meer lezen\n\nTerug naar de [handreiking](_index.md).\n",
    ),
    (
        "data/afkortingen.yaml",
        "- afkorting: IDO\n  betekenis: Informatiepunt Digitale Overheid\n  uitleg: Een plek waar inwoners hulp krijgen bij de digitale overheid.\n",
    ),
];

pub fn create(dir: &Path) -> Result<usize, String> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map_err(|e| format!("kan {} niet lezen: {e}", dir.display()))?
            .next()
            .is_none();
        if !empty {
            return Err(format!(
                "de map {} bestaat al en is niet leeg; kies een nieuwe mapnaam",
                dir.display()
            ));
        }
    }
    for (path, text) in FILES {
        let full = dir.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("kan {} niet maken: {e}", parent.display()))?;
        }
        std::fs::write(&full, text)
            .map_err(|e| format!("kan {} niet schrijven: {e}", full.display()))?;
    }
    std::fs::write(dir.join(".gitignore"), "public/\n")
        .map_err(|e| format!("kan .gitignore niet schrijven: {e}"))?;
    Ok(FILES.len())
}
