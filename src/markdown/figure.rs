//! The figure short-code `{{< grafiek ID >}}`: written as a placeholder while Markdown is rendered,
//! replaced by the figure's HTML when the page goes through its template.

const START: &str = "<!--handreiking:grafiek:";
const END: &str = "-->";

pub fn figure_placeholder(key: &str) -> String {
    format!("{START}{key}{END}")
}

/// `{{< grafiek gemeenten-beleidsnota >}}` alone in a paragraph -> `Some("gemeenten-beleidsnota")`.
pub(super) fn shortcode(text: &str) -> Option<&str> {
    let inner = text.trim().strip_prefix("{{<")?.strip_suffix(">}}")?.trim();
    let key = inner.strip_prefix("grafiek")?;
    if !key.starts_with(char::is_whitespace) {
        return None;
    }
    let key = key.trim().trim_matches('"');
    (!key.is_empty()).then_some(key)
}

/// Replaces every placeholder in `html` with what `figure` gives for its key (nothing for `None`).
pub fn replace_placeholders<'a>(html: String, figure: impl Fn(&str) -> Option<&'a str>) -> String {
    if !html.contains(START) {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(i) = rest.find(START) {
        out.push_str(rest.get(..i).unwrap_or(""));
        let after = i
            .checked_add(START.len())
            .and_then(|n| rest.get(n..))
            .unwrap_or("");
        let Some(end) = after.find(END) else {
            break;
        };
        out.push_str(figure(after.get(..end).unwrap_or("")).unwrap_or(""));
        rest = end
            .checked_add(END.len())
            .and_then(|n| after.get(n..))
            .unwrap_or("");
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_placeholder_round_trips_and_unknown_keys_vanish() {
        let html = format!(
            "<p>a</p>\n{}\n<p>b</p>{}",
            figure_placeholder("w/q"),
            figure_placeholder("x")
        );
        assert_eq!(
            html,
            "<p>a</p>\n<!--handreiking:grafiek:w/q-->\n<p>b</p><!--handreiking:grafiek:x-->"
        );
        let out = replace_placeholders(html, |key| (key == "w/q").then_some("<figure>F</figure>"));
        assert_eq!(out, "<p>a</p>\n<figure>F</figure>\n<p>b</p>");
    }

    #[test]
    fn shortcodes_are_recognised_only_alone_and_with_a_key() {
        assert_eq!(
            shortcode("{{< grafiek gemeenten-x >}}"),
            Some("gemeenten-x")
        );
        assert_eq!(shortcode(" {{<grafiek \"w/q\" >}} "), Some("w/q"));
        assert_eq!(shortcode("{{< grafiekx >}}"), None);
        assert_eq!(shortcode("{{< grafiek >}}"), None);
        assert_eq!(shortcode("tekst {{< grafiek a >}}"), None);
    }
}
