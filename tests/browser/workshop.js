// Drives the `reframe serve` workshop page in Debian's chromium with playwright-core, as a
// person would: types a note, reads the highlights and the counts, hovers a phrase, applies a
// reframe with the mouse (then undoes it, and applies it again without execCommand), does the
// rest with the keyboard alone, and finally uses the page at phone size by touch. The page is
// cross-checked against the server's own POST /api/check answer, and every request that
// leaves the server's origin is blocked and fails the test.
// Usage: node workshop.js <url>. Env: CHROMIUM, REFRAME_SCREENSHOTS (dir),
// REFRAME_BROWSER_TIMEOUT_SCALE (multiplies every timeout).
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');

const BASE = new URL(process.argv[2] || '');
const SHOTS = process.env.REFRAME_SCREENSHOTS || path.join(__dirname, '../../target/editor-screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const T = (ms) => ms * Number(process.env.REFRAME_BROWSER_TIMEOUT_SCALE || 1);
const NOTE = 'The client was resistant to homework and is non-compliant with meds.';
const EXPECTED_PHRASES = ['resistant to', 'non-compliant with'];
const CATEGORIES = ['blame', 'doubt', 'identity', 'substance', 'suicide', 'pity', 'casual', 'hope'];
const SEVERITY_WORDS = { error: 'Error', warning: 'Warning', info: 'Info', hint: 'Hint' };

let passed = 0;
function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
  passed += 1;
  console.log('CHECK ok:', what);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const shot = (name) => path.join(SHOTS, name);
// Viewport screenshots only: Chromium takes a full-page one by resizing the page (to 1×1 and
// back, under load), which scrolls it and moves the pointer off an open hover card.
const screenshot = (page, name) => page.screenshot({ path: shot(name) });

async function apiCheck(text) {
  const response = await fetch(new URL('/api/check', BASE), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text, kind: 'markdown' }),
  });
  if (!response.ok) throw new Error(`POST /api/check: HTTP ${response.status}`);
  return response.json();
}

// Everything the test reads from the page, in one round trip.
function readPage(page) {
  return page.evaluate(() => {
    const q = (sel) => [...document.querySelectorAll(sel)];
    const testid = (id) => document.querySelector(`[data-testid="${id}"]`);
    const card = testid('card');
    return {
      check: document.body.dataset.check,
      value: testid('draft').value,
      marks: q('[data-testid="mark"]').map((m) => ({ rule: m.dataset.rule, severity: m.dataset.severity, text: m.textContent })),
      counts: Object.fromEntries(q('[data-testid^="count-"]').map((e) => [e.dataset.testid.slice(6), e.textContent])),
      list: q('[data-testid="finding"]').map((b) => ({ rule: b.dataset.rule, category: b.dataset.category, label: b.getAttribute('aria-label') })),
      cardOpen: !card.hidden,
      cardText: card.hidden ? '' : card.innerText,
      reframes: q('[data-testid="reframe"]').map((b) => b.textContent),
      announce: document.getElementById('announce').textContent,
      notice: document.getElementById('draft-notice').textContent,
      focus: document.activeElement && (document.activeElement.dataset.testid || document.activeElement.id || document.activeElement.tagName),
    };
  });
}

// Waits until the page has checked exactly `value`.
async function settled(page, value, what) {
  await page.waitForFunction((v) => document.body.dataset.check === 'ready'
    && document.querySelector('[data-testid="draft"]').value === v, value, { timeout: T(30000) })
    .catch(() => { throw new Error(`timed out waiting for the page to check the draft (${what})`); });
  return readPage(page);
}

// The page agrees with the server's own answer for the same text.
async function checkAgainstApi(state, what) {
  const api = await apiCheck(state.value);
  check(JSON.stringify(state.marks.map((m) => m.rule)) === JSON.stringify(api.findings.map((f) => f.rule)),
    `${what}: marks ${JSON.stringify(state.marks.map((m) => m.rule))} = the API's findings`);
  api.findings.forEach((f, i) => {
    const phrase = state.value.slice(f.start, f.end);
    check(phrase === f.matched && state.marks[i].text === phrase && state.marks[i].severity === f.severity,
      `${what}: mark ${i + 1} covers “${phrase}” (${f.rule}, ${f.severity})`);
  });
  const keys = ['total', ...CATEGORIES];
  const shown = keys.map((k) => state.counts[k]);
  const answered = keys.map((k) => String(k === 'total' ? api.total : api.counts[k]));
  check(JSON.stringify(shown) === JSON.stringify(answered), `${what}: counts panel [total, ${CATEGORIES}] = ${JSON.stringify(shown)} = the API's counts`);
  const blameInList = state.list.filter((f) => f.category === 'blame').length;
  check(String(blameInList) === state.counts.blame, `${what}: blame count ${state.counts.blame} = blame findings in the list`);
  check(String(state.list.length) === state.counts.total && state.list.length === state.marks.length,
    `${what}: total ${state.counts.total} = findings listed = marks`);
  return api;
}

