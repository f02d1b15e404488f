//! The build engine on fixture sites: URLs, heading ids, TOC, links, escaping, taxonomies,
//! sitemap, aliases, determinism.

mod common;
use common::*;

fn site() -> Fixture {
    Fixture::new(&[
        (
            "content/_index.md",
            "---\ntitle: Home\n---\nWelkom op de [handreiking](handreiking/_index.md).\n",
        ),
        (
            "content/handreiking/_index.md",
            "---\ntitle: Handreiking\nweight: 1\n---\nDe handreiking.\n",
        ),
        (
            "content/handreiking/b-pagina.md",
            "---\ntitle: B-pagina\nweight: 2\nrollen: [financier, promotor]\naliases: [/oud/b/]\n---\n## Enquête & respons\n\n### Tips\n\n## Tips\n\n## Eigen id {#eigen}\n\nZie [A](a-pagina.md#tips) en [sub](rollen/_index.md).\n\n<script>alert(1)</script>\n\n| Groep | Aantal |\n|---|---:|\n| Gemeenten | 48 |\n",
        ),
        (
            "content/handreiking/a-pagina.md",
            "---\ntitle: A-pagina\nslug: eerste\nweight: 1\ndate: 2023-06-01\nrollen: financier\n---\n## Tips\n\nTerug naar [B](b-pagina.md#enquete-respons).\n",
        ),
        (
            "content/handreiking/c.md",
            "---\ntitle: Zonder gewicht\ndate: 2023-01-01\n---\nTekst.\n",
        ),
        (
            "content/handreiking/d.md",
            "---\ntitle: Nieuwer\ndate: 2024-01-01\n---\nTekst.\n",
        ),
        (
            "content/handreiking/concept.md",
            "---\ntitle: Concept\ndraft: true\n---\nNog niet af.\n",
        ),
        (
            "content/handreiking/rollen/_index.md",
            "---\ntitle: Rollen\n---\nRollen.\n",
        ),
    ])
}

#[test]
fn pretty_urls_slugs_order_and_sections() {
    let s = site();
    let run = s.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("Klaar: 4 pagina's, 3 secties, "),
        "{}",
        run.stdout
    );
    // weight first, then newest date, then title; drafts left out.
    assert_eq!(
        s.read("handreiking/index.html").lines().next().unwrap(),
        "SECTION Handreiking|pages:/handreiking/eerste/;/handreiking/b-pagina/;/handreiking/d/;/handreiking/c/;|subsections:/handreiking/rollen/;|"
    );
    assert!(!s.public().join("handreiking/concept").exists());
    let a = s.read("handreiking/eerste/index.html");
    assert_eq!(
        a.lines().next().unwrap(),
        "PAGE A-pagina|/handreiking/eerste/|toc:tips();|terms:financier=/rollen/financier/;|prev:|next:/handreiking/b-pagina/|crumbs:/;/handreiking/;|"
    );
}

#[test]
fn drafts_are_built_with_the_flag() {
    let s = site();
    let run = run(&["build", "--drafts"], s.root());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        s.read("handreiking/concept/index.html")
            .starts_with("PAGE Concept|")
    );
}

#[test]
fn heading_ids_toc_links_and_escaping() {
    let s = site();
    assert_eq!(s.build().code, 0);
    let b = s.read("handreiking/b-pagina/index.html");
    let mut lines = b.lines();
    assert_eq!(
        lines.next().unwrap(),
        "PAGE B-pagina|/handreiking/b-pagina/|toc:enquete-respons(tips);tips-1();eigen();|terms:financier=/rollen/financier/;promotor=/rollen/promotor/;|prev:/handreiking/eerste/|next:/handreiking/d/|crumbs:/;/handreiking/;|"
    );
    let body: String = lines.collect::<Vec<_>>().join("\n");
    assert!(body.contains("<h2 id=\"enquete-respons\">Enquête &amp; respons <a class=\"anker\" href=\"#enquete-respons\"><span class=\"visueel-verborgen\">Link naar deze kop</span><span aria-hidden=\"true\">#</span></a></h2>"), "{body}");
    assert!(body.contains("<h3 id=\"tips\">"));
    assert!(body.contains("<h2 id=\"tips-1\">"));
    assert!(body.contains("<h2 id=\"eigen\">"));
    assert!(
        body.contains("<a href=\"/handreiking/eerste/#tips\">A</a>"),
        "{body}"
    );
    assert!(
        body.contains("<a href=\"/handreiking/rollen/\">sub</a>"),
        "{body}"
    );
    assert!(
        body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{body}"
    );
    assert!(!body.contains("<script>"));
    assert!(
        body.contains("<th scope=\"col\" class=\"num\">Aantal</th>"),
        "{body}"
    );
    assert!(body.contains("<td class=\"num\">48</td>"), "{body}");
}

