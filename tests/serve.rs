//! `handreiking serve` as an editor uses it: pages served from memory, edits picked up, the error
//! overlay shown and cleared, and no file from outside the site, whatever the request path.

mod common;
use common::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    port: u16,
    site: Fixture,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Server {
    let site = Fixture::new(&[
        ("content/_index.md", "---\ntitle: Home\n---\nWelkom.\n"),
        (
            "content/gids/_index.md",
            "---\ntitle: Gids\n---\nDe gids.\n",
        ),
        (
            "content/gids/pagina.md",
            "---\ntitle: Pagina\nrollen: [financier]\n---\n## Tips\n\nEerste versie.\n",
        ),
        (
            "content/gids/andere.md",
            "---\ntitle: Andere\n---\nZie [tips](pagina.md#tips).\n",
        ),
        ("static/stijl.css", "body { color: black; }\n"),
    ]);
    site.write(
        "site.yaml",
        &SITE_YAML.replace("theme: test", "theme: default"),
    );
    let port = free_port();
    let child = Command::new(bin())
        .args(["serve", "--port", &port.to_string()])
        .current_dir(site.root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server { child, port, site };
    let started = Instant::now();
    // The port is bound before the first build and the file watcher: only an answer means both
    // are ready, so that no edit of a test is made before it can be seen.
    while TcpStream::connect(("127.0.0.1", port)).is_err() || get(port, "/").status != 200 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "serve did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

struct Response {
    status: u16,
    headers: String,
    body: String,
}

/// Sends the path exactly as given, like `curl --path-as-is`.
fn get(port: u16, raw_path: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut request = b"GET ".to_vec();
    request.extend_from_slice(raw_path.as_bytes());
    request.extend_from_slice(b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(&request).unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Response {
        status,
        headers: head.to_lowercase(),
        body: body.to_string(),
    }
}

fn wait_for(port: u16, path: &str, what: &str, present: bool) -> Response {
    let started = Instant::now();
    loop {
        let response = get(port, path);
        if response.body.contains(what) == present {
            return response;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "waited for {what:?} present={present} on {path}:\n{}",
            response.body
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serves_pages_with_the_live_reload_script_and_correct_types() {
    let server = start();
    let page = get(server.port, "/gids/pagina/");
    assert_eq!(page.status, 200);
    assert!(
        page.headers
            .contains("content-type: text/html; charset=utf-8"),
        "{}",
        page.headers
    );
    assert!(
        page.body
            .contains("<script src=\"/__handreiking/live.js?g=1\" defer></script>\n</head>"),
        "{}",
        page.body
    );
    assert!(
        !page.headers.contains("access-control-allow-origin"),
        "{}",
        page.headers
    );
    assert!(
        page.headers
            .contains("content-security-policy: default-src 'self'")
    );
    for (path, content_type) in [
        ("/css/site.css", "text/css; charset=utf-8"),
        ("/stijl.css", "text/css; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/__handreiking/live.js", "text/javascript; charset=utf-8"),
    ] {
        let response = get(server.port, path);
        assert_eq!(response.status, 200, "{path}");
        assert!(
            response
                .headers
                .contains(&format!("content-type: {content_type}")),
            "{path}: {}",
            response.headers
        );
    }
    let missing = get(server.port, "/bestaat/niet/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<h1"), "{}", missing.body);
    let redirect = get(server.port, "/gids");
    assert_eq!(redirect.status, 301);
    assert!(redirect.headers.contains("location: /gids/"));
}

#[test]
fn an_edit_is_served_after_the_rebuild_and_errors_show_an_overlay_until_fixed() {
    let server = start();
    wait_for(server.port, "/gids/pagina/", "Eerste versie.", true);
    server.site.write(
        "content/gids/pagina.md",
        "---\ntitle: Pagina\nrollen: [financier]\n---\n## Tips\n\nTweede versie.\n",
    );
    let page = wait_for(server.port, "/gids/pagina/", "Tweede versie.", true);
    assert!(page.body.contains("live.js?g=2"), "{}", page.body);
    // The section lists the page under its new title after a title change.
    server.site.write(
        "content/gids/pagina.md",
        "---\ntitle: Nieuwe titel\nrollen: [financier]\n---\n## Tips\n\nDerde versie.\n",
    );
    wait_for(server.port, "/gids/", "Nieuwe titel", true);
    wait_for(server.port, "/rollen/financier/", "Nieuwe titel", true);

    server.site.write(
        "content/gids/pagina.md",
        "---\ntitle: [kapot\n---\nTekst.\n",
    );
    let broken = wait_for(server.port, "/gids/andere/", "handreiking-fouten", true);
    assert!(broken.body.contains("<code>content/gids/pagina.md:2:8</code> ongeldige YAML in de front matter: een <code>[</code> wordt niet gesloten met <code>]</code><pre>  |\n2 | title: [kapot\n  |        ^</pre>"), "{}", broken.body);
    // The last good site is still served underneath.
    assert!(
        get(server.port, "/gids/pagina/")
            .body
            .contains("Derde versie.")
    );

    server.site.write(
        "content/gids/pagina.md",
        "---\ntitle: Pagina\nrollen: [financier]\n---\n## Tips\n\nHersteld.\n",
    );
    wait_for(server.port, "/gids/andere/", "handreiking-fouten", false);
    wait_for(server.port, "/gids/pagina/", "Hersteld.", true);

    // A broken heading link on another page is caught page by page too.
    server.site.write(
        "content/gids/pagina.md",
        "---\ntitle: Pagina\n---\n## Andere kop\n\nTekst.\n",
    );
    let anchor = wait_for(server.port, "/gids/pagina/", "handreiking-fouten", true);
    assert!(
        anchor
            .body
            .contains("de kop <code>#tips</code> bestaat niet op content/gids/pagina.md"),
        "{}",
        anchor.body
    );
}

#[test]
fn no_request_path_reaches_outside_the_site() {
    let server = start();
    // A secret beside the site's sources: on disk, but not part of the site.
    server.site.write("geheim.txt", "GEHEIM");
    let secrets = ["GEHEIM", "root:x:", "title: Testsite", "[extensions]"];
    for path in [
        "/geheim.txt",
        "/../geheim.txt",
        "/%2e%2e/geheim.txt",
        "/../site.yaml",
        "/../../../../etc/passwd",
        "/%2e%2e/site.yaml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fsite.yaml",
        "/%2e%2e%2fsite.yaml",
        "/gids/..%2f..%2fsite.yaml",
        "/..\\site.yaml",
        "/..%5csite.yaml",
        "/%5c..%5csite.yaml",
        "//etc/passwd",
        "/etc/passwd",
        "/C:/Windows/win.ini",
        "/site.yaml%00.html",
        "/%00",
        "/content/gids/pagina.md",
    ] {
        let response = get(server.port, path);
        assert!(
            response.status == 400 || response.status == 404,
            "{path}: {}",
            response.status
        );
        for secret in secrets {
            assert!(!response.body.contains(secret), "{path} leaked {secret}");
        }
    }
    let long = format!("/{}", "a/".repeat(5000));
    let response = get(server.port, &long);
    assert!(
        response.status == 400
            || response.status == 404
            || response.status == 414
            || response.status == 0,
        "{}",
        response.status
    );
}

#[test]
fn rebuilds_in_serve_never_touch_the_published_site() {
    let server = start();
    let public = server.site.public();
    std::fs::create_dir_all(public.join("gids")).unwrap();
    std::fs::write(public.join("index.html"), "oud").unwrap();
    std::fs::write(public.join(".handreiking-uitvoer"), "").unwrap();
    let before = snapshot(&public);
    // A page edit (page by page) and a new page (the whole site again).
    server.site.write(
        "content/gids/pagina.md",
        "---\ntitle: Pagina\nrollen: [financier]\n---\n## Tips\n\nTweede versie.\n",
    );
    wait_for(server.port, "/gids/pagina/", "Tweede versie.", true);
    server.site.write(
        "content/gids/nieuw.md",
        "---\ntitle: Nieuw\n---\nNieuwe pagina.\n",
    );
    wait_for(server.port, "/gids/nieuw/", "Nieuwe pagina.", true);
    assert!(snapshot(&public) == before, "serve changed public/");
    let entries: Vec<String> = std::fs::read_dir(server.site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert_eq!(
        entries,
        Vec::<String>::new(),
        "serve left files beside the site"
    );
}

#[test]
fn deleting_a_page_gives_no_error_and_its_address_then_answers_404() {
    let server = start();
    assert_eq!(get(server.port, "/gids/andere/").status, 200);
    std::fs::remove_file(server.site.root().join("content/gids/andere.md")).unwrap();
    let started = Instant::now();
    while get(server.port, "/gids/andere/").status != 404 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the deleted page is still served"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let page = get(server.port, "/gids/pagina/");
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("bouwfouten"), "{}", page.body);
}

#[test]
fn the_error_box_shows_the_source_line_and_a_rename_suggests_an_alias() {
    let server = start();
    server.site.write(
        "content/gids/pagina.md",
        "---\ntitle: Pagina\nrollen: [financir]\n---\n## Tips\n\nTekst.\n",
    );
    let broken = wait_for(server.port, "/gids/andere/", "handreiking-fouten", true);
    assert!(
        broken
            .body
            .contains("<link rel=\"stylesheet\" href=\"/__handreiking/live.css\">"),
        "{}",
        broken.body
    );
    let start = broken.body.find("<ul>").unwrap();
    let end = broken.body[start..].find("</ul>").unwrap() + start;
    assert_eq!(
        &broken.body[start..end],
        "<ul>\n<li><code>content/gids/pagina.md:3:10</code> onbekende term <code>financir</code> in <code>rollen</code><pre>  |\n3 | rollen: [financir]\n  |          ^</pre><span class=\"bouwfouten__hulp handreiking-fouten__hulp\">bedoelt u <code>financier</code>? Toegestaan zijn: financier, promotor</span></li>\n"
    );
    assert_eq!(get(server.port, "/__handreiking/live.css").status, 200);
    // Fixed, then renamed: the page that linked to it breaks, and the box says which alias helps.
    server.site.write(
        "content/gids/pagina.md",
        "---\ntitle: Pagina\nrollen: [financier]\n---\n## Tips\n\nTekst.\n",
    );
    wait_for(server.port, "/gids/andere/", "handreiking-fouten", false);
    std::fs::rename(
        server.site.root().join("content/gids/pagina.md"),
        server.site.root().join("content/gids/tips.md"),
    )
    .unwrap();
    let renamed = wait_for(server.port, "/gids/andere/", "handreiking-fouten", true);
    assert!(
        renamed.body.contains("<li><code>content/gids/tips.md</code> content/gids/pagina.md heet nu content/gids/tips.md: het oude adres /gids/pagina/ bestaat niet meer<span class=\"bouwfouten__hulp handreiking-fouten__hulp\">zet <code>aliases: [&quot;/gids/pagina/&quot;]</code> in de front matter van content/gids/tips.md, dan blijven links en bladwijzers naar het oude adres werken</span></li>"),
        "{}",
        renamed.body
    );
}

#[test]
fn links_written_as_urls_are_checked_on_every_save() {
    let server = start();
    server.site.write(
        "content/gids/andere.md",
        "---\ntitle: Andere\n---\nZie [tips](/gids/pagina/#tips) en [weg](/gids/bestaat-niet/).\n",
    );
    let broken = wait_for(server.port, "/gids/andere/", "handreiking-fouten", true);
    assert!(
        broken.body.contains("<li><code>content/gids/andere.md:4:35</code> de link <code>/gids/bestaat-niet/</code> wijst naar een pagina die niet bestaat (/gids/bestaat-niet/)"),
        "{}",
        broken.body
    );
    server.site.write(
        "content/gids/andere.md",
        "---\ntitle: Andere\n---\nZie [tips](/gids/pagina/#tips).\n",
    );
    wait_for(server.port, "/gids/andere/", "handreiking-fouten", false);
    // The heading the URL points at goes away: the page that links to it is checked again.
    server.site.write(
        "content/gids/pagina.md",
        "---\ntitle: Pagina\nrollen: [financier]\n---\n## Andere kop\n\nTekst.\n",
    );
    let anchor = wait_for(server.port, "/gids/pagina/", "handreiking-fouten", true);
    assert!(
        anchor.body.contains("<li><code>content/gids/andere.md:4:5</code> de kop <code>#tips</code> bestaat niet op /gids/pagina/"),
        "{}",
        anchor.body
    );
}
