//! Words and stems as numbers for the index.

use rustc_hash::FxHashMap as HashMap;

/// Words and stems as numbers, so that counting never copies strings.
pub struct Lexicon {
    pub words: Vec<String>,
    pub word_ids: HashMap<String, u32>,
    pub stems: Vec<String>,
    /// word id -> stem id
    pub stem_of: Vec<u32>,
    /// word id -> stems it also counts for (compound parts, the verb of an agent noun)
    pub derived: Vec<Vec<u32>>,
}

impl Lexicon {
    pub fn stem_of(&self, word: u32) -> Option<u32> {
        self.stem_of.get(word as usize).copied()
    }

    pub fn word(&mut self, word: &str) -> u32 {
        if let Some(id) = self.word_ids.get(word) {
            return *id;
        }
        let id = u32::try_from(self.words.len()).unwrap_or(u32::MAX);
        self.words.push(word.to_string());
        self.word_ids.insert(word.to_string(), id);
        id
    }
}
