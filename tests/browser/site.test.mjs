// Browser and HTML-validator tests of a built site.
//
//   SITE_DIR=/path/to/public node --test tests/browser/
//
// Serves SITE_DIR on 127.0.0.1 (with `Content-Security-Policy: default-src 'self'`), opens every HTML page in
// Debian's Chromium through playwright-core and checks it with axe (WCAG 2.0/2.1/2.2 A and AA), for requests to
// other hosts, CSP violations, script errors, broken local resources and horizontal scrolling at 320 px. The
// skip link is tried with the keyboard on the home page and a handbook page. Finally the Nu Html Checker
// (vnu.jar) validates every HTML file. scripts/test.sh installs Chromium, Java and node_modules, builds the site
// and runs this file.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { AxeBuilder } from '@axe-core/playwright';

import { AXE_TAGS, CSP, NARROW, SITE_DIR, WIDE, launchBrowser, startServer, walk, watchPage } from './shared.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const VNU_JAR = path.join(HERE, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
const PAGE_TIMEOUT = 90_000; // ms for one page's checks
// Pages checked at the same time (each in its own tab of one browser context).
const PAGE_CONCURRENCY = Number(process.env.PAGE_CONCURRENCY) || 2;
// Pages on which the skip link is tried with the keyboard (the first that exists of each group).
const SKIP_LINK_PAGES = [['/'], ['/handreiking/wat-is-een-ido/', '/handreiking/']];




/** The URL path a file is served at: `a/index.html` -> `/a/`, `404.html` -> `/404.html`. */
function urlPathOf(file) {
  if (file === 'index.html') return '/';
  if (file.endsWith('/index.html')) return `/${file.slice(0, -'index.html'.length)}`;
  return `/${file}`;
}

