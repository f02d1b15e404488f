//! Survey waves from `data/<statistics.data>/<wave>.yaml`: the schema and its checks.

use crate::config::{Config, Taxonomy, term_help};
use crate::data::DataFile;
use crate::diagnostics::{Diagnostic, nearest};
use crate::schema::{Reader, get};
use crate::yaml::{Node, Pos, Value};

#[derive(Clone, Debug)]
pub struct Wave {
    /// The file name without extension: `vervolgmonitor-2023`.
    pub id: String,
    pub display: String,
    pub title: String,
    pub year: i64,
    pub fieldwork: String,
    pub publisher: String,
    pub source_report: String,
    pub source_annex: String,
    /// The site path of the page on the survey's approach and representativeness, if any.
    pub source_approach: Option<String>,
    pub licence: String,
    pub data_date: String,
    pub groups: Vec<Group>,
    pub questions: Vec<Question>,
}

#[derive(Clone, Debug)]
pub struct Group {
    pub id: String,
    pub label: String,
    pub population: u64,
    pub respondents: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuestionKind {
    Choice,
    Scale,
}

#[derive(Clone, Debug)]
pub struct Question {
    pub id: String,
    pub number: i64,
    pub group: String,
    pub text: String,
    pub roles: Vec<String>,
    pub kind: QuestionKind,
    pub multiple_answers: bool,
    pub answers: Vec<Answer>,
    pub pair: Option<String>,
    pub note: Option<String>,
    /// Whether the counts could be tied to the answers with certainty, and why not.
    pub reading: Reading,
    pub pos: Pos,
}

/// How sure the transcription of a question's counts is. A source whose layout was lost can leave
/// several readings open; the published figures must say so instead of looking as firm as the rest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reading {
    Certain,
    Uncertain { note: String },
}

#[derive(Clone, Debug)]
pub struct Answer {
    pub label: String,
    pub value: Option<i64>,
    pub count: Option<u64>,
    /// The count is not in the source but inferred by the editor (a missing bar read as 0).
    pub inferred: bool,
}

impl Wave {
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }
}

impl Question {
    /// n: the sum of the known counts.
    pub fn n(&self) -> u64 {
        // Loading refuses counts whose sum does not fit, so saturating never changes a figure.
        self.answers
            .iter()
            .filter_map(|a| a.count)
            .fold(0u64, u64::saturating_add)
    }

    pub fn has_unknown(&self) -> bool {
        self.answers.iter().any(|a| a.count.is_none())
    }

    /// n when every count is known: with one count missing the total is unknown too, and so is
    /// every share of it. Unknown is not zero.
    pub fn known_n(&self) -> Option<u64> {
        (!self.has_unknown()).then(|| self.n())
    }
}

const WAVE_KEYS: &[&str] = &[
    "title",
    "year",
    "fieldwork",
    "publisher",
    "source",
    "licence",
    "data_date",
    "groups",
    "questions",
];
const QUESTION_KEYS: &[&str] = &[
    "id",
    "number",
    "group",
    "text",
    "roles",
    "kind",
    "multiple_answers",
    "answers",
    "pair",
    "note",
    "reading",
    "reading_note",
];

/// Reads every wave; errors go to `diagnostics`, facts of the source worth a look to `source_warnings`.
pub fn load(
    files: &[DataFile],
    config: &Config,
    diagnostics: &mut Vec<Diagnostic>,
    source_warnings: &mut Vec<Diagnostic>,
    declared: &mut std::collections::HashSet<String>,
) -> Vec<Wave> {
    crate::stats::series::check(files, config, diagnostics, declared);
    let dir = &config.statistics.data;
    let roles = config.taxonomy(&config.statistics.taxonomy);
    let mut waves = Vec::new();
    for file in files {
        if file.key.len() != 2 || file.key.first() != Some(dir) {
            continue;
        }
        let Some(id) = file.key.last() else {
            continue;
        };
        declared_ids(id, &file.node, declared);
        if let Err(why) = crate::segment::check_url_part(id) {
            diagnostics.push(
                Diagnostic::error(
                    &file.display,
                    0,
                    0,
                    format!("ongeldige bestandsnaam voor een meting: het URL-deel `{id}` {why}"),
                )
                .help("de bestandsnaam van een meting wordt een deel van de URL: hernoem het bestand naar kleine letters, cijfers en streepjes, zoals `monitor-2023.yaml`"),
            );
            continue;
        }
        let mut r = Reader::new(&file.display, 0);
        if let Some(wave) = read_wave(&mut r, id, &file.node, roles) {
            check_wave(&mut r, &wave, source_warnings, &file.display);
            if r.diagnostics.is_empty() {
                waves.push(wave);
            }
        }
        diagnostics.extend(r.diagnostics);
    }
    waves
}

