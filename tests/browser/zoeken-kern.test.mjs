// Unit tests of the search client's core (themes/default/static/js/zoeken-stam.js and zoeken-kern.js), run in
// Node without a browser:
//
//   node --test tests/browser/zoeken-kern.test.mjs               (stemming, query pipeline, ranking)
//   SITE_DIR=/path/to/public node --test tests/browser/zoeken-kern.test.mjs   (also: every index word)
//
// The scripts run as they do in the page, in a context whose `window` is the context itself. Small indexes are
// registered through window.HandreikingZoeken as the index files would.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const JS = path.join(HERE, '..', '..', 'themes', 'default', 'static', 'js');
const SITE_DIR = process.env.SITE_DIR ? path.resolve(process.env.SITE_DIR) : '';

/** A fresh page: the stemmer and the core loaded, nothing else. */
function page() {
  const context = {};
  context.window = context;
  vm.createContext(context);
  for (const file of ['zoeken-stam.js', 'zoeken-kern.js']) {
    vm.runInContext(readFileSync(path.join(JS, file), 'utf8'), context, { filename: file });
  }
  return context;
}

/** Plain data out of the page's context (its arrays and objects have the context's prototypes). */
function plain(value) {
  return JSON.parse(JSON.stringify(value, (key, v) => (v instanceof Map || v?.constructor?.name === 'Map' ? [...v] : v)));
}

const STOP_WORDS = ['de', 'door', 'een', 'het', 'hoe', 'ik', 'naar', 'u', 'van'];

/**
 * A small index: three pages (sectionBits 1, two pages per documents file). Page 0 "Doorverwijzer" has an
 * intro (id 0) and a section "Tips" (id 1); page 1 "Financiering" (id 2); page 2 "Afkortingen" with the
 * glossary entry SPUK (ids 4, 5).
 */
const FILES = {
  'meta.js': (z) =>
    z.meta({
      version: 2,
      pages: 3,
      records: 5,
      sectionBits: 1,
      pagesPerFile: 2,
      chunks: ['af', 'do', 'ee', 'fi', 're', 'sp', 'ti'],
      stopWords: STOP_WORDS,
      synonyms: [['spuk', ['specifieke', 'uitkering']]],
      types: [],
      roles: [],
    }),
  't-af.js': (z) => z.termen('af', { w: { afkortingen: 'afkort' }, p: { afkort: [4, 401, 5, 401] } }),
  't-do.js': (z) =>
    z.termen('do', {
      w: { doorverwijzer: 'doorverwijzer', doorverwijzen: 'doorverwijz', doorverwijzing: 'doorverwijz' },
      p: { doorverwijzer: [0, 201, 1, 161], doorverwijz: [1, 120, 0, 40] },
    }),
  't-ee.js': (z) => z.termen('ee', { w: { eenmalig: 'eenmal' }, p: { eenmal: [2, 80] } }),
  't-fi.js': (z) => z.termen('fi', { w: { financiering: 'financier' }, p: { financier: [2, 161, 1, 20] } }),
  't-re.js': (z) => z.termen('re', { w: { regeling: 'regel', regels: 'regel' }, p: { regel: [2, 100, 5, 60] } }),
  't-sp.js': (z) => z.termen('sp', { w: { spuk: 'spuk' }, p: { spuk: [5, 122, 2, 90] } }),
  't-ti.js': (z) => z.termen('ti', { w: { tips: 'tip' }, p: { tip: [1, 42] } }),
  'd-0.js': (z) =>
    z.documenten(0, [
      ['a/', 'Doorverwijzer', 'handreiking', [], [['', '', 'Als doorverwijzer stuurt u inwoners door.'], ['tips', 'Tips', 'Doorverwijzen naar het IDO gaat zo.']]],
      ['b/', 'Financiering', 'handreiking', [], [['', '', 'De SPUK is een eenmalig geld. De regeling van de SPUK.']]],
    ]),
  'd-1.js': (z) =>
    z.documenten(1, [
      ['afkortingen/', 'Afkortingen', 'algemeen', [], [['', '', 'De afkortingen.'], ['spuk', 'SPUK', 'Specifieke uitkering. Een regeling voor geld.']]],
    ]),
};

/** A core over `files` (default FILES); `loaded` lists the files it asked for. */
function kernOver(files = FILES) {
  const p = page();
  const loaded = [];
  const kern = p.HandreikingZoekKern.create((file) => {
    loaded.push(file);
    if (!files[file]) return Promise.reject(new Error(`no ${file}`));
    files[file](p.HandreikingZoeken);
    return Promise.resolve();
  });
  return { p, kern, loaded };
}

/** What each word of a search stood for: [word, used, how, [stem, factor]…]. */
function found(result) {
  return plain(result.found.map((f) => [f.word, f.used, f.how, ...f.forms]));
}

