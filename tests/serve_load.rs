//! `handreiking serve` under hostile or heavy use, on loopback and bounded in count and time: many
//! idle connections and WebSockets, too few file descriptors, oversize headers, foreign `Host`
//! and `Origin` values (DNS rebinding), and redirects to folders with non-ASCII names.

mod common;
use common::*;
use std::io::{ErrorKind, Read, Write};
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

impl Server {
    fn still_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// A line of /proc/<pid>/status, e.g. `Threads` or `VmRSS` (in kB), as a number.
    fn status(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{field}:")))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {field} in {status}"))
    }

    /// Stops the server and returns what it printed on stderr.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut stderr = String::new();
        if let Some(mut pipe) = self.child.stderr.take() {
            pipe.read_to_string(&mut stderr).unwrap();
        }
        stderr
    }
}

fn site() -> Fixture {
    Fixture::new(&[
        ("content/_index.md", "---\ntitle: Home\n---\nWelkom.\n"),
        ("content/café/_index.md", "---\ntitle: Café\n---\nKoffie.\n"),
        (
            "content/café/menu.md",
            "---\ntitle: Menu\n---\nEerste versie.\n",
        ),
    ])
}

/// Starts `serve` on a free port, optionally under an open-file limit, and waits until it answers.
fn start(open_files: Option<u32>) -> Server {
    let site = site();
    let port = free_port();
    let mut command = match open_files {
        Some(limit) => {
            let mut c = Command::new("sh");
            c.args(["-c", &format!("ulimit -n {limit} && exec \"$0\" \"$@\"")])
                .arg(bin());
            c
        }
        None => Command::new(bin()),
    };
    let child = command
        .args(["serve", "--port", &port.to_string()])
        .current_dir(site.root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut server = Server { child, port, site };
    let started = Instant::now();
    while get(port, "/", "localhost").0 != 200 {
        assert!(server.still_running(), "serve stopped while starting");
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "serve did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

/// Sends raw request bytes; returns the whole response, without its `date` header.
fn exchange(port: u16, request: &[u8]) -> String {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    if stream.write_all(request).is_err() {
        return String::new();
    }
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    while !complete(&bytes) {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
        }
    }
    latin1(&bytes)
        .split_inclusive("\r\n")
        .filter(|line| !line.starts_with("date: "))
        .collect()
}

/// Byte for byte, so a WebSocket frame (`0x81`) reads as `\u{81}`; the answers tested are ASCII.
fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// A whole response: its head and `content-length` bytes of body, or for a 101 the first frame
/// (the generation `1`), as the connection stays open after those.
fn complete(bytes: &[u8]) -> bool {
    let text = latin1(bytes);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    if head.starts_with("HTTP/1.1 101") {
        return body == "\u{81}\u{1}1";
    }
    head.lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .and_then(|n| n.parse::<usize>().ok())
        .is_some_and(|n| body.len() >= n)
}

/// GET with `Connection: close`: the status and the body.
fn get(port: u16, path: &str, host: &str) -> (u16, String) {
    let response = exchange(
        port,
        format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn upgrade_request(host: &str, origin: Option<&str>) -> String {
    let origin = origin
        .map(|o| format!("Origin: {o}\r\n"))
        .unwrap_or_default();
    format!(
        "GET /__handreiking/live HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n{origin}\r\n"
    )
}

fn websocket(port: u16) -> tungstenite::WebSocket<TcpStream> {
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let url = format!("ws://127.0.0.1:{port}/__handreiking/live");
    let (socket, _) = tungstenite::client(url.as_str(), stream).unwrap();
    socket
}

fn next_text(socket: &mut tungstenite::WebSocket<TcpStream>) -> String {
    loop {
        match socket.read().unwrap() {
            tungstenite::Message::Text(text) => return text.to_string(),
            _ => continue,
        }
    }
}

#[test]
fn idle_connections_and_websockets_neither_stop_the_server_nor_block_a_page() {
    let mut server = start(None);
    let threads = server.status("Threads");
    let memory = server.status("VmRSS");
    let started = Instant::now();
    let mut idle = Vec::new();
    for i in 0..500 {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        // Half of them stop in the middle of a request line, as a slow attacker would.
        if i % 2 == 0 {
            stream.write_all(b"GET / HTT").unwrap();
        }
        idle.push(stream);
    }
    let mut sockets: Vec<_> = (0..200).map(|_| websocket(server.port)).collect();
    let generations: Vec<String> = sockets.iter_mut().map(next_text).collect();
    assert_eq!(generations, vec!["1".to_string(); 200]);
    println!(
        "500 idle connections and 200 WebSockets open in {} ms",
        started.elapsed().as_millis()
    );

    let asked = Instant::now();
    let page = get(server.port, "/caf%C3%A9/menu/", "localhost");
    println!(
        "a page with all of them open: {} ms",
        asked.elapsed().as_millis()
    );
    assert_eq!(page.0, 200);
    assert!(page.1.contains("Eerste versie."), "{}", page.1);
    // No thread per connection or per WebSocket, and a few kB each.
    assert_eq!(server.status("Threads"), threads);
    let growth = server.status("VmRSS").saturating_sub(memory);
    println!("server RSS {memory} kB -> +{growth} kB with all of them open");
    assert!(growth < 32 << 10, "RSS grew by {growth} kB");

    // A save reaches every open page.
    server.site.write(
        "content/café/menu.md",
        "---\ntitle: Menu\n---\nTweede versie.\n",
    );
    let generations: Vec<String> = sockets.iter_mut().map(next_text).collect();
    assert_eq!(generations, vec!["2".to_string(); 200]);
    assert!(server.still_running());
    drop((idle, sockets));
    assert_eq!(get(server.port, "/", "localhost").0, 200);
    assert_eq!(server.stop(), "");
}

#[test]
fn running_out_of_file_descriptors_does_not_stop_the_server() {
    // About a dozen descriptors are the server's own; the rest fill up at once.
    let mut server = start(Some(24));
    let idle: Vec<TcpStream> = (0..40)
        .map(|_| TcpStream::connect(("127.0.0.1", server.port)).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(1000));
    assert!(server.still_running());
    drop(idle);
    let asked = Instant::now();
    let mut status = 0;
    while status != 200 && asked.elapsed() < Duration::from_secs(15) {
        status = get(server.port, "/", "localhost").0;
    }
    println!(
        "a page after the descriptors came back: {} ms",
        asked.elapsed().as_millis()
    );
    assert_eq!(status, 200);
    assert_eq!(
        server.stop(),
        "waarschuwing: de preview kan even geen nieuwe verbindingen aannemen (te veel open verbindingen of bestanden); hij probeert het steeds opnieuw\n  = hulp: sluit tabbladen die u niet gebruikt, of verhoog het maximum aantal open bestanden (ulimit -n)\n"
    );
}

#[test]
fn only_the_preview_own_host_names_are_answered() {
    let server = start(None);
    let port = server.port;
    let answers: Vec<(String, u16)> = [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "localhost".to_string(),
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("localhost:{}", port.wrapping_add(1)),
        format!("192.168.1.5:{port}"),
        String::new(),
    ]
    .into_iter()
    .map(|host| {
        let status = get(port, "/", &host).0;
        (host, status)
    })
    .collect();
    assert_eq!(
        answers,
        [
            (format!("localhost:{port}"), 200),
            (format!("127.0.0.1:{port}"), 200),
            (format!("[::1]:{port}"), 200),
            ("localhost".to_string(), 200),
            (format!("evil.example:{port}"), 403),
            ("evil.example".to_string(), 403),
            (format!("localhost:{}", port.wrapping_add(1)), 403),
            (format!("192.168.1.5:{port}"), 403),
            (String::new(), 403),
        ]
    );
    let refused = exchange(
        port,
        format!("GET /caf%C3%A9/menu/ HTTP/1.1\r\nHost: evil.example:{port}\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    assert_eq!(
        refused,
        format!(
            "HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain; charset=utf-8\r\ncache-control: no-store\r\nx-content-type-options: nosniff\r\ncontent-security-policy: default-src 'self'\r\nconnection: close\r\ncontent-length: 125\r\n\r\nGeweigerd: de preview antwoordt alleen op localhost of een IP-adres, zoals http://127.0.0.1:{port}/, niet op een andere naam.\n"
        )
    );
    // A request naming the host in its target instead of `Host` is checked the same way.
    let absolute = exchange(
        port,
        format!("GET http://evil.example:{port}/ HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    assert!(
        absolute.starts_with("HTTP/1.1 403 Forbidden\r\n"),
        "{absolute}"
    );
}

#[test]
fn a_websocket_from_another_site_is_refused() {
    let server = start(None);
    let port = server.port;
    let accepted = "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n\u{81}\u{1}1";
    let host = format!("localhost:{port}");
    let own = format!("http://localhost:{port}");
    assert_eq!(
        exchange(port, upgrade_request(&host, Some(&own)).as_bytes()),
        accepted
    );
    // Not a browser (browsers always send Origin on a WebSocket): accepted.
    assert_eq!(
        exchange(port, upgrade_request(&host, None).as_bytes()),
        accepted
    );
    let refused = "HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain; charset=utf-8\r\ncache-control: no-store\r\nx-content-type-options: nosniff\r\ncontent-security-policy: default-src 'self'\r\ncontent-length: 73\r\n\r\nGeweigerd: live herladen werkt alleen voor pagina's van de preview zelf.\n";
    for origin in [
        "https://evil.example".to_string(),
        format!("http://evil.example:{port}"),
        format!("http://localhost:{}", port.wrapping_add(1)),
        "null".to_string(),
    ] {
        assert_eq!(
            exchange(port, upgrade_request(&host, Some(&origin)).as_bytes()),
            refused,
            "{origin}"
        );
    }
    // DNS rebinding: the page's own name in both Host and Origin is still a foreign host.
    let rebound = exchange(
        port,
        upgrade_request(
            &format!("evil.example:{port}"),
            Some(&format!("http://evil.example:{port}")),
        )
        .as_bytes(),
    );
    assert!(
        rebound.starts_with("HTTP/1.1 403 Forbidden\r\n"),
        "{rebound}"
    );
}

#[test]
fn an_oversize_header_is_refused_without_memory_growth() {
    let server = start(None);
    let before = server.status("VmRSS");
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Groot: ")
        .unwrap();
    // Up to 200 MB in one header line; the server should stop reading long before.
    let chunk = vec![b'a'; 1 << 20];
    let mut sent = 0usize;
    for _ in 0..200 {
        match stream.write_all(&chunk) {
            Ok(()) => sent += chunk.len(),
            Err(err) => {
                assert!(
                    matches!(
                        err.kind(),
                        ErrorKind::BrokenPipe | ErrorKind::ConnectionReset
                    ),
                    "{err}"
                );
                break;
            }
        }
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    let growth = server.status("VmRSS").saturating_sub(before);
    println!(
        "header refused after {} KiB sent; server RSS {} kB -> +{} kB",
        sent >> 10,
        before,
        growth
    );
    // The 431 can be lost when the connection is reset over unread bytes: closing is enough.
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"),
        "{answer}"
    );
    assert!(
        sent < 16 << 20,
        "the server read {sent} bytes of one header"
    );
    assert!(growth < 16 << 10, "RSS grew by {growth} kB");
    assert_eq!(get(server.port, "/", "localhost").0, 200);
}

#[test]
fn a_redirect_to_a_folder_always_has_an_ascii_location() {
    let server = start(None);
    let port = server.port;
    for (path, location) in [
        ("/caf%C3%A9", "/caf%C3%A9/"),
        ("/caf%c3%a9?x=1", "/caf%C3%A9/"),
    ] {
        assert_eq!(
            exchange(
                port,
                format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .as_bytes()
            ),
            format!(
                "HTTP/1.1 301 Moved Permanently\r\ncontent-type: text/plain; charset=utf-8\r\ncache-control: no-store\r\nx-content-type-options: nosniff\r\ncontent-security-policy: default-src 'self'\r\nlocation: {location}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n"
            ),
            "{path}"
        );
    }
    let target = get(port, "/caf%C3%A9/", "localhost");
    assert_eq!(target.0, 200);
    assert!(target.1.contains("Koffie."), "{}", target.1);
}

#[test]
fn a_busy_port_and_an_ipv6_address_are_reported_in_dutch() {
    let server = start(None);
    let busy = run(
        &["serve", "--port", &server.port.to_string()],
        server.site.root(),
    );
    assert_eq!(busy.code, 2);
    assert_eq!(
        busy.stderr,
        format!(
            "fout: poort {} is al in gebruik, misschien door een andere preview\n  = hulp: kies een andere poort, bijvoorbeeld --port {}\n",
            server.port,
            server.port + 1
        )
    );
    // A server on ::1 (where this machine has IPv6) prints its address in brackets.
    let port = free_port();
    let Ok(mut child) = Command::new(bin())
        .args(["serve", "--bind", "::1", "--port", &port.to_string()])
        .current_dir(server.site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    else {
        return;
    };
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    let mut stdout = child.stdout.take().unwrap();
    while stdout.read(&mut byte).unwrap_or(0) == 1 && byte[0] != b'\n' {
        line.push(byte[0]);
    }
    let _ = child.kill();
    let _ = child.wait();
    let line = String::from_utf8_lossy(&line);
    if std::net::TcpListener::bind("[::1]:0").is_ok() {
        assert!(
            line.starts_with(&format!("Preview op http://[::1]:{port}/ (")),
            "{line}"
        );
    }
}
