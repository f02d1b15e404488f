// Helpers of the search page's browser tests (search.test.mjs, search-results.test.mjs): opening the page with
// everything it loads recorded, typing queries, and reading the results and the status.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { CSP, SITE_DIR, walk, watchPage } from './shared.mjs';

export const WAIT = 20_000; // ms to wait for results
export const INDEX_PATH = '/zoeken/index/';

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** The visible text of a page's <main>, without navigation (the table of contents) and attributes. */
export function mainText(html) {
  const start = html.indexOf('<main');
  const end = html.indexOf('</main>');
  if (start < 0 || end < 0) return '';
  return html
    .slice(start, end)
    .replace(/<(nav|script|style|svg|noscript)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (all, e) => {
      if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
      return ENTITIES[e.toLowerCase()] ?? all;
    })
    .replace(/\s+/g, ' ');
}

/** URL paths (`/a/b/`) of the pages whose main text matches `has` and does not match `hasNot`. */
export function pagesWith(has, hasNot) {
  const out = new Set();
  for (const file of walk(SITE_DIR)) {
    if (!file.endsWith('index.html') || file.startsWith('zoeken/')) continue;
    const text = mainText(readFileSync(path.join(SITE_DIR, file), 'utf8'));
    if (has.test(text) && !hasNot.test(text)) out.add(`/${file.slice(0, -'index.html'.length)}`);
  }
  return out;
}

export function formatAxe(violations, url) {
  const lines = [];
  for (const v of violations) {
    lines.push(`${v.id} (${v.impact}) on ${url}: ${v.help}\n  ${v.helpUrl}`);
    for (const node of v.nodes) {
      lines.push(`  - ${node.target.join(' ')}\n    ${node.html.replace(/\s+/g, ' ').slice(0, 300)}`);
      const summary = (node.failureSummary || '').split('\n').map((s) => s.trim()).filter(Boolean);
      if (summary.length) lines.push(`    ${summary.join(' / ')}`);
    }
  }
  return lines.join('\n');
}

export function kB(bytes) {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

/**
 * Opens `url` (a path on the test server, or a file:// URL) in a new page, recording requests to other hosts
 * (aborted), CSP violations, script errors, failed local requests, and every index file with its body size.
 */
export function pageOpener(context, origin) {
  return async function openPage(url, { ctx = context } = {}) {
    const page = await ctx.newPage();
    const indexFiles = []; // {name, bytes}
    const pending = [];
    const problems = await watchPage(page, {
      // Over file:// the site's root-relative links (/css/site.css) point outside SITE_DIR; only files of the
      // site itself count.
      isLocal: (u) => (u.protocol === 'file:' ? fileURLToPath(u).startsWith(SITE_DIR + path.sep) : u.hostname === '127.0.0.1'),
      onResponse: (res) => {
        const u = new URL(res.url());
        if (u.hostname === '127.0.0.1' && u.pathname.startsWith(INDEX_PATH)) {
          const name = decodeURIComponent(u.pathname.slice(INDEX_PATH.length));
          pending.push(
            res.body().then(
              (body) => indexFiles.push({ name, bytes: body.length }),
              () => indexFiles.push({ name, bytes: 0 }),
            ),
          );
        }
      },
    });
    const response = await page.goto(url.startsWith('file:') ? url : origin + url, { waitUntil: 'load' });
    /** The index files loaded so far (after their bodies arrived). */
    const loaded = async () => {
      await Promise.all(pending);
      return indexFiles.slice();
    };
    return { page, problems, response, loaded };
  };
}

export async function recordedProblems(page, problems) {
  const fromPage = await page.evaluate(() => window.__csp || []).catch(() => []);
  const csp = problems.csp.length ? problems.csp : fromPage;
  const out = [];
  for (const u of problems.external) out.push(`request to another host (aborted): ${u}`);
  for (const c of csp) out.push(`Content Security Policy (${CSP}) violation: ${c}`);
  for (const e of problems.errors) out.push(`script error: ${e}`);
  for (const f of problems.failed) out.push(`local resource failed to load: ${f}`);
  return out;
}

export function assertNone(problems, where) {
  assert.ok(problems.length === 0, `${where}: ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
}

/** Waits until the status announces the result of `query` (the status quotes the query as typed). */
export async function waitForQuery(page, query) {
  await page.waitForFunction(
    (q) => {
      const status = document.querySelector('#zoeken [role="status"]');
      return Boolean(status && status.textContent.includes(`‘${q}’`));
    },
    query,
    { timeout: WAIT },
  );
}

/** Types `query` into the search field key by key (replacing what is there) and waits for its results. */
export async function typeQuery(page, query) {
  const field = page.locator('#zoeken input[name="q"]');
  await field.click();
  await field.press('Control+A');
  await field.press('Delete');
  await field.pressSequentially(query, { delay: 25 });
  await waitForQuery(page, query);
}

/** The results on screen. */
export function results(page) {
  return page.$$eval('#zoeken ol > li', (items) =>
    items.map((li) => {
      const a = li.querySelector('a');
      const text = (sel) => (li.querySelector(sel)?.textContent || '').trim();
      return {
        href: a ? a.getAttribute('href') : null,
        url: a ? a.href : null,
        title: a ? a.textContent.trim() : '',
        excerpt: text('.zoekresultaat__tekst'),
        marks: [...li.querySelectorAll('mark')].map((m) => m.textContent),
        // Every excerpt of the entry (the page's and its further sections'): its text and marked words.
        excerpts: [...li.querySelectorAll('.zoekresultaat__tekst')].map((p) => ({
          text: p.textContent,
          marks: [...p.querySelectorAll('mark')].map((m) => m.textContent),
        })),
        sections: [...li.querySelectorAll('.zoekresultaat__secties a')].map((s) => s.href),
        roles: text('.zoekresultaat__rollen'),
        type: text('.zoekresultaat__soort'),
      };
    }),
  );
}

export function statusText(page) {
  return page.$eval('#zoeken [role="status"]', (el) => el.textContent.trim());
}

/** The first number in the status ("34 resultaten voor ‘kcc’."), or 0 for "Geen resultaten". */
export async function statusCount(page) {
  const m = /\d+/.exec(await statusText(page));
  return m ? Number(m[0]) : 0;
}

/** The page path of a result URL: `http://127.0.0.1:1/a/b/#x` -> `/a/b/`. */
export function pagePath(url) {
  return new URL(url).pathname;
}

