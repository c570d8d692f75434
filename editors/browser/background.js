// Reframe's background worker: the one connection to the native host (`reframe native-host`,
// a program on this computer), shared by every tab, so the browser runs one host process and
// the engine is loaded once. It relays the content scripts' checks, keeps the toolbar badge,
// and tells the popup whether the host is installed. No network requests are made anywhere.

const HOST = 'io.github.reframe_tool.reframe';
const REQUEST_TIMEOUT_MS = 30000;
// The host reads at most 8 MiB per message (and cannot answer a request it did not read).
const MAX_REQUEST_BYTES = 8 * 1024 * 1024;
const BADGE_COLORS = { count: '#2f5d8a', problem: '#b3261e' };

let port = null;
let nextId = 1;
const pending = new Map(); // request id -> { resolve, timer }
let hostProblem = null; // { state: 'missing' | 'failed', message, command } while the host is unusable
let threshold = 'hint';
const thresholdLoaded = chrome.storage.local.get({ threshold }).then((saved) => { threshold = saved.threshold; });

function browserName() {
  const ua = navigator.userAgent;
  if (/Firefox\//.test(ua)) return 'firefox';
  if (/Edg\//.test(ua)) return 'edge';
  if (navigator.brave) return 'brave';
  const brands = (navigator.userAgentData && navigator.userAgentData.brands) || [];
  return brands.some((b) => b.brand === 'Google Chrome') ? 'chrome' : 'chromium';
}

// The one command that registers the host for this browser.
function installCommand() {
  return `reframe native-host install --browser ${browserName()}`;
}

// Turns the browser's reason for a closed port into what the person should do.
function describeDisconnect(reason) {
  const missing = /not found|no such native application|not installed|forbidden|manifest/i.test(reason);
  return {
    state: missing ? 'missing' : 'failed',
    message: missing
      ? 'The reframe program is not set up for this browser yet.'
      : `The reframe program stopped (${reason}).`,
    command: installCommand(),
  };
}

function settle(id, reply) {
  const entry = pending.get(id);
  if (!entry) return;
  pending.delete(id);
  clearTimeout(entry.timer);
  entry.resolve(reply);
}

function connect() {
  if (port) return port;
  let opened;
  try {
    opened = chrome.runtime.connectNative(HOST);
  } catch (e) {
    hostProblem = describeDisconnect(String(e && e.message));
    return null;
  }
  port = opened;
  hostProblem = null;
  opened.onMessage.addListener((reply) => {
    if (reply && reply.id !== undefined) settle(reply.id, reply);
  });
  opened.onDisconnect.addListener(() => {
    const reason = (chrome.runtime.lastError && chrome.runtime.lastError.message)
      || (opened.error && opened.error.message) || 'it exited';
    if (port === opened) port = null;
    hostProblem = describeDisconnect(reason);
    for (const id of [...pending.keys()]) settle(id, { type: 'error', error: hostProblem.message, host: hostProblem });
  });
  // The threshold goes first; the port keeps order, so every check sees it.
  opened.postMessage({ type: 'settings', threshold, id: nextId++ });
  return opened;
}

// UTF-8 bytes of a request, counted only when it could be near the limit.
function requestBytes(message) {
  const body = JSON.stringify(message);
  return body.length * 3 <= MAX_REQUEST_BYTES ? body.length : new TextEncoder().encode(body).length;
}

// Sends one request to the host; resolves with its reply, or an error reply that says why.
async function request(message) {
  await thresholdLoaded;
  if (requestBytes(message) > MAX_REQUEST_BYTES) {
    return { type: 'error', error: 'this field holds more text than Reframe checks at once (8 MiB)' };
  }
  return new Promise((resolve) => {
    const target = connect();
    if (!target) {
      resolve({ type: 'error', error: hostProblem.message, host: hostProblem });
      return;
    }
    const id = nextId++;
    const timer = setTimeout(() => settle(id, { type: 'error', error: 'the reframe program did not answer in time' }), REQUEST_TIMEOUT_MS);
    pending.set(id, { resolve, timer });
    try {
      target.postMessage({ ...message, id });
    } catch (e) {
      settle(id, { type: 'error', error: String(e && e.message) });
    }
  });
}

function setBadge(tabId, count) {
  if (tabId === undefined) return;
  const problem = hostProblem !== null;
  const text = problem ? '!' : count > 0 ? String(count) : '';
  chrome.action.setBadgeText({ tabId, text });
  chrome.action.setBadgeBackgroundColor({ tabId, color: problem ? BADGE_COLORS.problem : BADGE_COLORS.count });
  chrome.action.setTitle({
    tabId,
    title: problem ? `Reframe: ${hostProblem.message} Run: ${hostProblem.command}`
      : count > 0 ? `Reframe: ${count} ${count === 1 ? 'phrase' : 'phrases'} to look at in this field` : 'Reframe',
  });
}

const handlers = {
  check: (m) => request({ type: 'check', field: m.field, version: m.version, text: m.text }),
  forget: (m) => request({ type: 'forget', field: m.field }),
  explain: (m) => request({ type: 'explain', rule: m.rule }),
  rules: () => request({ type: 'rules' }),
  status: async () => {
    const hello = await request({ type: 'hello' });
    return hello.type === 'hello' ? { ok: true, hello } : { ok: false, problem: hostProblem || { state: 'failed', message: hello.error, command: installCommand() } };
  },
  badge: async (m, sender) => {
    setBadge(sender.tab && sender.tab.id, m.count);
    return { ok: true };
  },
};

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const handler = message && handlers[message.type];
  if (!handler) return false;
  handler(message, sender).then(sendResponse, (e) => sendResponse({ type: 'error', error: String(e && e.message) }));
  return true;
});

chrome.storage.onChanged.addListener((changes, area) => {
  if (area !== 'local' || !changes.threshold) return;
  threshold = changes.threshold.newValue;
  if (port) port.postMessage({ type: 'settings', threshold, id: nextId++ });
});
