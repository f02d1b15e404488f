//! Checks on `site.yaml` values that end up in links, file paths and published files.

use crate::schema::Reader;
use crate::yaml::Node;

/// A `security.txt` field is one line with a full address (RFC 9116): a line break in it would
/// add a line of its own to the file.
pub(super) fn absolute_link(r: &mut Reader, node: &Node, key: &str, url: String) -> Option<String> {
    let why = match check_link_url(&url) {
        Err(why) => why,
        Ok(()) if has_scheme(&url) => return Some(url),
        Ok(()) => "het moet een volledig adres zijn",
    };
    r.error(
        node.pos,
        format!("`{key}` `{url}` is geen geldig adres: {why}"),
        Some("bijvoorbeeld `https://www.example.nl/melden` of `mailto:security@example.nl`".into()),
    );
    None
}

/// `language` and `theme` name a file and a folder: a plain name, never a path.
pub(super) fn plain_name(
    r: &mut Reader,
    node: Option<&Node>,
    key: &str,
    default: &str,
    help: &str,
) -> String {
    let Some(node) = node else {
        return default.to_string();
    };
    let Some(name) = r.non_empty_string(node, key) else {
        return default.to_string();
    };
    let plain = name.len() <= 64
        && !name.starts_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if plain {
        name
    } else {
        r.error(
            node.pos,
            format!("`{key}` moet een eenvoudige naam zijn, maar is `{name}`"),
            Some(help.to_string()),
        );
        default.to_string()
    }
}

pub(super) const BASE_URL_HELP: &str = "bijvoorbeeld `base_url: https://www.example.nl/`";
pub(super) const LINK_HELP: &str =
    "gebruik een pad op de site, zoals `/zoeken/`, of een adres dat met https:// begint";

/// Whether a link starts with a scheme (`https:`, `mailto:`), rather than being a path.
fn has_scheme(url: &str) -> bool {
    scheme(url).is_some()
}

/// The scheme of a URL as browsers read it: the letters before the first `:` that comes before
/// any `/`, `?` or `#`.
fn scheme(url: &str) -> Option<&str> {
    let end = url.find([':', '/', '?', '#'])?;
    url.get(..end)
        .filter(|_| url.get(end..end.saturating_add(1)) == Some(":"))
}

/// A link that the site shows to readers (a menu item, the print link, security.txt): a path on
/// the site or a web, mail or phone address. Browsers drop tabs and line breaks inside URLs, so
/// `java\tscript:` is refused as well as `javascript:`.
pub fn check_link_url(url: &str) -> Result<(), &'static str> {
    if url
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || crate::segment::is_bidi_control(c))
    {
        return Err("het mag geen spaties, regeleinden of stuurtekens bevatten");
    }
    match scheme(url) {
        None => Ok(()),
        Some(s)
            if ["http", "https", "mailto", "tel"].contains(&s.to_ascii_lowercase().as_str()) =>
        {
            Ok(())
        }
        Some(_) => Err("alleen http:, https:, mailto: en tel: zijn toegestaan"),
    }
}

/// The site's address, from `base_url` or `--base-url`: it is written into every page, the
/// sitemap, robots.txt and security.txt, so it must be a plain web address. The lead's
/// `--base-url` handling calls this too.
pub fn check_base_url(url: &str) -> Result<(), &'static str> {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return Err("moet met https:// of http:// beginnen");
    };
    if rest.is_empty() || rest.starts_with('/') {
        return Err("moet een domeinnaam hebben");
    }
    if url
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || crate::segment::is_bidi_control(c))
    {
        return Err("mag geen spaties, regeleinden of stuurtekens bevatten");
    }
    if url.contains(['"', '\'', '<', '>', '\\', '`', '{', '}', '|', '^', '?', '#']) {
        return Err("mag geen aanhalingstekens, `<`, `>`, `\\`, `?` of `#` bevatten");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_paths_or_web_mail_and_phone_addresses() {
        for good in [
            "/zoeken/",
            "https://x.nl/",
            "HTTP://x.nl",
            "mailto:a@x.nl",
            "tel:+31",
            "pagina/",
            "a/b:c",
        ] {
            assert_eq!(check_link_url(good), Ok(()), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:x",
            "a:b/c",
            "data:text/html,x",
            "vbscript:x",
        ] {
            assert_eq!(
                check_link_url(bad),
                Err("alleen http:, https:, mailto: en tel: zijn toegestaan"),
                "{bad}"
            );
        }
        for bad in ["java\tscript:x", " javascript:x", "a\nb", "a\u{202e}b"] {
            assert_eq!(
                check_link_url(bad),
                Err("het mag geen spaties, regeleinden of stuurtekens bevatten"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_base_url_is_a_plain_web_address() {
        assert_eq!(check_base_url("https://x.nl/ido/"), Ok(()));
        assert_eq!(
            check_base_url("javascript:alert(1)//"),
            Err("moet met https:// of http:// beginnen")
        );
        assert_eq!(
            check_base_url("https:///x"),
            Err("moet een domeinnaam hebben")
        );
        assert_eq!(
            check_base_url("https://x.nl/\"><script>"),
            Err("mag geen aanhalingstekens, `<`, `>`, `\\`, `?` of `#` bevatten")
        );
    }
}
