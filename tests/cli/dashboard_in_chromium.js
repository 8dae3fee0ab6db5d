// Walks a served constable audit dashboard in headless Chromium
// (puppeteer-core): from / it follows every link to another page of the
// dashboard, and for each page records what it shows (every data-metric
// figure, per table row), the JSON the server gives for it under
// /api/v1/audit, and anything that went wrong: console errors and warnings,
// page errors, dialogs (an injected alert()), failed requests, requests to
// any other origin, responses of 400 and above. Screenshots each page, whole
// (NAME.png) and its first screen (NAME.top.png).
// Prints one JSON object. Used by tests/cli/dashboard_in_chromium_test.cpp.
//
// usage: node dashboard_in_chromium.js CHROMIUM BASE_URL SCREENSHOT_DIR [MAX_PAGES]

const puppeteer = require('puppeteer-core');
const path = require('path');

// index.html -> overview, repositories/x.html -> repositories/x, ...
function apiPathOf(page) {
  const fixed = { 'index.html': 'overview', 'overdue.html': 'overdue', 'clauses.html': 'clauses', 'coverage.html': 'coverage' };
  if (fixed[page]) return `/api/v1/audit/${fixed[page]}`;
  return `/api/v1/audit/${page.replace(/\.html$/, '')}`;
}

async function main() {
  const [chromium, base, screenshots, maxPagesText] = process.argv.slice(2);
  const maxPages = Number(maxPagesText || 200);
  const origin = new URL(base).origin;
  const seen = { console: [], pageErrors: [], dialogs: [], foreignRequests: [], failedRequests: [], badResponses: [] };
  const pages = {};
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    // Tests run as root in containers: Chromium's sandbox needs a user namespace.
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions'],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    let current = '';
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warn')
        seen.console.push(`${current}: ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => seen.pageErrors.push(`${current}: ${error.message || error}`));
    page.on('dialog', async (dialog) => {
      seen.dialogs.push(`${current}: ${dialog.type()}: ${dialog.message()}`);
      await dialog.dismiss();
    });
    page.on('request', (request) => {
      if (new URL(request.url()).origin !== origin) seen.foreignRequests.push(`${current}: ${request.url()}`);
    });
    page.on('requestfailed', (request) => seen.failedRequests.push(`${current}: ${request.url()}`));
    page.on('response', (response) => {
      if (response.status() >= 400) seen.badResponses.push(`${current}: ${response.status()} ${response.url()}`);
    });

    const queue = ['index.html'];
    const queued = new Set(queue);
    while (queue.length > 0 && Object.keys(pages).length < maxPages) {
      current = queue.shift();
      const response = await page.goto(`${origin}/${current}`, { waitUntil: 'load', timeout: 15000 });
      const shown = await page.evaluate(() => {
        const metrics = {};
        const rows = {};
        document.querySelectorAll('[data-metric]').forEach((element) => {
          const row = element.closest('[data-row]');
          if (row) {
            const key = row.getAttribute('data-row');
            rows[key] = rows[key] || {};
            rows[key][element.getAttribute('data-metric')] = element.textContent.trim();
          } else {
            metrics[element.getAttribute('data-metric')] = element.textContent.trim();
          }
        });
        return {
          title: document.title,
          heading: (document.querySelector('h1') || {}).textContent || '',
          metrics,
          rows,
          violations: document.querySelectorAll('tr.violation').length,
          scripts: document.querySelectorAll('script').length,
          charts: document.querySelectorAll('svg').length,
          links: Array.from(document.querySelectorAll('a[href]')).map((a) => a.href),
        };
      });
      const file = path.join(screenshots, current.replace(/[^A-Za-z0-9._-]/g, '_').replace(/\.html$/, '.png'));
      await page.screenshot({ path: file, fullPage: true });
      // The first screen alone too: small enough for documentation.
      await page.screenshot({ path: file.replace(/\.png$/, '.top.png'), fullPage: false });
      const api = await fetch(`${origin}${apiPathOf(current)}`);
      pages[current] = { status: response.status(), ...shown, screenshot: file, api_status: api.status, json: await api.json() };
      for (const link of shown.links) {
        const url = new URL(link);
        if (url.origin !== origin) continue;  // file:line links to the forge are followed by people, not by this walk
        const target = url.pathname.replace(/^\//, '') || 'index.html';
        if (!queued.has(target)) {
          queued.add(target);
          queue.push(target);
        }
      }
      delete pages[current].links;
    }
    process.stdout.write(JSON.stringify({ ...seen, pages }) + '\n');
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  process.stderr.write(`dashboard_in_chromium: ${error.stack || error}\n`);
  process.exit(1);
});
