/*
 * Handreiking — search in the browser.
 *
 * Reads the index that the engine writes to /zoeken/index/ (format: docs/SEARCH-FORMAT.md). Every index file is
 * a script that calls window.HandreikingZoeken.<method>(…), so it loads with <script src> over http:// and over
 * file:// alike. Only the files a query needs are loaded: meta.js once, a term chunk t-<key>.js per first two
 * characters of a query word, and the documents files d-<n>.js that hold the results on screen.
 *
 * No dependencies, no eval, no inline handlers or styles: works under Content-Security-Policy: default-src 'self'.
 */
(function () {
  'use strict';

  /** Results shown. */
  var LIMIT = 20;
  /** Wait this long after the last key press before searching. */
  var DEBOUNCE_MS = 150;
  /** Length of an excerpt, and how much text comes before the first matched word. */
  var EXCERPT_CHARS = 200;
  var EXCERPT_BEFORE = 60;
  /** Prefix matches count for half. */
  var PREFIX_FACTOR = 0.5;

  var index = {
    meta: null,
    terms: Object.create(null), // chunk key -> {w, p}
    docs: Object.create(null), // chunk number -> records
  };

  // The index files call these. Defined before any index file is loaded.
  window.HandreikingZoeken = {
    meta: function (meta) {
      index.meta = meta;
    },
    termen: function (key, chunk) {
      index.terms[key] = chunk;
    },
    documenten: function (n, records) {
      index.docs[n] = records;
    },
  };

  var container = document.getElementById('zoeken');
  if (!container) return;
  var form = container.querySelector('form');
  var input = container.querySelector('input[name="q"]');
  var typeSelect = container.querySelector('select[name="soort"]');
  var roleSelect = container.querySelector('select[name="rol"]');
  var status = container.querySelector('[role="status"]');
  var list = container.querySelector('ol');
  var more = container.querySelector('.zoekmeer');
  /** How many results are shown; "Toon meer resultaten" raises it by LIMIT. */
  var limit = LIMIT;
  if (!form || !input || !typeSelect || !roleSelect || !status || !list) return;

  var root = container.getAttribute('data-root') || '../';
  var overFile = location.protocol === 'file:';
  var text = function (name) {
    return container.getAttribute('data-tekst-' + name) || '';
  };
  var fill = function (template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  };

  // ---------- Normalising (docs/SEARCH-FORMAT.md: "Normalising") ----------

  var MARKS = /\p{M}+/gu;
  var SEPARATORS = /[^\p{L}\p{N}]+/u;

  /** Lowercase, NFD without combining marks (and NFC again, as the engine does). */
  function normalise(s) {
    return s.toLowerCase().normalize('NFD').replace(MARKS, '').normalize('NFC');
  }

  /** The distinct normalised words of a query, of two or more characters, in query order. */
  function queryWords(query) {
    var seen = Object.create(null);
    var out = [];
    normalise(query)
      .split(SEPARATORS)
      .forEach(function (w) {
        if (Array.from(w).length >= 2 && !seen[w]) {
          seen[w] = true;
          out.push(w);
        }
      });
    return out;
  }

  /** The term chunk of a word: its first two characters (a one-character word: the character and `_`). */
  function chunkKey(word) {
    var chars = Array.from(word);
    return chars.length >= 2 ? chars[0] + chars[1] : chars[0] + '_';
  }

  // ---------- Loading index files ----------

  var loads = Object.create(null);

  /** Loads index/<file> once, with <script src>; resolves when the script has run. */
  function loadIndexFile(file) {
    if (loads[file]) return loads[file];
    var promise = new Promise(function (resolve, reject) {
      var script = document.createElement('script');
      script.src = new URL('index/' + file, location.href).href;
      script.async = true;
      script.addEventListener('load', function () {
        resolve();
      });
      script.addEventListener('error', function () {
        script.remove();
        reject(new Error('could not load ' + script.src));
      });
      document.head.appendChild(script);
    });
    loads[file] = promise;
    promise.catch(function () {
      delete loads[file]; // a later search may try again
    });
    return promise;
  }

  var metaPromise = null;
  var chunkSet = null;

  function loadMeta() {
    if (!metaPromise) {
      metaPromise = loadIndexFile('meta.js').then(function () {
        var meta = index.meta;
        if (!meta || !Array.isArray(meta.chunks) || !(meta.chunkSize > 0)) throw new Error('meta.js has no index');
        chunkSet = new Set(meta.chunks);
        return meta;
      });
      metaPromise.catch(function () {
        metaPromise = null;
      });
    }
    return metaPromise;
  }

  /** Loads the term chunks for `words`; chunks that do not exist (no word starts so) are not requested. */
  function loadTermChunks(words) {
    var keys = [];
    words.forEach(function (w) {
      var key = chunkKey(w);
      if (chunkSet.has(key) && !index.terms[key] && keys.indexOf(key) < 0) keys.push(key);
    });
    return Promise.all(
      keys.map(function (key) {
        return loadIndexFile('t-' + encodeURIComponent(key) + '.js');
      }),
    );
  }

  /** Loads the documents files that hold `hits`. */
  function loadDocuments(hits) {
    var size = index.meta.chunkSize;
    var numbers = [];
    hits.forEach(function (hit) {
      var n = Math.floor(hit.id / size);
      if (!index.docs[n] && numbers.indexOf(n) < 0) numbers.push(n);
    });
    return Promise.all(
      numbers.map(function (n) {
        return loadIndexFile('d-' + n + '.js');
      }),
    );
  }

  /** The record `[url, pageTitle, sectionHeading, type, roles, text]` of a hit, or null if not loaded. */
  function recordOf(hit) {
    var size = index.meta.chunkSize;
    var records = index.docs[Math.floor(hit.id / size)];
    return (records && records[hit.id % size]) || null;
  }

  // ---------- Ranking (docs/SEARCH-FORMAT.md: "Ranking") ----------

  /**
   * Ranks records for the query words, with the term chunks loaded. Returns the hits in rank order
   * ({id, score, matched: number of query words matched, words: indexes of the matched query words}) and per
   * query word the normalised words that count as a match in an excerpt.
   */
  function rank(words) {
    var hits = new Map();
    var highlight = [];
    words.forEach(function (q, i) {
      var chunk = index.terms[chunkKey(q)];
      var forms = new Set([q]);
      highlight.push(forms);
      if (!chunk || !chunk.w || !chunk.p) return;
      var best = new Map();
      var add = function (stem, factor) {
        var postings = chunk.p[stem];
        if (!Array.isArray(postings)) return;
        for (var k = 0; k + 1 < postings.length; k += 2) {
          var id = postings[k];
          var score = postings[k + 1] * factor;
          var before = best.get(id);
          if (before === undefined || score > before) best.set(id, score);
        }
      };
      var exactStem = Object.prototype.hasOwnProperty.call(chunk.w, q) ? chunk.w[q] : undefined;
      if (exactStem !== undefined) add(exactStem, 1);
      // Other words that start with the query word: prefix match while typing, at half the score.
      var prefixStems = new Set();
      Object.keys(chunk.w).forEach(function (word) {
        var stem = chunk.w[word];
        if (word !== q && word.startsWith(q)) {
          forms.add(word);
          if (stem !== exactStem) prefixStems.add(stem);
        } else if (exactStem !== undefined && stem === exactStem) {
          forms.add(word); // another form of the same word, e.g. doorverwijzing for doorverwijzen
        }
      });
      prefixStems.forEach(function (stem) {
        add(stem, PREFIX_FACTOR);
      });
      best.forEach(function (score, id) {
        var hit = hits.get(id);
        if (!hit) {
          hit = { id: id, score: 0, matched: 0, words: [] };
          hits.set(id, hit);
        }
        hit.score += score;
        hit.matched += 1;
        hit.words.push(i);
      });
    });
    // Records that match every query word first (more matched words first), then by score.
    var ranked = Array.from(hits.values()).sort(function (a, b) {
      return b.matched - a.matched || b.score - a.score || a.id - b.id;
    });
    return { hits: ranked, highlight: highlight };
  }

  // ---------- Filters ----------

  function currentFilters() {
    return { type: typeSelect.value, role: roleSelect.value };
  }

  function isFiltered(filters) {
    return Boolean(filters.type || filters.role);
  }

  function passes(record, filters) {
    if (filters.type && record[3] !== filters.type) return false;
    if (filters.role && !(Array.isArray(record[4]) && record[4].indexOf(filters.role) >= 0)) return false;
    return true;
  }

  function labelOf(choices, key) {
    for (var i = 0; i < choices.length; i++) if (choices[i].key === key) return choices[i].label;
    return key;
  }

  function fillSelect(select, choices) {
    (choices || []).forEach(function (choice) {
      if (!choice || typeof choice.key !== 'string') return;
      var option = document.createElement('option');
      option.value = choice.key;
      option.textContent = choice.label || choice.key;
      select.appendChild(option);
    });
  }

  /** Selects `value` when the select has it (a shared URL may name a filter that no longer exists). */
  function selectValue(select, value) {
    select.value = '';
    if (!value) return;
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) {
        select.value = value;
        return;
      }
    }
  }

  // ---------- The URL ----------

  function updateUrl(query) {
    var url = new URL(location.href);
    var params = url.searchParams;
    var set = function (name, value) {
      if (value) params.set(name, value);
      else params.delete(name);
    };
    set('q', query.trim());
    set('soort', typeSelect.value);
    set('rol', roleSelect.value);
    if (url.href === location.href) return;
    try {
      history.replaceState(history.state, '', url.href);
    } catch (e) {
      // Some browsers do not allow this for file:// pages; the search still works.
    }
  }

  // ---------- Links, excerpts, rendering ----------

  /** The link to a record: relative to the site root; over file:// with index.html for a directory URL. */
  function recordHref(url) {
    var hash = url.indexOf('#');
    var path = hash < 0 ? url : url.slice(0, hash);
    var fragment = hash < 0 ? '' : url.slice(hash);
    if (overFile && (path === '' || path.slice(-1) === '/')) path += 'index.html';
    return root + path + fragment;
  }

  var TOKEN = /[\p{L}\p{N}\p{M}]+/gu;

  /** Ranges [start, end) of the words in `source` that match the hit's query words. */
  function matchRanges(source, hit, words, highlight) {
    var tokens = [];
    var m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(source)) !== null) {
      tokens.push({ start: m.index, end: m.index + m[0].length, word: normalise(m[0]) });
    }
    var matching = hit.words.map(function (i) {
      return { q: words[i], forms: highlight[i] };
    });
    var ranges = tokens
      .filter(function (t) {
        return matching.some(function (x) {
          return x.forms.has(t.word) || t.word.startsWith(x.q);
        });
      })
      .map(function (t) {
        return [t.start, t.end];
      });
    if (ranges.length) return ranges;
    // Compound parts: `belasting` matches a record because of `gemeentebelasting`.
    return tokens
      .filter(function (t) {
        return matching.some(function (x) {
          return Array.from(x.q).length >= 3 && t.word.indexOf(x.q) > 0;
        });
      })
      .map(function (t) {
        return [t.start, t.end];
      });
  }

  /** A paragraph with about EXCERPT_CHARS characters of `source` around the first match, matches in <mark>. */
  function excerpt(source, ranges) {
    var start = 0;
    if (ranges.length && ranges[0][0] > EXCERPT_BEFORE) {
      start = ranges[0][0] - EXCERPT_BEFORE;
      var space = source.indexOf(' ', start);
      if (space >= 0 && space < ranges[0][0]) start = space + 1;
    }
    var end = Math.min(source.length, start + EXCERPT_CHARS);
    if (end < source.length) {
      var lastSpace = source.lastIndexOf(' ', end);
      if (lastSpace > start && (!ranges.length || lastSpace >= ranges[0][1])) end = lastSpace;
    }
    var p = document.createElement('p');
    p.className = 'zoekresultaat__tekst';
    if (start > 0) p.appendChild(document.createTextNode('… '));
    var at = start;
    ranges.forEach(function (r) {
      var from = Math.max(r[0], at);
      var to = Math.min(r[1], end);
      if (from >= to) return;
      if (from > at) p.appendChild(document.createTextNode(source.slice(at, from)));
      var mark = document.createElement('mark');
      mark.textContent = source.slice(from, to);
      p.appendChild(mark);
      at = to;
    });
    if (at < end) p.appendChild(document.createTextNode(source.slice(at, end)));
    if (end < source.length) p.appendChild(document.createTextNode(' …'));
    return p;
  }

  function resultItem(hit, record, words, highlight) {
    var meta = index.meta;
    var li = document.createElement('li');
    li.className = 'zoekresultaat';

    var title = document.createElement('h3');
    title.className = 'zoekresultaat__titel';
    var link = document.createElement('a');
    link.href = recordHref(String(record[0]));
    link.textContent = String(record[1]);
    title.appendChild(link);
    li.appendChild(title);

    if (record[2]) {
      var section = document.createElement('p');
      section.className = 'zoekresultaat__onderdeel';
      section.textContent = text('onderdeel') + ': ' + record[2];
      li.appendChild(section);
    }

    var source = String(record[5] || '');
    if (source) li.appendChild(excerpt(source, matchRanges(source, hit, words, highlight)));

    var labels = document.createElement('ul');
    labels.className = 'zoekresultaat__labels';
    var addLabel = function (value, extraClass) {
      var item = document.createElement('li');
      item.className = 'zoekresultaat__label' + (extraClass ? ' ' + extraClass : '');
      item.textContent = value;
      labels.appendChild(item);
    };
    if (record[3]) addLabel(text('soort') + ': ' + labelOf(meta.types || [], record[3]), 'zoekresultaat__soort');
    var roles = Array.isArray(record[4]) ? record[4] : [];
    if (roles.length) {
      addLabel(
        (roles.length === 1 ? text('rol') : text('rollen')) +
          ': ' +
          roles
            .map(function (r) {
              return labelOf(meta.roles || [], r);
            })
            .join(', '),
        'zoekresultaat__rollen',
      );
    }
    if (labels.firstChild) li.appendChild(labels);
    return li;
  }

  function say(message) {
    status.textContent = message;
  }

  function clearResults() {
    list.replaceChildren();
    list.hidden = true;
    if (more) more.hidden = true;
  }

  function filterDescription(filters) {
    var meta = index.meta;
    var parts = [];
    if (filters.type) parts.push(text('soort').toLowerCase() + ' ' + labelOf(meta.types || [], filters.type));
    if (filters.role) parts.push(text('rol').toLowerCase() + ' ' + labelOf(meta.roles || [], filters.role));
    return parts.join(', ');
  }

  // ---------- Searching ----------

  /** Increase with every search (both) and every filter change (showing): late work of an older one is dropped. */
  var searching = 0;
  var showing = 0;
  /** The ranked hits of the last query, so a filter change needs no term chunks. */
  var last = null;

  function fail() {
    clearResults();
    say(text('fout'));
  }

  function search(query) {
    var mine = ++searching;
    showing += 1;
    limit = LIMIT;
    updateUrl(query);
    var trimmed = query.trim();
    if (!trimmed) {
      last = null;
      clearResults();
      say('');
      return Promise.resolve();
    }
    var words = queryWords(trimmed);
    if (!words.length) {
      last = null;
      clearResults();
      say(text('te-kort'));
      return Promise.resolve();
    }
    return loadMeta()
      .then(function () {
        return loadTermChunks(words);
      })
      .then(function () {
        if (mine !== searching) return null;
        var ranked = rank(words);
        last = { query: trimmed, words: words, hits: ranked.hits, highlight: ranked.highlight };
        return show(++showing);
      })
      .catch(function () {
        if (mine === searching) fail();
      });
  }

  /** Shows the first LIMIT hits of the last query that pass the filters, loading only their documents. */
  function show(mine) {
    var current = last;
    var filters = currentFilters();
    var filtered = isFiltered(filters);
    var hits = current.hits;
    var shown = [];
    var next = 0;

    var step = function () {
      if (mine !== showing) return null;
      if (shown.length >= limit || next >= hits.length) return done();
      // Without filters exactly the hits still needed; with filters a window of candidates at a time.
      var batch = hits.slice(next, next + (filtered ? LIMIT : limit - shown.length));
      return loadDocuments(batch).then(function () {
        if (mine !== showing) return null;
        for (var i = 0; i < batch.length && shown.length < limit; i++) {
          next += 1;
          var record = recordOf(batch[i]);
          if (record && passes(record, filters)) shown.push({ hit: batch[i], record: record });
        }
        return step();
      });
    };

    var done = function () {
      var total = hits.length;
      var exact = true;
      if (filtered) {
        // Count with the documents already loaded; load nothing more just to count.
        total = 0;
        for (var i = 0; i < hits.length; i++) {
          var record = recordOf(hits[i]);
          if (!record) exact = false;
          else if (passes(record, filters)) total += 1;
        }
      }
      var fragment = document.createDocumentFragment();
      shown.forEach(function (s) {
        fragment.appendChild(resultItem(s.hit, s.record, current.words, current.highlight));
      });
      list.replaceChildren(fragment);
      list.hidden = shown.length === 0;
      if (more) more.hidden = !(shown.length >= limit && next < hits.length);

      var q = current.query;
      var sentences = [];
      if (shown.length === 0) sentences.push(fill(text('geen'), { q: q }));
      else if (!exact) sentences.push(fill(text('minstens'), { n: total, q: q }));
      else if (total === 1) sentences.push(fill(text('een'), { q: q }));
      else sentences.push(fill(text('meer'), { n: total, q: q }));
      if (filtered) sentences.push(fill(text('filter'), { filters: filterDescription(filters) }));
      if (shown.length > 0 && (total > shown.length || !exact)) sentences.push(fill(text('getoond'), { n: shown.length }));
      if (shown.length === 0) {
        sentences.push(text('tip-geen'));
        if (filtered) sentences.push(text('tip-filter'));
      }
      say(sentences.join(' '));
      return null;
    };

    return step();
  }

  function refilter() {
    limit = LIMIT;
    updateUrl(input.value);
    if (!last) return;
    var mine = ++showing;
    show(mine).catch(function () {
      if (mine === showing) fail();
    });
  }

  // ---------- Wiring ----------

  var timer = 0;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      search(input.value);
    }, DEBOUNCE_MS);
  });
    if (more) {
    more.addEventListener('click', function () {
      if (!last) return;
      var before = list.children.length;
      limit += LIMIT;
      var mine = ++showing;
      show(mine)
        .then(function () {
          // Keyboard and screen reader users continue at the first new result.
          var first = list.children[before];
          var link = first && first.querySelector('a');
          if (link) link.focus();
        })
        .catch(function () {
          if (mine === showing) fail();
        });
    });
  }

form.addEventListener('submit', function (event) {
    event.preventDefault();
    clearTimeout(timer);
    search(input.value);
  });
  typeSelect.addEventListener('change', refilter);
  roleSelect.addEventListener('change', refilter);

  container.hidden = false;

  var params = new URLSearchParams(location.search);
  var initialQuery = params.get('q') || '';
  input.value = initialQuery;

  loadMeta().then(
    function (meta) {
      fillSelect(typeSelect, meta.types);
      fillSelect(roleSelect, meta.roles);
      selectValue(typeSelect, params.get('soort') || '');
      selectValue(roleSelect, params.get('rol') || '');
      // Typing may have started while meta.js loaded: search what is in the field now.
      if (input.value.trim()) return search(input.value);
      return null;
    },
    function () {
      fail();
    },
  );
})();
