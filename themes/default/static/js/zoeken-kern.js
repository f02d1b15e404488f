/*
 * Handreiking — the search itself, without the page: the query's text pipeline, finding words in the index,
 * ranking and grouping per page, excerpts. zoeken.js shows what this finds; node tests run it directly.
 *
 * Reads the index that the engine writes to /zoeken/index/ (format: docs/SEARCH-FORMAT.md). Every index file is
 * a script that calls window.HandreikingZoeken.<method>(…); `load(file)` (given by the page) runs one and
 * resolves when it has. Needs zoeken-stam.js (window.HandreikingStam) first.
 *
 * Defines window.HandreikingZoekKern = {normalise, words, parse, create(load)}.
 */
(function (global) {
  'use strict';

  /** Query words that are not in the index: a prefix counts for this much, a near spelling for this. */
  var PREFIX_FACTOR = 0.5;
  var FUZZY_FACTOR = 0.7;
  /** Compound parts of a query word (`spukregeling` -> spuk, regeling) are words of at least this length. */
  var MIN_PART = 4;
  /** Words of a query that are searched for: a pasted paragraph is not a query. */
  var MAX_WORDS = 16;
  /** Score boost of a record for every query word in its page title or heading. */
  var TITLE_BOOST = 0.3;
  var HEADING_BOOST = 0.4;

  var stem = global.HandreikingStam;
  var MARKS = /\p{M}+/gu;
  var SEPARATORS = /[^\p{L}\p{N}]+/u;
  var TOKEN = /[\p{L}\p{N}\p{M}]+/gu;
  var QUOTES = /["“”„]/;

  // ---------- Text (docs/SEARCH-FORMAT.md: "Normalising") ----------

  /** Lowercase, NFD without combining marks (and NFC again, as the engine does). */
  function normalise(s) {
    return s.toLowerCase().normalize('NFD').replace(MARKS, '').normalize('NFC');
  }

  /** The normalised words of a text, of two or more characters, in order. */
  function words(text) {
    return normalise(text)
      .split(SEPARATORS)
      .filter(function (w) {
        return Array.from(w).length >= 2;
      });
  }

  /** The words of `text` with where they are: [{start, end, word}]. */
  function tokens(text) {
    var out = [];
    var m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text)) !== null) out.push({ start: m.index, end: m.index + m[0].length, word: normalise(m[0]) });
    return out;
  }

  /**
   * A query: its distinct words in order, the phrases in quotes (each a list of words), and the words that
   * count for ranking: those that are not stop words, or all of them when the query has nothing else.
   */
  function parse(query, stopWords) {
    var stop = new Set(stopWords || []);
    var parts = query.split(QUOTES);
    var all = [];
    var phrases = [];
    parts.forEach(function (part, i) {
      var list = words(part);
      // Odd parts are between quotes, when the quote is closed.
      if (i % 2 === 1 && i < parts.length - 1 && list.length > 1) phrases.push(list);
      all = all.concat(list);
    });
    var distinct = all.filter(function (w, i) {
      return all.indexOf(w) === i;
    });
    var content = distinct
      .filter(function (w) {
        return !stop.has(w);
      })
      .slice(0, MAX_WORDS);
    return {
      words: distinct,
      content: content.length ? content : distinct.slice(0, MAX_WORDS),
      phrases: phrases,
    };
  }

  /** The term chunk of a word: its first two characters (a one-character word: the character and `_`). */
  function chunkKey(word) {
    var chars = Array.from(word);
    return chars.length >= 2 ? chars[0] + chars[1] : chars[0] + '_';
  }

  /** Edit distance with transpositions (optimal string alignment), or max + 1 when it is larger than max. */
  function distance(a, b, max) {
    a = Array.from(a);
    b = Array.from(b);
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var rows = [];
    for (var i = 0; i <= a.length; i++) {
      rows.push([i]);
      var low = i;
      for (var j = 1; j <= b.length; j++) {
        if (i === 0) {
          rows[0].push(j);
          continue;
        }
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
        rows[i].push(d);
        if (d < low) low = d;
      }
      if (i > 0 && low > max) return max + 1;
    }
    return rows[a.length][b.length];
  }

  // ---------- The index in memory ----------

  var index = { meta: null, terms: Object.create(null), docs: Object.create(null) };

  // The index files call these. Defined before any index file is loaded.
  global.HandreikingZoeken = {
    meta: function (meta) {
      index.meta = meta;
    },
    termen: function (key, chunk) {
      index.terms[key] = chunk;
    },
    documenten: function (n, pages) {
      index.docs[n] = pages;
    },
  };

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  /**
   * The index words a query word stands for: {forms: Map(stem -> factor), used: the word shown as what was
   * searched for (null when it is the word itself), how: 'exact' | 'prefix' | 'fuzzy' | 'none'}.
   */
  function lookUp(word, stopWords) {
    var chunk = index.terms[chunkKey(word)];
    var forms = new Map();
    if (!chunk || !chunk.w || !chunk.p) return { forms: forms, used: null, how: 'none' };
    var own = has(chunk.w, word) ? chunk.w[word] : stem(word);
    if (has(chunk.p, own)) forms.set(own, 1);
    if (!stopWords.has(word)) {
      Object.keys(chunk.w).forEach(function (w) {
        var s = chunk.w[w];
        if (w !== word && w.startsWith(word) && !forms.has(s)) forms.set(s, PREFIX_FACTOR);
      });
    }
    if (forms.size) return { forms: forms, used: null, how: forms.get(own) === 1 ? 'exact' : 'prefix' };
    return { forms: forms, used: null, how: 'none' };
  }

  /** The nearest words of `word` in its chunk within `max` edits (two for words of 8+ characters): [word]. */
  function nearest(word, max) {
    var chunk = index.terms[chunkKey(word)];
    if (!chunk || !chunk.w) return [];
    if (max === undefined) max = Array.from(word).length >= 8 ? 2 : 1;
    var best = max + 1;
    var found = [];
    Object.keys(chunk.w).forEach(function (w) {
      var d = distance(word, w, max);
      if (d < best) {
        best = d;
        found = [];
      }
      if (d === best && d <= max) found.push(w);
    });
    var postings = function (w) {
      var p = chunk.p[chunk.w[w]];
      return Array.isArray(p) ? p.length : 0;
    };
    // The most used of the nearest words first: it is the one shown ("Bedoelde u …?").
    return found.sort(function (a, b) {
      return postings(b) - postings(a) || (a < b ? -1 : 1);
    });
  }

  /** Near spellings of an unknown word as index forms, or null. */
  function nearSpellings(word) {
    var found = nearest(word);
    if (!found.length) return null;
    var chunk = index.terms[chunkKey(word)];
    var forms = new Map();
    found.forEach(function (w) {
      forms.set(chunk.w[w], FUZZY_FACTOR);
    });
    return { forms: forms, used: found[0], how: 'fuzzy' };
  }

  /**
   * The word shown for `word` ("Bedoelde u …?"): a word of the text with its stem, sharing the longest start
   * with it, then the shortest. A bare stem (`doorverwijz`, which the index holds for `doorverwijzer`) is
   * shown only when the text has no other form.
   */
  function surface(word) {
    var chunk = index.terms[chunkKey(word)];
    if (!chunk || !chunk.w) return word;
    var own = has(chunk.w, word) ? chunk.w[word] : stem(word);
    var forms = Object.keys(chunk.w).filter(function (w) {
      return chunk.w[w] === own;
    });
    if (forms.length > 1) {
      forms = forms.filter(function (w) {
        return w !== own;
      });
    }
    if (forms.indexOf(word) >= 0) return word;
    var common = function (w) {
      var n = 0;
      while (n < w.length && w[n] === word[n]) n++;
      return n;
    };
    forms.sort(function (a, b) {
      return common(b) - common(a) || a.length - b.length || (a < b ? -1 : 1);
    });
    return forms[0] || word;
  }

  /**
   * Ways to split an unknown word into a head that its own chunk knows and a tail: [{head, tail, near}].
   * With `near`, a head may also be one edit from a word of the index (a verb stem such as `doorverwijs`
   * in `doorverwijsafspraken`), for heads of 6 characters or more.
   */
  function splits(word, stopWords, near) {
    var chars = Array.from(word);
    var out = [];
    for (var i = chars.length - MIN_PART; i >= MIN_PART; i--) {
      var head = chars.slice(0, i).join('');
      if (stopWords.has(head)) continue;
      if (lookUp(head, stopWords).how !== 'exact') {
        if (!near || i < 6) continue;
        head = nearest(head, 1)[0];
        if (!head) continue;
      }
      var tail = chars.slice(i).join('');
      out.push({ head: head, tail: tail });
      // A linking s (samenwerking-s-afspraken) belongs to neither part.
      if (tail[0] === 's' && chars.length - i - 1 >= MIN_PART) out.push({ head: head, tail: tail.slice(1) });
    }
    return out;
  }

  // ---------- A search ----------

  function create(load) {
    var metaPromise = null;

    function loadMeta() {
      if (!metaPromise) {
        metaPromise = load('meta.js').then(function () {
          var meta = index.meta;
          if (!meta || meta.version !== 2 || !Array.isArray(meta.chunks)) throw new Error('meta.js has no index');
          meta.chunkSet = new Set(meta.chunks);
          meta.stopSet = new Set(meta.stopWords || []);
          meta.synonymMap = new Map(meta.synonyms || []);
          return meta;
        });
        metaPromise.catch(function () {
          metaPromise = null;
        });
      }
      return metaPromise;
    }

    /** Loads the term chunks of `list` (words); chunks that do not exist are not requested. */
    function loadChunks(list) {
      var keys = [];
      list.forEach(function (w) {
        var key = chunkKey(w);
        if (index.meta.chunkSet.has(key) && !index.terms[key] && keys.indexOf(key) < 0) keys.push(key);
      });
      return Promise.all(
        keys.map(function (key) {
          return load('t-' + encodeURIComponent(key) + '.js');
        }),
      );
    }

    /**
     * Finds what each ranking word of `query` stands for in the index, loading the chunks it needs: the word
     * itself or its stem, words it starts, its parts when it is a compound of two known words, or a near
     * spelling. Returns [{word, forms, used, how}], one per word that is searched for (a compound gives two).
     */
    function resolve(query) {
      // A query of stop words only searches for them as for any word (a prefix too).
      var onlyStopWords = query.content.every(function (w) {
        return index.meta.stopSet.has(w);
      });
      var stop = onlyStopWords ? new Set() : index.meta.stopSet;
      return loadChunks(query.content).then(function () {
        var found = query.content.map(function (word) {
          return Object.assign({ word: word }, lookUp(word, stop));
        });
        var unknown = found.filter(function (f) {
          return f.how === 'none';
        });
        var candidates = [];
        unknown.forEach(function (f) {
          f.splits = splits(f.word, stop, false);
          f.nearSplits = splits(f.word, stop, true);
          f.nearSplits.forEach(function (s) {
            candidates.push(s.tail);
          });
        });
        return loadChunks(candidates).then(function () {
          var out = [];
          var known = function (s) {
            return lookUp(s.tail, stop).how === 'exact';
          };
          var parts = function (f, split) {
            [split.head, split.tail].forEach(function (part) {
              var shown = surface(part);
              out.push(Object.assign({ word: part }, lookUp(part, stop), { used: shown, how: 'compound' }));
            });
          };
          // Known parts first, then a near spelling of the whole word, then a near spelling of the head.
          found.forEach(function (f) {
            if (f.how !== 'none') return out.push(f);
            var split = (f.splits || []).filter(known)[0];
            if (split) return parts(f, split);
            var near = nearSpellings(f.word);
            if (near) return out.push(Object.assign({ word: f.word }, near, { used: surface(near.used) }));
            split = (f.nearSplits || []).filter(known)[0];
            if (split) return parts(f, split);
            return out.push(f);
          });
          return out;
        });
      });
    }

    /** Record hits of the resolved words: Map(id -> {id, matched, score, inTitle, inHeading}). */
    function recordHits(found) {
      var hits = new Map();
      found.forEach(function (f, i) {
        var chunk = index.terms[chunkKey(f.word)];
        if (!chunk || !chunk.p) return;
        var best = new Map();
        f.forms.forEach(function (factor, s) {
          var postings = chunk.p[s];
          if (!Array.isArray(postings)) return;
          for (var k = 0; k + 1 < postings.length; k += 2) {
            var value = postings[k + 1];
            var score = Math.floor(value / 4) * factor;
            var before = best.get(postings[k]);
            if (!before || score > before.score) best.set(postings[k], { score: score, flags: value % 4 });
          }
        });
        best.forEach(function (b, id) {
          var hit = hits.get(id);
          if (!hit) {
            hit = { id: id, matched: 0, score: 0, inTitle: 0, inHeading: 0 };
            hits.set(id, hit);
          }
          hit.matched += 1;
          hit.inTitle += b.flags & 1;
          hit.inHeading += (b.flags >> 1) & 1;
          hit.score += b.score * (1 + TITLE_BOOST * (b.flags & 1) + HEADING_BOOST * ((b.flags >> 1) & 1));
        });
      });
      return hits;
    }

    /** Records before others: more query words matched, then more of them in title or heading, then score. */
    function before(a, b) {
      return b.matched - a.matched || b.inTitle + b.inHeading - (a.inTitle + a.inHeading) || b.score - a.score || a.id - b.id;
    }

    /** The hits grouped per page, best page first: [{page, records: hits best first, best}]. */
    function pagesOf(hits) {
      var pages = new Map();
      var unit = Math.pow(2, index.meta.sectionBits);
      hits.forEach(function (hit) {
        var n = Math.floor(hit.id / unit);
        var page = pages.get(n);
        if (!page) pages.set(n, (page = { page: n, records: [] }));
        page.records.push(hit);
      });
      var list = Array.from(pages.values());
      list.forEach(function (page) {
        page.records.sort(before);
        page.best = page.records[0];
      });
      return list.sort(function (a, b) {
        return before(a.best, b.best) || a.page - b.page;
      });
    }

    /**
     * Runs a query: {query, parsed, found (what each word stood for), suggestion (the words used instead of
     * unknown ones, or null), pages: ranked page hits}.
     */
    function search(text) {
      return loadMeta().then(function (meta) {
        var parsed = parse(text, meta.stopWords);
        if (!parsed.content.length) return { query: text, parsed: parsed, found: [], suggestion: null, pages: [] };
        return resolve(parsed).then(function (found) {
          var changed = found.some(function (f) {
            return f.used && f.how !== 'none';
          });
          var suggestion = null;
          if (changed) {
            var seen = new Set();
            suggestion = found
              .map(function (f) {
                return f.used || f.word;
              })
              .filter(function (w) {
                return !seen.has(w) && seen.add(w);
              })
              .join(' ');
          }
          return { query: text, parsed: parsed, found: found, suggestion: suggestion, pages: pagesOf(recordHits(found)) };
        });
      });
    }

    // ---------- Documents ----------

    function fileOf(page) {
      return Math.floor(page / index.meta.pagesPerFile);
    }

    /** Loads the documents files of the page hits `list`. */
    function loadPages(list) {
      var numbers = [];
      list.forEach(function (p) {
        var n = fileOf(p.page);
        if (!index.docs[n] && numbers.indexOf(n) < 0) numbers.push(n);
      });
      return Promise.all(
        numbers.map(function (n) {
          return load('d-' + n + '.js');
        }),
      );
    }

    /** A page's document `[url, title, type, roles, sections]`, or null when its file is not loaded. */
    function pageDoc(page) {
      var pages = index.docs[fileOf(page)];
      return (pages && pages[page % index.meta.pagesPerFile]) || null;
    }

    /** A record's section `[anchor, heading, text]`. */
    function section(id) {
      var unit = Math.pow(2, index.meta.sectionBits);
      var doc = pageDoc(Math.floor(id / unit));
      return (doc && doc[4][id % unit]) || null;
    }

    /** The words that were searched for: the query's, or those used instead ("Bedoelde u"). */
    function searched(result) {
      return result.found.map(function (f) {
        return f.used || f.word;
      });
    }

    /**
     * The same word up to inflection: the same stem, and at most two letters longer or shorter
     * (`doorverwijzers` is `doorverwijzer`, but `financiering`, which has the stem of `financier`, is not).
     */
    function inflectionOf(a, b) {
      return (Math.abs(a.length - b.length) <= 2 && stem(a) === stem(b)) || agentOf(a, b) || agentOf(b, a);
    }

    /**
     * Whether `noun` is the one who does `verb` (`doorverwijzer`, `doorverwijzen`): the engine indexes an
     * agent noun also under its verb's stem (`agent_noun_base` in src/search/text.rs), the same rule here.
     */
    function agentOf(noun, verb) {
      if (noun.length < 8 || noun.slice(-2) !== 'er') return false;
      return stem(noun.slice(0, -2)) === stem(verb);
    }

    /**
     * Whether a page is the definition of what was searched for: its title, or the heading of its best
     * section, is exactly the searched words up to inflection (a glossary entry, the page of a role).
     */
    function isDefinition(result, hit) {
      var doc = pageDoc(hit.page);
      if (!doc) return false;
      var heading = section(hit.best.id);
      var query = searched(result);
      return sameWords(String(doc[1]), query) || Boolean(heading && sameWords(String(heading[1]), query));
    }

    function sameWords(title, query) {
      var stop = index.meta.stopSet;
      var own = words(title).filter(function (w) {
        return !stop.has(w);
      });
      if (own.length !== query.length) return false;
      var left = query.slice();
      return own.every(function (w) {
        var i = left.findIndex(function (q) {
          return inflectionOf(q, w);
        });
        if (i < 0) return false;
        left.splice(i, 1);
        return true;
      });
    }

    /**
     * How many searched words `text` has only as another word with the same stem (`Financier` for
     * `financiering`): the index flagged them as title or heading matches, but the text is about something else.
     */
    function derivedIn(result, text) {
      var own = words(text);
      return searched(result).filter(function (q) {
        var s = stem(q);
        var sameStem = own.some(function (w) {
          return stem(w) === s;
        });
        return (
          sameStem &&
          !own.some(function (w) {
            return inflectionOf(q, w);
          })
        );
      }).length;
    }

    /**
     * The page hits on screen (documents loaded) in their final order: the ranking's words matched first;
     * then definitions; then words in the title or heading, not counting those that are only another word
     * with the same stem; then the ranking's order.
     */
    function arrange(result, hits) {
      var keyed = hits.map(function (hit, i) {
        var doc = pageDoc(hit.page);
        var heading = section(hit.best.id);
        var derived = doc ? derivedIn(result, String(doc[1])) : 0;
        if (heading) derived += derivedIn(result, String(heading[1]));
        return {
          hit: hit,
          i: i,
          definition: isDefinition(result, hit) ? 1 : 0,
          titled: hit.best.inTitle + hit.best.inHeading - derived,
        };
      });
      keyed.sort(function (a, b) {
        return b.hit.best.matched - a.hit.best.matched || b.definition - a.definition || b.titled - a.titled || a.i - b.i;
      });
      return keyed.map(function (k) {
        return k.hit;
      });
    }

    /** Whether the page or section text of a record has every phrase of the query, word after word. */
    function hasPhrases(result, id) {
      var phrases = result.parsed.phrases;
      if (!phrases.length) return true;
      var doc = pageDoc(Math.floor(id / Math.pow(2, index.meta.sectionBits)));
      var s = section(id);
      if (!doc || !s) return false;
      var text = words(doc[1] + ' . ' + s[1] + ' . ' + s[2]).map(stem);
      return phrases.every(function (phrase) {
        var wanted = phrase.map(stem);
        for (var i = 0; i + wanted.length <= text.length; i++) {
          var j = 0;
          while (j < wanted.length && text[i + j] === wanted[j]) j++;
          if (j === wanted.length) return true;
        }
        return false;
      });
    }

    return {
      meta: loadMeta,
      /** meta.js's content once loaded (null before). */
      metaNow: function () {
        return index.meta;
      },
      search: search,
      loadPages: loadPages,
      pageDoc: pageDoc,
      section: section,
      isDefinition: isDefinition,
      arrange: arrange,
      hasPhrases: hasPhrases,
    };
  }

  // ---------- Marking matched words ----------

  /**
   * What counts as a match of a result's words in a text: the stems of the forms found, the surface words of
   * near spellings and compound parts, and the words of glossary synonyms.
   */
  function matcher(result, meta) {
    var stems = new Set();
    var parts = [];
    var surface = new Set();
    result.found.forEach(function (f) {
      f.forms.forEach(function (factor, s) {
        stems.add(s);
      });
      surface.add(f.word);
      if (f.used) surface.add(f.used);
      var own = stem(f.used || f.word);
      stems.add(own);
      if (Array.from(own).length >= MIN_PART) parts.push(own);
      var synonyms = meta.synonymMap.get(f.used || f.word);
      (synonyms || []).forEach(function (w) {
        if (!meta.stopSet.has(w)) stems.add(stem(w));
      });
      meta.synonymMap.forEach(function (long, short) {
        if (long.indexOf(f.used || f.word) >= 0) stems.add(stem(short));
      });
    });
    return function (word) {
      if (surface.has(word) || stems.has(stem(word))) return true;
      // A compound part: `belasting` in `gemeentebelasting`.
      return parts.some(function (p) {
        return word.length > p.length && word.indexOf(p) > 0;
      });
    };
  }

  /** Ranges [start, end) of the words of `text` that `matches`. */
  function matchRanges(text, matches) {
    return tokens(text)
      .filter(function (t) {
        return matches(t.word);
      })
      .map(function (t) {
        return [t.start, t.end, t.word];
      });
  }

  /**
   * The part of `text` to show, about `length` characters: the window with the most different matched words,
   * starting a little before its first one. Returns {start, end, ranges (inside the window)} or null when no
   * word matches.
   */
  function excerptWindow(text, ranges, length) {
    if (!ranges.length) return null;
    var lead = Math.floor(length / 4);
    var best = null;
    ranges.forEach(function (r) {
      var start = Math.max(0, r[0] - lead);
      var inside = ranges.filter(function (x) {
        return x[0] >= start && x[1] <= start + length;
      });
      var distinct = new Set(
        inside.map(function (x) {
          return x[2];
        }),
      ).size;
      if (!best || distinct > best.distinct) best = { start: start, distinct: distinct };
    });
    var start = best.start;
    if (start > 0) {
      var space = text.indexOf(' ', start);
      var first = ranges.filter(function (x) {
        return x[0] >= start;
      })[0];
      if (space >= 0 && first && space < first[0]) start = space + 1;
    }
    var end = Math.min(text.length, start + length);
    if (end < text.length) {
      var lastSpace = text.lastIndexOf(' ', end);
      if (lastSpace > start) end = lastSpace;
    }
    var shown = ranges.filter(function (x) {
      return x[0] >= start && x[1] <= end;
    });
    return shown.length ? { start: start, end: end, ranges: shown } : null;
  }

  global.HandreikingZoekKern = {
    normalise: normalise,
    words: words,
    parse: parse,
    distance: distance,
    chunkKey: chunkKey,
    matcher: matcher,
    matchRanges: matchRanges,
    excerptWindow: excerptWindow,
    create: create,
    index: index,
  };
})(typeof window !== 'undefined' ? window : this);
