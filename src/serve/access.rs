//! Who may talk to the preview. A page on another site can make the editor's browser send requests
//! to the preview, and with DNS rebinding (its own name resolving to 127.0.0.1) even read the
//! answers. Such requests carry that site's name in `Host`, so only names that cannot be rebound
//! are answered: `localhost`, IP addresses and the `--bind` name. WebSockets must also come from a
//! page of the preview itself (`Origin`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

pub struct Access {
    /// The `--bind` value without IPv6 brackets, lowercase.
    bind: String,
    /// Bound to loopback: only loopback addresses are ours.
    loopback: bool,
    port: u16,
    /// The preview's address as printed at the start, for the refusal message.
    pub url: String,
}

/// Whether a `--bind` value keeps the preview on this computer.
pub fn is_loopback(bind: &str) -> bool {
    let bind = unbracket(bind);
    bind.eq_ignore_ascii_case("localhost")
        || bind.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `http://127.0.0.1:1111/`; an IPv6 address in brackets, and a wildcard as `localhost`.
pub fn preview_url(bind: &str, port: u16) -> String {
    let bind = unbracket(bind);
    let host = match bind.parse::<IpAddr>() {
        Ok(ip) if ip.is_unspecified() => "localhost".to_string(),
        Ok(IpAddr::V6(ip)) => format!("[{ip}]"),
        _ => bind.to_string(),
    };
    format!("http://{host}:{port}/")
}

pub(super) fn unbracket(bind: &str) -> &str {
    bind.strip_prefix('[')
        .and_then(|b| b.strip_suffix(']'))
        .unwrap_or(bind)
}

impl Access {
    pub fn new(bind: &str, port: u16) -> Access {
        Access {
            bind: unbracket(bind).to_ascii_lowercase(),
            loopback: is_loopback(bind),
            port,
            url: preview_url(bind, port),
        }
    }

    /// Whether a `Host` value (`localhost:1111`, `[::1]:1111`) names this preview. Without a port
    /// it is accepted too: a browser always sends the port, and a name that passes cannot be rebound.
    pub fn allows_host(&self, host: &str) -> bool {
        let Some((name, port)) = split_authority(host) else {
            return false;
        };
        if port.is_some_and(|p| p != self.port) {
            return false;
        }
        let name = name.to_ascii_lowercase();
        if name == "localhost" || name == self.bind {
            return true;
        }
        // Any address when bound to the network: a phone on the LAN uses the computer's address.
        ip_literal(&name).is_some_and(|ip| !self.loopback || ip.is_loopback())
    }

    /// Whether a WebSocket's `Origin` is the preview's own page at `host` (already allowed).
    /// Browsers always send `Origin` on a WebSocket, so a request without one is not a web page
    /// (a script or a test) and cannot be a cross-site attack; it is accepted.
    pub fn allows_origin(&self, origin: Option<&str>, host: &str) -> bool {
        let Some(origin) = origin else {
            return true;
        };
        origin
            .strip_prefix("http://")
            .is_some_and(|authority| authority.eq_ignore_ascii_case(host))
    }
}

/// `name:port` or `[v6]:port`, port optional. None when malformed.
fn split_authority(authority: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        // Keep the brackets: they mark the name as an IPv6 literal.
        let name = authority.get(..inside.len().checked_add(2)?)?;
        match after {
            "" => (name, None),
            _ => (name, Some(after.strip_prefix(':')?)),
        }
    } else {
        match authority.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (authority, None),
        }
    };
    if name.is_empty() {
        return None;
    }
    let port = match port {
        // `localhost:` has an empty port, which means the default.
        None | Some("") => None,
        Some(digits) if digits.bytes().all(|b| b.is_ascii_digit()) => Some(digits.parse().ok()?),
        Some(_) => return None,
    };
    Some((name, port))
}

/// `127.0.0.1` or `[::1]`, written the way a URL writes them; a bare IPv6 address is not a host.
fn ip_literal(name: &str) -> Option<IpAddr> {
    match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        Some(v6) => v6.parse::<Ipv6Addr>().ok().map(IpAddr::V6),
        None => name.parse::<Ipv4Addr>().ok().map(IpAddr::V4),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_bracket_ipv6_and_name_wildcards_localhost() {
        assert_eq!(preview_url("127.0.0.1", 1111), "http://127.0.0.1:1111/");
        assert_eq!(preview_url("::1", 1111), "http://[::1]:1111/");
        assert_eq!(preview_url("[::1]", 1111), "http://[::1]:1111/");
        assert_eq!(preview_url("0.0.0.0", 80), "http://localhost:80/");
        assert_eq!(preview_url("::", 1111), "http://localhost:1111/");
        assert_eq!(preview_url("localhost", 1111), "http://localhost:1111/");
        assert_eq!(preview_url("192.168.1.5", 1111), "http://192.168.1.5:1111/");
        assert!(is_loopback("::1") && is_loopback("[::1]") && is_loopback("LOCALHOST"));
        assert!(!is_loopback("0.0.0.0") && !is_loopback("192.168.1.5"));
    }

    #[test]
    fn on_loopback_only_loopback_names_with_the_right_port() {
        let access = Access::new("127.0.0.1", 1111);
        let allowed: Vec<&str> = [
            "localhost:1111",
            "LocalHost:1111",
            "localhost",
            "localhost:",
            "127.0.0.1:1111",
            "127.1.2.3:1111",
            "[::1]:1111",
            "[::1]",
            "evil.example:1111",
            "localhost:1112",
            "localhost:01111x",
            "127.0.0.1:99999",
            "192.168.1.5:1111",
            "[::ffff:c0a8:105]:1111",
            "::1",
            "[::1",
            "[::1]x",
            ":1111",
            "",
            "localhost.evil.example:1111",
        ]
        .into_iter()
        .filter(|h| access.allows_host(h))
        .collect();
        assert_eq!(
            allowed,
            [
                "localhost:1111",
                "LocalHost:1111",
                "localhost",
                "localhost:",
                "127.0.0.1:1111",
                "127.1.2.3:1111",
                "[::1]:1111",
                "[::1]",
            ]
        );
    }

    #[test]
    fn on_the_network_any_address_but_no_other_name() {
        let access = Access::new("0.0.0.0", 1111);
        let allowed: Vec<&str> = [
            "192.168.1.5:1111",
            "[fe80::1]:1111",
            "localhost:1111",
            "0.0.0.0:1111",
            "laptop.local:1111",
            "evil.example:1111",
            "192.168.1.5:1112",
        ]
        .into_iter()
        .filter(|h| access.allows_host(h))
        .collect();
        assert_eq!(
            allowed,
            [
                "192.168.1.5:1111",
                "[fe80::1]:1111",
                "localhost:1111",
                "0.0.0.0:1111"
            ]
        );
        let named = Access::new("Laptop.local", 1111);
        assert!(named.allows_host("laptop.local:1111"));
        assert!(!named.allows_host("evil.example:1111"));
    }

    #[test]
    fn websockets_only_from_the_preview_itself() {
        let access = Access::new("127.0.0.1", 1111);
        let host = "localhost:1111";
        assert!(access.allows_origin(None, host));
        assert!(access.allows_origin(Some("http://localhost:1111"), host));
        assert!(access.allows_origin(Some("http://LOCALHOST:1111"), host));
        for origin in [
            "https://evil.example",
            "http://evil.example:1111",
            "http://localhost:1112",
            "http://127.0.0.1:1111",
            "https://localhost:1111",
            "null",
            "",
        ] {
            assert!(!access.allows_origin(Some(origin), host), "{origin}");
        }
    }
}
