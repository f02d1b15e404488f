//! A YAML tree that remembers where every key and value stood, so that the content model can report
//! problems at file:line:column and collect all of them instead of stopping at the first.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// A 1-based position in a source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub fn new(line: usize, column: usize) -> Self {
        Pos { line, column }
    }

    fn from_location(loc: &serde_saphyr::Location) -> Self {
        Pos {
            line: usize::try_from(loc.line()).unwrap_or(0),
            column: usize::try_from(loc.column()).unwrap_or(0),
        }
    }

    /// Moves a position inside an embedded YAML document (front matter) to the enclosing file.
    pub fn offset_lines(self, lines: usize) -> Self {
        Pos {
            line: self.line.saturating_add(lines),
            column: self.column,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
    /// A number or `true`/`false` as the editor wrote it (`1.50`, `0x10`): a text field keeps
    /// this text instead of the number read from it.
    pub written: Option<Box<str>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

impl Node {
    pub fn kind_name(&self) -> &'static str {
        match self.value {
            Value::Null => "niets (null)",
            Value::Bool(_) => "ja/nee (boolean)",
            Value::Int(_) => "een geheel getal",
            Value::Float(_) => "een kommagetal",
            Value::Str(_) => "tekst",
            Value::Seq(_) => "een lijst",
            Value::Map(_) => "een tabel met sleutels",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Converts to JSON-like plain data for templates.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::Str(s) => serde_json::Value::String(s.clone()),
            Value::Seq(items) => {
                serde_json::Value::Array(items.iter().map(Node::to_json).collect())
            }
            Value::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

/// A YAML error with its place, as serde-saphyr reports it.
#[derive(Debug)]
pub struct YamlError {
    pub message: String,
    pub pos: Option<Pos>,
}

/// Limits against hostile input: "billion laughs" alias expansion and absurd nesting. And YAML
/// 1.2's plain reading of what editors write: `no` and `on` are text, not booleans; `018` and
/// `1_000` stay text; `.nan` and `.inf` are text, which a number field then refuses in Dutch.
fn options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    options.with_snippet = false;
    options.strict_booleans = true;
    options.leading_zero_numbers_as_strings = true;
    options.underscored_numbers_as_strings = true;
    options.non_finite_float_policy = serde_saphyr::NonFiniteFloatPolicy::AsString;
    // Room for large data files (100,000 rows) while alias bombs still stop early.
    if let Some(budget) = options.budget.as_mut() {
        budget.max_nodes = 2_000_000;
    }
    options
}

thread_local! {
    /// The document being parsed on this thread, so that the visitors can take a scalar's text
    /// as written from its span (serde hands them only the value read from it).
    static SOURCE: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// The source text of a number or boolean; text values need none.
fn written_at(value: &Value, location: &serde_saphyr::Location) -> Option<Box<str>> {
    if matches!(value, Value::Int(_) | Value::Float(_) | Value::Bool(_)) {
        span_text(location)
    } else {
        None
    }
}

/// The source text a location's span covers.
fn span_text(location: &serde_saphyr::Location) -> Option<Box<str>> {
    let span = location.span();
    let start = usize::try_from(span.byte_offset()?).ok()?;
    let end = start.checked_add(usize::try_from(span.byte_len()?).ok()?)?;
    SOURCE.with(|source| {
        source
            .borrow()
            .get(start..end)
            .filter(|s| !s.is_empty())
            .map(Box::from)
    })
}

fn node(spanned: Spanned<ValueRepr>) -> Node {
    let written = written_at(&spanned.value.0, &spanned.defined);
    Node {
        pos: Pos::from_location(&spanned.referenced),
        value: spanned.value.0,
        written,
    }
}

pub fn parse(text: &str) -> Result<Node, YamlError> {
    if text.trim().is_empty() {
        return Ok(Node {
            value: Value::Null,
            pos: Pos::new(1, 1),
            written: None,
        });
    }
    SOURCE.with(|source| text.clone_into(&mut source.borrow_mut()));
    let parsed = serde_saphyr::from_str_with_options::<Spanned<ValueRepr>>(text, options());
    SOURCE.with(|source| {
        let mut source = source.borrow_mut();
        source.clear();
        source.shrink_to(4096);
    });
    match parsed {
        Ok(spanned) => Ok(node(spanned)),
        Err(err) => {
            let message = dutch_message(&clean_message(&err.to_string()));
            let mut pos = err.location().map(|l| Pos::from_location(&l));
            // The parser reports a tab at the end of the line before it: point at the tab itself.
            if message == TAB_MESSAGE {
                pos = tab_position(text, pos).or(pos);
            }
            Err(YamlError { pos, message })
        }
    }
}

/// A hint for the YAML mistakes editors make most.
pub fn help(message: &str) -> String {
    let m = message.to_lowercase();
    if m.contains("twee keer") {
        "deze sleutel staat er twee keer: haal één van de twee weg".into()
    } else if m.contains("een tab") {
        "YAML staat geen tabs toe voor inspringen: gebruik spaties".into()
    } else {
        "controleer de inspringing en zet tekst met een dubbele punt tussen aanhalingstekens".into()
    }
}

const TAB_MESSAGE: &str = "er staat een tab waar YAML spaties verwacht";

/// The first tab on or after the reported line.
fn tab_position(text: &str, reported: Option<Pos>) -> Option<Pos> {
    let from = reported.map_or(1, |p| p.line).max(1);
    text.split('\n')
        .enumerate()
        .skip(from.saturating_sub(1))
        .find_map(|(i, line)| {
            let at = line.find('\t')?;
            let column = line.get(..at)?.chars().count().saturating_add(1);
            Some(Pos::new(i.saturating_add(1), column))
        })
}

/// The parser's most common messages in the editors' language; others are passed on as they are.
pub fn dutch_message(message: &str) -> String {
    let lower = message.to_lowercase();
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        return format!("de sleutel `{key}` staat er twee keer");
    }
    if lower.contains("found a tab") || lower.contains("tabs") {
        return TAB_MESSAGE.into();
    }
    if lower.contains("unclosed bracket") || lower.contains("unclosed flow sequence") {
        return "een `[` wordt niet gesloten met `]`".into();
    }
    if lower.contains("unclosed brace") || lower.contains("unclosed flow mapping") {
        return "een `{` wordt niet gesloten met `}`".into();
    }
    if lower.contains("mapping values are not allowed") {
        return "een tweede dubbele punt op deze regel; zet de tekst tussen aanhalingstekens"
            .into();
    }
    if lower.contains("unclosed quote")
        || lower.contains("unexpected end of stream") && lower.contains("quot")
    {
        return "een aanhalingsteken wordt niet gesloten".into();
    }
    if lower.contains("recursion limit") {
        return "het bestand is te diep genest (te veel lijsten of tabellen in elkaar)".into();
    }
    if lower.contains("budget") || lower.contains("alias") && lower.contains("limit") {
        return format!("het bestand is te groot of te diep genest om veilig te lezen ({message})");
    }
    message.to_string()
}

/// serde-saphyr appends " at line X column Y" to messages; we print places ourselves.
fn clean_message(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message).trim();
    let cut = first.find(" at line ").map_or(first, |i| &first[..i]);
    cut.trim_end_matches(':').to_string()
}

struct ValueRepr(Value);

/// A key's text, and whether YAML read it as something other than text.
struct KeyRepr(String, bool);

impl<'de> Deserialize<'de> for KeyRepr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = KeyRepr;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyRepr, E> {
                Ok(KeyRepr(v.to_string(), false))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<KeyRepr, E> {
                Ok(KeyRepr(v.to_string(), true))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<KeyRepr, E> {
                Ok(KeyRepr(v.to_string(), true))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<KeyRepr, E> {
                Ok(KeyRepr(v.to_string(), true))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<KeyRepr, E> {
                Ok(KeyRepr(v.to_string(), true))
            }
            fn visit_unit<E: de::Error>(self) -> Result<KeyRepr, E> {
                Ok(KeyRepr(String::new(), false))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

impl<'de> Deserialize<'de> for ValueRepr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;
        impl<'de> Visitor<'de> for ValueVisitor {
            type Value = ValueRepr;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<ValueRepr, E> {
                Ok(ValueRepr(Value::Bool(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ValueRepr, E> {
                Ok(ValueRepr(Value::Int(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ValueRepr, E> {
                Ok(ValueRepr(match i64::try_from(v) {
                    Ok(i) => Value::Int(i),
                    Err(_) => Value::Float(v as f64),
                }))
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<ValueRepr, E> {
                Ok(ValueRepr(match i64::try_from(v) {
                    Ok(i) => Value::Int(i),
                    Err(_) => Value::Float(v as f64),
                }))
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<ValueRepr, E> {
                Ok(ValueRepr(match i64::try_from(v) {
                    Ok(i) => Value::Int(i),
                    Err(_) => Value::Float(v as f64),
                }))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ValueRepr, E> {
                Ok(ValueRepr(Value::Float(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ValueRepr, E> {
                Ok(ValueRepr(Value::Str(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<ValueRepr, E> {
                Ok(ValueRepr(Value::Str(v)))
            }
            fn visit_unit<E: de::Error>(self) -> Result<ValueRepr, E> {
                Ok(ValueRepr(Value::Null))
            }
            fn visit_none<E: de::Error>(self) -> Result<ValueRepr, E> {
                Ok(ValueRepr(Value::Null))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<ValueRepr, D::Error> {
                ValueRepr::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ValueRepr, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<ValueRepr>>()? {
                    items.push(node(item));
                }
                Ok(ValueRepr(Value::Seq(items)))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ValueRepr, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<KeyRepr>>()? {
                    let value = map.next_value::<Spanned<ValueRepr>>()?;
                    // A key that YAML reads as a number or boolean keeps its text too.
                    let name = match key.value {
                        KeyRepr(name, false) => name,
                        KeyRepr(name, true) => span_text(&key.defined).map_or(name, String::from),
                    };
                    entries.push((
                        Key {
                            name,
                            pos: Pos::from_location(&key.referenced),
                        },
                        node(value),
                    ));
                }
                Ok(ValueRepr(Value::Map(entries)))
            }
        }
        deserializer.deserialize_any(ValueVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_positions_of_keys_and_values() {
        let node = parse("title: Hallo\nrollen: [financier, promotor]\n").unwrap();
        let Value::Map(entries) = node.value else {
            panic!("not a map")
        };
        assert_eq!(entries[0].0.name, "title");
        assert_eq!(entries[0].0.pos, Pos::new(1, 1));
        assert_eq!(entries[1].0.pos, Pos::new(2, 1));
        let Value::Seq(items) = &entries[1].1.value else {
            panic!("not a seq")
        };
        assert_eq!(items[1].pos, Pos::new(2, 21));
        assert_eq!(items[1].as_str(), Some("promotor"));
    }

    #[test]
    fn keeps_what_the_editor_wrote() {
        let node = parse(
            "a: no\nb: 018\nc: 0x10\nd: 1_000\ne: 1.50\nf: .nan\ng: &x 1.50\nh: *x\n1.50: k\ni: true\n",
        )
        .unwrap();
        let Value::Map(entries) = node.value else {
            panic!("not a map")
        };
        let shown: Vec<(String, Value, Option<&str>)> = entries
            .iter()
            .map(|(k, v)| (k.name.clone(), v.value.clone(), v.written.as_deref()))
            .collect();
        let text = |s: &str| Value::Str(s.to_string());
        assert_eq!(
            shown,
            [
                ("a".into(), text("no"), None),
                ("b".into(), text("018"), None),
                ("c".into(), Value::Int(16), Some("0x10")),
                ("d".into(), text("1_000"), None),
                ("e".into(), Value::Float(1.5), Some("1.50")),
                ("f".into(), text(".nan"), None),
                ("g".into(), Value::Float(1.5), Some("1.50")),
                ("h".into(), Value::Float(1.5), Some("1.50")),
                ("1.50".into(), text("k"), None),
                ("i".into(), Value::Bool(true), Some("true")),
            ]
        );
    }

    #[test]
    fn reports_duplicate_keys_with_place() {
        let err = parse("title: a\ntitle: b\n").unwrap_err();
        assert_eq!(err.pos.map(|p| p.line), Some(2), "{err:?}");
    }

    #[test]
    fn refuses_exponential_aliases() {
        let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            doc.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        assert!(parse(&doc).is_err());
    }
}
