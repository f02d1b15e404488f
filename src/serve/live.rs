//! The served site in memory, the build errors to show, and the reload signal pages listen to.

use crate::diagnostics::Diagnostic;
use crate::output::Output;
use futures_util::{SinkExt, StreamExt};
use std::sync::RwLock;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::watch;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;

/// How often an open page is pinged: keeps proxies from closing the socket and shows a dead page,
/// whose socket is then closed by the connection's read timeout.
const PING_EVERY: Duration = Duration::from_secs(15);

pub struct Live {
    pub output: RwLock<Output>,
    pub errors: RwLock<Vec<Diagnostic>>,
    /// A watch channel: the rebuild thread publishes without blocking, and every open page's
    /// WebSocket task waits on it without a thread of its own.
    generation: watch::Sender<u64>,
    /// Overlay texts from the theme's i18n file.
    pub overlay_title: String,
    pub overlay_help: String,
}

impl Live {
    pub fn new(
        output: Output,
        errors: Vec<Diagnostic>,
        overlay_title: String,
        overlay_help: String,
    ) -> Live {
        Live {
            output: RwLock::new(output),
            errors: RwLock::new(errors),
            generation: watch::Sender::new(1),
            overlay_title,
            overlay_help,
        }
    }

    pub fn generation(&self) -> u64 {
        *self.generation.borrow()
    }

    /// Tells every open page to reload.
    pub fn publish(&self) {
        self.generation.send_modify(|g| *g = g.saturating_add(1));
    }
}

/// Sends the current generation over a WebSocket, then every new one; pings keep it open. Ends
/// when the page goes away, sends a close or anything malformed or too large.
pub async fn stream_generations<S: AsyncRead + AsyncWrite + Unpin>(
    live: &Live,
    mut socket: WebSocketStream<S>,
) {
    let mut changes = live.generation.subscribe();
    let mut ping = tokio::time::interval(PING_EVERY);
    // The first ping is due a full period from now, not at once.
    ping.reset();
    let first = *changes.borrow_and_update();
    if socket.send(Message::text(first.to_string())).await.is_err() {
        return;
    }
    loop {
        let message = tokio::select! {
            changed = changes.changed() => match changed {
                Ok(()) => Message::text(changes.borrow_and_update().to_string()),
                Err(_) => return,
            },
            _ = ping.tick() => Message::Ping(Vec::new().into()),
            incoming = socket.next() => match incoming {
                // Pongs and anything a page might send are ignored.
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(_)) => continue,
            },
        };
        if socket.send(message).await.is_err() {
            return;
        }
    }
    // Sends the answer to the page's close frame that reading it queued.
    let _ = socket.flush().await;
}

/// The reload script: a file, not inline, so the site's CSP holds in preview too.
pub const LIVE_JS: &str = r#"(function () {
  "use strict";
  var script = document.currentScript;
  var served = script ? new URL(script.src).searchParams.get("g") : null;
  var key = "handreiking-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.addEventListener("load", function () { window.scrollTo(0, Number(saved)); });
  }
  function connect() {
    var socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/__handreiking/live");
    socket.addEventListener("message", function (event) {
      if (served !== null && event.data !== served) {
        sessionStorage.setItem(key, String(window.scrollY));
        location.reload();
      }
    });
    // The preview restarted or the connection dropped: try again shortly.
    socket.addEventListener("close", function () { window.setTimeout(connect, 500); });
  }
  connect();
})();
"#;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Adds the reload script to a page, and the error overlay while the last build failed.
pub fn inject(
    html: &[u8],
    generation: u64,
    errors: &[Diagnostic],
    title: &str,
    help: &str,
) -> Vec<u8> {
    let mut page = String::from_utf8_lossy(html).into_owned();
    let script = format!("<script src=\"/__handreiking/live.js?g={generation}\" defer></script>\n");
    match page.find("</head>") {
        Some(i) => page.insert_str(i, &script),
        None => page.insert_str(0, &script),
    }
    if !errors.is_empty() {
        let mut overlay = format!(
            "<div class=\"bouwfouten\" role=\"alert\">\n<p class=\"bouwfouten__titel\">{}</p>\n<p>{}</p>\n<ul>\n",
            escape(title),
            escape(help)
        );
        for d in errors {
            overlay.push_str(&format!(
                "<li><code>{}</code> {}",
                escape(&d.place()),
                escape(&d.message)
            ));
            if let Some(h) = &d.help {
                overlay.push_str(&format!(
                    "<br><span class=\"bouwfouten__hulp\">{}</span>",
                    escape(h)
                ));
            }
            overlay.push_str("</li>\n");
        }
        overlay.push_str("</ul>\n</div>\n");
        let at = page.find("<body").and_then(|i| {
            page.get(i..)
                .and_then(|rest| rest.find('>'))
                .and_then(|j| i.checked_add(j)?.checked_add(1))
        });
        match at {
            Some(i) => page.insert_str(i, &overlay),
            None => page.push_str(&overlay),
        }
    }
    page.into_bytes()
}
