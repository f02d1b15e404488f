// Search relevance benchmark: runs graded queries (relevance.json) through the real search page in Chromium
// and scores what a reader sees, in order: nDCG@5, success@3 (a best answer among the first three results) and
// the number of queries without any result. Also measures the index bytes and requests of a first and a
// second query. Used by `cargo bench --bench search` (which writes BENCHMARKS.md) and by search.test.mjs.
//
//   node tests/browser/relevance.mjs --site DIR [--set dev|heldout|all] [--json FILE] [--verbose]
//   node tests/browser/relevance.mjs --site DIR --bytes "first query" "second query" [--json FILE]
//
// Scoring: a result is the main link of a list item (`#zoeken ol > li .zoekresultaat__titel a`). Its grade is
// the grade of its URL with #anchor if that has one, else of its page. A page already shown higher up gains
// nothing (a repeated page tells the reader nothing new). Gains are 2^grade - 1, discounted by log2(rank + 1);
// the ideal ranking takes each graded page once, at its best grade.

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchBrowser, startServer } from './shared.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const QUERIES = JSON.parse(readFileSync(path.join(HERE, 'relevance.json'), 'utf8')).queries;
const WAIT = 20_000;
const INDEX_PATH = '/zoeken/index/';

/** The page of a URL: `/a/b/#c` -> `/a/b/`. */
function pageOf(url) {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}

function gradeOf(grades, url) {
  if (Object.hasOwn(grades, url)) return grades[url];
  return grades[pageOf(url)] ?? 0;
}

/** nDCG@5 and success@3 of the result URLs (`/path/#anchor`) for one graded query. */
export function score(grades, urls) {
  const seen = new Set();
  const gains = urls.slice(0, 5).map((url) => {
    const page = pageOf(url);
    if (seen.has(page)) return 0;
    seen.add(page);
    return gradeOf(grades, url);
  });
  const best = new Map();
  for (const [url, grade] of Object.entries(grades)) {
    const page = pageOf(url);
    best.set(page, Math.max(best.get(page) ?? 0, grade));
  }
  const ideal = [...best.values()].sort((a, b) => b - a).slice(0, 5);
  const dcg = (list) => list.reduce((sum, g, i) => sum + (2 ** g - 1) / Math.log2(i + 2), 0);
  const idcg = dcg(ideal);
  return {
    ndcg: idcg > 0 ? dcg(gains) / idcg : 0,
    success: gains.slice(0, 3).includes(3),
    zero: urls.length === 0,
    gains,
  };
}

/** Waits until the status quotes `query` (every status text of the search page does). */
async function waitForQuery(page, query) {
  await page.waitForFunction(
    (q) => {
      const status = document.querySelector('#zoeken [role="status"]');
      return Boolean(status && status.textContent.includes(`‘${q}’`));
    },
    query,
    { timeout: WAIT },
  );
}

/** The result URLs on screen, as `/path/#anchor`, and the status text. */
async function shown(page) {
  return page.evaluate(() => {
    const links = [...document.querySelectorAll('#zoeken ol > li .zoekresultaat__titel a')];
    return {
      urls: links.map((a) => {
        const u = new URL(a.href);
        return u.pathname.replace(/index\.html$/, '') + u.hash;
      }),
      status: document.querySelector('#zoeken [role="status"]').textContent.trim(),
    };
  });
}

/** Every graded URL exists: its page is in the site and its #anchor is an id on that page. */
export function checkGrades(siteDir, queries = QUERIES) {
  const problems = [];
  for (const { q, grades } of queries) {
    for (const url of Object.keys(grades)) {
      const file = path.join(siteDir, pageOf(url), 'index.html');
      let html = '';
      try {
        html = readFileSync(file, 'utf8');
      } catch {
        problems.push(`${q}: ${url}: no page ${file}`);
        continue;
      }
      const hash = url.indexOf('#');
      if (hash >= 0 && !html.includes(`id="${url.slice(hash + 1)}"`)) problems.push(`${q}: ${url}: no such id`);
    }
  }
  return problems;
}

/** Runs `queries` on the search page of the site served at `origin`; one result object per query. */
export async function runQueries(browser, origin, queries = QUERIES) {
  const context = await browser.newContext({ locale: 'nl-NL', serviceWorkers: 'block' });
  const out = [];
  try {
    for (const query of queries) {
      const page = await context.newPage();
      try {
        await page.goto(`${origin}/zoeken/?q=${encodeURIComponent(query.q)}`, { waitUntil: 'load' });
        let found = { urls: [], status: 'no answer within the time limit' };
        try {
          await waitForQuery(page, query.q);
          found = await shown(page);
        } catch {
          // Counted as a query without results.
        }
        out.push({ ...query, ...found, ...score(query.grades, found.urls) });
      } finally {
        await page.close();
      }
    }
  } finally {
    await context.close();
  }
  return out;
}

