//! The served site in memory, the build errors to show, and the reload signal pages listen to.

use crate::diagnostics::Diagnostic;
use crate::output::Output;
use std::sync::{Condvar, Mutex, RwLock};
use std::time::Duration;

pub struct Live {
    pub output: RwLock<Output>,
    pub errors: RwLock<Vec<Diagnostic>>,
    generation: Mutex<u64>,
    changed: Condvar,
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
            generation: Mutex::new(1),
            changed: Condvar::new(),
            overlay_title,
            overlay_help,
        }
    }

    pub fn generation(&self) -> u64 {
        self.generation.lock().map(|g| *g).unwrap_or(0)
    }

    /// Tells every open page to reload.
    pub fn publish(&self) {
        if let Ok(mut g) = self.generation.lock() {
            *g = g.saturating_add(1);
        }
        self.changed.notify_all();
    }

    /// Waits until the generation is past `seen`, or the timeout passes.
    fn wait_newer(&self, seen: u64, timeout: Duration) -> u64 {
        let Ok(guard) = self.generation.lock() else {
            return seen;
        };
        match self
            .changed
            .wait_timeout_while(guard, timeout, |g| *g <= seen)
        {
            Ok((g, _)) => *g,
            Err(_) => seen,
        }
    }
}

/// Sends the current generation over a WebSocket, then every new one; pings keep it open.
pub fn stream_generations<S: std::io::Read + std::io::Write>(
    live: &Live,
    mut socket: tungstenite::WebSocket<S>,
) {
    let mut seen = live.generation();
    if socket
        .send(tungstenite::Message::text(seen.to_string()))
        .is_err()
    {
        return;
    }
    loop {
        let now = live.wait_newer(seen, Duration::from_secs(15));
        let message = if now > seen {
            seen = now;
            tungstenite::Message::text(now.to_string())
        } else {
            tungstenite::Message::Ping(Vec::new().into())
        };
        if socket.send(message).is_err() {
            return;
        }
    }
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
