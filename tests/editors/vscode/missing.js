// With no server anywhere (a universal package, no `reframe.path`, no `reframe` on PATH, a HOME
// without ~/.cargo/bin), checks the extension's message as a user sees it in the workbench:
// it lists the places searched, shows no literal backticks, and its "Open Settings" button
// opens the settings tab where `reframe.path` applies, with that setting shown.
// Env: CS_URL, SHOTS (dir), CHROMIUM.
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');

const SHOTS = process.env.SHOTS;
const SCALE = Number(process.env.REFRAME_VSCODE_TIMEOUT_SCALE || 1);
const T = (ms) => ms * SCALE;
let passed = 0;
function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
  passed += 1;
  console.log('CHECK ok:', what);
}

(async () => {
  const t0 = Date.now();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  let ok = false;
  try {
    await page.goto(process.env.CS_URL, { timeout: T(120000), waitUntil: 'domcontentloaded' });
    await page.waitForSelector('.monaco-workbench', { timeout: T(180000) });
    // The workspace holds a .reframe.toml, so the extension activates at start-up.
    const toast = page.locator('.notification-toast', { hasText: 'Reframe:' }).first();
    await toast.waitFor({ timeout: T(300000) });
    const text = (await toast.locator('.notification-list-item-message').innerText()).replace(/\s+/g, ' ').trim();
    console.log('MESSAGE:', JSON.stringify(text));
    check(text.includes('no reframe server found'), 'the message says no server was found');
    check(!text.includes('`'), 'the message shows no literal backticks');
    check(text.includes('the bundled server'), 'the message lists the bundled server as searched');
    check(/PATH: \//.test(text), 'the message lists the PATH folders searched');
    check(text.includes(path.join('.cargo', 'bin', 'reframe')), 'the message lists ~/.cargo/bin/reframe as searched');
    check(text.includes('cargo install reframe-lint'), 'the message names the published crate');
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, 'vscode-no-server.png') });

    await toast.locator('.monaco-button', { hasText: 'Open Settings' }).click();
    const editor = page.locator('.settings-editor');
    await editor.waitFor({ timeout: T(60000) });
    const row = editor.locator('.setting-item', { hasText: 'Reframe' }).filter({ has: page.locator('.setting-item-label', { hasText: /^Path$/ }) });
    await row.first().waitFor({ timeout: T(60000) });
    const tab = (await editor.locator('.settings-tabs-widget .action-item .checked, .settings-tabs-widget .action-item.checked').first().innerText()).trim();
    const tabs = (await editor.locator('.settings-tabs-widget .action-label').allInnerTexts()).map((s) => s.trim());
    console.log('SETTINGS TABS:', JSON.stringify(tabs), 'selected:', JSON.stringify(tab));
    check(await row.first().isVisible(), `Open Settings shows the reframe.path setting (tab "${tab}")`);
    const remoteTab = tabs.find((t) => /^Remote/.test(t));
    // reframe.path is machine-scoped: where the window has a Remote tab, that is where it applies
    check(remoteTab ? /^Remote/.test(tab) : /^User/.test(tab),
      `the selected tab is where reframe.path applies: "${tab}" (tabs: ${tabs.join(', ')})`);
    await page.screenshot({ path: path.join(SHOTS, 'vscode-no-server-settings.png') });
    ok = true;
  } catch (e) {
    console.log('FAIL', e.message);
    try {
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, 'vscode-no-server-fail.png') });
    } catch { /* ignore */ }
  } finally {
    await browser.close();
  }
  console.log(`${ok ? 'PASS' : 'FAIL'}: vscode without a server (${passed} checks, ${Date.now() - t0} ms)`);
  process.exit(ok ? 0 : 1);
})();