/// Question ids as written, also in a file with errors, so that pages embedding them do not get a
/// second, misleading "unknown figure" error.
fn declared_ids(wave: &str, node: &Node, declared: &mut std::collections::HashSet<String>) {
    let Value::Map(entries) = &node.value else {
        return;
    };
    let Some(Value::Seq(questions)) = get(entries, "questions").map(|n| &n.value) else {
        return;
    };
    for q in questions {
        if let Value::Map(qe) = &q.value
            && let Some(id) = get(qe, "id").and_then(Node::as_str)
        {
            declared.insert(id.to_string());
            declared.insert(format!("{wave}/{id}"));
        }
    }
}

fn required<'n>(
    r: &mut Reader,
    entries: &'n [(crate::yaml::Key, Node)],
    key: &str,
    at: Pos,
    what: &str,
) -> Option<&'n Node> {
    let node = get(entries, key);
    if node.is_none() {
        r.error(
            at,
            format!("{what} mist `{key}`"),
            Some(format!("voeg `{key}: …` toe")),
        );
    }
    node
}

/// How a wave file says that the source gives no count.
const UNKNOWN: &str = "onbekend";

fn count_of(r: &mut Reader, node: &Node, key: &str) -> Option<u64> {
    match node.value {
        Value::Int(i) if i >= 0 => Some(u64::try_from(i).unwrap_or(0)),
        Value::Int(i) => {
            r.error(
                node.pos,
                format!("`{key}` is negatief ({i})"),
                Some("een aantal is 0 of meer".into()),
            );
            None
        }
        Value::Float(f) => {
            r.error(
                node.pos,
                format!("`{key}` is geen geheel getal ({f})"),
                Some(
                    format!("een aantal is een geheel getal; schrijf `{UNKNOWN}` als de bron het aantal niet geeft"),
                ),
            );
            None
        }
        _ => {
            r.error(
                node.pos,
                format!(
                    "`{key}` moet een geheel getal zijn, maar is {}",
                    node.kind_name()
                ),
                Some(format!(
                    "schrijf een aantal als 12, of `{UNKNOWN}` als de bron het niet geeft"
                )),
            );
            None
        }
    }
}

/// `YYYY-MM-DD`, or `YYYY-MM` when the source names only the month: a day the source does not give
/// would be invented.
fn data_date(r: &mut Reader, node: &Node) -> Option<String> {
    if let Some(s) = node.as_str()
        && s.len() == 7
        && crate::schema::is_valid_date(&format!("{s}-01"))
    {
        return Some(s.to_string());
    }
    let date = r.date(node, "data_date");
    if date.is_none()
        && let Some(last) = r.diagnostics.last_mut()
    {
        last.help = Some("schrijf een datum als JJJJ-MM-DD, of alleen de maand als JJJJ-MM als de bron geen dag noemt".into());
    }
    date
}