#[test]
fn unsafe_html_can_be_allowed() {
    let s = site();
    s.write(
        "site.yaml",
        &format!("{SITE_YAML}markdown:\n  unsafe_html: true\n"),
    );
    assert_eq!(s.build().code, 0);
    assert!(
        s.read("handreiking/b-pagina/index.html")
            .contains("<script>alert(1)</script>")
    );
}

#[test]
fn taxonomy_pages_sitemap_feed_robots_and_aliases() {
    let s = site();
    assert_eq!(s.build().code, 0);
    assert_eq!(
        s.read("rollen/index.html"),
        "TAXONOMY Rollen|financier:2:/rollen/financier/;promotor:1:/rollen/promotor/;"
    );
    assert_eq!(
        s.read("rollen/financier/index.html"),
        "TERM Financier|/handreiking/eerste/;/handreiking/b-pagina/;"
    );
    assert_eq!(
        s.read("oud/b/index.html"),
        "ALIAS https://example.nl/handreiking/b-pagina/"
    );
    assert_eq!(s.read("404.html"), "NIET GEVONDEN");
    assert_eq!(
        s.read("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.nl/sitemap.xml\n"
    );
    let sitemap = s.read("sitemap.xml");
    let locs: Vec<&str> = sitemap
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("<loc>")
                .and_then(|l| l.strip_suffix("</loc>"))
        })
        .collect();
    assert_eq!(
        locs,
        [
            "https://example.nl/",
            "https://example.nl/handreiking/",
            "https://example.nl/handreiking/b-pagina/",
            "https://example.nl/handreiking/c/",
            "https://example.nl/handreiking/d/",
            "https://example.nl/handreiking/eerste/",
            "https://example.nl/handreiking/rollen/",
            "https://example.nl/rollen/",
            "https://example.nl/rollen/financier/",
            "https://example.nl/rollen/promotor/",
        ]
    );
    assert!(sitemap.contains(
        "<loc>https://example.nl/handreiking/eerste/</loc>\n    <lastmod>2023-06-01</lastmod>"
    ));
    let feed = s.read("atom.xml");
    let first = feed.find("https://example.nl/handreiking/d/").unwrap();
    let second = feed.find("https://example.nl/handreiking/eerste/").unwrap();
    assert!(first < second, "newest first: {feed}");
    assert!(feed.contains("<updated>2024-01-01T00:00:00Z</updated>"));
}

