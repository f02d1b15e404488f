//! `handreiking new DIR`: a small site that builds as it is, to start from.

use std::path::Path;

/// Every page the default theme links to exists, and one survey wave shows how figures work: a
/// new site builds without errors, and every link in it works.
const FILES: &[(&str, &str)] = &[
    (
        "site.yaml",
        "title: Mijn handreiking\ndescription: Een nieuwe site gemaakt met handreiking.\nbase_url: https://www.example.nl/\nlanguage: nl\ntheme: default\nmenu:\n  - title: Handreiking\n    page: handreiking/_index.md\n  - title: Cijfers\n    url: /cijfers/\ntaxonomies:\n  - name: rollen\n    label: Rollen\n    terms:\n      - slug: financier\n        label: Financier\n      - slug: promotor\n        label: Promotor\nmarkdown:\n  abbreviations: afkortingen\n",
    ),
    (
        "content/_index.md",
        "---\ntitle: Mijn handreiking\ndescription: De voorpagina van de site.\n---\n\nWelkom. Lees verder in de [handreiking](handreiking/_index.md) of bekijk de [cijfers](/cijfers/).\n",
    ),
    (
        "content/handreiking/_index.md",
        "---\ntitle: Handreiking\ndescription: Alle pagina's van de handreiking.\nweight: 10\n---\n\nHier staan de pagina's van de handreiking.\n",
    ),
    (
        "content/handreiking/eerste-pagina.md",
        "---\ntitle: Eerste pagina\ndescription: Een voorbeeld van een pagina.\nrollen: [financier]\n---\n\n## Wat staat hier?\n\nDeze pagina is een voorbeeld. Het IDO helpt inwoners.\n\n## Wat zeggen de cijfers?\n\nEen grafiek uit data/monitor/ zet u zo op een pagina:\n\n{{< grafiek voorbeeld-vraag >}}\n\n## Meer lezen\n\nTerug naar de [handreiking](_index.md).\n",
    ),
    (
        "content/afkortingen.md",
        "---\ntitle: Afkortingen\ndescription: Wat de afkortingen op deze site betekenen.\ntemplate: afkortingen.html\n---\n\nHieronder staat wat elke afkorting op deze site betekent. De lijst komt uit data/afkortingen.yaml.\n",
    ),
    (
        "content/toegankelijkheid.md",
        "---\ntitle: Toegankelijkheid\ndescription: Hoe wij zorgen dat iedereen deze site kan gebruiken.\n---\n\nWij willen dat iedereen deze site kan gebruiken. Schrijf hier hoe u dat doet en hoe lezers een probleem melden.\n",
    ),
    (
        "data/afkortingen.yaml",
        "- afkorting: IDO\n  betekenis: Informatiepunt Digitale Overheid\n  uitleg: Een plek waar inwoners hulp krijgen bij de digitale overheid.\n",
    ),
    (
        "data/monitor/voorbeeld-2024.yaml",
        "# Een voorbeeld van een meting: vervang het door echte cijfers met hun bron.\ntitle: Voorbeeldmeting\nyear: 2024\nfieldwork: mei 2024\npublisher: Uw organisatie\nsource:\n  report: Naam van het rapport\n  annex: Bijlage 1\nlicence: CC BY 4.0\ndata_date: 2024-06-01\ngroups:\n  - id: gemeenten\n    label: Gemeenten\n    population: 342\n    respondents: 40\nquestions:\n  - id: voorbeeld-vraag\n    number: 1\n    group: gemeenten\n    text: Heeft uw gemeente afspraken met het IDO?\n    roles: [financier]\n    kind: choice\n    answers:\n      - label: Ja\n        count: 25\n      - label: Nee\n        count: 15\n",
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
    // The resized images are made again from the originals when they are missing.
    std::fs::write(dir.join(".gitignore"), "public/\n.handreiking-cache/\n")
        .map_err(|e| format!("kan .gitignore niet schrijven: {e}"))?;
    Ok(FILES.len())
}
