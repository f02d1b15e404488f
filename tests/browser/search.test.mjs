// Browser tests of the search page (/zoeken/) and its index (/zoeken/index/, docs/SEARCH-FORMAT.md).
//
//   SITE_DIR=/path/to/public node --test tests/browser/search.test.mjs
//
// Serves SITE_DIR on 127.0.0.1 with `Content-Security-Policy: default-src 'self'` (as site.test.mjs does) and
// drives Debian's Chromium through playwright-core: typing queries, filters, the query in the URL, the header
// search field, the page over file://, without JavaScript, with the keyboard, and axe (WCAG 2.0/2.1/2.2 A and
// AA) with results on screen. It prints how many bytes of the index a first and a second query download.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { AxeBuilder } from '@axe-core/playwright';

import { AXE_TAGS, NARROW, SITE_DIR, WIDE, launchBrowser, startServer } from './shared.mjs';
import {
  WAIT,
  assertNone,
  formatAxe,
  kB,
  pageOpener,
  pagePath,
  pagesWith,
  recordedProblems,
  results,
  statusCount,
  statusText,
  typeQuery,
  waitForQuery,
} from './search-helpers.mjs';

const TEST_TIMEOUT = 90_000;
const SEARCH_PATH = '/zoeken/';
const FIRST_QUERY_BUDGET = 100_000; // bytes of index files for a first query
const ROLE = 'doorverwijzer';