/** Mean nDCG@5, success@3 and zero-result count of a list of results. */
export function summary(results) {
  const n = results.length;
  return {
    queries: n,
    ndcg: n ? results.reduce((s, r) => s + r.ndcg, 0) / n : 0,
    success: results.filter((r) => r.success).length,
    zero: results.filter((r) => r.zero).length,
  };
}

/** Per kind of query, and all together. */
export function report(results) {
  const kinds = [...new Set(results.map((r) => r.kind))];
  const rows = kinds.map((kind) => ({ kind, ...summary(results.filter((r) => r.kind === kind)) }));
  rows.push({ kind: 'all', ...summary(results) });
  return rows;
}

/**
 * Index files and bytes a reader's browser downloads for `queries` typed one after the other on one search
 * page (files already loaded are not loaded again).
 */
export async function measureBytes(browser, origin, queries) {
  const context = await browser.newContext({ locale: 'nl-NL', serviceWorkers: 'block' });
  const page = await context.newPage();
  const files = [];
  const pending = [];
  page.on('response', (res) => {
    const u = new URL(res.url());
    if (u.pathname.startsWith(INDEX_PATH)) {
      const name = decodeURIComponent(u.pathname.slice(INDEX_PATH.length));
      pending.push(res.body().then((b) => files.push({ name, bytes: b.length }), () => files.push({ name, bytes: 0 })));
    }
  });
  const out = [];
  try {
    await page.goto(`${origin}/zoeken/`, { waitUntil: 'load' });
    for (const [i, q] of queries.entries()) {
      await Promise.all(pending);
      // The first query counts what the page loaded for it before typing (meta.js).
      const before = i === 0 ? 0 : files.length;
      const field = page.locator('#zoeken input[name="q"]');
      await field.fill(q);
      await field.press('Enter');
      await waitForQuery(page, q);
      // Let late script loads of this query finish.
      await page.waitForLoadState('networkidle');
      await Promise.all(pending);
      const mine = files.slice(before);
      out.push({ query: q, requests: mine.length, bytes: mine.reduce((s, f) => s + f.bytes, 0), files: mine.map((f) => f.name) });
    }
  } finally {
    await context.close();
  }
  return out;
}

function table(rows) {
  const lines = ['| kind | queries | nDCG@5 | success@3 | zero results |', '|---|---:|---:|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.kind} | ${r.queries} | ${r.ndcg.toFixed(2)} | ${r.success} of ${r.queries} | ${r.zero} |`);
  return lines.join('\n');
}

async function main() {
  const args = process.argv.slice(2);
  const option = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const site = option('--site') || process.env.SITE_DIR;
  if (!site) throw new Error('--site DIR (a built site) is needed');
  const root = path.resolve(site);
  const json = option('--json');
  const server = await startServer(root);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await launchBrowser();
  try {
    const bytesAt = args.indexOf('--bytes');
    if (bytesAt >= 0) {
      const measured = await measureBytes(browser, origin, args.slice(bytesAt + 1).filter((a) => !a.startsWith('--')).slice(0, 2));
      for (const m of measured) console.log(`${m.query}: ${m.requests} requests, ${m.bytes} bytes: ${m.files.join(' ')}`);
      if (json) writeFileSync(json, JSON.stringify(measured, null, 2));
      return;
    }
    const set = option('--set') || 'dev';
    const queries = QUERIES.filter((q) => set === 'all' || q.set === set);
    const problems = checkGrades(root, queries);
    if (problems.length) throw new Error(`graded URLs that do not exist:\n${problems.join('\n')}`);
    const results = await runQueries(browser, origin, queries);
    if (args.includes('--verbose')) {
      for (const r of results) {
        console.log(`${r.ndcg.toFixed(2)} ${r.success ? 'S' : '-'} [${r.kind}] ${r.q} :: ${r.status}`);
        r.urls.slice(0, 5).forEach((u, i) => console.log(`    ${r.gains[i]} ${u}`));
      }
    }
    const rows = report(results);
    console.log(table(rows));
    if (json) writeFileSync(json, JSON.stringify({ set, rows, results }, null, 2));
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
