//! Turning a request path into a key of the in-memory site, refusing anything that could reach
//! outside it: `..` in any spelling, backslashes, NUL, absolute or overlong paths.

use crate::urls::{percent_decode, percent_encode};

/// Longest request path accepted; real site paths are far shorter.
const MAX_PATH: usize = 2048;

#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A key of the output map: `handreiking/index.html`.
    File(String),
    /// A directory asked for without its trailing slash: redirect here.
    Redirect(String),
    /// Malformed or hostile: answer 400.
    BadRequest,
}

/// `/handreiking/?q=1` -> `handreiking/index.html`. `exists` tells whether a key is in the site.
pub fn resolve(raw: &str, exists: impl Fn(&str) -> bool) -> Resolved {
    let path = raw.split(['?', '#']).next().unwrap_or("");
    if path.len() > MAX_PATH || !path.starts_with('/') || path.starts_with("//") {
        return Resolved::BadRequest;
    }
    let Some(decoded) = percent_decode(path) else {
        return Resolved::BadRequest;
    };
    if decoded.contains(['\\', '\0']) || decoded.starts_with("//") {
        return Resolved::BadRequest;
    }
    let segments: Vec<&str> = decoded.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    for (i, segment) in segments.iter().enumerate() {
        if *segment == "."
            || *segment == ".."
            || segment.contains(':')
            || (segment.is_empty() && i != last)
        {
            return Resolved::BadRequest;
        }
    }
    let key = decoded.trim_start_matches('/');
    if key.is_empty() || key.ends_with('/') {
        return Resolved::File(format!("{key}index.html"));
    }
    if !exists(key) && exists(&format!("{key}/index.html")) {
        return Resolved::Redirect(format!("{}/", percent_encode(&decoded)));
    }
    Resolved::File(key.to_string())
}

/// Content-Type for every kind of file a theme or the engine writes.
pub fn content_type(key: &str) -> &'static str {
    let extension = key
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "yaml" | "yml" => "text/yaml; charset=utf-8",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(key: &str) -> bool {
        matches!(
            key,
            "index.html" | "handreiking/index.html" | "css/site.css" | "café/index.html"
        )
    }

    #[test]
    fn maps_paths_to_keys() {
        assert_eq!(resolve("/", site), Resolved::File("index.html".into()));
        assert_eq!(
            resolve("/handreiking/?q=1", site),
            Resolved::File("handreiking/index.html".into())
        );
        assert_eq!(
            resolve("/handreiking", site),
            Resolved::Redirect("/handreiking/".into())
        );
        assert_eq!(
            resolve("/css/site.css", site),
            Resolved::File("css/site.css".into())
        );
        assert_eq!(
            resolve("/caf%C3%A9", site),
            Resolved::Redirect("/caf%C3%A9/".into())
        );
        assert_eq!(
            resolve("/caf%c3%a9?x=1", site),
            Resolved::Redirect("/caf%C3%A9/".into())
        );
        assert_eq!(
            resolve("/caf%C3%A9/", site),
            Resolved::File("café/index.html".into())
        );
    }

    #[test]
    fn refuses_every_traversal_spelling() {
        for raw in [
            "/../etc/passwd",
            "/handreiking/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/..%2fetc%2fpasswd",
            "/..%5cetc%5cpasswd",
            "/..\\etc\\passwd",
            "/%00",
            "/a%00b",
            "//etc/passwd",
            "/C:/Windows/win.ini",
            "/%zz",
            "/%2",
            "etc/passwd",
            "/./index.html",
            "/a//b",
        ] {
            assert_eq!(resolve(raw, site), Resolved::BadRequest, "{raw}");
        }
        assert_eq!(
            resolve(&format!("/{}", "a".repeat(3000)), site),
            Resolved::BadRequest
        );
    }

    #[test]
    fn knows_content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("zoeken/index/t-do.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
        assert_eq!(content_type("cijfers/x.csv"), "text/csv; charset=utf-8");
        assert_eq!(
            content_type(".well-known/security.txt"),
            "text/plain; charset=utf-8"
        );
    }
}