/** A page whose only job is a meta refresh redirect (alias pages). */
function isRedirect(html) {
  return /<meta\b[^>]*http-equiv\s*=\s*["']?refresh/i.test(html);
}



/** Runs vnu.jar over `files`; resolves with its messages (errors only). */
function runVnu(files) {
  return new Promise((resolve) => {
    execFile(
      'java',
      ['-jar', VNU_JAR, '--errors-only', '--format', 'json', ...files],
      { maxBuffer: 64 * 1024 * 1024, timeout: 600_000, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const text = (stderr || stdout || '').trim();
        try {
          resolve({ messages: JSON.parse(text).messages || [] });
        } catch {
          resolve({ failure: `vnu did not produce JSON (${error ? error.message : 'no error'}):\n${text}` });
        }
      },
    );
  });
}

function formatAxe(violations, url) {
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

if (!SITE_DIR || !existsSync(path.join(SITE_DIR, 'index.html'))) {
  test('SITE_DIR points at a built site', () => {
    assert.fail(
      `Set SITE_DIR to a built site directory (with index.html), e.g. ` +
        `SITE_DIR=public node --test tests/browser/ (got ${JSON.stringify(process.env.SITE_DIR || '')})`,
    );
  });
} else {
  const files = walk(SITE_DIR);
  const htmlFiles = files.filter((f) => f.endsWith('.html'));
  const pages = htmlFiles.map((file) => {
    const html = readFileSync(path.join(SITE_DIR, file), 'utf8');
    return { file, url: urlPathOf(file), redirect: isRedirect(html) };
  });
  const urls = new Set(pages.map((p) => p.url));

  let server;
  let origin;
  let browser;
  let context;
  let vnuResult;
  const PHONE = { width: 375, height: 800 };

  before(async () => {
    // vnu runs in the background (another process) while the browser tests run.
    vnuResult = runVnu(htmlFiles.map((f) => path.join(SITE_DIR, f)));
    server = await startServer(SITE_DIR);
    origin = `http://127.0.0.1:${server.address().port}`;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: WIDE, locale: 'nl-NL', serviceWorkers: 'block' });
  }, { timeout: 120_000 });

  after(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
    await vnuResult; // never leave java running
  });

  /**
   * Opens `url` in a new page of the shared context, with everything a page check needs recorded:
   * requests to other hosts (aborted), CSP violations, script errors and failed local requests.
   */
  async function openPage(url) {
    const page = await context.newPage();
    const problems = await watchPage(page);
    const response = await page.goto(origin + url, { waitUntil: 'load' });
    return { page, problems, response };
  }

  /** Everything `openPage` recorded that is wrong, as readable lines. */
  async function recordedProblems(page, problems) {
    const fromPage = await page.evaluate(() => window.__csp || []).catch(() => []);
    // The console messages are the more readable; the events catch what the console may not show.
    const csp = problems.csp.length ? problems.csp : fromPage;
    const out = [];
    for (const u of problems.external) out.push(`request to another host (aborted): ${u}`);
    for (const c of csp) out.push(`Content Security Policy (${CSP}) violation: ${c}`);
    for (const e of problems.errors) out.push(`script error: ${e}`);
    for (const f of problems.failed) out.push(`local resource failed to load: ${f}`);
    return out;
  }

  /** Problems with horizontal scrolling at a 320 px wide viewport (WCAG 1.4.10 Reflow). */
  async function reflowProblems(page) {
    await page.setViewportSize(NARROW);
    const m = await page.evaluate(() => {
      const root = document.documentElement;
      const result = { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide: [] };
      if (result.scrollWidth <= result.clientWidth) return result;
      // Name the outermost elements that stick out, leaving out those inside a scroll container.
      const clipped = (el) => {
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
          if (getComputedStyle(a).overflowX !== 'visible') return true;
        }
        return false;
      };
      const describe = (el) =>
        el.tagName.toLowerCase() +
        (el.id ? `#${el.id}` : '') +
        (typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '');
      const wide = [];
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > root.clientWidth + 0.5 && !wide.some((w) => w.el.contains(el)) && !clipped(el)) {
          wide.push({ el, right: Math.round(r.right) });
        }
      }
      result.wide = wide.slice(0, 10).map((w) => `${describe(w.el)} (right edge ${w.right}px)`);
      return result;
    });
    if (m.scrollWidth <= m.clientWidth) return [];
    return [
      `horizontal scrolling at ${NARROW.width}px: scrollWidth ${m.scrollWidth} > clientWidth ${m.clientWidth}; ` +
        `too wide: ${m.wide.join(', ') || '(none found)'}`,
    ];
  }

  async function axeProblems(page, url) {
    const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
    if (results.violations.length === 0) return [];
    return [`axe found ${results.violations.length} violated rule(s):\n${formatAxe(results.violations, url)}`];
  }

  function assertNone(problems, url) {
    assert.ok(problems.length === 0, `${url}: ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
  }

  describe('pages in Chromium: axe, CSP, no external requests, 320px reflow', { concurrency: PAGE_CONCURRENCY }, () => {
    for (const p of pages) {
      const skip = p.redirect ? 'meta refresh redirect: only checked by the Nu Html Checker' : false;
      test(p.url, { skip, timeout: PAGE_TIMEOUT }, async () => {
        const { page, problems, response } = await openPage(p.url);
        try {
          const found = [];
          if (!response || response.status() !== 200) found.push(`HTTP status ${response ? response.status() : 'none'}`);
          found.push(...(await axeProblems(page, p.url)));
          found.push(...(await reflowProblems(page)));
          found.push(...(await recordedProblems(page, problems)));
          assertNone(found, p.url);
        } finally {
          await page.close();
        }
      });
    }

    test('an unknown URL gets the 404 page with status 404, styled and without errors', { timeout: PAGE_TIMEOUT }, async () => {
      const url = '/bestaat/niet/echt/';
      const { page, problems, response } = await openPage(url);
      try {
        const found = [];
        if (response.status() !== 404) found.push(`HTTP status ${response.status()}, expected 404`);
        const styled = await page.evaluate(() =>
          [...document.styleSheets].some((s) => !s.media.mediaText && s.cssRules.length > 0),
        );
        if (!styled) found.push('the site stylesheet did not load');
        found.push(...(await axeProblems(page, url)));
        found.push(...(await reflowProblems(page)));
        found.push(...(await recordedProblems(page, problems)));
        assertNone(found, url);
      } finally {
        await page.close();
      }
    });
  });

  // Issue #17: charts stay readable on a phone. At 375 px wide every chart text is at least 12 CSS px
  // (its font size times the scale the SVG is drawn at) and lies inside the chart's viewBox, so no
  // label is clipped; the chart itself fits the viewport.
  describe('charts at 375px: text at least 12px, nothing clipped', { concurrency: PAGE_CONCURRENCY }, () => {
    const chartPages = pages.filter(
      (p) => !p.redirect && readFileSync(path.join(SITE_DIR, p.file), 'utf8').includes('class="grafiek"'),
    );
    test('the site has chart pages', () => assert.ok(chartPages.length > 0));
    for (const p of chartPages) {
      test(p.url, { timeout: PAGE_TIMEOUT }, async () => {
        const { page } = await openPage(p.url);
        try {
          await page.setViewportSize(PHONE);
          const m = await page.evaluate(() => {
            const out = { smallest: Infinity, clipped: [], wide: [] };
            const viewport = document.documentElement.clientWidth;
            for (const svg of document.querySelectorAll('svg.grafiek')) {
              const box = svg.viewBox.baseVal;
              const rect = svg.getBoundingClientRect();
              const scale = rect.width / box.width;
              if (rect.right > viewport + 0.5) out.wide.push(`${svg.id || svg.getAttribute('aria-labelledby')} ends at ${rect.right}px`);
              for (const t of svg.querySelectorAll('text')) {
                const size = parseFloat(getComputedStyle(t).fontSize) * scale;
                out.smallest = Math.min(out.smallest, size);
                const b = t.getBBox();
                if (b.x < -0.5 || b.y < -0.5 || b.x + b.width > box.width + 0.5 || b.y + b.height > box.height + 0.5) {
                  out.clipped.push(`"${t.textContent}" (${Math.round(b.x)}..${Math.round(b.x + b.width)} of ${box.width})`);
                }
              }
            }
            return out;
          });
          const found = [];
          if (m.smallest < 12) found.push(`smallest chart text is ${m.smallest.toFixed(2)}px at ${PHONE.width}px wide`);
          for (const c of m.clipped) found.push(`clipped: ${c}`);
          for (const w of m.wide) found.push(`wider than the viewport: ${w}`);
          assertNone(found, p.url);
        } finally {
          await page.close();
        }
      });
    }
  });

  describe('keyboard: skip link', () => {
    for (const candidates of SKIP_LINK_PAGES) {
      const url = candidates.find((u) => urls.has(u));
      test(`skip link on ${url || candidates.join(' or ')}`, { skip: url ? false : 'page not in this site', timeout: PAGE_TIMEOUT }, async () => {
        const { page, problems } = await openPage(url);
        try {
          await page.keyboard.press('Tab');
          const first = await page.evaluate(() => {
            const el = document.activeElement;
            const r = el.getBoundingClientRect();
            return {
              tag: el.tagName.toLowerCase(),
              href: el.getAttribute('href'),
              text: el.textContent.trim(),
              visible: r.width > 1 && r.height > 1 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
            };
          });
          assert.equal(first.tag, 'a', `${url}: the first Tab focuses <${first.tag}>, not the skip link`);
          assert.equal(first.href, '#inhoud', `${url}: the first Tab focuses a link to ${first.href} ("${first.text}")`);
          assert.ok(first.visible, `${url}: the focused skip link is not visible`);
          await page.keyboard.press('Enter');
          await page.waitForFunction(() => location.hash === '#inhoud', null, { timeout: 5000 });
          const target = await page.evaluate(() => {
            const main = document.querySelector('main#inhoud');
            const el = document.activeElement;
            return {
              hasMain: Boolean(main),
              inside: Boolean(main && (el === main || main.contains(el))),
              active: el ? `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}` : 'none',
            };
          });
          assert.ok(target.hasMain, `${url}: no <main id="inhoud">`);
          assert.ok(target.inside, `${url}: after Enter on the skip link focus is on ${target.active}, not in <main id="inhoud">`);
          assertNone(await recordedProblems(page, problems), url);
        } finally {
          await page.close();
        }
      });
    }
  });

  test(`Nu Html Checker: ${htmlFiles.length} HTML files without errors`, { timeout: 600_000 }, async () => {
    const result = await vnuResult;
    assert.ok(!result.failure, result.failure);
    const errors = result.messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
    const lines = errors.map((m) => {
      const file = m.url ? path.relative(SITE_DIR, fileURLToPath(m.url)) : '?';
      const where = m.lastLine ? `:${m.firstLine || m.lastLine}${m.firstColumn ? `:${m.firstColumn}` : ''}` : '';
      const extract = m.extract ? `\n    ${m.extract.replace(/\s+/g, ' ').trim()}` : '';
      return `${file}${where}: ${m.message}${extract}`;
    });
    assert.equal(errors.length, 0, `vnu found ${errors.length} error(s):\n${lines.join('\n')}`);
  });
}