fn read_wave(r: &mut Reader, id: &str, node: &Node, roles: Option<&Taxonomy>) -> Option<Wave> {
    let entries = r.map(node, "een meting")?;
    r.unknown_keys(entries, WAVE_KEYS, "een meting");
    let at = Pos::new(1, 1);
    let title =
        required(r, entries, "title", at, "de meting").and_then(|n| r.non_empty_string(n, "title"));
    let year = required(r, entries, "year", at, "de meting").and_then(|n| r.int(n, "year"));
    let fieldwork = required(r, entries, "fieldwork", at, "de meting")
        .and_then(|n| r.non_empty_string(n, "fieldwork"));
    let publisher = required(r, entries, "publisher", at, "de meting")
        .and_then(|n| r.non_empty_string(n, "publisher"));
    let licence = required(r, entries, "licence", at, "de meting")
        .and_then(|n| r.non_empty_string(n, "licence"));
    let data_date =
        required(r, entries, "data_date", at, "de meting").and_then(|n| data_date(r, n));
    let (mut source_report, mut source_annex) = (None, Some(String::new()));
    let mut source_approach = None;
    if let Some(source) = required(r, entries, "source", at, "de meting")
        && let Some(se) = r.map(source, "`source`")
    {
        r.unknown_keys(se, &["report", "annex", "approach"], "`source`");
        source_approach = get(se, "approach").and_then(|n| r.non_empty_string(n, "approach"));
        source_report = required(r, se, "report", source.pos, "`source`")
            .and_then(|n| r.non_empty_string(n, "report"));
        source_annex = get(se, "annex").map(|n| r.string(n, "annex").unwrap_or_default());
    }

    let mut groups: Vec<Group> = Vec::new();
    if let Some(groups_node) = required(r, entries, "groups", at, "de meting") {
        for g in r.seq(groups_node, "groups").unwrap_or(&[]) {
            let Some(ge) = r.map(g, "een groep") else {
                continue;
            };
            r.unknown_keys(
                ge,
                &["id", "label", "population", "respondents"],
                "een groep",
            );
            let gid =
                required(r, ge, "id", g.pos, "een groep").and_then(|n| r.non_empty_string(n, "id"));
            let label = required(r, ge, "label", g.pos, "een groep")
                .and_then(|n| r.non_empty_string(n, "label"));
            let population = required(r, ge, "population", g.pos, "een groep")
                .and_then(|n| count_of(r, n, "population"));
            let respondents = required(r, ge, "respondents", g.pos, "een groep")
                .and_then(|n| count_of(r, n, "respondents"));
            if let (Some(gid), Some(label), Some(population), Some(respondents)) =
                (gid, label, population, respondents)
            {
                if groups.iter().any(|x| x.id == gid) {
                    r.error(g.pos, format!("de groep `{gid}` staat er twee keer"), None);
                    continue;
                }
                if respondents > population {
                    r.error(g.pos, format!("de groep `{gid}` heeft meer respondenten ({respondents}) dan de populatie ({population})"), None);
                }
                groups.push(Group {
                    id: gid,
                    label,
                    population,
                    respondents,
                });
            }
        }
    }

    let mut questions: Vec<Question> = Vec::new();
    if let Some(questions_node) = required(r, entries, "questions", at, "de meting") {
        for q in r.seq(questions_node, "questions").unwrap_or(&[]) {
            if let Some(question) = read_question(r, q, &groups, roles) {
                if question.id == id {
                    let at = match &q.value {
                        Value::Map(qe) => get(qe, "id").map_or(q.pos, |n| n.pos),
                        _ => q.pos,
                    };
                    r.error(
                        at,
                        format!("de vraag-id `{id}` is gelijk aan de naam van de meting"),
                        Some(format!("de downloads van de meting heten al `{id}.csv` en `{id}.json`: geef de vraag een andere `id`")),
                    );
                    continue;
                }
                if questions.iter().any(|x| x.id == question.id) {
                    r.error(
                        q.pos,
                        format!("de vraag-id `{}` staat er twee keer", question.id),
                        Some("geef elke vraag een eigen `id`".into()),
                    );
                    continue;
                }
                questions.push(question);
            }
        }
    }
    Some(Wave {
        id: id.to_string(),
        display: r.file.clone(),
        title: title?,
        year: year?,
        fieldwork: fieldwork?,
        publisher: publisher?,
        source_report: source_report?,
        source_annex: source_annex.unwrap_or_default(),
        source_approach,
        licence: licence?,
        data_date: data_date?,
        groups,
        questions,
    })
}