#[test]
fn base_url_with_a_path_prefixes_every_link() {
    let s = site();
    let run = run(
        &["build", "--base-url", "https://example.nl/ido/"],
        s.root(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let b = s.read("handreiking/b-pagina/index.html");
    assert!(
        b.contains("<a href=\"/ido/handreiking/eerste/#tips\">A</a>"),
        "{b}"
    );
    assert!(
        b.starts_with("PAGE B-pagina|/ido/handreiking/b-pagina/|"),
        "{b}"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let s = site();
    assert_eq!(s.build().code, 0);
    let first = snapshot(&s.public());
    let other = s.root().join("tweede");
    let run = run(&["build", "--output", other.to_str().unwrap()], s.root());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let second = snapshot(&other);
    assert!(first.len() > 10);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    assert!(first == second, "the two builds differ");
}

#[test]
fn a_rebuild_replaces_the_site_and_leaves_no_temporary_directories() {
    let s = site();
    assert_eq!(s.build().code, 0);
    s.write(
        "content/handreiking/d.md",
        "---\ntitle: Anders\n---\nNieuw.\n",
    );
    assert_eq!(s.build().code, 0);
    assert!(
        s.read("handreiking/d/index.html")
            .starts_with("PAGE Anders|")
    );
    let leftovers: Vec<String> = std::fs::read_dir(s.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn check_renders_everything_but_writes_nothing() {
    let s = site();
    let run = run(&["check"], s.root());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("Gecontroleerd: 4 pagina's, 3 secties, "),
        "{}",
        run.stdout
    );
    assert!(!s.public().exists());
}

#[test]
fn new_creates_a_site_that_builds_with_the_builtin_theme() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("mijn-site");
    let made = run(&["new", site.to_str().unwrap()], dir.path());
    assert_eq!(made.code, 0, "{}", made.stderr);
    let built = run(&["build"], &site);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let page =
        std::fs::read_to_string(site.join("public/handreiking/eerste-pagina/index.html")).unwrap();
    assert!(page.contains("<h1"), "{page}");
    assert!(
        page.contains("<abbr title=\"Informatiepunt Digitale Overheid\">IDO</abbr>"),
        "{page}"
    );
    let again = run(&["new", site.to_str().unwrap()], dir.path());
    assert_eq!(again.code, 2);
    assert!(
        again.stderr.contains("bestaat al en is niet leeg"),
        "{}",
        again.stderr
    );
}

#[test]
fn the_default_theme_follows_a_base_path() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    assert_eq!(run(&["new", site.to_str().unwrap()], dir.path()).code, 0);
    let built = run(&["build", "--base-url", "https://example.nl/ido/"], &site);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let page =
        std::fs::read_to_string(site.join("public/handreiking/eerste-pagina/index.html")).unwrap();
    assert!(
        page.contains("<link rel=\"stylesheet\" href=\"/ido/css/site.css\">"),
        "{page}"
    );
    assert!(
        page.contains(
            "<link rel=\"canonical\" href=\"https://example.nl/ido/handreiking/eerste-pagina/\">"
        ),
        "{page}"
    );
    assert!(!page.contains("href=\"/css/"), "{page}");
}

#[test]
fn a_new_site_builds_and_every_link_in_it_works() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("nieuw");
    let made = run(&["new", site.to_str().unwrap()], dir.path());
    assert_eq!(made.code, 0, "{}", made.stderr);
    let built = run(&["build"], &site);
    assert_eq!(built.stderr, "");
    assert_eq!(built.code, 0);
    assert_eq!(broken_links(&site.join("public"), ""), Vec::<String>::new());
    // The statistics example is there and on the page that embeds it.
    assert!(
        site.join("public/cijfers/voorbeeld-2024/voorbeeld-vraag/index.html")
            .is_file()
    );
    let page =
        std::fs::read_to_string(site.join("public/handreiking/eerste-pagina/index.html")).unwrap();
    assert!(
        page.contains("Heeft uw gemeente afspraken met het IDO?"),
        "{page}"
    );
}

#[test]
fn every_link_of_the_shipped_site_works_also_under_a_sub_path() {
    assert_eq!(broken_links(&shipped_site(), ""), Vec::<String>::new());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let built = run(
        &[
            "build",
            "--root",
            repo().to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
            "--base-url",
            "https://www.vng.nl/ido/",
        ],
        repo(),
    );
    assert_eq!(built.code, 0, "{}", built.stderr);
    assert_eq!(broken_links(&out, "/ido"), Vec::<String>::new());
}

#[test]
fn the_output_link_check_finds_missing_files_and_anchors() {
    let dir = tempfile::tempdir().unwrap();
    let public = dir.path();
    std::fs::create_dir_all(public.join("a")).unwrap();
    std::fs::write(public.join("index.html"), "<a href=\"/a/\">a</a> <a href=\"/b/\">b</a> <img src=\"x.png\"> <a href=\"/a/#kop\">k</a> <a href=\"/a/#geen\">g</a> <a href=\"https://x.nl/\">x</a>").unwrap();
    std::fs::write(
        public.join("a/index.html"),
        "<h2 id=\"kop\">K</h2><a href=\"../\">terug</a>",
    )
    .unwrap();
    assert_eq!(
        broken_links(public, ""),
        [
            "index.html: /b/",
            "index.html: /a/#geen (no #geen)",
            "index.html: x.png"
        ]
    );
    assert_eq!(
        broken_links(public, "/ido"),
        [
            "index.html: /a/ (outside /ido)",
            "index.html: /b/ (outside /ido)",
            "index.html: /a/#kop (outside /ido)",
            "index.html: /a/#geen (outside /ido)",
            "index.html: x.png",
        ]
    );
}
