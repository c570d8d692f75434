// Drives the Reframe browser extension (editors/browser) in Debian's chromium, headless (new
// mode), with the real native host: first without the host installed (the popup and the field
// say so, with the command), then installed with `reframe native-host install --browser
// chromium` under a temporary HOME whose chromium profile the browser uses. On a local test
// page with a textarea, a text input and a contenteditable it checks that underlines appear
// over the right phrases, the card explains them, applying a reframe edits the text through the
// page's input path (its input listener fires, undo restores), later edits update the count and
// the toolbar badge, the keyboard alone opens a card and applies a reframe, the threshold in the
// popup hides quieter findings, and that no request leaves the machine.
// Usage: node extension.js [--bench]. Env: REFRAME_BIN, CHROMIUM, REFRAME_SCREENSHOTS (dir),
// REFRAME_BROWSER_TIMEOUT_SCALE.
const { chromium } = require('playwright-core');
const { execFileSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');

const REPO = path.resolve(__dirname, '../..');
const EXTENSION = path.join(REPO, 'editors/browser');
const REFRAME = process.env.REFRAME_BIN || path.join(REPO, 'target/debug/reframe');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = process.env.REFRAME_SCREENSHOTS || path.join(REPO, 'target/editor-screenshots');
const T = (ms) => ms * Number(process.env.REFRAME_BROWSER_TIMEOUT_SCALE || 1);
const EXTENSION_ID = 'mdbjjifakngoblaamcffjngjbkimoefj';
const BENCH = process.argv.includes('--bench');

let passed = 0;
function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
  passed += 1;
  console.log('CHECK ok:', what);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Visit note</title>
<style>
  body { font: 16px/1.5 "DejaVu Sans", sans-serif; margin: 32px 48px; background: #f6f7f9; color: #1f2328; }
  h1 { font-size: 20px; margin: 0 0 16px; }
  label { display: block; font-weight: 600; margin: 14px 0 6px; }
  textarea, input, .editor { box-sizing: border-box; width: 640px; font: inherit; padding: 10px 12px;
    border: 1px solid #b9bec6; border-radius: 8px; background: #fff; }
  textarea { height: 120px; resize: vertical; }
  .editor { min-height: 70px; }
</style></head>
<body>
  <h1>Visit note</h1>
  <label for="notes">Session notes</label>
  <textarea id="notes"></textarea>
  <label for="summary">Summary</label>
  <input id="summary" type="text">
  <label id="plan-label">Plan</label>
  <div id="plan" class="editor" contenteditable="true" aria-labelledby="plan-label"></div>
  <label for="letter">Letter</label>
  <iframe id="letter" src="/frame" title="Letter" style="width: 640px; height: 90px; border: 0;"></iframe>
  <script>
    window.inputEvents = { notes: 0, summary: 0, plan: 0 };
    for (const id of Object.keys(window.inputEvents)) {
      document.getElementById(id).addEventListener('input', () => { window.inputEvents[id] += 1; });
    }
  </script>
</body></html>`;

// A form in a frame of the same site, as record systems often embed them.
const FRAME = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Letter</title></head>
<body style="margin: 0; font: 16px/1.5 'DejaVu Sans', sans-serif;">
<textarea id="inner" aria-label="Letter" style="box-sizing: border-box; width: 100%; height: 80px; font: inherit; padding: 8px;"></textarea>
</body></html>`;

function serve() {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(req.url === '/frame' ? FRAME : PAGE);
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function reframe(args, home) {
  return execFileSync(REFRAME, args, { env: { ...process.env, HOME: home }, encoding: 'utf8' });
}

// Everything the test reads about one field's overlay.
function overlay(page, target) {
  return page.evaluate((t) => {
    const host = document.querySelector('reframe-overlay');
    if (!host) return { marks: [], card: null, notice: null, host: null };
    const root = host.shadowRoot;
    const layer = root.querySelector(`.layer[data-target="${t}"]`);
    const card = root.querySelector('.card');
    const notice = root.querySelector('.notice');
    return {
      host: { ...host.dataset },
      marks: layer && !layer.hidden ? [...layer.querySelectorAll('.mark')].map((m) => {
        const r = m.getBoundingClientRect();
        return { rule: m.dataset.rule, severity: m.dataset.severity, index: Number(m.dataset.index), x: r.x, y: r.y, w: r.width, h: r.height };
      }) : [],
      card: card.hidden ? null : { text: card.innerText, rule: card.dataset.rule,
        reframes: [...card.querySelectorAll('button.reframe')].map((b) => b.textContent),
        focused: root.activeElement ? (root.activeElement.dataset.reframe || root.activeElement.tagName) : null },
      notice: notice.hidden ? null : notice.innerText,
    };
  }, target);
}

async function waitFor(what, fn, timeout = T(20000)) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

// The phrase's box in the field as the browser lays it out: the page's own text measured with a
// Range in a copy of the field's contents (for a textarea) or the contenteditable itself.
function phraseBox(page, selector, phrase) {
  return page.evaluate(([sel, p]) => {
    const el = document.querySelector(sel);
    if (el.isContentEditable) {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const at = n.data.indexOf(p);
        if (at >= 0) {
          const range = document.createRange();
          range.setStart(n, at); range.setEnd(n, at + p.length);
          const r = range.getClientRects()[0];
          return { x: r.x, y: r.y, w: r.width, h: r.height };
        }
      }
      return null;
    }
    // A caret-position probe: the same text before the phrase, in the same font, gives x.
    const canvas = document.createElement('canvas').getContext('2d');
    const style = getComputedStyle(el);
    canvas.font = `${style.fontSize} ${style.fontFamily}`;
    const before = el.value.slice(0, el.value.indexOf(p));
    const box = el.getBoundingClientRect();
    return { x: box.x + el.clientLeft + parseFloat(style.paddingLeft) + canvas.measureText(before).width,
      w: canvas.measureText(p).width, firstLine: !before.includes('\n') };
  }, [selector, phrase]);
}

// The badge of the test page's tab (the one active tab of a normal window; the extension may
// not read tab addresses).
async function badge(worker) {
  return worker.evaluate(async () => {
    const [tab] = await chrome.tabs.query({ active: true, windowType: 'normal' });
    return chrome.action.getBadgeText({ tabId: tab.id });
  });
}

async function openPopup(context, worker) {
  const opened = context.waitForEvent('page', { timeout: T(10000) });
  await worker.evaluate(() => chrome.windows.create({ url: chrome.runtime.getURL('popup.html'), type: 'popup', width: 360, height: 520 }));
  const popup = await opened;
  await popup.waitForLoadState('load');
  return popup;
}

async function typeInto(page, selector, text) {
  await page.click(selector);
  await page.keyboard.type(text, { delay: 8 });
}

// The extension's own code has no way to reach the network.
function checkNoNetworkApis() {
  const NETWORK = /\bfetch\s*\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon|importScripts|<script[^>]+src=["']https?:/;
  for (const file of fs.readdirSync(EXTENSION).filter((f) => /\.(js|html)$/.test(f))) {
    const hit = fs.readFileSync(path.join(EXTENSION, file), 'utf8').match(NETWORK);
    check(!hit, `${file} uses no network API${hit ? ` (found ${hit[0]})` : ''}`);
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(EXTENSION, 'manifest.json'), 'utf8'));
  check(JSON.stringify(manifest.permissions) === JSON.stringify(['nativeMessaging', 'storage']) && !manifest.host_permissions,
    `the manifest asks only for nativeMessaging and storage (${manifest.permissions})`);
}

async function main() {
  if (!BENCH) checkNoNetworkApis();
  fs.mkdirSync(SHOTS, { recursive: true });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'reframe-extension-'));
  const profile = path.join(home, '.config/chromium');
  fs.mkdirSync(profile, { recursive: true });
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}`;
  const pageUrl = `${base}/note`;
  const requests = [];
  const blocked = [];
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: false,
      viewport: { width: 900, height: 760 },
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') },
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        `--disable-extensions-except=${EXTENSION}`, `--load-extension=${EXTENSION}`],
      timeout: T(60000),
    });
    context.on('request', (r) => requests.push(r.url()));
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.origin === base || url.protocol === 'chrome-extension:') return route.continue();
      blocked.push(url.href);
      return route.abort('blockedbyclient');
    });
    const worker = context.serviceWorkers()[0] || await context.waitForEvent('serviceworker', { timeout: T(30000) });
    check(new URL(worker.url()).host === EXTENSION_ID, `the extension's id is the one its manifest key fixes (${new URL(worker.url()).host})`);

    const page = context.pages()[0] || await context.newPage();
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(String(e)));
    await page.goto(pageUrl);

    if (BENCH) { await bench(context, worker, page, home, pageUrl); return; }

    // 1. Off by default: typing on a site that is not switched on draws nothing.
    await typeInto(page, '#notes', 'The client is resistant. ');
    await sleep(900);
    check((await page.evaluate(() => document.querySelector('reframe-overlay'))) === null, 'nothing is drawn on a site that was not switched on');

    // 2. The popup: not installed yet, with the one command; switch the site on.
    let popup = await openPopup(context, worker);
    await popup.locator('#problem').waitFor({ state: 'visible', timeout: T(10000) });
    const command = await popup.locator('#install-command').textContent();
    check(command === 'reframe native-host install --browser chromium', `the popup names the install command (${command})`);
    check(await popup.locator('#site-name').textContent() === new URL(base).host, 'the popup is about the test page\'s site');
    check(!(await popup.locator('#site-toggle').isChecked()), 'the site starts switched off');
    await popup.locator('#site-toggle').check();
    await popup.setViewportSize({ width: 340, height: 420 });
    await popup.screenshot({ path: path.join(SHOTS, 'browser-extension-popup-missing.png') });
    await popup.close();

    // 3. The field says the host is missing, with the command.
    const notice = await waitFor('the not-installed notice', async () => (await overlay(page, 'textarea#notes')).notice);
    check(notice.includes('reframe native-host install --browser chromium'), 'the field\'s notice shows the install command');
    check(await badge(worker) === '!', 'the badge shows "!" while the host is missing');

    // 4. Install the host for this profile; the next edit is checked.
    const installed = reframe(['native-host', 'install', '--browser', 'chromium'], home);
    check(fs.existsSync(path.join(profile, 'NativeMessagingHosts/io.github.reframe_tool.reframe.json')), `installed: ${installed.trim()}`);
    await page.fill('#notes', '');
    const NOTE = 'The client was resistant to homework and is non-compliant with meds.';
    await typeInto(page, '#notes', NOTE);
    let state = await waitFor('two marks in the textarea', async () => {
      const s = await overlay(page, 'textarea#notes');
      return s.marks.length === 2 ? s : null;
    });
    check(state.notice === null, 'the notice is gone once the host answers');
    const rules = JSON.parse(reframe(['rules', 'list', '--format', 'json'], home));
    const byId = Object.fromEntries(rules.map((r) => [r.id, r]));
    check(state.marks.every((m) => byId[m.rule]), `the marks name real rules (${state.marks.map((m) => m.rule)})`);
    check(await page.inputValue('#notes') === NOTE, 'the page\'s text is unchanged by checking');
    for (const [i, phrase] of ['resistant to', 'non-compliant with'].entries()) {
      const want = await phraseBox(page, '#notes', phrase);
      const mark = state.marks.find((m) => m.index === i);
      check(Math.abs(mark.x - want.x) < 3 && Math.abs(mark.w - want.w) < 4,
        `mark ${i + 1} lies under “${phrase}” (x ${mark.x.toFixed(1)} ≈ ${want.x.toFixed(1)}, width ${mark.w.toFixed(1)} ≈ ${want.w.toFixed(1)})`);
    }
    const textarea = await page.locator('#notes').boundingBox();
    check(state.marks.every((m) => m.y > textarea.y && m.y + m.h < textarea.y + textarea.height), 'the marks sit inside the textarea');
    check(await badge(worker) === '2', 'the badge counts the focused field\'s 2 findings');
    await page.screenshot({ path: path.join(SHOTS, 'browser-extension-underline.png'), clip: { x: 0, y: 0, width: 760, height: 250 } });

    // 5. Hovering a mark opens the card with the reason and the reframes.
    const first = state.marks.find((m) => m.index === 0);
    await page.mouse.move(first.x + first.w / 2, first.y + first.h / 2);
    const card = await waitFor('the card', async () => (await overlay(page, 'textarea#notes')).card);
    const rule = byId[card.rule];
    check(card.rule === state.marks[0].rule && card.text.includes(rule.message), `the card explains ${card.rule}: “${rule.message}”`);
    check(card.reframes.length > 0 && JSON.stringify(card.reframes) === JSON.stringify(rule.reframes.length ? card.reframes : []),
      `the card offers reframes (${card.reframes.join(' | ')})`);
    check(/Sources \(\d+\)/.test(card.text) && card.text.includes('About this rule'), 'the card lists sources and links the rule docs');
    await page.screenshot({ path: path.join(SHOTS, 'browser-extension-card.png'), clip: { x: 0, y: 0, width: 760, height: 640 } });

    // 6. Applying a reframe edits the text through the page's input path.
    const eventsBefore = await page.evaluate(() => window.inputEvents.notes);
    const reframeText = card.reframes[0];
    await page.locator(`reframe-overlay .card button.reframe >> nth=0`).click();
    const applied = await waitFor('the reframe in the textarea', async () => {
      const v = await page.inputValue('#notes');
      return v !== NOTE ? v : null;
    });
    check(applied === NOTE.replace('resistant to', reframeText), `the textarea now reads “${applied}”`);
    check(await page.evaluate(() => window.inputEvents.notes) > eventsBefore, 'the page\'s own input listener saw the change');
    state = await waitFor('one mark after the reframe', async () => {
      const s = await overlay(page, 'textarea#notes');
      return s.marks.length === 1 && s.marks[0].rule !== card.rule ? s : null;
    });
    check(true, `the applied phrase's mark is gone; ${state.marks[0].rule} remains`);
    await waitFor('badge 1', async () => (await badge(worker)) === '1');
    check(true, 'the badge follows the reframe (1)');
    await page.keyboard.press('Control+z');
    check(await page.inputValue('#notes') === NOTE, 'undo brings back the original wording');
    await page.keyboard.press('Control+Shift+z');
    check(await page.inputValue('#notes') === applied, 'redo applies the reframe again');

    // 7. A second edit updates the count and the badge.
    await page.keyboard.press('End');
    await page.keyboard.type(' He is an addict.', { delay: 8 });
    state = await waitFor('two marks after the second edit', async () => {
      const s = await overlay(page, 'textarea#notes');
      return s.marks.length === 2 ? s : null;
    });
    check(state.marks.some((m) => m.rule.includes('addict')), `the new phrase is flagged (${state.marks.map((m) => m.rule)})`);
    await waitFor('badge 2', async () => (await badge(worker)) === '2');
    check(true, 'the badge follows the second edit (1 → 2)');

    // 8. The text input.
    await typeInto(page, '#summary', 'He refused treatment and is attention seeking.');
    state = await waitFor('marks in the input', async () => {
      const s = await overlay(page, 'input#summary');
      return s.marks.length >= 2 ? s : null;
    });
    const input = await page.locator('#summary').boundingBox();
    check(state.marks.every((m) => m.y > input.y && m.y + m.h < input.y + input.height), `${state.marks.length} marks inside the input (${state.marks.map((m) => m.rule)})`);

    // 8b. A textarea in a frame of the page is checked too.
    const frame = page.frames().find((f) => f.url().endsWith('/frame'));
    await frame.click('#inner');
    await page.keyboard.type('He is non-compliant.', { delay: 8 });
    state = await waitFor('a mark in the framed textarea', async () => {
      const s = await overlay(frame, 'textarea#inner');
      return s.marks.length === 1 ? s : null;
    });
    check(state.marks[0].rule === 'non-compliant', `the framed textarea is checked (${state.marks[0].rule})`);

    // 9. The contenteditable, with the keyboard alone: caret into the phrase, the shortcut, Enter.
    await typeInto(page, '#plan', 'She suffers from depression and will follow up.');
    state = await waitFor('a mark in the contenteditable', async () => {
      const s = await overlay(page, 'div#plan');
      return s.marks.length >= 1 ? s : null;
    });
    await page.screenshot({ path: path.join(SHOTS, 'browser-extension-form.png'), clip: { x: 0, y: 0, width: 760, height: 560 } });
    const want = await phraseBox(page, '#plan', 'suffers from');
    check(Math.abs(state.marks[0].x - want.x) < 2 && Math.abs(state.marks[0].y - want.y) < 2, `the contenteditable mark starts at “suffers from” (${state.marks[0].rule})`);
    for (let i = 0; i < 'depression and will follow up.'.length + 4; i += 1) await page.keyboard.press('ArrowLeft');
    const planEvents = await page.evaluate(() => window.inputEvents.plan);
    await page.keyboard.press('Alt+Shift+R');
    const kcard = await waitFor('the keyboard card', async () => {
      const s = await overlay(page, 'div#plan');
      return s.card && s.card.focused ? s.card : null;
    });
    check(kcard.focused === kcard.reframes[0], `Alt+Shift+R opens the card with the first reframe focused (“${kcard.focused}”)`);
    await page.keyboard.press('ArrowDown');
    const second = (await overlay(page, 'div#plan')).card.focused;
    check(kcard.reframes.length < 2 || second === kcard.reframes[1], 'ArrowDown moves to the next reframe');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    const planText = await waitFor('the reframe in the contenteditable', async () => {
      const t = await page.evaluate(() => document.getElementById('plan').innerText);
      return t.includes(kcard.reframes[0]) ? t : null;
    });
    check(!planText.includes('suffers from'), `the contenteditable now reads “${planText.trim()}”`);
    check(await page.evaluate(() => window.inputEvents.plan) > planEvents, 'the contenteditable\'s input listener saw the change');
    check(await page.evaluate(() => document.activeElement.id) === 'plan', 'focus is back in the field');
    await page.keyboard.press('Alt+Shift+R');
    await sleep(200);
    await page.keyboard.press('Escape');
    check((await overlay(page, 'div#plan')).card === null && await page.evaluate(() => document.activeElement.id) === 'plan', 'Escape closes the card and returns to the field');

    // 10. The threshold: "only what should change" hides warnings.
    const before = (await overlay(page, 'textarea#notes')).marks;
    const quieter = before.filter((m) => m.severity !== 'error').length;
    popup = await openPopup(context, worker);
    await popup.locator('#status.ok').waitFor({ timeout: T(10000) });
    check((await popup.locator('#status').textContent()).includes('rules'), `the popup reports the host (${await popup.locator('#status').textContent()})`);
    check(await popup.locator('#site-toggle').isChecked(), 'the popup shows the site switched on');
    await popup.setViewportSize({ width: 340, height: 320 });
    await popup.screenshot({ path: path.join(SHOTS, 'browser-extension-popup.png') });
    await popup.selectOption('#threshold', 'error');
    await popup.close();
    const after = await waitFor('only error marks in the textarea', async () => {
      const s = await overlay(page, 'textarea#notes');
      return s.marks.every((m) => m.severity === 'error') ? s : null;
    });
    check(quieter > 0 && after.marks.length === before.length - quieter,
      `the error threshold hides the ${quieter} quieter marks of ${before.length} (${before.map((m) => m.severity)})`);

    // 10b. A request over the host's 8 MiB limit is refused before it is sent, with a reason.
    const tooBig = await worker.evaluate(() => request({ type: 'check', field: 'big', version: 1, text: 'é'.repeat(4.5 * 1024 * 1024) }));
    check(tooBig.type === 'error' && /8 MiB/.test(tooBig.error), `an over-long text gets a clear error (“${tooBig.error}”)`);
    const after10b = await worker.evaluate(() => request({ type: 'hello' }));
    check(after10b.type === 'hello', 'the host still answers after it');

    // 11. Switching the site off removes the overlay.
    await worker.evaluate(() => chrome.storage.local.set({ sites: {} }));
    await waitFor('the overlay to go', async () => (await page.evaluate(() => document.querySelector('reframe-overlay'))) === null);
    check(true, 'switching the site off removes every underline');

    check(page.errors.length === 0, `no page errors (${page.errors.join('; ')})`);
    const outside = requests.filter((u) => !u.startsWith(base) && !u.startsWith('chrome-extension://'));
    check(blocked.length === 0 && outside.length === 0, `no request left the machine (${[...blocked, ...outside].join(', ') || 'none'})`);
    console.log(`${passed} checks passed`);
  } finally {
    if (context) await context.close();
    server.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

// Types into a 20 KB textarea and reads the time from the debounce firing to the underlines
// being drawn, as the content script records it.
async function bench(context, worker, page, home, pageUrl) {
  reframe(['native-host', 'install', '--browser', 'chromium'], home);
  await worker.evaluate((origin) => chrome.storage.local.set({ sites: { [origin]: true } }), new URL(pageUrl).origin);
  const paragraph = fs.readFileSync(path.join(REPO, 'examples', fs.readdirSync(path.join(REPO, 'examples')).find((f) => f.endsWith('.md'))), 'utf8');
  let text = '';
  while (text.length < 20000) text += `${paragraph}\n\n`;
  text = text.slice(0, 20000);
  await page.fill('#notes', text);
  await page.focus('#notes');
  await page.keyboard.press('Control+End');
  const times = [];
  const answers = [];
  let checks = 0;
  await waitFor('the first check', async () => {
    const s = await overlay(page, 'textarea#notes');
    return s.host && Number(s.host.checks) > 0 ? s : null;
  }, T(30000));
  for (let i = 0; i < 21; i += 1) {
    const s0 = await overlay(page, 'textarea#notes');
    checks = Number(s0.host.checks);
    await page.keyboard.type(i % 2 ? ' The client is resistant.' : ' Noted.', { delay: 5 });
    const s = await waitFor('a check after typing', async () => {
      const now = await overlay(page, 'textarea#notes');
      return Number(now.host.checks) > checks ? now : null;
    });
    await sleep(400);
    const settledState = await overlay(page, 'textarea#notes');
    if (i > 0) {
      times.push(Number(settledState.host.lastUpdateMs));
      answers.push(Number(settledState.host.lastAnswerMs));
    }
    if (i === 20) console.log(`marks: ${s.marks.length}, text: ${(await page.inputValue('#notes')).length} UTF-16 units`);
  }
  const summary = (list) => {
    list.sort((a, b) => a - b);
    const pct = (p) => list[Math.min(list.length - 1, Math.floor(p * list.length))];
    return `median ${pct(0.5)} ms, p90 ${pct(0.9)} ms, max ${list[list.length - 1]} ms`;
  };
  console.log(`debounce → underlines drawn over ${times.length} edits: ${summary(times)}`);
  console.log(`of which debounce → the host's answer in the content script: ${summary(answers)}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