fn read_question(
    r: &mut Reader,
    q: &Node,
    groups: &[Group],
    roles: Option<&Taxonomy>,
) -> Option<Question> {
    let qe = r.map(q, "een vraag")?;
    r.unknown_keys(qe, QUESTION_KEYS, "een vraag");
    let id_node = required(r, qe, "id", q.pos, "een vraag");
    let id = id_node.and_then(|n| r.non_empty_string(n, "id"));
    if let (Some(id), Some(node)) = (&id, id_node)
        && !crate::config::is_slug(id)
    {
        r.error(
            node.pos,
            format!("de vraag-id `{id}` is geen geldige id"),
            Some("een vraag-id wordt een deel van de URL: gebruik kleine letters, cijfers en streepjes (hoogstens 255 tekens)".into()),
        );
    }
    let number = required(r, qe, "number", q.pos, "een vraag").and_then(|n| r.int(n, "number"));
    let group = required(r, qe, "group", q.pos, "een vraag").and_then(|n| {
        let g = r.non_empty_string(n, "group")?;
        if groups.iter().any(|x| x.id == g) {
            Some(g)
        } else {
            let ids: Vec<&str> = groups.iter().map(|x| x.id.as_str()).collect();
            let help = match nearest(&g, ids.iter().copied()) {
                Some(near) => format!("bedoelt u `{near}`? Groepen: {}", ids.join(", ")),
                None => format!("groepen: {}", ids.join(", ")),
            };
            r.error(n.pos, format!("onbekende groep `{g}`"), Some(help));
            None
        }
    });
    let text =
        required(r, qe, "text", q.pos, "een vraag").and_then(|n| r.non_empty_string(n, "text"));
    let mut role_list = Vec::new();
    if let Some(n) = required(r, qe, "roles", q.pos, "een vraag") {
        for (role, pos) in r.strings(n, "roles") {
            match roles {
                Some(t) if !t.terms.iter().any(|x| x.slug == role) => {
                    r.error(
                        pos,
                        format!("onbekende rol `{role}`"),
                        Some(term_help(t, &role)),
                    );
                }
                _ => role_list.push(role),
            }
        }
    }
    let kind = required(r, qe, "kind", q.pos, "een vraag").and_then(|n| match n.as_str() {
        Some("choice") => Some(QuestionKind::Choice),
        Some("scale") => Some(QuestionKind::Scale),
        _ => {
            r.error(
                n.pos,
                "`kind` moet `choice` of `scale` zijn",
                Some("`choice` voor een keuzevraag, `scale` voor een geordende schaal".into()),
            );
            None
        }
    });
    let multiple_answers = get(qe, "multiple_answers")
        .and_then(|n| r.bool(n, "multiple_answers"))
        .unwrap_or(false);
    let answers = read_answers(r, qe, q.pos);
    if kind == Some(QuestionKind::Scale) {
        let values: Vec<i64> = answers.iter().filter_map(|a| a.value).collect();
        if values.len() < 2 {
            r.error(
                q.pos,
                "een schaalvraag heeft geen volgorde: geef de antwoorden een `value` (1, 2, 3 …)",
                Some("zet bij elk antwoord op de schaal `value:` met zijn plaats; laat `value` weg bij bijvoorbeeld 'Weet niet'".into()),
            );
        } else if values.windows(2).any(|w| w.first() >= w.get(1)) {
            r.error(
                q.pos,
                "de antwoorden van een schaalvraag staan niet in oplopende volgorde van `value`",
                Some("zet de antwoorden in de volgorde van de schaal".into()),
            );
        }
    }
    let pair = get(qe, "pair").and_then(|n| r.non_empty_string(n, "pair"));
    let note = get(qe, "note").and_then(|n| r.non_empty_string(n, "note"));
    let reading = read_reading(r, qe, q.pos);
    Some(Question {
        id: id?,
        number: number?,
        group: group?,
        text: text?,
        roles: role_list,
        kind: kind?,
        multiple_answers,
        answers,
        pair,
        note,
        reading: reading?,
        pos: r.place(q.pos),
    })
}

/// `reading: uncertain` needs a `reading_note` that says why: a flag without a reason cannot be
/// weighed by a reader.
fn read_reading(r: &mut Reader, qe: &[(crate::yaml::Key, Node)], at: Pos) -> Option<Reading> {
    let note = get(qe, "reading_note").and_then(|n| r.non_empty_string(n, "reading_note"));
    let Some(node) = get(qe, "reading") else {
        return Some(Reading::Certain);
    };
    match node.as_str() {
        Some("certain") => Some(Reading::Certain),
        Some("uncertain") => match note {
            Some(note) => Some(Reading::Uncertain { note }),
            None => {
                r.error(
                    at,
                    "een vraag met `reading: uncertain` mist `reading_note`",
                    Some("leg in `reading_note` uit waarom de aflezing onzeker is en welke andere lezingen mogelijk zijn".into()),
                );
                None
            }
        },
        _ => {
            r.error(
                node.pos,
                "`reading` moet `certain` of `uncertain` zijn",
                Some("`uncertain` als de aantallen niet zeker bij de antwoorden horen".into()),
            );
            None
        }
    }
}

