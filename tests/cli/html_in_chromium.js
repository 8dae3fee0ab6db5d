// Opens a constable HTML report in headless Chromium (puppeteer-core) and
// prints, as JSON, what the page did: console errors and warnings, page
// errors, dialogs (an injected alert()), every request beyond the page itself
// and failed ones, the images in the DOM, and what the filter box shows for a
// query. Takes a screenshot. Used by tests/cli/ci_outputs_test.cpp.
//
// usage: node html_in_chromium.js CHROMIUM REPORT.html SCREENSHOT.png QUERY

const puppeteer = require('puppeteer-core');
const { pathToFileURL } = require('url');

async function main() {
  const [chromium, report, screenshot, query] = process.argv.slice(2);
  const url = pathToFileURL(report).href;
  const seen = { console: [], pageErrors: [], dialogs: [], requests: [], failedRequests: [] };
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    // Tests run as root in containers: Chromium's sandbox needs a user namespace.
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions'],
  });
  try {
    const page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warn')
        seen.console.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => seen.pageErrors.push(String(error.message || error)));
    page.on('dialog', async (dialog) => {
      seen.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      await dialog.dismiss();
    });
    page.on('request', (request) => {
      if (request.url() !== url) seen.requests.push(request.url());
    });
    page.on('requestfailed', (request) => seen.failedRequests.push(request.url()));

    await page.goto(url, { waitUntil: 'load', timeout: 15000 });
    await page.setViewport({ width: 1200, height: 900 });
    await page.screenshot({ path: screenshot, fullPage: true });

    const before = await page.evaluate(() => ({
      findings: document.querySelectorAll('.finding').length,
      shown: (document.getElementById('shown') || {}).textContent || '',
      images: document.querySelectorAll('img, iframe, svg, object, embed').length,
      scripts: document.querySelectorAll('script').length,
      title: document.title,
    }));
    let after = null;
    if (await page.$('#filter')) {
      await page.type('#filter', query);
      after = await page.evaluate(() => ({
        shown: document.getElementById('shown').textContent,
        visible: Array.from(document.querySelectorAll('.finding')).filter((f) => f.offsetParent !== null).length,
      }));
    }
    process.stdout.write(JSON.stringify({ ...seen, before, after }) + '\n');
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  process.stderr.write(`html_in_chromium: ${error.stack || error}\n`);
  process.exit(1);
});
