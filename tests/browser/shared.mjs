// Shared by the browser test files: the static server with the site's CSP, and Chromium's launch.
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';

import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CSP = "default-src 'self'";
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
export const WIDE = { width: 1280, height: 800 };
export const NARROW = { width: 320, height: 640 }; // WCAG 1.4.10 Reflow
export const SITE_DIR = process.env.SITE_DIR ? path.resolve(process.env.SITE_DIR) : '';

export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
  '.webmanifest': 'application/manifest+json',
};

/** Every file below `dir` (relative paths with `/`), sorted. */
export function walk(dir, rel = '') {
  const out = [];
  for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...walk(dir, child));
    else if (entry.isFile()) out.push(child);
  }
  return out.sort();
}

export function contentType(file) {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

/** Static file server for SITE_DIR, like a simple production host, with a strict CSP on every response. */
export function startServer(root) {
  const notFound = path.join(root, '404.html');
  const server = createServer((req, res) => {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const send = (status, file) => {
      res.statusCode = status;
      if (!file) {
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.end(`${status}\n`);
        return;
      }
      res.setHeader('Content-Type', contentType(file));
      res.setHeader('Content-Length', statSync(file).size);
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      send(405);
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      send(400);
      return;
    }
    const file = path.join(root, path.normalize(pathname));
    const inside = file === root || file.startsWith(root + path.sep);
    let stat = null;
    if (inside && !pathname.includes('\0')) {
      try {
        stat = statSync(file);
      } catch {
        stat = null;
      }
    }
    if (stat && stat.isDirectory()) {
      if (!pathname.endsWith('/')) {
        res.statusCode = 301;
        res.setHeader('Location', `${pathname}/`);
        res.end();
        return;
      }
      const index = path.join(file, 'index.html');
      if (existsSync(index)) {
        send(200, index);
        return;
      }
      stat = null;
    }
    if (stat && stat.isFile()) {
      send(200, file);
      return;
    }
    if (existsSync(notFound)) send(404, notFound);
    else send(404);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Watches a page before it loads: requests to other hosts (aborted), CSP violations (console and
 * `securitypolicyviolation` events), script errors and failed local requests. `isLocal(url)` decides which
 * failed requests count; `onResponse(response)` sees every response.
 */
export async function watchPage(page, { isLocal = (u) => u.hostname === '127.0.0.1', onResponse = () => {} } = {}) {
  const problems = { external: [], csp: [], errors: [], failed: [] };
  await page.route('**/*', (route) => {
    const request = route.request();
    const u = new URL(request.url());
    if ((u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '127.0.0.1') {
      problems.external.push(request.url());
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  page.on('console', (msg) => {
    if (msg.text().includes('Content Security Policy')) problems.csp.push(msg.text());
  });
  page.on('pageerror', (err) => problems.errors.push(String(err && err.stack ? err.stack : err)));
  page.on('response', (res) => {
    const u = new URL(res.url());
    if (u.hostname === '127.0.0.1' && res.status() >= 400 && res.request().resourceType() !== 'document') {
      problems.failed.push(`${res.status()} ${u.pathname}`);
    }
    onResponse(res);
  });
  page.on('requestfailed', (req) => {
    const u = new URL(req.url());
    if (isLocal(u)) problems.failed.push(`${req.failure()?.errorText} ${u.pathname}`);
  });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} in ${e.sourceFile || ''}:${e.lineNumber}`);
    });
  });
  return problems;
}
