//! Answers one request: refuses foreign hosts, serves the in-memory site with the reload script,
//! and hands WebSocket upgrades for live reload to a task of their own.

use super::access::Access;
use super::live;
use super::live::Live;
use super::paths::{self, Resolved};
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderMap, HeaderName, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::sync::Arc;
use tokio::sync::Semaphore;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};

/// What every request handler needs.
pub struct Shared {
    pub live: Arc<Live>,
    pub access: Access,
    pub websockets: Arc<Semaphore>,
}

pub type Body = Full<Bytes>;

const TEXT: &str = "text/plain; charset=utf-8";

/// The reload socket carries only generation numbers: small buffers, and nothing large accepted.
fn websocket_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(4096)
        .write_buffer_size(0)
        .max_message_size(Some(4096))
        .max_frame_size(Some(4096))
}

pub fn send(
    status: StatusCode,
    content_type: &str,
    body: Vec<u8>,
    extra: &[(HeaderName, String)],
) -> Response<Body> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    let fixed = [
        (header::CONTENT_TYPE, content_type),
        (header::CACHE_CONTROL, "no-store"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::CONTENT_SECURITY_POLICY, "default-src 'self'"),
    ];
    for (name, value) in fixed
        .into_iter()
        .chain(extra.iter().map(|(n, v)| (n.clone(), v.as_str())))
    {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    }
    response
}

fn text(status: StatusCode, message: &str) -> Response<Body> {
    send(status, TEXT, message.as_bytes().to_vec(), &[])
}

fn get(headers: &HeaderMap, name: HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

pub fn respond(mut request: Request<Incoming>, shared: &Arc<Shared>) -> Response<Body> {
    // An absolute request target (`GET http://x/ HTTP/1.1`) names the host instead of `Host`.
    let host = match request.uri().authority() {
        Some(authority) => Some(authority.as_str().to_string()),
        None => get(request.headers(), header::HOST).map(str::to_string),
    };
    let Some(host) = host.filter(|h| shared.access.allows_host(h)) else {
        return text(
            StatusCode::FORBIDDEN,
            &format!(
                "Geweigerd: de preview antwoordt alleen op localhost of een IP-adres, zoals {}, niet op een andere naam.\n",
                shared.access.url
            ),
        );
    };
    let method = request.method();
    if method != Method::GET && method != Method::HEAD {
        return send(
            StatusCode::METHOD_NOT_ALLOWED,
            TEXT,
            b"Alleen GET en HEAD\n".to_vec(),
            &[(header::ALLOW, "GET, HEAD".into())],
        );
    }
    let raw = request
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    let path = raw.split('?').next().unwrap_or("");
    if path == "/__handreiking/live.js" {
        return send(
            StatusCode::OK,
            "text/javascript; charset=utf-8",
            live::LIVE_JS.as_bytes().to_vec(),
            &[],
        );
    }
    if path == "/__handreiking/live.css" {
        return send(
            StatusCode::OK,
            "text/css; charset=utf-8",
            live::LIVE_CSS.as_bytes().to_vec(),
            &[],
        );
    }
    if path == "/__handreiking/live" {
        return upgrade(&mut request, &host, shared);
    }
    site_file(&raw, shared)
}

/// Accepts the reload WebSocket of one of the preview's own pages.
fn upgrade(request: &mut Request<Incoming>, host: &str, shared: &Arc<Shared>) -> Response<Body> {
    let headers = request.headers();
    let wants_websocket = get(headers, header::UPGRADE)
        .is_some_and(|u| u.eq_ignore_ascii_case("websocket"))
        && get(headers, header::CONNECTION).is_some_and(|c| {
            c.split(',')
                .any(|token| token.trim().eq_ignore_ascii_case("upgrade"))
        });
    let key = get(headers, header::SEC_WEBSOCKET_KEY);
    let (true, Some(key)) = (wants_websocket, key) else {
        return text(StatusCode::BAD_REQUEST, "Alleen WebSocket\n");
    };
    if !shared
        .access
        .allows_origin(get(headers, header::ORIGIN), host)
    {
        return text(
            StatusCode::FORBIDDEN,
            "Geweigerd: live herladen werkt alleen voor pagina's van de preview zelf.\n",
        );
    }
    let Ok(permit) = shared.websockets.clone().try_acquire_owned() else {
        return send(
            StatusCode::SERVICE_UNAVAILABLE,
            TEXT,
            b"Te veel pagina's tegelijk open voor live herladen\n".to_vec(),
            &[(header::RETRY_AFTER, "5".into())],
        );
    };
    let accept = tokio_tungstenite::tungstenite::handshake::derive_accept_key(key.as_bytes());
    let upgraded = hyper::upgrade::on(request);
    let live = shared.live.clone();
    tokio::spawn(async move {
        let _permit = permit;
        if let Ok(upgraded) = upgraded.await {
            let socket = WebSocketStream::from_raw_socket(
                TokioIo::new(upgraded),
                Role::Server,
                Some(websocket_config()),
            )
            .await;
            live::stream_generations(&live, socket).await;
        }
    });
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let headers = response.headers_mut();
    headers.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
    headers.insert(header::CONNECTION, HeaderValue::from_static("Upgrade"));
    if let Ok(accept) = HeaderValue::from_str(&accept) {
        headers.insert(header::SEC_WEBSOCKET_ACCEPT, accept);
    }
    response
}

/// A file of the in-memory site; HTML pages get the reload script and the error overlay.
fn site_file(raw: &str, shared: &Arc<Shared>) -> Response<Body> {
    let live = &shared.live;
    let (output, errors) = match (live.output.read(), live.errors.read()) {
        (Ok(o), Ok(e)) => (o, e),
        _ => return text(StatusCode::INTERNAL_SERVER_ERROR, "Interne fout\n"),
    };
    let generation = live.generation();
    let page = |bytes: &[u8]| {
        live::inject(
            bytes,
            generation,
            &errors,
            &live.overlay_title,
            &live.overlay_help,
        )
    };
    match paths::resolve(raw, |key| output.contains_key(key)) {
        Resolved::BadRequest => text(StatusCode::BAD_REQUEST, "Ongeldig pad\n"),
        Resolved::Redirect(location) => send(
            StatusCode::MOVED_PERMANENTLY,
            TEXT,
            Vec::new(),
            &[(header::LOCATION, location)],
        ),
        Resolved::File(key) => match output.get(&key) {
            Some(bytes) => {
                let content_type = paths::content_type(&key);
                let body = if content_type.starts_with("text/html") {
                    page(bytes)
                } else {
                    bytes.clone()
                };
                send(StatusCode::OK, content_type, body, &[])
            }
            None => {
                let body = match output.get("404.html") {
                    Some(bytes) => page(bytes),
                    None => page(b"<!DOCTYPE html><html lang=\"nl\"><head><title>Niet gevonden</title></head><body><h1>Niet gevonden</h1></body></html>"),
                };
                send(StatusCode::NOT_FOUND, "text/html; charset=utf-8", body, &[])
            }
        },
    }
}