if (!SITE_DIR || !existsSync(path.join(SITE_DIR, 'index.html'))) {
  test('SITE_DIR points at a built site', () => {
    assert.fail(`Set SITE_DIR to a built site directory (got ${JSON.stringify(process.env.SITE_DIR || '')})`);
  });
} else {
  let server;
  let origin;
  let browser;
  let context;

  before(async () => {
    server = await startServer(SITE_DIR);
    origin = `http://127.0.0.1:${server.address().port}`;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: WIDE, locale: 'nl-NL', serviceWorkers: 'block' });
    openPage = pageOpener(context, origin);
  }, { timeout: 120_000 });

  after(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  });

  let openPage;

  const hasIndex = existsSync(path.join(SITE_DIR, 'zoeken', 'index', 'meta.js'));
  const hasPage = existsSync(path.join(SITE_DIR, 'zoeken', 'index.html'));

  describe('search', { concurrency: 1 }, () => {
    test('the site has a search page and an index', () => {
      assert.ok(hasPage, `no ${path.join(SITE_DIR, 'zoeken', 'index.html')}`);
      assert.ok(hasIndex, `no ${path.join(SITE_DIR, 'zoeken', 'index', 'meta.js')}`);
    });
    const skip = hasPage && hasIndex ? false : 'no search page or index in SITE_DIR';

    test('a first and a second query: results, and the bytes they download', { skip, timeout: TEST_TIMEOUT }, async () => {
      const { page, problems, loaded } = await openPage(SEARCH_PATH);
      try {
        await typeQuery(page, 'doorverwijzen');
        const first = await results(page);
        assert.ok(first.length > 0, `no results for doorverwijzen: ${await statusText(page)}`);
        assert.equal(
          pagePath(first[0].url),
          '/handreiking/rollen/doorverwijzer/',
          `the first result for doorverwijzen is ${first[0].url} ("${first[0].title}"), not the doorverwijzer role page`,
        );
        assert.ok(first.length <= 10, `${first.length} results shown, at most 10 expected`);
        assert.ok(
          first.some((r) => r.marks.some((m) => /^doorverwijz/i.test(m))),
          'no excerpt marks a form of "doorverwijzen"',
        );
        const afterFirst = await loaded();
        const firstBytes = afterFirst.reduce((sum, f) => sum + f.bytes, 0);

        await typeQuery(page, 'enquete');
        const second = await results(page);
        assert.ok(
          second.some((r) => pagePath(r.url) === '/monitor/aanpak-en-respons/'),
          `enquete does not find /monitor/aanpak-en-respons/; results: ${second.map((r) => r.href).join(', ')}`,
        );
        const afterSecond = await loaded();
        const secondFiles = afterSecond.slice(afterFirst.length);
        const secondBytes = secondFiles.reduce((sum, f) => sum + f.bytes, 0);

        const names = (files) => files.map((f) => `${f.name} ${kB(f.bytes)}`).join(', ');
        console.log(`search index bytes, first query "doorverwijzen": ${firstBytes} (${kB(firstBytes)}) in ${afterFirst.length} files: ${names(afterFirst)}`);
        console.log(`search index bytes, second query "enquete": ${secondBytes} (${kB(secondBytes)}) in ${secondFiles.length} files: ${names(secondFiles)}`);

        assert.ok(firstBytes < FIRST_QUERY_BUDGET, `the first query downloads ${firstBytes} bytes of index, budget ${FIRST_QUERY_BUDGET}`);
        const requested = afterSecond.map((f) => f.name);
        const twice = requested.filter((n, i) => requested.indexOf(n) !== i);
        assert.deepEqual(twice, [], `index files requested more than once: ${twice.join(', ')}`);
        const termFiles = requested.filter((n) => n.startsWith('t-'));
        assert.deepEqual(termFiles.sort(), ['t-do.js', 't-en.js'], 'only the term chunks of the query words are loaded');
        const total = readdirSync(path.join(SITE_DIR, 'zoeken', 'index')).length;
        assert.ok(requested.length < total, `all ${total} index files were loaded`);
        assertNone(await recordedProblems(page, problems), SEARCH_PATH);
      } finally {
        await page.close();
      }
    });

    // Glossary synonyms (KCC = Klantcontactcentrum) are in the index both ways. A page "contains" a word when
    // the text of its <main> (without navigation and attributes such as <abbr title>) has it.
    const longOnly = skip ? new Set() : pagesWith(/klantcontactcentrum/i, /\bkcc\b/i);
    const shortOnly = skip ? new Set() : pagesWith(/\bkcc\b/i, /klantcontactcentrum/i);

    test('KCC finds a page that says klantcontactcentrum but not KCC', {
      skip: skip || (longOnly.size === 0 ? 'no page in this site says klantcontactcentrum without KCC' : false),
      timeout: TEST_TIMEOUT,
    }, async () => {
      const { page, problems } = await openPage(`${SEARCH_PATH}?q=KCC`);
      try {
        await waitForQuery(page, 'KCC');
        // More than 20 pages say KCC: "Toon meer resultaten" shows the rest, and moves focus to the
        // first new result.
        for (let round = 0; round < 10 && (await page.isVisible('#zoeken .zoekmeer')); round++) {
          const before = (await results(page)).length;
          await page.click('#zoeken .zoekmeer');
          await page.waitForFunction((n) => document.querySelectorAll('#zoeken ol > li').length > n, before);
          const focused = await page.evaluate(
            (n) => document.activeElement === document.querySelectorAll('#zoeken ol > li')[n].querySelector('a'),
            before,
          );
          assert.ok(focused, 'focus moves to the first new result');
        }
        const found = await results(page);
        assert.ok(
          found.some((r) => longOnly.has(pagePath(r.url))),
          `none of the ${found.length} results is one of ${[...longOnly].join(', ')}`,
        );
        assertNone(await recordedProblems(page, problems), SEARCH_PATH);
      } finally {
        await page.close();
      }
    });

    test('klantcontactcentrum finds a page that says KCC but not klantcontactcentrum', {
      skip: skip || (shortOnly.size === 0 ? 'no page in this site says KCC without klantcontactcentrum' : false),
      timeout: TEST_TIMEOUT,
    }, async () => {
      const { page, problems } = await openPage(SEARCH_PATH);
      try {
        await typeQuery(page, 'klantcontactcentrum');
        const found = await results(page);
        assert.ok(
          found.some((r) => shortOnly.has(pagePath(r.url))),
          `none of the ${found.length} results (${found.map((r) => r.href).join(', ')}) is one of ${[...shortOnly].join(', ')}`,
        );
        assertNone(await recordedProblems(page, problems), SEARCH_PATH);
      } finally {
        await page.close();
      }
    });

    test('a role filter narrows the results without loading term chunks again', { skip, timeout: TEST_TIMEOUT }, async () => {
      const { page, problems, loaded } = await openPage(SEARCH_PATH);
      try {
        await typeQuery(page, 'kcc');
        const before = await results(page);
        const beforeCount = await statusCount(page);
        const beforeFiles = await loaded();
        const roleLabel = await page.$eval(`#zoeken select[name="rol"] option[value="${ROLE}"]`, (o) => o.textContent.trim());
        const beforeStatus = await statusText(page);
        await page.selectOption('#zoeken select[name="rol"]', ROLE);
        await page.waitForFunction(
          (old) => document.querySelector('#zoeken [role="status"]').textContent.trim() !== old,
          beforeStatus,
          { timeout: WAIT },
        );
        const after = await results(page);
        const afterCount = await statusCount(page);
        assert.ok(after.length > 0, `no results left with role ${ROLE}: ${await statusText(page)}`);
        assert.ok(
          afterCount < beforeCount && after.length <= before.length,
          `the filter did not narrow: ${beforeCount} -> ${afterCount} results (${before.length} -> ${after.length} shown)`,
        );
        for (const r of after) {
          assert.ok(r.roles.includes(roleLabel), `${r.href} is shown with role filter ${roleLabel} but has roles "${r.roles}"`);
        }
        assert.match(page.url(), new RegExp(`[?&]rol=${ROLE}(&|$)`), 'the role filter is not in the URL');
        const afterFiles = (await loaded()).slice(beforeFiles.length);
        assert.deepEqual(
          afterFiles.filter((f) => !f.name.startsWith('d-')).map((f) => f.name),
          [],
          'changing a filter loaded more than documents',
        );
        const requested = (await loaded()).map((f) => f.name);
        const twice = requested.filter((n, i) => requested.indexOf(n) !== i);
        assert.deepEqual(twice, [], `index files requested more than once: ${twice.join(', ')}`);

        // Back to all roles: the first results again.
        await page.selectOption('#zoeken select[name="rol"]', '');
        await page.waitForFunction(
          (n) => document.querySelectorAll('#zoeken ol > li').length === n,
          before.length,
          { timeout: WAIT },
        );
        assert.doesNotMatch(page.url(), /[?&]rol=/, 'the role filter stays in the URL after choosing all roles');
        assertNone(await recordedProblems(page, problems), SEARCH_PATH);
      } finally {
        await page.close();
      }
    });

    test('the query and filters are kept in the URL and run again from it', { skip, timeout: TEST_TIMEOUT }, async () => {
      const { page, problems } = await openPage(`${SEARCH_PATH}?q=enquete&soort=monitor`);
      try {
        await waitForQuery(page, 'enquete');
        assert.equal(await page.inputValue('#zoeken input[name="q"]'), 'enquete');
        assert.equal(await page.inputValue('#zoeken select[name="soort"]'), 'monitor');
        const typeLabel = await page.$eval('#zoeken select[name="soort"] option[value="monitor"]', (o) => o.textContent.trim());
        const found = await results(page);
        assert.ok(found.length > 0, 'no results from the URL');
        for (const r of found) assert.ok(r.type.includes(typeLabel), `${r.href} has type "${r.type}", filter ${typeLabel}`);

        // Enter runs the search without reloading the page; the URL follows the field.
        await page.evaluate(() => {
          window.__zelfdePagina = true;
        });
        const field = page.locator('#zoeken input[name="q"]');
        await field.fill('aanpak respons');
        await field.press('Enter');
        await waitForQuery(page, 'aanpak respons');
        assert.ok(await page.evaluate(() => window.__zelfdePagina === true), 'Enter reloaded the page');
        const u = new URL(page.url());
        assert.equal(u.pathname, SEARCH_PATH);
        assert.equal(u.searchParams.get('q'), 'aanpak respons');
        assert.equal(u.searchParams.get('soort'), 'monitor');

        // The URL shared: a new page shows the same results.
        const shared = page.url().slice(origin.length);
        const again = await openPage(shared);
        try {
          await waitForQuery(again.page, 'aanpak respons');
          assert.deepEqual((await results(again.page)).map((r) => r.href), (await results(page)).map((r) => r.href));
          assertNone(await recordedProblems(again.page, again.problems), shared);
        } finally {
          await again.page.close();
        }
        assertNone(await recordedProblems(page, problems), SEARCH_PATH);
      } finally {
        await page.close();
      }
    });

    test('the search field in the header leads to the results', { skip, timeout: TEST_TIMEOUT }, async () => {
      const { page, problems } = await openPage('/');
      try {
        const field = page.locator('header form[role="search"] input[name="q"]');
        assert.equal(await field.count(), 1, 'no search field in the header of the home page');
        const label = await page.evaluate(() => {
          const input = document.querySelector('header form[role="search"] input[name="q"]');
          return [...(input.labels || [])].map((l) => l.textContent.trim()).join(' ');
        });
        assert.ok(label, 'the header search field has no <label>');
        await field.fill('kcc');
        await Promise.all([page.waitForURL(/\/zoeken\/\?q=kcc$/, { timeout: WAIT }), field.press('Enter')]);
        await waitForQuery(page, 'kcc');
        assert.ok((await results(page)).length > 0, 'no results after searching from the header');
        assert.equal(
          await page.locator('header form[role="search"]').count(),
          0,
          'the search page has a second search field in its header',
        );
        assertNone(await recordedProblems(page, problems), '/ -> /zoeken/');
      } finally {
        await page.close();
      }
    });

    test('search works over file://', { skip, timeout: TEST_TIMEOUT }, async () => {
      const url = `${pathToFileURL(path.join(SITE_DIR, 'zoeken', 'index.html')).href}?q=kcc`;
      const { page, problems } = await openPage(url);
      try {
        await waitForQuery(page, 'kcc');
        const found = await results(page);
        assert.ok(found.length > 0, `no results over file://: ${await statusText(page)}`);
        for (const r of found) {
          const u = new URL(r.url);
          assert.equal(u.protocol, 'file:', `${r.href} does not stay on file://`);
          assert.ok(u.pathname.endsWith('.html'), `${r.href}: a directory link over file:// does not open index.html`);
          assert.ok(existsSync(fileURLToPath(u)), `${r.href} points at ${fileURLToPath(u)}, which does not exist`);
        }
        // A result link opens its page.
        await Promise.all([page.waitForURL(/index\.html/, { timeout: WAIT }), page.locator('#zoeken ol a').first().click()]);
        assert.ok(!page.url().includes('/zoeken/'), `the result link stayed on ${page.url()}`);
        await page.goBack();
        await typeQuery(page, 'enquete');
        assert.ok((await results(page)).length > 0, 'typing over file:// gives no results');
        assert.equal(new URL(page.url()).searchParams.get('q'), 'enquete', 'over file:// the URL does not follow the query');
        assertNone(await recordedProblems(page, problems), url);
      } finally {
        await page.close();
      }
    });

    test('with results: axe, 320px reflow, CSP and no requests to other hosts', { skip, timeout: TEST_TIMEOUT }, async () => {
      const url = `${SEARCH_PATH}?q=kcc`;
      const { page, problems } = await openPage(url);
      try {
        await waitForQuery(page, 'kcc');
        assert.ok((await results(page)).length > 0, 'no results');
        const found = [];
        const axe = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
        if (axe.violations.length) found.push(`axe: ${formatAxe(axe.violations, url)}`);
        await page.setViewportSize(NARROW);
        const width = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
        if (width[0] > width[1]) found.push(`horizontal scrolling at ${NARROW.width}px: ${width[0]} > ${width[1]}`);
        const narrowAxe = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
        if (narrowAxe.violations.length) found.push(`axe at ${NARROW.width}px: ${formatAxe(narrowAxe.violations, url)}`);
        // No results and a filter: the other texts of the status.
        await page.setViewportSize(WIDE);
        await typeQuery(page, 'qqqxyz');
        const none = await statusText(page);
        if (!/^Geen resultaten/.test(none)) found.push(`no results: the status says "${none}"`);
        const axeNone = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
        if (axeNone.violations.length) found.push(`axe without results: ${formatAxe(axeNone.violations, url)}`);
        found.push(...(await recordedProblems(page, problems)));
        assertNone(found, url);
      } finally {
        await page.close();
      }
    });

    test('the keyboard reaches the field, button, filters and results in order', { skip, timeout: TEST_TIMEOUT }, async () => {
      const { page, problems } = await openPage(`${SEARCH_PATH}?q=kcc`);
      try {
        await waitForQuery(page, 'kcc');
        const active = () =>
          page.evaluate(() => {
            const el = document.activeElement;
            return el ? `${el.tagName.toLowerCase()}${el.name ? `[name=${el.name}]` : ''}${el.closest('#zoeken ol') ? ' (result)' : ''}` : 'none';
          });
        await page.keyboard.press('Tab');
        assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), '#inhoud', 'the skip link is not first');
        const order = [];
        for (let i = 0; i < 40 && !order.includes('a (result)'); i++) {
          await page.keyboard.press('Tab');
          const now = await active();
          if (now !== order[order.length - 1]) order.push(now);
        }
        const want = ['input[name=q]', 'button', 'select[name=soort]', 'select[name=rol]', 'a (result)'];
        const seen = order.filter((o) => want.includes(o));
        assert.deepEqual(seen, want, `focus order: ${order.join(' -> ')}`);
        assertNone(await recordedProblems(page, problems), SEARCH_PATH);
      } finally {
        await page.close();
      }
    });

    test('without JavaScript the page explains and links to the site overview', { skip, timeout: TEST_TIMEOUT }, async () => {
      const noJs = await browser.newContext({ viewport: WIDE, locale: 'nl-NL', javaScriptEnabled: false });
      try {
        const { page, problems } = await openPage(SEARCH_PATH, { ctx: noJs });
        const info = await page.evaluate(() => {
          const visible = (el) => Boolean(el && el.getClientRects().length);
          const box = document.querySelector('main .zoeken-zonder-js');
          return {
            message: visible(box) ? box.textContent.replace(/\s+/g, ' ').trim() : '',
            links: [...document.querySelectorAll('main a')].filter(visible).map((a) => a.getAttribute('href')),
            home: document.querySelector('header a[href]').getAttribute('href'), // the site name links home
            form: visible(document.querySelector('#zoeken')),
          };
        });
        assert.match(info.message, /JavaScript/, 'no visible explanation without JavaScript');
        assert.ok(info.links.includes(info.home), `no link to the home page (${info.home}): ${info.links.join(', ')}`);
        assert.ok(info.links.some((h) => h.endsWith('/handreiking/')), `no link to the handbook: ${info.links.join(', ')}`);
        assert.ok(!info.form, 'the search form is shown without JavaScript, where it cannot work');
        assertNone(await recordedProblems(page, problems), SEARCH_PATH);
      } finally {
        await noJs.close();
      }
    });
  });
}