describe('stemming', () => {
  test('the client stems every word of the shared list as the engine does (tests/search.rs checks the engine)', () => {
    const stem = page().HandreikingStam;
    const lines = readFileSync(path.join(HERE, 'stems.tsv'), 'utf8').trimEnd().split('\n');
    const wrong = lines
      .map((line) => line.split('\t'))
      .filter(([word, expected]) => stem(word) !== expected)
      .map(([word, expected]) => `${word}: ${stem(word)} (engine: ${expected})`);
    assert.deepEqual(wrong, []);
    assert.equal(lines.length, 91);
  });

  test('inflections meet their stems', () => {
    const stem = page().HandreikingStam;
    const stems = ['regievoerders', 'promotoren', 'nulmetingen', 'afspraak', 'afspraken', 'gemeenten', 'bibliotheken', '2023'].map(stem);
    assert.deepEqual(stems, ['regievoerder', 'promotor', 'nulmet', 'afsprak', 'afsprak', 'gemeent', 'bibliothek', '2023']);
  });

  test('the client stems every word of the shipped index as the engine did', { skip: SITE_DIR ? false : 'set SITE_DIR to a built site' }, () => {
    const p = page();
    const words = {};
    p.HandreikingZoeken = { termen: (key, chunk) => Object.assign(words, chunk.w) };
    const dir = path.join(SITE_DIR, 'zoeken', 'index');
    for (const file of readdirSync(dir).filter((f) => f.startsWith('t-'))) {
      vm.runInContext(readFileSync(path.join(dir, file), 'utf8'), p);
    }
    const entries = Object.entries(words);
    const wrong = entries.filter(([word, s]) => p.HandreikingStam(word) !== s).map(([word, s]) => `${word}: ${p.HandreikingStam(word)} (engine: ${s})`);
    assert.deepEqual(wrong, []);
    assert.ok(entries.length > 1000, `only ${entries.length} words in the index`);
  });
});

describe('the query', () => {
  test('stop words do not count, unless the query has nothing else; quotes make phrases', () => {
    const { parse } = page().HandreikingZoekKern;
    assert.deepEqual(plain(parse('Hoe verwijs ik door naar het IDO?', STOP_WORDS)), {
      words: ['hoe', 'verwijs', 'ik', 'door', 'naar', 'het', 'ido'],
      content: ['verwijs', 'ido'],
      phrases: [],
    });
    assert.deepEqual(plain(parse('de het', STOP_WORDS)), { words: ['de', 'het'], content: ['de', 'het'], phrases: [] });
    assert.deepEqual(plain(parse('“warme doorverwijzing” ido "open', STOP_WORDS)), {
      words: ['warme', 'doorverwijzing', 'ido', 'open'],
      content: ['warme', 'doorverwijzing', 'ido', 'open'],
      phrases: [['warme', 'doorverwijzing']],
    });
  });

  test('edit distance counts a swap of two letters as one edit', () => {
    const { distance } = page().HandreikingZoekKern;
    assert.deepEqual(
      [distance('finnciering', 'financiering', 2), distance('regievoeder', 'regievoerder', 1), distance('toegankelijkhied', 'toegankelijkheid', 2), distance('spuk', 'regeling', 1)],
      [1, 1, 1, 2],
    );
  });

  test('an inflection that the text does not use finds its stem', async () => {
    const { kern } = kernOver();
    const result = await kern.search('doorverwijzers');
    assert.deepEqual(found(result), [['doorverwijzers', null, 'exact', ['doorverwijzer', 1]]]);
    assert.equal(result.suggestion, null);
    assert.deepEqual(plain(result.pages.map((p) => [p.page, p.records.map((r) => r.id)])), [[0, [0, 1]]]);
  });

  test('a prefix counts for half while typing; a stop word is no prefix', async () => {
    const { kern } = kernOver();
    assert.deepEqual(found(await kern.search('doorverw')), [['doorverw', null, 'prefix', ['doorverwijzer', 0.5], ['doorverwijz', 0.5]]]);
    const een = await kern.search('ido een');
    assert.deepEqual(found(een), [['ido', null, 'none']]);
    // Alone, a stop word is searched for as any word: `een` is then a prefix of `eenmalig`.
    assert.deepEqual(found(await kern.search('een')), [['een', null, 'prefix', ['eenmal', 0.5]]]);
  });

  test('an unknown word: a near spelling, with "Bedoelde u"', async () => {
    const { kern } = kernOver();
    const result = await kern.search('finnciering');
    assert.deepEqual(found(result), [['finnciering', 'financiering', 'fuzzy', ['financier', 0.7]]]);
    assert.equal(result.suggestion, 'financiering');
  });

  test('an unknown compound: its parts, from two chunks', async () => {
    const { kern, loaded } = kernOver();
    const result = await kern.search('spukregeling');
    assert.deepEqual(found(result), [
      ['spuk', 'spuk', 'compound', ['spuk', 1]],
      ['regeling', 'regeling', 'compound', ['regel', 1]],
    ]);
    assert.equal(result.suggestion, 'spuk regeling');
    assert.deepEqual(loaded, ['meta.js', 't-sp.js', 't-re.js']);
    // Both pages match both parts, each with spuk in a heading; the glossary entry scores higher.
    assert.deepEqual(plain(result.pages.map((p) => [p.page, p.best.id, p.best.matched])), [
      [2, 5, 2],
      [1, 2, 2],
    ]);
  });
});

