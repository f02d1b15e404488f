/*
 * Handreiking — the search page: the form, the filters, the query in the URL, the results.
 *
 * The search itself is in zoeken-kern.js (window.HandreikingZoekKern, which needs zoeken-stam.js); this file
 * loads index files for it with <script src>, so search works over http:// and over file:// alike, and shows
 * one entry per page: its best section as the link, the text around the words found, and up to two further
 * sections of the page.
 *
 * No dependencies, no eval, no inline handlers or styles: works under Content-Security-Policy: default-src 'self'.
 */
(function () {
  'use strict';

  /** Pages shown, and added by "Toon meer resultaten". */
  var LIMIT = 10;
  /** Wait this long after the last key press before searching. */
  var DEBOUNCE_MS = 150;
  /** Length of the excerpt of a result, and of a further section. */
  var EXCERPT_CHARS = 220;
  var MORE_CHARS = 120;
  /** Further sections of a page shown under it. */
  var MORE_SECTIONS = 2;

  var Kern = window.HandreikingZoekKern;
  var container = document.getElementById('zoeken');
  if (!container || !Kern) return;
  var form = container.querySelector('form');
  var input = container.querySelector('input[name="q"]');
  var typeSelect = container.querySelector('select[name="soort"]');
  var roleSelect = container.querySelector('select[name="rol"]');
  var status = container.querySelector('[role="status"]');
  var list = container.querySelector('ol');
  var more = container.querySelector('.zoekmeer');
  /** How many pages are shown; "Toon meer resultaten" raises it by LIMIT. */
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

  var kern = Kern.create(loadIndexFile);

  // ---------- Filters ----------

  function currentFilters() {
    return { type: typeSelect.value, role: roleSelect.value };
  }

  function isFiltered(filters) {
    return Boolean(filters.type || filters.role);
  }

  /** Whether a page document `[url, title, type, roles, sections]` passes the filters. */
  function passes(doc, filters) {
    if (filters.type && doc[2] !== filters.type) return false;
    if (filters.role && !(Array.isArray(doc[3]) && doc[3].indexOf(filters.role) >= 0)) return false;
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

  /** The link to a page or section: relative to the site root; over file:// with index.html for a directory. */
  function href(url, anchor) {
    var path = url;
    if (overFile && (path === '' || path.slice(-1) === '/')) path += 'index.html';
    return root + path + (anchor ? '#' + anchor : '');
  }

  /** Appends `source` from `start` to `end` to `element`, with the `ranges` in <mark>. */
  function appendMarked(element, source, start, end, ranges) {
    var at = start;
    ranges.forEach(function (r) {
      if (r[0] > at) element.appendChild(document.createTextNode(source.slice(at, r[0])));
      var mark = document.createElement('mark');
      mark.textContent = source.slice(r[0], r[1]);
      element.appendChild(mark);
      at = r[1];
    });
    if (at < end) element.appendChild(document.createTextNode(source.slice(at, end)));
  }

  /** A link text (a title or heading) with its matched words marked. */
  function markedText(element, source, matches) {
    appendMarked(element, source, 0, source.length, Kern.matchRanges(source, matches));
  }

  /** A paragraph with the window of `source` around its matched words, every one in <mark>; null without one. */
  function excerpt(source, matches, length, className) {
    var window_ = Kern.excerptWindow(source, Kern.matchRanges(source, matches), length);
    if (!window_) return null;
    var p = document.createElement('p');
    p.className = className;
    if (window_.start > 0) p.appendChild(document.createTextNode('… '));
    appendMarked(p, source, window_.start, window_.end, window_.ranges);
    if (window_.end < source.length) p.appendChild(document.createTextNode(' …'));
    return p;
  }

  /**
   * The sections of a page hit to show: the best one whose heading or text has a matched word, or the top of
   * the page when every word it matched is in the page title (the page is about it) or none has; and up to
   * MORE_SECTIONS more with a matched word.
   */
  function sectionsToShow(hit, matches) {
    var withWords = hit.records.filter(function (r) {
      var s = kern.section(r.id);
      return s && Kern.matchRanges(s[1] + ' ' + s[2], matches).length > 0;
    });
    var top = hit.records.filter(function (r) {
      var s = kern.section(r.id);
      return s && s[0] === '';
    })[0];
    var main = withWords[0] || hit.best;
    if (top && (!withWords.length || hit.best.inTitle >= hit.best.matched)) main = top;
    var rest = withWords.filter(function (r) {
      return r !== main;
    });
    return { main: main, more: rest.slice(0, MORE_SECTIONS) };
  }

  function labels(doc) {
    var meta = kern.metaNow();
    var ul = document.createElement('ul');
    ul.className = 'zoekresultaat__labels';
    var add = function (value, extraClass) {
      var item = document.createElement('li');
      item.className = 'zoekresultaat__label ' + extraClass;
      item.textContent = value;
      ul.appendChild(item);
    };
    if (doc[2]) add(text('soort') + ': ' + labelOf(meta.types || [], doc[2]), 'zoekresultaat__soort');
    var roles = Array.isArray(doc[3]) ? doc[3] : [];
    if (roles.length) {
      var names = roles.map(function (r) {
        return labelOf(meta.roles || [], r);
      });
      add((roles.length === 1 ? text('rol') : text('rollen')) + ': ' + names.join(', '), 'zoekresultaat__rollen');
    }
    return ul.firstChild ? ul : null;
  }

  function resultItem(hit, doc, matches) {
    var li = document.createElement('li');
    li.className = 'zoekresultaat';
    var chosen = sectionsToShow(hit, matches);
    var main = kern.section(chosen.main.id);

    var title = document.createElement('h3');
    title.className = 'zoekresultaat__titel';
    var link = document.createElement('a');
    link.href = href(String(doc[0]), main ? main[0] : '');
    markedText(link, String(doc[1]), matches);
    title.appendChild(link);
    li.appendChild(title);

    if (main && main[1]) {
      var part = document.createElement('p');
      part.className = 'zoekresultaat__onderdeel';
      part.textContent = text('onderdeel') + ': ';
      markedText(part, String(main[1]), matches);
      li.appendChild(part);
    }
    var p = main && excerpt(String(main[2] || ''), matches, EXCERPT_CHARS, 'zoekresultaat__tekst');
    if (p) li.appendChild(p);

    if (chosen.more.length) {
      var sub = document.createElement('ul');
      sub.className = 'zoekresultaat__secties';
      chosen.more.forEach(function (r) {
        var s = kern.section(r.id);
        var item = document.createElement('li');
        var a = document.createElement('a');
        a.href = href(String(doc[0]), s[0]);
        markedText(a, String(s[1] || doc[1]), matches);
        item.appendChild(a);
        var small = excerpt(String(s[2] || ''), matches, MORE_CHARS, 'zoekresultaat__tekst zoekresultaat__tekst--kort');
        if (small) item.appendChild(small);
        sub.appendChild(item);
      });
      li.appendChild(sub);
    }
    var tags = labels(doc);
    if (tags) li.appendChild(tags);
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
    var meta = kern.metaNow();
    var parts = [];
    if (filters.type) parts.push(text('soort').toLowerCase() + ' ' + labelOf(meta.types || [], filters.type));
    if (filters.role) parts.push(text('rol').toLowerCase() + ' ' + labelOf(meta.roles || [], filters.role));
    return parts.join(', ');
  }

  // ---------- Searching ----------

  /** Increase with every search (both) and every filter change (showing): late work of an older one is dropped. */
  var searching = 0;
  var showing = 0;
  /** The result of the last query, so a filter change needs no term chunks. */
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
    if (!Kern.words(trimmed).length) {
      last = null;
      clearResults();
      say(text('te-kort'));
      return Promise.resolve();
    }
    return kern
      .search(trimmed)
      .then(function (result) {
        if (mine !== searching) return null;
        result.matches = Kern.matcher(result, kern.metaNow());
        last = result;
        return show(++showing);
      })
      .catch(function () {
        if (mine === searching) fail();
      });
  }

  /** Shows the first `limit` page hits of the last query that pass the filters and phrases, loading their documents. */
  function show(mine) {
    var current = last;
    var filters = currentFilters();
    var narrowed = isFiltered(filters) || current.parsed.phrases.length > 0;
    var hits = current.pages;
    var shown = [];
    var next = 0;

    var step = function () {
      if (mine !== showing) return null;
      if (shown.length >= limit || next >= hits.length) return done();
      // Without filters exactly the pages still needed; with filters a window of candidates at a time.
      var batch = hits.slice(next, next + (narrowed ? LIMIT : limit - shown.length));
      return kern.loadPages(batch).then(function () {
        if (mine !== showing) return null;
        for (var i = 0; i < batch.length && shown.length < limit; i++) {
          next += 1;
          var kept = keep(current, batch[i], filters);
          if (kept) shown.push(kept);
        }
        return step();
      });
    };

    var done = function () {
      var total = hits.length;
      var exact = true;
      if (narrowed) {
        // Count with the documents already loaded; load nothing more just to count.
        total = 0;
        hits.forEach(function (h) {
          if (!kern.pageDoc(h.page)) exact = false;
          else if (keep(current, h, filters)) total += 1;
        });
      }
      // The ten on screen in their final order (definitions first); those added by "more" after them.
      var first = shown.slice(0, LIMIT);
      var order = kern.arrange(
        current,
        first.map(function (s) {
          return s.hit;
        }),
      );
      var ordered = order
        .map(function (hit) {
          return first.filter(function (s) {
            return s.hit === hit;
          })[0];
        })
        .concat(shown.slice(LIMIT));
      var fragment = document.createDocumentFragment();
      ordered.forEach(function (s) {
        fragment.appendChild(resultItem(s.hit, s.doc, current.matches));
      });
      list.replaceChildren(fragment);
      list.hidden = shown.length === 0;
      if (more) more.hidden = !(shown.length >= limit && next < hits.length);
      say(statusText(current, shown.length, total, exact, filters));
      return null;
    };

    return step();
  }

  /** A page hit of `result` as it is shown ({hit, doc}, with only the records that have the phrases), or null. */
  function keep(result, hit, filters) {
    var doc = kern.pageDoc(hit.page);
    if (!doc || !passes(doc, filters)) return null;
    if (!result.parsed.phrases.length) return { hit: hit, doc: doc };
    var records = hit.records.filter(function (r) {
      return kern.hasPhrases(result, r.id);
    });
    if (!records.length) return null;
    return { hit: Object.assign({}, hit, { records: records, best: records[0] }), doc: doc };
  }

  function statusText(current, count, total, exact, filters) {
    var q = current.query;
    var sentences = [];
    if (count === 0) sentences.push(fill(text('geen'), { q: q }));
    else if (!exact) sentences.push(fill(text('minstens'), { n: total, q: q }));
    else if (total === 1) sentences.push(fill(text('een'), { q: q }));
    else sentences.push(fill(text('meer'), { n: total, q: q }));
    if (count > 0 && current.suggestion) sentences.push(fill(text('bedoelde'), { woorden: current.suggestion }));
    if (isFiltered(filters)) sentences.push(fill(text('filter'), { filters: filterDescription(filters) }));
    if (count > 0 && (total > count || !exact)) sentences.push(fill(text('getoond'), { n: count }));
    if (count === 0) {
      sentences.push(text('tip-geen'));
      if (isFiltered(filters)) sentences.push(text('tip-filter'));
    }
    return sentences.join(' ');
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
  input.value = params.get('q') || '';

  kern.meta().then(
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
