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

/// A build error as the error box shows it: the diagnostic and its source line with the caret.
#[derive(Clone, Debug)]
pub struct ShownError {
    pub diagnostic: Diagnostic,
    pub excerpt: Option<String>,
}

pub struct Live {
    pub output: RwLock<Output>,
    pub errors: RwLock<Vec<ShownError>>,
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
        errors: Vec<ShownError>,
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

/// The error box's own style sheet: served as a file (the CSP allows no inline styles), so the
/// box looks the same on every theme and stays in view wherever the editor has scrolled to.
pub const LIVE_CSS: &str = ".handreiking-fouten{position:sticky;top:0;z-index:2147483647;max-height:60vh;overflow:auto;background:#fff4f4;color:#1a1a1a;border:3px solid #a8071a;margin:0;padding:1rem;font:1rem/1.5 system-ui,sans-serif}\n.handreiking-fouten__titel{color:#a8071a;font-size:1.25rem;font-weight:700;margin:0 0 .5rem}\n.handreiking-fouten ul{margin:.5rem 0 0;padding-left:1.25rem}\n.handreiking-fouten li{margin-bottom:.75rem}\n.handreiking-fouten code,.handreiking-fouten pre{font-family:ui-monospace,Consolas,monospace}\n.handreiking-fouten pre{background:#fff;border:1px solid #d0d0d0;padding:.5rem;overflow-x:auto;margin:.25rem 0;white-space:pre}\n.handreiking-fouten__hulp{color:#4d4d4d}\n";

fn escape(text: &str) -> String {
    crate::escape::html(text)
}

/// Escaped text in which `` `code` `` becomes `<code>code</code>`, as the terminal marks it.
fn with_code(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        let inside = i % 2 == 1;
        if inside {
            out.push_str("<code>");
        }
        out.push_str(&escape(part));
        if inside {
            out.push_str("</code>");
        }
    }
    // An odd number of backticks: the last one was text after all.
    if text.matches('`').count() % 2 == 1 {
        if let Some(at) = out.rfind("<code>") {
            out.replace_range(at..at.saturating_add("<code>".len()), "`");
        }
        if out.ends_with("</code>") {
            out.truncate(out.len().saturating_sub("</code>".len()));
        }
    }
    out
}

/// The error box: every error with its place, source line, message and hint.
fn error_box(errors: &[ShownError], title: &str, help: &str) -> String {
    let mut html = format!(
        "<div class=\"bouwfouten handreiking-fouten\" role=\"alert\" aria-labelledby=\"handreiking-fouten-titel\">\n<p class=\"bouwfouten__titel handreiking-fouten__titel\" id=\"handreiking-fouten-titel\">{}</p>\n<p>{}</p>\n<ul>\n",
        escape(title),
        escape(help)
    );
    for error in errors {
        let d = &error.diagnostic;
        html.push_str(&format!(
            "<li><code>{}</code> {}",
            escape(&d.place()),
            with_code(&d.message)
        ));
        if let Some(excerpt) = &error.excerpt {
            html.push_str(&format!("<pre>{}</pre>", escape(excerpt.trim_end())));
        }
        if let Some(h) = &d.help {
            html.push_str(&format!(
                "<span class=\"bouwfouten__hulp handreiking-fouten__hulp\">{}</span>",
                with_code(h)
            ));
        }
        html.push_str("</li>\n");
    }
    html.push_str("</ul>\n</div>\n");
    html
}

/// Adds the reload script to a page, and the error box while the last build failed.
pub fn inject(
    html: &[u8],
    generation: u64,
    errors: &[ShownError],
    title: &str,
    help: &str,
) -> Vec<u8> {
    let mut page = String::from_utf8_lossy(html).into_owned();
    let mut head =
        format!("<script src=\"/__handreiking/live.js?g={generation}\" defer></script>\n");
    if !errors.is_empty() {
        head.push_str("<link rel=\"stylesheet\" href=\"/__handreiking/live.css\">\n");
    }
    match page.find("</head>") {
        Some(i) => page.insert_str(i, &head),
        None => page.insert_str(0, &head),
    }
    if !errors.is_empty() {
        let overlay = error_box(errors, title, help);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_box_shows_the_source_line_and_code_as_code() {
        let d = Diagnostic::error(
            "content/a.md",
            3,
            9,
            "onbekende term `financir` in `rollen`",
        )
        .help("bedoelt u `financier`?");
        let errors = [ShownError {
            diagnostic: d,
            excerpt: Some("  |\n3 | rollen: [financir]\n  |         ^\n".into()),
        }];
        let page = inject(
            b"<html><head></head><body><p>x</p></body></html>",
            4,
            &errors,
            "Fout",
            "Herstel.",
        );
        let page = String::from_utf8(page).unwrap_or_default();
        assert_eq!(
            page,
            "<html><head><script src=\"/__handreiking/live.js?g=4\" defer></script>\n<link rel=\"stylesheet\" href=\"/__handreiking/live.css\">\n</head><body><div class=\"bouwfouten handreiking-fouten\" role=\"alert\" aria-labelledby=\"handreiking-fouten-titel\">\n<p class=\"bouwfouten__titel handreiking-fouten__titel\" id=\"handreiking-fouten-titel\">Fout</p>\n<p>Herstel.</p>\n<ul>\n<li><code>content/a.md:3:9</code> onbekende term <code>financir</code> in <code>rollen</code><pre>  |\n3 | rollen: [financir]\n  |         ^</pre><span class=\"bouwfouten__hulp handreiking-fouten__hulp\">bedoelt u <code>financier</code>?</span></li>\n</ul>\n</div>\n<p>x</p></body></html>"
        );
    }

    #[test]
    fn an_odd_backtick_stays_text() {
        assert_eq!(with_code("a `b` c ` d"), "a <code>b</code> c ` d");
        assert_eq!(with_code("<x>"), "&lt;x&gt;");
    }
}
