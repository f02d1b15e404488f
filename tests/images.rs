//! Images as content (issue #16): files next to a page are published with it, every image is
//! checked (missing, without alt text, unreadable, large), and a local image becomes an `<img>`
//! with its size, resized versions (cached between builds) and lazy loading. The images are made
//! here with the `image` crate, so no binaries are committed.

mod common;
use common::*;
use image::ImageEncoder;

/// A JPEG of `width` × `height` with a gradient (JPEG needs some detail to be a real photo).
fn jpeg(width: u32, height: u32) -> Vec<u8> {
    jpeg_with_exif(width, height, Vec::new())
}

fn jpeg_with_exif(width: u32, height: u32, exif: Vec<u8>) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    let mut out = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80);
    if !exif.is_empty() {
        encoder.set_exif_metadata(exif).unwrap();
    }
    encoder
        .write_image(&pixels, width, height, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let pixels = image::RgbaImage::from_fn(width, height, |x, _| {
        image::Rgba([20, 66, 115, (x % 256) as u8])
    });
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&pixels, width, height, image::ExtendedColorType::Rgba8)
        .unwrap();
    out
}

/// The pixel size of an output file.
fn size_of(s: &Fixture, path: &str) -> (u32, u32) {
    let bytes = std::fs::read(s.public().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let decoded = image::load_from_memory(&bytes).unwrap();
    (decoded.width(), decoded.height())
}

/// A site on the test theme (a page shows its content as is) with `page` as
/// content/gids/pagina.md, whose URL is /gids/pagina/.
fn site(page: &str) -> Fixture {
    Fixture::new(&[
        ("content/_index.md", "---\ntitle: Home\n---\nWelkom.\n"),
        (
            "content/gids/_index.md",
            "---\ntitle: Gids\n---\nDe gids.\n",
        ),
        (
            "content/gids/pagina.md",
            &format!("---\ntitle: Pagina\n---\n{page}"),
        ),
    ])
}

/// The page's content as the test theme writes it: after its first line.
fn content(s: &Fixture) -> String {
    let html = s.read("gids/pagina/index.html");
    html.split_once('\n').unwrap().1.to_string()
}

const SIZES: &str = "(min-width: 45rem) 42rem, 100vw";

#[test]
fn images_next_to_a_page_and_in_static_get_their_size_and_resized_versions() {
    let s = site(
        "![Medewerkers aan de balie](foto.jpg)\n\n![Kaart van de regio](/img/kaart.png \"De regio\")\n\n![Klein](klein.jpg)\n",
    );
    let photo = jpeg(1600, 1000);
    s.write_bytes("content/gids/foto.jpg", &photo);
    s.write_bytes("content/gids/klein.jpg", &jpeg(300, 200));
    s.write_bytes("static/img/kaart.png", &png(1000, 500));
    let run = s.build();
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(
        content(&s),
        format!(
            "<p><img src=\"/gids/foto-1440w.jpg\" alt=\"Medewerkers aan de balie\" width=\"1440\" height=\"900\" srcset=\"/gids/foto-480w.jpg 480w, /gids/foto-960w.jpg 960w, /gids/foto-1440w.jpg 1440w\" sizes=\"{SIZES}\" decoding=\"async\"></p>\n\
             <p><img src=\"/img/kaart.png\" alt=\"Kaart van de regio\" title=\"De regio\" width=\"1000\" height=\"500\" srcset=\"/img/kaart-480w.png 480w, /img/kaart-960w.png 960w, /img/kaart.png 1000w\" sizes=\"{SIZES}\" decoding=\"async\" loading=\"lazy\"></p>\n\
             <p><img src=\"/gids/klein.jpg\" alt=\"Klein\" width=\"300\" height=\"200\" decoding=\"async\" loading=\"lazy\"></p>\n"
        )
    );
    assert_eq!(
        std::fs::read(s.public().join("gids/foto.jpg")).unwrap(),
        photo
    );
    let sizes: Vec<(&str, (u32, u32))> = [
        "gids/foto-480w.jpg",
        "gids/foto-960w.jpg",
        "gids/foto-1440w.jpg",
        "img/kaart-480w.png",
        "img/kaart-960w.png",
        "img/kaart.png",
        "gids/klein.jpg",
    ]
    .into_iter()
    .map(|path| (path, size_of(&s, path)))
    .collect();
    assert_eq!(
        sizes,
        [
            ("gids/foto-480w.jpg", (480, 300)),
            ("gids/foto-960w.jpg", (960, 600)),
            ("gids/foto-1440w.jpg", (1440, 900)),
            ("img/kaart-480w.png", (480, 240)),
            ("img/kaart-960w.png", (960, 480)),
            ("img/kaart.png", (1000, 500)),
            ("gids/klein.jpg", (300, 200)),
        ]
    );
    // A PNG with transparency keeps it in its versions.
    let version = image::open(s.public().join("img/kaart-480w.png")).unwrap();
    assert_eq!(version.color(), image::ColorType::Rgba8);
}

#[test]
fn a_second_build_takes_the_resized_versions_from_the_cache() {
    let s = site("![Foto](foto.jpg)\n\n![Kaart](/img/kaart.png)\n");
    s.write_bytes("content/gids/foto.jpg", &jpeg(1600, 1000));
    s.write_bytes("static/img/kaart.png", &png(1000, 500));
    let profiled = |s: &Fixture| {
        let run = run_env(&["build"], s.root(), &[("HANDREIKING_PROFIEL", "1")]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let counts: Vec<&str> = run
            .stderr
            .lines()
            .filter(|l| l.starts_with("profiel: afbeeldingen:"))
            .collect();
        (counts.join("\n"), snapshot(&s.public()))
    };
    let cache = s.root().join(".handreiking-cache/afbeeldingen");
    let (first, first_site) = profiled(&s);
    assert_eq!(first, "profiel: afbeeldingen: 5 verkleind, 0 uit de cache");
    assert_eq!(std::fs::read_dir(&cache).unwrap().count(), 5);
    let (second, second_site) = profiled(&s);
    assert_eq!(second, "profiel: afbeeldingen: 0 verkleind, 5 uit de cache");
    assert!(first_site == second_site, "the cached versions differ");
    // A replaced photo is resized again, and the old photo's versions leave the cache.
    s.write_bytes("content/gids/foto.jpg", &jpeg(1000, 1000));
    let (third, _) = profiled(&s);
    assert_eq!(third, "profiel: afbeeldingen: 2 verkleind, 2 uit de cache");
    assert_eq!(std::fs::read_dir(&cache).unwrap().count(), 4);
    assert_eq!(size_of(&s, "gids/foto-960w.jpg"), (960, 960));
    // `check` writes nothing, so it resizes nothing.
    std::fs::remove_dir_all(&cache).unwrap();
    let run = run_env(&["check"], s.root(), &[("HANDREIKING_PROFIEL", "1")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!cache.exists());
}

#[test]
fn a_missing_image_is_an_error_with_the_nearest_image_written_the_same_way() {
    let s = site("Tekst.\n");
    s.write_bytes("content/gids/foto.jpg", &jpeg(100, 80));
    s.write_bytes("content/beelden/logo.png", &png(50, 50));
    s.write_bytes("static/img/kaart.png", &png(60, 30));
    assert_eq!(s.build().code, 0);
    assert_build_fails_exactly(
        &s,
        &[(
            "content/gids/pagina.md",
            b"---\ntitle: Pagina\n---\n![Foto](fot.jpg)\n\n![Logo](../beelden/logo.jpg) ![Kaart](/img/kart.png)\n\n![Kaart](img/kaart.png) ![Weg](../../weg.png) ![Tekst](tekst.bmp)\n",
        )],
        1,
        concat!(
            "fout: de afbeelding `fot.jpg` bestaat niet (content/gids/fot.jpg)\n",
            "  --> content/gids/pagina.md:4:1\n",
            "  |\n",
            "4 | ![Foto](fot.jpg)\n",
            "  | ^\n",
            "  = hulp: bedoelt u `foto.jpg`? Paden zijn relatief aan de map van deze pagina\n",
            "fout: de afbeelding `../beelden/logo.jpg` bestaat niet (content/beelden/logo.jpg)\n",
            "  --> content/gids/pagina.md:6:1\n",
            "  |\n",
            "6 | ![Logo](../beelden/logo.jpg) ![Kaart](/img/kart.png)\n",
            "  | ^\n",
            "  = hulp: bedoelt u `../beelden/logo.png`? Paden zijn relatief aan de map van deze pagina\n",
            "fout: de afbeelding `/img/kart.png` bestaat niet (static/img/kart.png)\n",
            "  --> content/gids/pagina.md:6:30\n",
            "  |\n",
            "6 | ![Logo](../beelden/logo.jpg) ![Kaart](/img/kart.png)\n",
            "  |                              ^\n",
            "  = hulp: bedoelt u `/img/kaart.png`? Een pad met `/` vooraan begint in static/\n",
            "fout: de afbeelding `img/kaart.png` bestaat niet (content/gids/img/kaart.png)\n",
            "  --> content/gids/pagina.md:8:1\n",
            "  |\n",
            "8 | ![Kaart](img/kaart.png) ![Weg](../../weg.png) ![Tekst](tekst.bmp)\n",
            "  | ^\n",
            "  = hulp: bedoelt u `/img/kaart.png`? Een pad met `/` vooraan begint in static/\n",
            "fout: de afbeelding `../../weg.png` wijst buiten content/\n",
            "  --> content/gids/pagina.md:8:25\n",
            "  |\n",
            "8 | ![Kaart](img/kaart.png) ![Weg](../../weg.png) ![Tekst](tekst.bmp)\n",
            "  |                         ^\n",
            "  = hulp: tel het aantal `../`: een pad mag niet hoger gaan dan de map content/\n",
            "fout: `tekst.bmp` is geen afbeelding die de site kan tonen\n",
            "  --> content/gids/pagina.md:8:47\n",
            "  |\n",
            "8 | ![Kaart](img/kaart.png) ![Weg](../../weg.png) ![Tekst](tekst.bmp)\n",
            "  |                                               ^\n",
            "  = hulp: de site toont JPEG, PNG, GIF, WebP en SVG; sla de afbeelding in een van die vormen op\n",
            "Mislukt: 6 fouten en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn an_image_without_alt_text_is_an_error_and_a_decorative_one_has_empty_alt() {
    let s = site(
        "![Decoratief](lijn.png)\n\n| Logo | Naam |\n|---|---|\n| ![decoratief](lijn.png) | Lijn |\n",
    );
    s.write_bytes("content/gids/lijn.png", &png(200, 10));
    let run = s.build();
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let html = content(&s);
    assert_eq!(
        html.lines().next().unwrap(),
        "<p><img src=\"/gids/lijn.png\" alt=\"\" width=\"200\" height=\"10\" decoding=\"async\"></p>"
    );
    assert!(
        html.contains("<td><img src=\"/gids/lijn.png\" alt=\"\" width=\"200\" height=\"10\" decoding=\"async\" loading=\"lazy\"></td>"),
        "{html}"
    );
    assert_build_fails_exactly(
        &s,
        &[(
            "content/gids/pagina.md",
            b"---\ntitle: Pagina\n---\nZie ![](lijn.png) en ![ ](https://example.org/x.png).\n",
        )],
        1,
        concat!(
            "fout: de afbeelding `lijn.png` heeft geen alt-tekst\n",
            "  --> content/gids/pagina.md:4:5\n",
            "  |\n",
            "4 | Zie ![](lijn.png) en ![ ](https://example.org/x.png).\n",
            "  |     ^\n",
            "  = hulp: beschrijf tussen de haken wat de afbeelding laat zien, zoals `![Medewerkers aan de balie](lijn.png)`; is de afbeelding alleen versiering, schrijf dan `![decoratief](lijn.png)`\n",
            "fout: de afbeelding `https://example.org/x.png` heeft geen alt-tekst\n",
            "  --> content/gids/pagina.md:4:22\n",
            "  |\n",
            "4 | Zie ![](lijn.png) en ![ ](https://example.org/x.png).\n",
            "  |                      ^\n",
            "  = hulp: beschrijf tussen de haken wat de afbeelding laat zien, zoals `![Medewerkers aan de balie](https://example.org/x.png)`; is de afbeelding alleen versiering, schrijf dan `![decoratief](https://example.org/x.png)`\n",
            "Mislukt: 2 fouten en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn a_large_image_is_a_warning_with_its_size() {
    let s = site("![Strook](strook.jpg)\n\n![Breed](breed.jpg)\n");
    // Padding after the end of the JPEG (which readers ignore) gives it an exact size.
    let mut heavy = jpeg(300, 20);
    heavy.resize(2_345_678, 0);
    s.write_bytes("content/gids/strook.jpg", &heavy);
    s.write_bytes("content/gids/breed.jpg", &jpeg(3000, 20));
    let run = s.build();
    let help = "  = hulp: de site maakt zelf kleinere versies voor schermen, maar het origineel blijft zwaar om te downloaden en maakt de bouw trager; verklein de afbeelding tot hooguit 2400 pixels breed en 1 MB\n";
    assert_eq!(
        run.stderr,
        format!(
            "waarschuwing: grote afbeelding: {}, 3000 × 20 pixels\n  --> content/gids/breed.jpg\n{help}\
             waarschuwing: grote afbeelding: 2,3 MB, 300 × 20 pixels\n  --> content/gids/strook.jpg\n{help}",
            kb(&s, "content/gids/breed.jpg")
        )
    );
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.ends_with(", 2 waarschuwingen\n"),
        "{}",
        run.stdout
    );
}

/// A small file's size as the warning writes it: whole kB.
fn kb(s: &Fixture, path: &str) -> String {
    let bytes = std::fs::metadata(s.root().join(path)).unwrap().len();
    assert!(bytes < 1_000_000);
    format!("{} kB", (bytes + 500) / 1000)
}

#[test]
fn a_base_url_path_prefixes_every_image_url() {
    let s = site("![Foto](foto.jpg)\n\n![Logo](/favicon.svg) [rapport](rapport.pdf)\n");
    s.write_bytes("content/gids/foto.jpg", &jpeg(1000, 500));
    s.write_bytes("content/gids/rapport.pdf", b"%PDF-1.4\n");
    s.write_bytes(
        "static/favicon.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 16\"/>",
    );
    let run = run(&["build", "--base-url", "https://x.nl/ido/"], s.root());
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(
        content(&s),
        format!(
            "<p><img src=\"/ido/gids/foto.jpg\" alt=\"Foto\" width=\"1000\" height=\"500\" srcset=\"/ido/gids/foto-480w.jpg 480w, /ido/gids/foto-960w.jpg 960w, /ido/gids/foto.jpg 1000w\" sizes=\"{SIZES}\" decoding=\"async\"></p>\n\
             <p><img src=\"/ido/favicon.svg\" alt=\"Logo\" width=\"32\" height=\"16\" decoding=\"async\" loading=\"lazy\"> <a href=\"/ido/gids/rapport.pdf\">rapport</a></p>\n"
        )
    );
    assert_eq!(broken_links(&s.public(), "/ido"), Vec::<String>::new());
}

#[test]
fn a_photo_taken_sideways_is_shown_and_resized_upright() {
    // EXIF (big-endian TIFF) with one tag: orientation 6, turn 90° clockwise.
    let exif = vec![
        0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00,
        0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];
    let s = site("![Staand](staand.jpg)\n");
    s.write_bytes("content/gids/staand.jpg", &jpeg_with_exif(1200, 800, exif));
    let run = s.build();
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(
        content(&s),
        format!(
            "<p><img src=\"/gids/staand.jpg\" alt=\"Staand\" width=\"800\" height=\"1200\" srcset=\"/gids/staand-480w.jpg 480w, /gids/staand.jpg 800w\" sizes=\"{SIZES}\" decoding=\"async\"></p>\n"
        )
    );
    assert_eq!(size_of(&s, "gids/staand-480w.jpg"), (480, 720));
}

#[test]
fn unreadable_images_are_errors_at_the_file_and_pages_showing_them_get_no_second_one() {
    let s = site(
        "![Kapot](kapot.jpg) ![Script](tekening.svg) ![Maatloos](maatloos.svg) ![Half](half.jpg)\n",
    );
    let mut damaged = jpeg(1000, 100);
    damaged.truncate(1000);
    s.write_bytes("content/gids/kapot.jpg", b"dit is tekst");
    s.write_bytes("content/gids/half.jpg", &damaged);
    s.write_bytes(
        "content/gids/tekening.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\" onload=\"alert(1)\"/>",
    );
    s.write_bytes("content/gids/lang.png", &png(20_000, 1));
    s.write_bytes(
        "content/gids/maatloos.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"5\" height=\"5\"/></svg>",
    );
    assert_build_fails_exactly(
        &s,
        &[],
        1,
        concat!(
            "fout: het bestand is geen afbeelding die de site kan tonen\n",
            "  --> content/gids/kapot.jpg\n",
            "  = hulp: open de afbeelding in een fotoprogramma en sla hem opnieuw op als JPEG of PNG; de site toont JPEG, PNG, GIF, WebP en SVG\n",
            "fout: de afbeelding is te groot: 20000 × 1 pixels\n",
            "  --> content/gids/lang.png\n",
            "  = hulp: verklein de afbeelding tot hooguit 2400 pixels breed; de grens is 16384 pixels\n",
            "fout: de SVG-afbeelding heeft geen maat (geen width en height, en geen viewBox)\n",
            "  --> content/gids/maatloos.svg\n",
            "  = hulp: zet een viewBox op het <svg>-element, zoals `viewBox=\"0 0 800 600\"`\n",
            "fout: de SVG-afbeelding bevat een script (het attribuut onload op <svg>)\n",
            "  --> content/gids/tekening.svg\n",
            "  = hulp: sla de tekening opnieuw op als gewone SVG, zonder scripts of ingesloten HTML\n",
            "Mislukt: 4 fouten en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn a_file_name_that_cannot_be_part_of_an_address_is_an_error() {
    let s = site("![Balie](Foto%20balie.jpg)\n");
    s.write_bytes("content/gids/Foto balie.jpg", &jpeg(100, 50));
    assert_build_fails_exactly(
        &s,
        &[],
        1,
        concat!(
            "fout: ongeldige bestandsnaam `Foto balie.jpg`: het URL-deel `Foto balie.jpg` mag geen spaties bevatten\n",
            "  --> content/gids/Foto balie.jpg\n",
            "  = hulp: de bestandsnaam wordt een deel van de URL: hernoem het bestand naar kleine letters, cijfers en streepjes, zoals `foto-balie.jpg`\n",
            "Mislukt: 1 fout en 0 waarschuwingen. Er is niets geschreven; de vorige site staat er nog.\n",
        ),
    );
}

#[test]
fn downloads_next_to_a_page_are_published_and_links_to_them_found_from_the_page() {
    let s = site("[Het rapport](rapport.pdf) en [de lijst](../lijsten/namen.xlsx).\n");
    s.write_bytes("content/gids/rapport.pdf", b"%PDF-1.4\n");
    s.write_bytes("content/lijsten/namen.xlsx", b"PK\x03\x04");
    s.write_bytes("content/gids/.DS_Store", b"\0");
    s.write_bytes("content/gids/notities.md~", b"oud");
    let run = s.build();
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(
        content(&s),
        "<p><a href=\"/gids/rapport.pdf\">Het rapport</a> en <a href=\"/lijsten/namen.xlsx\">de lijst</a>.</p>\n"
    );
    let published: Vec<String> = snapshot(&s.public())
        .into_keys()
        .filter(|p| p.starts_with("gids/") || p.starts_with("lijsten/"))
        .filter(|p| !p.ends_with("index.html"))
        .collect();
    assert_eq!(published, ["gids/rapport.pdf", "lijsten/namen.xlsx"]);
}

#[test]
fn serve_publishes_images_and_rebuilds_when_one_changes() {
    use std::io::{Read, Write};
    use std::time::{Duration, Instant};
    let s = site("![Foto](foto.jpg)\n");
    s.write_bytes("content/gids/foto.jpg", &jpeg(1000, 500));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _serve = Stopped(
        std::process::Command::new(bin())
            .args(["serve", "--port", &port.to_string()])
            .current_dir(s.root())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    // (status line, body) of a GET, or empty while serve is not listening yet.
    let get = |path: &str| -> (String, Vec<u8>) {
        let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
            return (String::new(), Vec::new());
        };
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        let at = bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(0);
        let head = String::from_utf8_lossy(&bytes[..at]).into_owned();
        let body = bytes.get(at + 4..).unwrap_or(&[]).to_vec();
        (head.lines().next().unwrap_or("").to_string(), body)
    };
    let wait_for = |path: &str, text: &str| {
        let started = Instant::now();
        loop {
            let (_, body) = get(path);
            if String::from_utf8_lossy(&body).contains(text) {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "waited for {text:?} on {path}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait_for("/gids/pagina/", "width=\"1000\" height=\"500\"");
    let (status, body) = get("/gids/foto-480w.jpg");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert_eq!(image::load_from_memory(&body).unwrap().height(), 240);
    // A replaced image is a full rebuild: new size on the page, new versions served.
    s.write_bytes("content/gids/foto.jpg", &jpeg(600, 600));
    wait_for("/gids/pagina/", "width=\"600\" height=\"600\"");
    let (_, body) = get("/gids/foto-480w.jpg");
    assert_eq!(image::load_from_memory(&body).unwrap().height(), 480);
}

/// A child process stopped when the test ends, also when it fails.
struct Stopped(std::process::Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_publishes_images_and_their_versions() {
    let s = site("![Foto](foto.jpg)\n");
    s.write_bytes("content/gids/foto.jpg", &jpeg(1000, 500));
    let (result, preview) =
        handreiking::pipeline::build_preview(&handreiking::pipeline::BuildOptions {
            root: s.root().to_path_buf(),
            base_url: None,
            drafts: false,
        });
    assert!(preview.is_some(), "{:?}", result.diagnostics);
    let images: Vec<&str> = result
        .output
        .keys()
        .map(String::as_str)
        .filter(|p| p.starts_with("gids/") && !p.ends_with(".html"))
        .collect();
    assert_eq!(
        images,
        ["gids/foto-480w.jpg", "gids/foto-960w.jpg", "gids/foto.jpg"]
    );
}

#[test]
fn a_new_site_keeps_the_image_cache_out_of_git() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    assert_eq!(run(&["new", site.to_str().unwrap()], dir.path()).code, 0);
    assert_eq!(
        std::fs::read_to_string(site.join(".gitignore")).unwrap(),
        "public/\n.handreiking-cache/\n"
    );
}
