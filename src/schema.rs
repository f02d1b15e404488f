//! Reading typed values out of a positioned YAML tree, reporting every problem with its place.

use crate::diagnostics::{Diagnostic, nearest};
use crate::yaml::{Key, Node, Pos, Value};

/// Where a YAML document sits (file, and the line it starts after) and the problems found in it.
pub struct Reader {
    pub file: String,
    pub line_offset: usize,
    pub diagnostics: Vec<Diagnostic>,
}

impl Reader {
    pub fn new(file: impl Into<String>, line_offset: usize) -> Self {
        Reader {
            file: file.into(),
            line_offset,
            diagnostics: Vec::new(),
        }
    }

    pub fn place(&self, pos: Pos) -> Pos {
        pos.offset_lines(self.line_offset)
    }

    pub fn error(&mut self, pos: Pos, message: impl Into<String>, help: Option<String>) {
        let pos = self.place(pos);
        let mut d = Diagnostic::error(self.file.clone(), pos.line, pos.column, message);
        d.help = help;
        self.diagnostics.push(d);
    }

    pub fn warning(&mut self, pos: Pos, message: impl Into<String>, help: Option<String>) {
        let pos = self.place(pos);
        let mut d = Diagnostic::warning(self.file.clone(), pos.line, pos.column, message);
        d.help = help;
        self.diagnostics.push(d);
    }

    /// The entries of a mapping, or an error naming what was expected.
    pub fn map<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [(Key, Node)]> {
        match &node.value {
            Value::Map(entries) => Some(entries),
            Value::Null => Some(&[]),
            _ => {
                self.error(
                    node.pos,
                    format!(
                        "{what} moet een tabel met sleutels zijn, maar is {}",
                        node.kind_name()
                    ),
                    Some("schrijf elke instelling als `sleutel: waarde` op een eigen regel".into()),
                );
                None
            }
        }
    }

    /// Reports every key that is not in `allowed`, with the nearest allowed key as a suggestion.
    pub fn unknown_keys(&mut self, entries: &[(Key, Node)], allowed: &[&str], what: &str) {
        for (key, _) in entries {
            if !allowed.contains(&key.name.as_str()) {
                let help = match nearest(&key.name, allowed.iter().copied()) {
                    Some(near) => format!(
                        "bedoelt u `{near}`? Toegestaan zijn: {}",
                        allowed.join(", ")
                    ),
                    None => format!("toegestaan zijn: {}", allowed.join(", ")),
                };
                self.error(
                    key.pos,
                    format!("onbekende sleutel `{}` in {what}", key.name),
                    Some(help),
                );
            }
        }
    }

    pub fn string(&mut self, node: &Node, key: &str) -> Option<String> {
        match &node.value {
            Value::Str(s) => Some(s.clone()),
            // A number or boolean in a text field: the text as written, `1.50` and not `1.5`.
            _ if node.written.is_some() => node.written.as_deref().map(str::to_string),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null => {
                self.error(
                    node.pos,
                    format!("`{key}` is leeg"),
                    Some(format!(
                        "schrijf de tekst achter `{key}:` op dezelfde regel, bijvoorbeeld `{key}: Financier`"
                    )),
                );
                None
            }
            _ => {
                self.error(
                    node.pos,
                    format!("`{key}` moet tekst zijn, maar is {}", node.kind_name()),
                    Some(format!(
                        "schrijf tekst achter `{key}:`; zet tekst met een dubbele punt of haken tussen aanhalingstekens"
                    )),
                );
                None
            }
        }
    }

    pub fn non_empty_string(&mut self, node: &Node, key: &str) -> Option<String> {
        let s = self.string(node, key)?;
        if s.trim().is_empty() {
            self.error(
                node.pos,
                format!("`{key}` is leeg"),
                Some(format!("vul `{key}` in")),
            );
            return None;
        }
        Some(s)
    }

    pub fn bool(&mut self, node: &Node, key: &str) -> Option<bool> {
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                self.error(
                    node.pos,
                    format!(
                        "`{key}` moet `true` of `false` zijn, maar is {}",
                        node.kind_name()
                    ),
                    Some(format!(
                        "schrijf `{key}: true` of `{key}: false` (`ja`, `yes` en `no` zijn tekst)"
                    )),
                );
                None
            }
        }
    }

    pub fn int(&mut self, node: &Node, key: &str) -> Option<i64> {
        match node.value {
            Value::Int(i) => Some(i),
            _ => {
                self.error(
                    node.pos,
                    format!(
                        "`{key}` moet een geheel getal zijn, maar is {}",
                        node.kind_name()
                    ),
                    None,
                );
                None
            }
        }
    }

    pub fn seq<'n>(&mut self, node: &'n Node, key: &str) -> Option<&'n [Node]> {
        match &node.value {
            Value::Seq(items) => Some(items),
            _ => {
                self.error(
                    node.pos,
                    format!("`{key}` moet een lijst zijn, maar is {}", node.kind_name()),
                    Some(format!("schrijf bijvoorbeeld `{key}: [a, b]`")),
                );
                None
            }
        }
    }

    /// A list of strings; a single string is accepted as a list of one.
    pub fn strings(&mut self, node: &Node, key: &str) -> Vec<(String, Pos)> {
        if let Value::Str(s) = &node.value {
            return vec![(s.clone(), node.pos)];
        }
        let Some(items) = self.seq(node, key) else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| self.string(item, key).map(|s| (s, item.pos)))
            .collect()
    }

    /// A calendar date written as `YYYY-MM-DD`.
    pub fn date(&mut self, node: &Node, key: &str) -> Option<String> {
        let s = self.string(node, key)?;
        if is_valid_date(&s) {
            return Some(s);
        }
        let (message, help) = match day_that_does_not_exist(&s) {
            // Written right, but the day is not in the calendar: say so, not "write it as …".
            Some((day, month, year, days)) => (
                format!("`{key}`: {day} {month} {year} bestaat niet"),
                format!("{month} {year} heeft {days} dagen"),
            ),
            None => (
                format!("`{key}` is geen geldige datum: `{s}`"),
                "schrijf een datum als JJJJ-MM-DD, bijvoorbeeld 2023-06-01".to_string(),
            ),
        };
        self.error(node.pos, message, Some(help));
        None
    }
}

pub fn get<'n>(entries: &'n [(Key, Node)], key: &str) -> Option<&'n Node> {
    entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v)
}

/// `(year, month, day, days in that month)` of `YYYY-MM-DD` with a real month.
fn date_parts(s: &str) -> Option<(u32, u32, u32, u32)> {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return None;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    Some((y, m, d, days))
}

pub fn is_valid_date(s: &str) -> bool {
    date_parts(s).is_some_and(|(_, _, d, days)| (1..=days).contains(&d))
}

/// A date in the right form whose day is not in its month: `(day, month name, year, days)`.
fn day_that_does_not_exist(s: &str) -> Option<(u32, &'static str, u32, u32)> {
    let (y, m, d, days) = date_parts(s)?;
    let month = crate::nl::month_name(m)?;
    (!(1..=days).contains(&d)).then_some((d, month, y, days))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_dates() {
        assert!(is_valid_date("2024-02-29"));
        assert!(!is_valid_date("2023-02-29"));
        assert!(!is_valid_date("2023-13-01"));
        assert!(!is_valid_date("1 juni 2023"));
        assert_eq!(
            day_that_does_not_exist("2023-02-30"),
            Some((30, "februari", 2023, 28))
        );
        assert_eq!(day_that_does_not_exist("2023-13-01"), None);
        assert_eq!(day_that_does_not_exist("2023-02-28"), None);
    }
}
