// The toolbar popup: whether the reframe program answers (and the command that installs it
// when it does not), the switch for the current site, and the severity threshold.

const $ = (id) => document.getElementById(id);

// The tab the popup is about: the active tab of the window it was opened from (or, when the
// popup is open as a tab or window of its own, the active tab of a normal window).
async function targetTab() {
  const self = await chrome.tabs.getCurrent();
  const notSelf = (t) => t && (!self || t.id !== self.id);
  const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
  if (notSelf(tab)) return tab;
  const tabs = await chrome.tabs.query({ active: true, windowType: 'normal' });
  return tabs.find(notSelf) || null;
}

// The tab's site, as its content script reports it: the extension has no permission to read
// tab addresses, and a page without the content script is not one Reframe can check.
async function siteOf(tab) {
  try {
    const reply = await chrome.tabs.sendMessage(tab.id, { type: 'site' }, { frameId: 0 });
    return reply && reply.origin;
  } catch {
    return null;
  }
}

async function showStatus() {
  const status = await chrome.runtime.sendMessage({ type: 'status' });
  if (status.ok) {
    $('status').textContent = `Checking on this computer with reframe ${status.hello.version} (${status.hello.rules} rules).`;
    $('status').className = 'status ok';
    $('problem').hidden = true;
  } else {
    $('status').textContent = 'Not checking: the reframe program is not available.';
    $('status').className = 'status';
    $('problem-message').textContent = status.problem.message;
    $('install-command').textContent = status.problem.command;
    $('problem').hidden = false;
  }
}

async function showSite() {
  const tab = await targetTab();
  const toggle = $('site-toggle');
  const origin = tab && await siteOf(tab);
  if (!origin) {
    toggle.disabled = true;
    $('site-name').textContent = 'this page';
    $('site-note').textContent = 'Reframe works on web pages (http and https).';
    return;
  }
  $('site-name').textContent = new URL(origin).host;
  const { sites } = await chrome.storage.local.get({ sites: {} });
  toggle.checked = Boolean(sites[origin]);
  toggle.addEventListener('change', async () => {
    const { sites: now } = await chrome.storage.local.get({ sites: {} });
    if (toggle.checked) now[origin] = true; else delete now[origin];
    await chrome.storage.local.set({ sites: now });
  });
}

async function showThreshold() {
  const { threshold } = await chrome.storage.local.get({ threshold: 'hint' });
  $('threshold').value = threshold;
  $('threshold').addEventListener('change', () => chrome.storage.local.set({ threshold: $('threshold').value }));
}

$('copy').addEventListener('click', () => navigator.clipboard.writeText($('install-command').textContent));
showThreshold();
showSite();
showStatus();
