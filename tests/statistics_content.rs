//! Issue #17: the handbook's role pages quote survey figures; every such figure must be in the
//! data file.
//!
//! How the test finds them: in each role page's "## Wat zegt de monitor?" section, every bullet
//! that contains a number must link to the question pages it quotes (`/cijfers/<wave>/<id>/`).
//! Every number in the bullet's text (link targets left out) must then be one of those questions'
//! counts, their n, the group's respondents or population, the question number (in "vraag 9"),
//! or a sum of some of the counts ("22 van de 43" for 10 + 8 + 4).

mod common;
use common::*;
use std::collections::{BTreeMap, BTreeSet};

#[derive(serde::Deserialize)]
struct Wave {
    groups: Vec<Group>,
    questions: Vec<Question>,
}

#[derive(serde::Deserialize)]
struct Group {
    id: String,
    population: u64,
    respondents: u64,
}

#[derive(serde::Deserialize)]
struct Question {
    id: String,
    number: u64,
    group: String,
    answers: Vec<Answer>,
}

#[derive(serde::Deserialize)]
struct Answer {
    /// A number, or `onbekend` when the source gives none.
    count: serde_json::Value,
}

/// Every figure a bullet may quote for one question.
fn allowed(wave: &Wave, q: &Question) -> BTreeSet<u64> {
    let counts: Vec<u64> = q.answers.iter().filter_map(|a| a.count.as_u64()).collect();
    let mut set = BTreeSet::from([q.number]);
    // Sums of every subset of the counts (at most six answers: 64 subsets), n among them.
    for mask in 1u32..(1 << counts.len()) {
        let sum = counts
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, c)| c)
            .sum();
        set.insert(sum);
    }
    let g = wave.groups.iter().find(|g| g.id == q.group).unwrap();
    set.extend([g.respondents, g.population]);
    set
}

/// The section's bullets, each with the question ids it links to and its text without link
/// targets.
fn bullets(markdown: &str) -> Vec<(Vec<String>, String)> {
    let section = markdown
        .split("## Wat zegt de monitor?")
        .nth(1)
        .unwrap()
        .split("\n## ")
        .next()
        .unwrap();
    section
        .lines()
        .filter(|l| l.starts_with("- "))
        .map(|line| {
            let mut ids = Vec::new();
            let mut text = String::new();
            for (i, part) in line.split("](").enumerate() {
                let part = if i == 0 {
                    part
                } else {
                    let (target, rest) = part.split_once(')').unwrap();
                    if let Some(path) = target.strip_prefix("/cijfers/vervolgmonitor-2023/") {
                        ids.push(path.trim_end_matches('/').to_string());
                    }
                    rest
                };
                text.push_str(part);
                text.push(' ');
            }
            (ids, text)
        })
        .collect()
}

fn numbers(text: &str) -> Vec<u64> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|w| !w.is_empty())
        .map(|w| w.parse().unwrap())
        .collect()
}

#[test]
fn every_survey_figure_on_the_role_pages_matches_the_data_file() {
    let yaml =
        std::fs::read_to_string(repo().join("data/monitor/vervolgmonitor-2023.yaml")).unwrap();
    let wave: Wave = serde_saphyr::from_str(&yaml).unwrap();
    let by_id: BTreeMap<&str, &Question> =
        wave.questions.iter().map(|q| (q.id.as_str(), q)).collect();
    let mut checked = 0;
    let mut wrong = Vec::new();
    for entry in std::fs::read_dir(repo().join("content/handreiking/rollen")).unwrap() {
        let path = entry.unwrap().path();
        let markdown = std::fs::read_to_string(&path).unwrap();
        if !markdown.contains("## Wat zegt de monitor?") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        for (ids, text) in bullets(&markdown) {
            let found = numbers(&text);
            if found.is_empty() {
                continue;
            }
            assert!(
                !ids.is_empty(),
                "{name}: a figure without its question: {text}"
            );
            let mut ok = BTreeSet::new();
            for id in &ids {
                let q = by_id
                    .get(id.as_str())
                    .unwrap_or_else(|| panic!("{name}: no question `{id}`"));
                ok.extend(allowed(&wave, q));
            }
            for n in found {
                checked += 1;
                if !ok.contains(&n) {
                    wrong.push(format!("{name}: {n} in: {text}"));
                }
            }
        }
    }
    assert_eq!(wrong, Vec::<String>::new());
    // Every figure of the six role pages was looked at: a change of format would show here.
    assert_eq!(checked, 48);
}