/// The answers in source order. Their counts must add up without overflowing: a sum that wrapped
/// would publish a wrong n and mean.
fn read_answers(r: &mut Reader, qe: &[(crate::yaml::Key, Node)], at: Pos) -> Vec<Answer> {
    let mut answers = Vec::new();
    let Some(n) = required(r, qe, "answers", at, "een vraag") else {
        return answers;
    };
    let items = r.seq(n, "answers").unwrap_or(&[]);
    if items.is_empty() {
        r.error(n.pos, "een vraag heeft minstens één antwoord nodig", None);
    }
    let mut total = Some(0u64);
    for a in items {
        let Some(ae) = r.map(a, "een antwoord") else {
            continue;
        };
        r.unknown_keys(ae, &["label", "count", "value", "inferred"], "een antwoord");
        let label = required(r, ae, "label", a.pos, "een antwoord")
            .and_then(|n| r.non_empty_string(n, "label"));
        let count = match required(r, ae, "count", a.pos, "een antwoord") {
            // Written out: the source does not give this count.
            Some(n) if n.as_str() == Some(UNKNOWN) => Some(None),
            Some(n) if n.value == Value::Null => {
                r.warning(
                    n.pos,
                    "`count` is leeg: dit aantal staat op de site als onbekend",
                    Some(format!(
                        "vul het aantal in, of schrijf `count: {UNKNOWN}` als de bron het niet geeft"
                    )),
                );
                Some(None)
            }
            Some(n) => count_of(r, n, "count").map(Some),
            None => None,
        };
        if let (Some(Some(c)), Some(sum), Some(node)) = (count, total, get(ae, "count")) {
            total = sum.checked_add(c);
            if total.is_none() {
                r.error(
                    node.pos,
                    format!(
                        "de aantallen van deze vraag tellen hier op tot meer dan {}",
                        crate::stats::numbers::group_thousands(u64::MAX)
                    ),
                    Some("controleer de aantallen: elk aantal is het aantal respondenten dat dit antwoord gaf".into()),
                );
            }
        }
        let value = get(ae, "value").and_then(|n| r.int(n, "value"));
        let inferred = get(ae, "inferred")
            .and_then(|n| r.bool(n, "inferred"))
            .unwrap_or(false);
        if let (Some(label), Some(count)) = (label, count) {
            answers.push(Answer {
                label,
                value,
                count,
                inferred,
            });
        }
    }
    answers
}

fn check_wave(r: &mut Reader, wave: &Wave, source_warnings: &mut Vec<Diagnostic>, display: &str) {
    for q in &wave.questions {
        if let Some(pair) = &q.pair {
            match wave.question(pair) {
                None => r.error(
                    q.pos,
                    format!(
                        "`pair` van `{}` wijst naar een onbekende vraag `{pair}`",
                        q.id
                    ),
                    None,
                ),
                Some(other) if other.group == q.group => r.error(
                    q.pos,
                    format!(
                        "`pair` van `{}` wijst naar een vraag aan dezelfde groep",
                        q.id
                    ),
                    Some("een paar is dezelfde vraag aan de andere groep".into()),
                ),
                Some(other) if other.pair.as_deref() != Some(q.id.as_str()) => r.error(
                    q.pos,
                    format!(
                        "`{}` wijst naar `{pair}` als paar, maar `{pair}` niet terug",
                        q.id
                    ),
                    Some(format!("zet bij `{pair}`: `pair: {}`", q.id)),
                ),
                Some(_) => {}
            }
        }
        let Some(group) = wave.group(&q.group) else {
            continue;
        };
        let n = q.n();
        if n > group.respondents {
            source_warnings.push(
                Diagnostic::warning(
                    display,
                    q.pos.line,
                    q.pos.column,
                    format!(
                        "de aantallen van vraag {} (`{}`) tellen op tot {n}, meer dan de {} respondenten van {}",
                        q.number,
                        q.id,
                        group.respondents,
                        group.label.to_lowercase()
                    ),
                )
                .help(if q.multiple_answers {
                    "er waren meerdere antwoorden mogelijk; de pagina meldt dit".to_string()
                } else {
                    "zo staat het in de bron; de pagina meldt dit. Controleer de overname, of zet `multiple_answers: true` als meerdere antwoorden mogelijk waren".to_string()
                }),
            );
        }
    }
}
