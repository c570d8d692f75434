// Opens the static `reframe report --html` page in Debian's chromium with playwright-core and
// checks it as a reader sees it: charts that render and have accessible names, counts that add
// up, no script, nothing fetched from anywhere. Renders it to report.png.
// Usage: node report.js <report.html>. Env: CHROMIUM, REFRAME_SCREENSHOTS (dir),
// REFRAME_BROWSER_TIMEOUT_SCALE (multiplies every timeout).
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');

const REPORT = path.resolve(process.argv[2] || '');
const SHOTS = process.env.REFRAME_SCREENSHOTS || path.join(__dirname, '../../target/editor-screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const T = (ms) => ms * Number(process.env.REFRAME_BROWSER_TIMEOUT_SCALE || 1);

let passed = 0;
function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
  passed += 1;
  console.log('CHECK ok:', what);
}

(async () => {
  const t0 = Date.now();
  if (!fs.existsSync(REPORT)) {
    console.log(`FAIL no report at ${REPORT}`);
    process.exit(1);
  }
  fs.mkdirSync(SHOTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const reportUrl = pathToFileURL(REPORT).href;
  const requested = [];
  const errors = [];
  let ok = false;
  try {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    // A static report needs nothing but itself.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url === reportUrl) return route.continue();
      requested.push(url);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(reportUrl, { waitUntil: 'load', timeout: T(30000) });

    const report = await page.evaluate(() => {
      const nameOf = (el) => {
        const label = el.getAttribute('aria-label');
        if (label) return label.trim();
        const ids = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
        const byIds = ids.map((id) => (document.getElementById(id) || {}).textContent || '').join(' ').trim();
        if (byIds) return byIds;
        const title = el.querySelector(':scope > title');
        return title ? title.textContent.trim() : '';
      };
      const lede = document.querySelector('[data-total]');
      return {
        title: document.title,
        height: document.documentElement.scrollHeight,
        scripts: document.querySelectorAll('script').length,
        resources: performance.getEntriesByType('resource').map((r) => r.name),
        handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
        charts: [...document.querySelectorAll('svg.chart')].map((svg) => {
          const box = svg.getBoundingClientRect();
          const title = svg.querySelector(':scope > title');
          return {
            id: svg.id,
            role: svg.getAttribute('role'),
            name: nameOf(svg),
            title: title ? title.textContent.trim() : '',
            width: box.width,
            height: box.height,
            bars: svg.querySelectorAll('rect').length,
          };
        }),
        total: lede ? Number(lede.dataset.total) : NaN,
        categoryCells: [...document.querySelectorAll('td[data-category]')].map((td) => Number(td.textContent)),
        marks: document.querySelectorAll('mark').length,
      };
    });
    console.log('REPORT:', JSON.stringify({ ...report, charts: report.charts.map((c) => `${c.id} ${c.role} ${Math.round(c.width)}x${Math.round(c.height)} ${c.bars} bars "${c.name.slice(0, 60)}"`) }));

    check(/reframe/i.test(report.title), `the document has a title ("${report.title}")`);
    check(report.scripts === 0 && report.handlers === 0, 'no <script> elements and no inline event handlers');
    const charts = report.charts.filter((c) => c.role === 'img' && c.name);
    check(charts.length >= 2, `${charts.length} <svg role="img"> charts with an accessible name (at least 2)`);
    check(report.charts.every((c) => c.role === 'img' && c.name), 'every svg.chart is a named image');
    for (const chart of charts) {
      check(chart.width > 200 && chart.height > 20 && chart.bars > 0,
        `chart "${chart.title || chart.name}" renders (${Math.round(chart.width)}x${Math.round(chart.height)} px, ${chart.bars} bars)`);
      const named = page.getByRole('img', { name: chart.title || chart.name });
      check(await named.count() >= 1, `chromium's accessibility tree names chart #${chart.id} "${chart.title || chart.name}"`);
    }
    check(report.total > 0, `the report counts ${report.total} findings in examples/`);
    check(report.categoryCells.length === 8 && report.categoryCells.reduce((a, b) => a + b, 0) === report.total,
      `the 8 category counts ${JSON.stringify(report.categoryCells)} add up to the total ${report.total}`);
    check(report.marks > 0, `${report.marks} flagged phrases are marked in the drafts`);
    check(report.height > 500, `the page renders (${report.height} px tall)`);
    await page.screenshot({ path: path.join(SHOTS, 'report.png'), fullPage: true });
    check(errors.length === 0, `no console errors (${JSON.stringify(errors)})`);
    check(requested.length === 0 && report.resources.length === 0,
      `the report loaded nothing besides itself (${JSON.stringify([...requested, ...report.resources])})`);
    ok = true;
  } catch (e) {
    console.log('FAIL', e.message);
  } finally {
    await browser.close();
  }
  if (fs.existsSync(path.join(SHOTS, 'report.png'))) console.log('screenshot', path.join(SHOTS, 'report.png'));
  if (!ok) process.exit(1);
  console.log(`PASS: report (${passed} checks, ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
})();