describe('ranking and showing', () => {
  test('all words before some, then title and heading matches, then score; one entry per page', async () => {
    const { kern } = kernOver();
    const result = await kern.search('tips doorverwijzer');
    // Page 0's section Tips matches both words, one in its heading and one in the title.
    assert.deepEqual(plain(result.pages.map((p) => [p.page, p.records.map((r) => [r.id, r.matched, r.inTitle, r.inHeading])])), [
      [0, [[1, 2, 1, 1], [0, 1, 1, 0]]],
    ]);
  });

  test('documents of whole pages, and definitions', async () => {
    const { kern, loaded } = kernOver();
    const result = await kern.search('spuk');
    await kern.loadPages(result.pages);
    assert.deepEqual(loaded, ['meta.js', 't-sp.js', 'd-1.js', 'd-0.js']);
    assert.deepEqual(plain(result.pages.map((p) => [p.page, kern.isDefinition(result, p)])), [
      [2, true],
      [1, false],
    ]);
    assert.deepEqual(plain(kern.section(5)), ['spuk', 'SPUK', 'Specifieke uitkering. Een regeling voor geld.']);
  });

  test('a title word with the same stem but another meaning is no title match', async () => {
    // Snowball gives `financier` and `financiering` one stem; both titles are flagged in the index.
    const files = {
      'meta.js': (z) =>
        z.meta({ version: 2, pages: 2, records: 2, sectionBits: 0, pagesPerFile: 2, chunks: ['fi'], stopWords: STOP_WORDS, synonyms: [] }),
      't-fi.js': (z) => z.termen('fi', { w: { financier: 'financier', financiering: 'financier' }, p: { financier: [0, 41, 1, 41] } }),
      'd-0.js': (z) =>
        z.documenten(0, [
          ['a/', 'Financier', '', [], [['', '', 'De financier betaalt.']]],
          ['b/', 'Hoe werkt de financiering?', '', [], [['', '', 'Over financiering.']]],
        ]),
    };
    const { kern } = kernOver(files);
    const order = async (query) => {
      const result = await kern.search(query);
      await kern.loadPages(result.pages);
      return plain(kern.arrange(result, result.pages).map((p) => [p.page, kern.isDefinition(result, p)]));
    };
    assert.deepEqual(await order('financiering'), [
      [1, false],
      [0, false],
    ]);
    assert.deepEqual(await order('financiers'), [
      [0, true],
      [1, false],
    ]);
  });

  test('phrases are checked in the text, by stem', async () => {
    const { kern } = kernOver();
    const result = await kern.search('"de regeling" spuk');
    await kern.loadPages(result.pages);
    assert.deepEqual(plain(result.parsed.phrases), [['de', 'regeling']]);
    assert.deepEqual(plain(result.pages.map((p) => [p.page, p.records.map((r) => [r.id, kern.hasPhrases(result, r.id)])])), [
      [2, [[5, false]]],
      [1, [[2, true]]],
    ]);
  });

  test('excerpts: every matched word marked, in the window with the most of them', async () => {
    const { p, kern } = kernOver();
    const K = p.HandreikingZoekKern;
    const result = await kern.search('specifieke regels');
    const matches = K.matcher(result, kern.metaNow());
    const text = 'Eerst veel andere woorden over iets anders. Dan de regeling. De specifieke uitkering en haar regels.';
    const ranges = [
      [51, 59, 'regeling'],
      [64, 74, 'specifieke'],
      [93, 99, 'regels'],
    ];
    assert.deepEqual(plain(K.matchRanges(text, matches)), ranges);
    // From "regeling" (the window from the first match would miss "regels") to the end of the text.
    assert.deepEqual(plain(K.excerptWindow(text, K.matchRanges(text, matches), 60)), { start: 51, end: 100, ranges });
    // A shorter window starts a word before its first match: "de regeling. De specifieke".
    assert.deepEqual(plain(K.excerptWindow(text, K.matchRanges(text, matches), 30)), {
      start: 48,
      end: 74,
      ranges: ranges.slice(0, 2),
    });
    assert.equal(K.excerptWindow('Geen van de woorden.', [], 60), null);
  });

  test('glossary synonyms are marked both ways', async () => {
    const { p, kern } = kernOver();
    const K = p.HandreikingZoekKern;
    const result = await kern.search('spuk');
    const matches = K.matcher(result, kern.metaNow());
    assert.deepEqual(
      plain(K.matchRanges('De SPUK is een specifieke uitkering.', matches).map((r) => r[2])),
      ['spuk', 'specifieke', 'uitkering'],
    );
  });
});

if (SITE_DIR && !existsSync(path.join(SITE_DIR, 'zoeken', 'index', 'meta.js'))) {
  test('SITE_DIR has a search index', () => assert.fail(`no index in ${SITE_DIR}`));
}