async function hoverMark(page, index) {
  await page.mouse.move(2, 2);
  const box = await page.locator('[data-testid="mark"]').nth(index).boundingBox();
  await page.mouse.move(box.x + box.width / 2 - 4, box.y + box.height / 2);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.locator('[data-testid="card"]').waitFor({ state: 'visible', timeout: T(10000) });
}

async function tabUntil(page, selector, maxTabs) {
  for (let i = 0; i < maxTabs; i += 1) {
    if (await page.evaluate((s) => document.activeElement && document.activeElement.matches(s), selector)) return i;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${maxTabs} Tabs did not reach ${selector}`);
}

// A page in its own context that may reach only the server: anything else is blocked and
// recorded. Console errors (CSP violations among them) are collected in page.errors.
async function openPage(browser, options, blocked) {
  const context = await browser.newContext(options);
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.origin === BASE.origin) return route.continue();
    blocked.push(url.href);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  return page;
}

async function desktop(browser, blocked) {
  const page = await openPage(browser, { viewport: { width: 1280, height: 860 } }, blocked);

  // 1. load
  const response = await page.goto(BASE.href, { waitUntil: 'load', timeout: T(60000) });
  check(response.status() === 200, `GET / answers 200 (${response.status()})`);
  check(/default-src 'self'/.test(response.headers()['content-security-policy'] || ''), 'GET / sends a Content-Security-Policy');
  await page.locator('[data-testid="count-hope"]').waitFor({ timeout: T(30000) });
  const draft = page.getByRole('textbox', { name: 'Your draft' });
  check(await draft.count() === 1, 'the draft textarea is labelled "Your draft"');
  check(await page.locator('[data-testid="backdrop"]').getAttribute('aria-hidden') === 'true', 'the highlight backdrop is aria-hidden');
  check(await page.getByRole('complementary', { name: 'Findings' }).count() === 1, 'a side panel (aside) headed "Findings"');

  // 2. type a note, as a person would
  await draft.click();
  await page.keyboard.type(NOTE, { delay: 12 });
  let state = await settled(page, NOTE, 'the typed note');
  check(state.value === NOTE, 'the draft holds the typed note');
  const api = await checkAgainstApi(state, 'typed note');
  for (const phrase of EXPECTED_PHRASES) {
    check(state.marks.some((m) => m.text === phrase), `“${phrase}” is highlighted`);
  }
  check(/2 findings/.test(state.announce), `the live region says "${state.announce}"`);
  for (const f of api.findings) {
    const phrase = state.value.slice(f.start, f.end);
    const name = new RegExp(`^${SEVERITY_WORDS[f.severity]}, .*“${escapeRegExp(phrase)}”`);
    check(await page.getByRole('button', { name }).count() === 1,
      `the findings list has a button named "${SEVERITY_WORDS[f.severity]}, …“${phrase}”…"`);
  }
  await screenshot(page, 'workshop.png');

  // 3. hover the first mark: the card explains and offers the reframes
  const first = api.findings[0];
  await hoverMark(page, 0);
  state = await readPage(page);
  const dialog = page.getByRole('dialog', { name: new RegExp(escapeRegExp(`“${first.matched}”`)) });
  check(await dialog.isVisible(), `hovering “${first.matched}” opens a card named after it`);
  const flat = (s) => s.replace(/\s+/g, ' ');
  check(flat(state.cardText).includes(flat(first.message)) && flat(state.cardText).includes(flat(first.why)),
    'the card shows the rule message and the why text');
  check(state.cardText.includes(first.rule), `the card shows the rule id ${first.rule}`);
  check(JSON.stringify(state.reframes) === JSON.stringify(first.reframes.map((r, i) => `Use “${r}”${first.reframe_safety[i] === 'safe' ? '' : ' (suggestion)'}`)),
    `the card offers ${JSON.stringify(state.reframes)}`);
  const links = await page.locator('[data-testid="card"] a').evaluateAll((as) => as.map((a) => [a.href, a.rel, a.target]));
  check(links.length === first.sources.length && links.every(([, rel, target]) => rel === 'noreferrer' && target === '_blank'),
    `the card links its ${links.length} sources (rel=noreferrer, new tab)`);
  await screenshot(page, 'workshop-card.png');

  // 4. one click applies the first reframe
  const reframe = first.reframes[0];
  const applied = NOTE.slice(0, first.start) + reframe + NOTE.slice(first.end);
  await page.locator('[data-testid="reframe"]').first().click();
  state = await settled(page, applied, 'after the first reframe');
  check(state.value.includes(reframe) && !state.value.includes(first.matched), `clicking "Use “${reframe}”" rewrites the draft`);
  check(!state.cardOpen, 'the card closes after applying');
  check(state.marks.length === api.findings.length - 1 && state.counts.total === String(api.total - 1),
    `one finding fewer: ${state.marks.length} marks, total ${state.counts.total}`);
  check(state.counts.blame === String(api.counts.blame - 1), `blame count now ${state.counts.blame}`);
  await checkAgainstApi(state, 'after the first reframe');
  check(/Replaced .*1 finding\./.test(state.announce), `the live region says "${state.announce}"`);
  await screenshot(page, 'workshop-applied.png');

  // 5. the reframe went into the textarea's undo history: Ctrl+Z restores the phrase
  check(state.focus === 'draft', 'focus is back in the draft after applying');
  await page.keyboard.press('Control+Z');
  state = await settled(page, NOTE, 'after undo');
  check(state.marks.length === api.findings.length, 'Ctrl+Z restores the phrase and its mark');

  // 6. without execCommand (undo-free path) the reframe still applies, through setRangeText
  await page.evaluate(() => { document.execCommand = () => false; });
  await hoverMark(page, 0);
  await page.locator('[data-testid="reframe"]').first().click();
  state = await settled(page, applied, 'after the setRangeText reframe');
  check(state.value === applied && state.marks.length === api.findings.length - 1,
    'with execCommand unavailable the reframe applies through setRangeText');
  await page.evaluate(() => { delete document.execCommand; });

  // 7. keyboard alone: Tab to the findings list, open the card, Tab to a reframe, Enter
  check((await readPage(page)).focus === 'draft', 'focus is in the draft after applying');
  await page.mouse.move(2, 2);
  const remaining = api.findings[1];
  // the caret: arrow keys into the phrase open its card, Tab enters it, Escape leaves it
  await page.keyboard.press('Control+End');
  for (let i = applied.length; i > remaining.end - first.matched.length + reframe.length - 3; i -= 1) await page.keyboard.press('ArrowLeft');
  await page.locator('[data-testid="card"]').waitFor({ state: 'visible', timeout: T(10000) });
  state = await readPage(page);
  check(state.focus === 'draft' && state.cardText.includes(remaining.message),
    `arrow keys into “${remaining.matched}” show its card while the caret stays in the draft`);
  check(state.announce.includes(remaining.message), `the live region reads it out: "${state.announce}"`);
  await page.keyboard.press('Tab');
  check((await readPage(page)).focus === 'reframe', 'Tab from the draft moves into the card, to the first reframe');
  await page.keyboard.press('Escape');
  state = await readPage(page);
  check(!state.cardOpen && state.focus === 'draft', 'Escape closes the card and returns focus to the draft');
  // the findings list
  const tabs = await tabUntil(page, '[data-testid="finding"]', 10);
  check(true, `Tab from the draft reaches the findings list (${tabs} Tab)`);
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="card"]').waitFor({ state: 'visible', timeout: T(10000) });
  state = await readPage(page);
  check(state.focus === 'card' && state.cardText.includes(remaining.message), `Enter on the finding opens its card and focuses it (“${remaining.matched}”)`);
  check(await page.evaluate(() => document.querySelector('[data-testid="draft"]').selectionStart) === remaining.start - first.matched.length + reframe.length,
    'the phrase is selected in the draft');
  await page.keyboard.press('Escape');
  state = await readPage(page);
  check(!state.cardOpen && state.focus === 'finding', 'Escape closes the card and returns focus to the finding');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="card"]').waitFor({ state: 'visible', timeout: T(10000) });
  await tabUntil(page, '[data-testid="reframe"]', 6);
  const chosen = await page.evaluate(() => document.activeElement.textContent.match(/^Use “(.*)”( \(suggestion\))?$/)[1]);
  await page.keyboard.press('Enter');
  const final = applied.replace(remaining.matched, chosen);
  state = await settled(page, final, 'after the keyboard reframe');
  check(state.value === final && !state.value.includes(remaining.matched), `Enter on "Use “${chosen}”" rewrites the draft: ${JSON.stringify(state.value)}`);
  check(state.marks.length === 0 && state.list.length === 0 && state.counts.total === '0'
    && CATEGORIES.every((c) => state.counts[c] === '0'), 'no findings left: every count is 0');
  check(/No findings\./.test(state.announce), `the live region says "${state.announce}"`);
  await checkAgainstApi(state, 'after the keyboard reframe');
  check(page.errors.length === 0, `no console errors or CSP violations (${JSON.stringify(page.errors)})`);

  // 8. a draft over 1 MiB: the server answers 413, the page says so politely
  const big = 'A line of a long draft, repeated to pass the size limit.\n'.repeat(19000);
  await page.evaluate((text) => {
    const area = document.querySelector('[data-testid="draft"]');
    area.value = text;
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }, big);
  await page.waitForFunction(() => document.body.dataset.check === 'error', null, { timeout: T(60000) });
  state = await readPage(page);
  check(/too long for the workshop page \(over 1 MiB\)/.test(state.notice), `the page explains a 413: "${state.notice}"`);
  await page.context().close();
}

async function phone(browser, blocked) {
  const page = await openPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }, blocked);
  await page.goto(BASE.href, { waitUntil: 'load', timeout: T(60000) });
  await page.locator('[data-testid="count-hope"]').waitFor({ timeout: T(30000) });
  await page.locator('[data-testid="draft"]').tap();
  await page.keyboard.insertText(NOTE); // as a phone keyboard's suggestion or a paste would
  await settled(page, NOTE, 'the note at phone size');
  const box = await page.locator('[data-testid="mark"]').first().boundingBox();
  await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
  await page.locator('[data-testid="card"]').waitFor({ state: 'visible', timeout: T(10000) });
  const layout = await page.evaluate(() => {
    const rect = (sel) => document.querySelector(sel).getBoundingClientRect().toJSON();
    const small = [...document.querySelectorAll('button, select, summary')]
      .filter((e) => e.getClientRects().length && e.getBoundingClientRect().height < 44)
      .map((e) => e.textContent.trim().slice(0, 30));
    return { card: rect('[data-testid="card"]'), draft: rect('[data-testid="draft"]'), panel: rect('aside'),
      width: document.documentElement.scrollWidth, small };
  });
  check(layout.width <= 390, `no sideways scrolling at 390 px (document ${layout.width} px wide)`);
  check(layout.panel.top > layout.draft.bottom, 'the findings panel stacks below the editor');
  check(Math.round(layout.card.left) === 0 && Math.round(layout.card.right) === 390 && Math.round(layout.card.bottom) === 844,
    'tapping a phrase opens the card as a sheet along the bottom of the screen');
  check(layout.small.length === 0, `every visible control is at least 44 px tall (${JSON.stringify(layout.small)})`);
  check(page.errors.length === 0, `phone: no console errors (${JSON.stringify(page.errors)})`);
  await screenshot(page, 'workshop-phone.png');
  await page.context().close();
}

(async () => {
  const t0 = Date.now();
  fs.mkdirSync(SHOTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const blocked = [];
  let ok = false;
  try {
    await desktop(browser, blocked);
    await phone(browser, blocked);
    const tooBig = await fetch(new URL('/api/check', BASE), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'a'.repeat(2 << 20) }),
    });
    const tooBigBody = await tooBig.json().catch(() => null);
    check(tooBig.status === 413 && tooBigBody && typeof tooBigBody.error === 'string',
      `POST /api/check with 2 MiB answers 413 ${JSON.stringify(tooBigBody)}`);
    check(blocked.length === 0, `the page requested nothing outside ${BASE.origin} (${JSON.stringify(blocked)})`);
    ok = true;
  } catch (e) {
    console.log('FAIL', e.message);
  } finally {
    await browser.close();
  }
  for (const name of ['workshop.png', 'workshop-card.png', 'workshop-applied.png', 'workshop-phone.png']) {
    if (fs.existsSync(shot(name))) console.log('screenshot', shot(name));
  }
  if (!ok) process.exit(1);
  console.log(`PASS: workshop page (${passed} checks, ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
})();
