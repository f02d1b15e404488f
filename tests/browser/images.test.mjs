// Images in Chromium (issue #16): a 3000×2000 image next to a page stays within the column on a
// 375px phone (the page does not scroll sideways), and the browser picks a resized version that
// fits the screen instead of the original. Builds its own small site with the handreiking binary
// (HANDREIKING_BIN, else target/release or target/debug) and a PNG made here, so no binary image
// is committed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

import { launchBrowser, startServer, watchPage } from './shared.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = [
  process.env.HANDREIKING_BIN,
  path.join(REPO, 'target/release/handreiking'),
  path.join(REPO, 'target/debug/handreiking'),
].find((p) => p && existsSync(p));

/** A PNG of width × height (RGB, a gradient), written with Node's zlib. */
function png(width, height) {
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // RGB
  const row = 1 + width * 3;
  const raw = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = y * row + 1 + x * 3;
      raw[at] = (x * 255) / width;
      raw[at + 1] = (y * 255) / height;
      raw[at + 2] = 128;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function writeSite(dir) {
  const files = {
    'site.yaml': 'title: Beelden\nbase_url: https://example.nl/\n',
    'content/_index.md': '---\ntitle: Beelden\n---\n\nWelkom.\n',
    'content/gids/_index.md': '---\ntitle: Gids\n---\n\nDe gids.\n',
    'content/gids/foto.md':
      '---\ntitle: Een brede foto\n---\n\nTekst boven de foto.\n\n![Een brede foto van de balie](foto.png)\n\nTekst onder de foto.\n',
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  writeFileSync(path.join(dir, 'content/gids/foto.png'), png(3000, 2000));
}

describe('images in Chromium', { skip: BIN ? false : 'no handreiking binary built' }, () => {
  let dir;
  let server;
  let browser;
  let base;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'handreiking-beelden-'));
    writeSite(dir);
    execFileSync(BIN, ['build'], { cwd: dir, stdio: 'pipe' });
    server = await startServer(path.join(dir, 'public'));
    base = `http://127.0.0.1:${server.address().port}`;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const [label, viewport, chosen] of [
    ['a 375px phone', { width: 375, height: 667 }, '/gids/foto-480w.png'],
    ['a 1280px screen', { width: 1280, height: 800 }, '/gids/foto-960w.png'],
  ]) {
    test(`a 3000×2000 image stays within the column on ${label}`, async () => {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
      const page = await context.newPage();
      const problems = await watchPage(page);
      await page.goto(`${base}/gids/foto/`, { waitUntil: 'load' });
      const seen = await page.evaluate(() => {
        const img = document.querySelector('main img');
        const box = img.getBoundingClientRect();
        return {
          scrollWidth: document.documentElement.scrollWidth,
          right: Math.round(box.right),
          currentSrc: new URL(img.currentSrc).pathname,
          natural: [img.naturalWidth, img.naturalHeight],
          ratio: Math.round((box.width / box.height) * 100) / 100,
        };
      });
      await context.close();
      assert.ok(seen.scrollWidth <= viewport.width, `page is ${seen.scrollWidth}px wide`);
      assert.ok(seen.right <= viewport.width, `image ends at ${seen.right}px`);
      assert.equal(seen.currentSrc, chosen);
      assert.equal(seen.ratio, 1.5);
      assert.deepEqual(problems, { external: [], csp: [], errors: [], failed: [] });
    });
  }
});
