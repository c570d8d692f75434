// Reframe's content script. On a site the person has switched on, it checks textareas, text
// inputs and contenteditable fields as they type (through the background worker and the native
// host, on this computer), and draws underlines in an overlay above the page: the page's text,
// DOM and layout are never changed, except when the person applies a reframe, which goes
// through the field's normal input path so the page's editor and undo see it.
(() => {
  if (globalThis.__reframeContent) return;
  globalThis.__reframeContent = true;

  const DEBOUNCE_MS = 300;
  const HOVER_OPEN_MS = 120;
  const HOVER_CLOSE_MS = 350;
  const TEXT_INPUT_TYPES = new Set(['text', 'search']);
  const BLOCK_TAGS = new Set(['ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DIV', 'DL', 'DT', 'FIGCAPTION',
    'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'NAV', 'OL', 'P',
    'PRE', 'SECTION', 'TABLE', 'TR', 'TD', 'TH', 'UL']);
  // The computed styles a hidden copy of a textarea or input needs to lay its text out the same.
  const MIRRORED = ['boxSizing', 'width', 'borderTopWidth', 'borderRightWidth', 'borderBottomWidth',
    'borderLeftWidth', 'borderStyle', 'paddingTop', 'paddingRight', 'paddingBottom', 'paddingLeft', 'fontStyle',
    'fontVariant', 'fontWeight', 'fontStretch', 'fontSize', 'fontSizeAdjust', 'lineHeight', 'fontFamily',
    'fontFeatureSettings', 'fontKerning', 'textAlign', 'textTransform', 'textIndent', 'letterSpacing',
    'wordSpacing', 'tabSize', 'wordBreak', 'overflowWrap', 'direction', 'writingMode'];
  const SEVERITY_LABEL = { error: 'Should change', warning: 'Worth changing', info: 'Worth knowing', hint: 'A thought' };

  const fields = new Map(); // element -> field state
  let serial = 0;
  let enabled = false;
  let ui = null; // the overlay: { host, root, layers, card, live, mirror, notice }
  let openCard = null; // { field, finding, fromKeyboard }
  let hoverTimer = 0;
  let closeTimer = 0;
  let repositionQueued = false;
  let problemShown = false;

  // ---- which elements are fields --------------------------------------------------------

  function editingHost(el) {
    let host = el;
    while (host.parentElement && host.parentElement.isContentEditable) host = host.parentElement;
    return host;
  }

  // The checkable field an event target belongs to, or null.
  function fieldOf(target) {
    if (!(target instanceof Element)) return null;
    if (target instanceof HTMLTextAreaElement) return target.readOnly ? null : target;
    if (target instanceof HTMLInputElement) {
      return TEXT_INPUT_TYPES.has(target.type) && !target.readOnly ? target : null;
    }
    if (target.isContentEditable) return editingHost(target);
    return null;
  }

  function stateOf(el) {
    let state = fields.get(el);
    if (!state) {
      state = {
        el,
        id: `f${++serial}`,
        editable: !(el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement),
        version: 0,
        checked: null, // the text the findings were computed for
        findings: [],
        inFlight: false,
        dirty: false,
        timer: 0,
        debouncedAt: 0,
        layer: null,
        geometry: null, // { key, rects: [[{x, y, w, h}]] } relative to the padding box, unscrolled
      };
      fields.set(el, state);
      ensureUi();
      state.layer = document.createElement('div');
      state.layer.className = 'layer';
      state.layer.dataset.field = state.id;
      state.layer.dataset.target = el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '');
      ui.layers.append(state.layer);
      resizeObserver.observe(el);
    }
    return state;
  }

  // ---- reading text and mapping offsets (UTF-16 code units, as the host sends them) -------

  // A contenteditable's text: its text nodes in order, with a line break at <br> and between
  // blocks, so words in separate paragraphs are never read as one phrase.
  function editableText(root) {
    const pieces = [];
    const nodes = []; // { node, start }
    let length = 0;
    const pushBreak = () => {
      if (length > 0 && pieces[pieces.length - 1] !== '\n') { pieces.push('\n'); length += 1; }
    };
    const walk = (node) => {
      for (let child = node.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === Node.TEXT_NODE) {
          nodes.push({ node: child, start: length });
          pieces.push(child.data);
          length += child.data.length;
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          if (child.tagName === 'BR') { pieces.push('\n'); length += 1; continue; }
          const block = BLOCK_TAGS.has(child.tagName);
          if (block) pushBreak();
          walk(child);
          if (block) pushBreak();
        }
      }
    };
    walk(root);
    return { text: pieces.join(''), nodes };
  }

  function readText(state) {
    return state.editable ? editableText(state.el).text : state.el.value;
  }

  // A DOM Range over [start, end) of a contenteditable's text (`nodes` from editableText).
  function editableRange(state, start, end, nodes = editableText(state.el).nodes) {
    const locate = (offset, preferNext) => {
      for (let i = 0; i < nodes.length; i += 1) {
        const { node, start: s } = nodes[i];
        const e = s + node.data.length;
        if (offset < e || (offset === e && !preferNext)) {
          if (offset >= s) return [node, offset - s];
          return [node, 0];
        }
      }
      const last = nodes[nodes.length - 1];
      return last ? [last.node, last.node.data.length] : null;
    };
    const a = locate(start, true);
    const b = locate(end, false);
    if (!a || !b) return null;
    const range = document.createRange();
    range.setStart(a[0], a[1]);
    range.setEnd(b[0], b[1]);
    return range;
  }

  // ---- checking ---------------------------------------------------------------------------

  function schedule(state) {
    clearTimeout(state.timer);
    state.timer = setTimeout(() => { state.debouncedAt = performance.now(); send(state); }, DEBOUNCE_MS);
  }

  async function send(state) {
    if (!enabled || !state.el.isConnected) return;
    if (state.inFlight) { state.dirty = true; return; }
    state.inFlight = true;
    state.dirty = false;
    const text = readText(state);
    const version = ++state.version;
    let reply;
    try {
      reply = await chrome.runtime.sendMessage({ type: 'check', field: state.id, version, text });
    } catch (e) {
      reply = { type: 'error', error: String(e && e.message) };
    }
    state.inFlight = false;
    const answeredAt = performance.now();
    if (!ui || fields.get(state.el) !== state) return; // switched off or detached meanwhile
    if (state.dirty) { send(state); return; }
    if (!reply || reply.type !== 'check') {
      showProblem(state, reply);
      return;
    }
    // A reply for text that has changed since is dropped; the newer check follows.
    if (reply.field !== state.id || reply.version !== state.version || readText(state) !== text) return;
    hideProblem();
    state.checked = text;
    state.findings = reply.findings;
    state.geometry = null;
    render(state);
    ui.host.dataset.lastUpdateMs = (performance.now() - state.debouncedAt).toFixed(1);
    ui.host.dataset.lastAnswerMs = (answeredAt - state.debouncedAt).toFixed(1);
    ui.host.dataset.checks = String(Number(ui.host.dataset.checks || 0) + 1);
    if (document.activeElement && fieldOf(document.activeElement) === state.el) reportBadge(state);
    if (openCard && openCard.field === state) closeCard(false);
  }

  function reportBadge(state) {
    chrome.runtime.sendMessage({ type: 'badge', count: state ? state.findings.length : 0 }).catch(() => {});
  }

  // While a check is pending, keep underlines on the text they belong to: move those after an
  // edit by its length, and drop those it touched.
  function followEdit(state) {
    if (state.checked === null) return;
    const now = readText(state);
    const old = state.checked;
    if (now === old) return;
    let prefix = 0;
    const max = Math.min(old.length, now.length);
    while (prefix < max && old.charCodeAt(prefix) === now.charCodeAt(prefix)) prefix += 1;
    let suffix = 0;
    while (suffix < max - prefix
      && old.charCodeAt(old.length - 1 - suffix) === now.charCodeAt(now.length - 1 - suffix)) suffix += 1;
    const oldEnd = old.length - suffix;
    const delta = now.length - old.length;
    state.findings = state.findings
      .filter((f) => f.end <= prefix || f.start >= oldEnd)
      .map((f) => (f.start >= oldEnd ? { ...f, start: f.start + delta, end: f.end + delta } : f));
    state.checked = now;
    state.geometry = null;
    render(state);
  }

  // ---- drawing ------------------------------------------------------------------------------

  function ensureUi() {
    if (ui) return;
    const host = document.createElement('reframe-overlay');
    host.style.cssText = 'all: initial; position: fixed; top: 0; left: 0; width: 0; height: 0; z-index: 2147483646;';
    const root = host.attachShadow({ mode: 'open' });
    const part = (className, attributes = {}) => {
      const el = document.createElement('div');
      el.className = className;
      for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
      return el;
    };
    ui = {
      host,
      root,
      layers: part('layers', { 'aria-hidden': 'true' }),
      mirror: part('mirror', { 'aria-hidden': 'true' }),
      card: part('card', { role: 'dialog', hidden: '' }),
      notice: part('notice', { role: 'status', hidden: '' }),
      live: part('live', { 'aria-live': 'polite' }),
    };
    const style = document.createElement('style');
    style.textContent = STYLE;
    root.append(style, ui.layers, ui.mirror, ui.card, ui.notice, ui.live);
    ui.card.addEventListener('keydown', onCardKey);
    ui.card.addEventListener('mouseenter', () => clearTimeout(closeTimer));
    ui.card.addEventListener('mouseleave', () => { if (openCard && !openCard.fromKeyboard) closeSoon(); });
    document.documentElement.append(host);
  }

  // Rectangles of each finding relative to the field's padding box at scroll 0.
  function measure(state) {
    const el = state.el;
    const key = `${el.clientWidth}x${el.clientHeight}:${state.checked && state.checked.length}`;
    if (state.geometry && state.geometry.key === key && !state.editable) return state.geometry.rects;
    let rects;
    if (state.editable) {
      const box = el.getBoundingClientRect();
      const ox = box.left + el.clientLeft - el.scrollLeft;
      const oy = box.top + el.clientTop - el.scrollTop;
      const { nodes } = editableText(el);
      rects = state.findings.map((f) => {
        const range = editableRange(state, f.start, f.end, nodes);
        return range ? [...range.getClientRects()].map((r) => ({ x: r.left - ox, y: r.top - oy, w: r.width, h: r.height })) : [];
      });
    } else {
      rects = measureInMirror(state);
    }
    state.geometry = { key, rects };
    return rects;
  }

  // A textarea's or input's text has no DOM to measure, so a hidden copy with the same styles
  // and width lays it out, and ranges over the copy's text give the phrases' boxes.
  function measureInMirror(state) {
    const el = state.el;
    const style = getComputedStyle(el);
    const mirror = ui.mirror;
    for (const prop of MIRRORED) mirror.style[prop] = style[prop];
    const textarea = el instanceof HTMLTextAreaElement;
    mirror.style.whiteSpace = textarea ? 'pre-wrap' : 'pre';
    if (textarea) {
      mirror.style.overflowWrap = style.overflowWrap === 'normal' ? 'break-word' : style.overflowWrap;
      mirror.style.overflowY = el.scrollHeight > el.clientHeight ? 'scroll' : 'hidden';
    }
    mirror.style.height = 'auto';
    mirror.textContent = '';
    const text = document.createTextNode(state.checked + (textarea ? ' ' : ''));
    mirror.append(text);
    const box = mirror.getBoundingClientRect();
    const ox = box.left + mirror.clientLeft;
    const oy = box.top + mirror.clientTop;
    const range = document.createRange();
    const rects = state.findings.map((f) => {
      range.setStart(text, Math.min(f.start, text.length));
      range.setEnd(text, Math.min(f.end, text.length));
      return [...range.getClientRects()].filter((r) => r.width > 0)
        .map((r) => ({ x: r.left - ox, y: r.top - oy, w: r.width, h: r.height }));
    });
    mirror.textContent = '';
    return rects;
  }

  // Draws a field's underlines: marks live in a layer over the field's padding box, which clips
  // what is scrolled out of view, shifted by the field's scroll.
  function render(state) {
    const el = state.el;
    const layer = state.layer;
    if (!el.isConnected) { detach(state); return; }
    const box = el.getBoundingClientRect();
    const visible = box.width > 0 && box.height > 0;
    layer.hidden = !visible || state.findings.length === 0;
    if (layer.hidden) { layer.replaceChildren(); return; }
    Object.assign(layer.style, {
      left: `${box.left + el.clientLeft}px`,
      top: `${box.top + el.clientTop}px`,
      width: `${el.clientWidth}px`,
      height: `${el.clientHeight}px`,
    });
    const rects = measure(state);
    const marks = [];
    state.findings.forEach((f, i) => {
      for (const r of rects[i] || []) {
        const mark = document.createElement('div');
        mark.className = `mark ${f.severity}`;
        mark.dataset.rule = f.rule;
        mark.dataset.severity = f.severity;
        mark.dataset.index = String(i);
        const x = r.x - el.scrollLeft;
        const y = r.y - el.scrollTop;
        mark.style.cssText = `left:${x}px;top:${y}px;width:${r.w}px;height:${r.h}px`;
        if (openCard && openCard.field === state && openCard.finding === f) mark.classList.add('active');
        marks.push(mark);
      }
    });
    layer.replaceChildren(...marks);
  }

  function renderAll() {
    repositionQueued = false;
    for (const state of fields.values()) {
      if (state.editable) {
        state.geometry = null;
      } else if (state.checked !== null && state.el.value !== state.checked) {
        // The page set the value itself (a form reset, a template): no input event came.
        followEdit(state);
        schedule(state);
      }
      render(state);
    }
    if (openCard) placeCard();
  }

  function queueRender() {
    if (repositionQueued || !ui) return;
    repositionQueued = true;
    requestAnimationFrame(renderAll);
  }

  const resizeObserver = new ResizeObserver(() => {
    for (const state of fields.values()) state.geometry = null;
    queueRender();
  });

  function detach(state) {
    clearTimeout(state.timer);
    resizeObserver.unobserve(state.el);
    state.layer.remove();
    fields.delete(state.el);
    if (openCard && openCard.field === state) closeCard(false);
    chrome.runtime.sendMessage({ type: 'forget', field: state.id }).catch(() => {});
  }

  // ---- the card -------------------------------------------------------------------------------

  // The finding under a viewport point, from the marks as drawn.
  function findingAt(x, y) {
    for (const state of fields.values()) {
      if (state.layer.hidden) continue;
      for (const mark of state.layer.children) {
        const r = mark.getBoundingClientRect();
        const clip = state.layer.getBoundingClientRect();
        if (x >= Math.max(r.left, clip.left) && x <= Math.min(r.right, clip.right)
          && y >= Math.max(r.top, clip.top) && y <= Math.min(r.bottom, clip.bottom) + 2) {
          return { field: state, finding: state.findings[Number(mark.dataset.index)] };
        }
      }
    }
    return null;
  }

  function element(tag, props, ...children) {
    const el = document.createElement(tag);
    Object.assign(el, props);
    el.append(...children.filter((c) => c !== null && c !== undefined));
    return el;
  }

  // A rule's reasons, sources and docs link, asked of the host once per rule.
  const explanations = new Map();
  function explain(rule) {
    if (!explanations.has(rule)) {
      const forget = () => { explanations.delete(rule); return null; };
      explanations.set(rule, chrome.runtime.sendMessage({ type: 'explain', rule })
        .then((reply) => (reply && reply.type === 'explain' ? reply.rule : forget()), forget));
    }
    return explanations.get(rule);
  }

  async function showCard(field, finding, fromKeyboard) {
    clearTimeout(closeTimer);
    if (openCard && openCard.field === field && openCard.finding === finding && openCard.fromKeyboard === fromKeyboard) return;
    openCard = { field, finding, fromKeyboard };
    const rule = await explain(finding.rule);
    if (!ui || !openCard || openCard.finding !== finding) return;
    const why = element('div', { className: 'why' },
      ...(rule ? rule.why.split('\n\n') : []).map((p) => element('p', { textContent: p })));
    const sourceList = rule ? rule.sources : [];
    const card = ui.card;
    const heading = element('p', { className: 'heading' },
      element('span', { className: `dot ${finding.severity}` }),
      element('span', { textContent: `${SEVERITY_LABEL[finding.severity] || finding.severity} · ${finding.category}` }));
    const message = element('p', { className: 'message', textContent: finding.message });
    const reframes = finding.reframes.length === 0 ? null : element('div', { className: 'reframes' },
      element('p', { className: 'label', textContent: `Instead of “${finding.matched}”, try` }),
      ...finding.reframes.map((text) => {
        const button = element('button', { type: 'button', className: 'reframe', textContent: text });
        button.dataset.reframe = text;
        button.addEventListener('click', () => applyReframe(field, finding, text));
        return button;
      }));
    const sources = sourceList.length === 0 ? null : element('details', { className: 'sources' },
      element('summary', { textContent: `Sources (${sourceList.length})` }),
      element('ul', {}, ...sourceList.map((s) => element('li', {},
        element('a', { href: s.url, target: '_blank', rel: 'noreferrer noopener', textContent: s.title })))));
    const footer = element('p', { className: 'footer' },
      rule ? element('a', { href: rule.docs, target: '_blank', rel: 'noreferrer noopener', textContent: 'About this rule' }) : null,
      element('span', { className: 'keys', textContent: fromKeyboard ? 'Esc returns to the text' : '' }));
    card.replaceChildren(heading, message, why, reframes, sources, footer);
    card.setAttribute('aria-label', `Reframe: ${finding.message}`);
    card.dataset.rule = finding.rule;
    card.hidden = false;
    placeCard();
    render(field);
    if (fromKeyboard) (card.querySelector('button.reframe') || card.querySelector('a')).focus();
  }

  // Below the phrase's first box, or above it when there is no room, inside the viewport.
  function placeCard() {
    const { field, finding } = openCard;
    const index = field.findings.indexOf(finding);
    const mark = [...field.layer.children].find((m) => Number(m.dataset.index) === index);
    const card = ui.card;
    const anchor = mark ? mark.getBoundingClientRect() : field.el.getBoundingClientRect();
    const width = Math.min(380, window.innerWidth - 16);
    card.style.width = `${width}px`;
    const height = card.offsetHeight;
    let top = anchor.bottom + 6;
    if (top + height > window.innerHeight - 8 && anchor.top - height - 6 > 8) top = anchor.top - height - 6;
    const left = Math.max(8, Math.min(anchor.left, window.innerWidth - width - 8));
    card.style.left = `${left}px`;
    card.style.top = `${Math.max(8, top)}px`;
  }

  function closeCard(returnFocus) {
    if (!openCard || !ui) return;
    const { field } = openCard;
    openCard = null;
    ui.card.hidden = true;
    ui.card.replaceChildren();
    render(field);
    if (returnFocus) field.el.focus();
  }

  function closeSoon() {
    clearTimeout(closeTimer);
    closeTimer = setTimeout(() => closeCard(false), HOVER_CLOSE_MS);
  }

  function onCardKey(event) {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      closeCard(true);
      return;
    }
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const buttons = [...ui.card.querySelectorAll('button.reframe')];
      const at = buttons.indexOf(ui.root.activeElement);
      if (at < 0) return;
      event.preventDefault();
      buttons[(at + (event.key === 'ArrowDown' ? 1 : buttons.length - 1)) % buttons.length].focus();
    }
  }

  function announce(text) {
    if (!ui) return;
    ui.live.textContent = '';
    setTimeout(() => { if (ui) ui.live.textContent = text; }, 30);
  }

  // ---- applying a reframe ------------------------------------------------------------------

  // Replaces the phrase through the field's own input path: execCommand('insertText') is what
  // typing does, so the page's input events fire and undo works; a text input that refuses it
  // gets setRangeText and an input event of its own.
  function applyReframe(state, finding, replacement) {
    const el = state.el;
    const text = readText(state);
    closeCard(false);
    if (text.slice(finding.start, finding.end) !== finding.matched) {
      announce('The text has changed; checking again.');
      schedule(state);
      return;
    }
    el.focus();
    if (state.editable) {
      const range = editableRange(state, finding.start, finding.end);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      document.execCommand('insertText', false, replacement);
    } else {
      el.setSelectionRange(finding.start, finding.end);
      const inserted = document.execCommand('insertText', false, replacement)
        && el.value.slice(finding.start, finding.start + replacement.length) === replacement;
      if (!inserted) {
        el.setRangeText(replacement, finding.start, finding.end, 'end');
        el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertReplacementText', data: replacement }));
      }
    }
    announce(`Replaced with “${replacement}”.`);
  }

  // ---- the host is missing or failing ----------------------------------------------------

  // Says once, beside the field, why it is not being checked: the host is missing (with the
  // command that installs it) or refused the request (with its reason).
  function showProblem(state, reply) {
    if (!ui || problemShown) return;
    const problem = (reply && reply.host)
      || { state: 'failed', message: `${(reply && reply.error) || 'there was no answer'}.`, command: null };
    problemShown = true;
    if (reply && reply.host) reportBadge(null);
    const notice = ui.notice;
    const dismiss = element('button', { type: 'button', textContent: 'Dismiss' });
    dismiss.addEventListener('click', () => { notice.hidden = true; });
    const reason = problem.message.charAt(0).toUpperCase() + problem.message.slice(1);
    notice.replaceChildren(...[
      element('p', { className: 'message', textContent: `Reframe cannot check this field. ${reason}` }),
      problem.command ? element('p', { textContent: 'Run this once in a terminal, then type again:' }) : null,
      problem.command ? element('code', { textContent: problem.command }) : null,
      dismiss].filter(Boolean));
    notice.dataset.state = problem.state;
    notice.hidden = false;
    const box = state.el.getBoundingClientRect();
    notice.style.left = `${Math.max(8, Math.min(box.left, window.innerWidth - 360))}px`;
    notice.style.top = `${Math.min(box.bottom + 6, window.innerHeight - 120)}px`;
  }

  function hideProblem() {
    if (!problemShown) return;
    problemShown = false;
    ui.notice.hidden = true;
  }

  // ---- events -------------------------------------------------------------------------------

  function onFocusIn(event) {
    const el = fieldOf(event.target);
    if (!el) return;
    const state = stateOf(el);
    if (state.checked === null && !state.inFlight) { state.debouncedAt = performance.now(); send(state); }
    reportBadge(state);
  }

  function onInput(event) {
    const el = fieldOf(event.target);
    if (!el) return;
    const state = stateOf(el);
    followEdit(state);
    schedule(state);
  }

  function onKeyDown(event) {
    // Alt+Shift+R: open the card for the finding at the caret (or the next one after it).
    if (!(event.altKey && event.shiftKey && event.code === 'KeyR')) return;
    const el = fieldOf(event.target);
    const state = el && fields.get(el);
    if (!state) return;
    event.preventDefault();
    if (state.findings.length === 0) { announce('Nothing to look at in this field.'); return; }
    const caret = state.editable ? editableCaret(state) : el.selectionStart;
    const finding = state.findings.find((f) => caret >= f.start && caret <= f.end)
      || state.findings.find((f) => f.start >= caret) || state.findings[0];
    showCard(state, finding, true);
  }

  function editableCaret(state) {
    const selection = window.getSelection();
    if (!selection.rangeCount) return 0;
    const { nodes } = editableText(state.el);
    const { startContainer, startOffset } = selection.getRangeAt(0);
    const entry = nodes.find((n) => n.node === startContainer);
    return entry ? entry.start + startOffset : 0;
  }

  function onPointerMove(event) {
    if (!ui || (openCard && openCard.fromKeyboard)) return;
    if (event.composedPath().includes(ui.card)) { clearTimeout(closeTimer); return; }
    const hit = findingAt(event.clientX, event.clientY);
    clearTimeout(hoverTimer);
    if (hit) {
      clearTimeout(closeTimer);
      hoverTimer = setTimeout(() => showCard(hit.field, hit.finding, false), HOVER_OPEN_MS);
    } else if (openCard) {
      closeSoon();
    }
  }

  function onScrollOrResize() { queueRender(); }

  function onKeyDownAnywhere(event) {
    if (event.key === 'Escape' && openCard && !openCard.fromKeyboard) closeCard(false);
  }

  function enable() {
    if (enabled) return;
    enabled = true;
    document.addEventListener('focusin', onFocusIn, true);
    document.addEventListener('input', onInput, true);
    document.addEventListener('keydown', onKeyDown, true);
    document.addEventListener('keydown', onKeyDownAnywhere);
    document.addEventListener('mousemove', onPointerMove, { passive: true });
    document.addEventListener('scroll', onScrollOrResize, { capture: true, passive: true });
    window.addEventListener('resize', onScrollOrResize, { passive: true });
    const focused = document.activeElement && fieldOf(document.activeElement);
    if (focused) onFocusIn({ target: focused });
  }

  function disable() {
    if (!enabled) return;
    enabled = false;
    document.removeEventListener('focusin', onFocusIn, true);
    document.removeEventListener('input', onInput, true);
    document.removeEventListener('keydown', onKeyDown, true);
    document.removeEventListener('keydown', onKeyDownAnywhere);
    document.removeEventListener('mousemove', onPointerMove);
    document.removeEventListener('scroll', onScrollOrResize, true);
    window.removeEventListener('resize', onScrollOrResize);
    clearTimeout(hoverTimer);
    clearTimeout(closeTimer);
    for (const state of [...fields.values()]) detach(state);
    openCard = null;
    if (ui) { ui.host.remove(); ui = null; }
    problemShown = false;
    reportBadge(null);
  }

  // A site is the top page's origin: a form in a same-site or embedded frame is checked when
  // the page around it is switched on (Firefox, which does not expose the top origin to a
  // cross-origin frame, goes by the frame's own).
  function siteOrigin() {
    const ancestors = location.ancestorOrigins;
    return ancestors && ancestors.length ? ancestors[ancestors.length - 1] : location.origin;
  }

  function applySettings({ sites }) {
    if (sites && sites[siteOrigin()]) enable(); else disable();
  }

  // The popup asks which site this tab shows (the extension cannot read tab addresses).
  chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (message && message.type === 'site' && window === window.top) sendResponse({ origin: location.origin });
  });

  chrome.storage.local.get({ sites: {} }).then(applySettings);
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local') return;
    if (changes.sites) applySettings({ sites: changes.sites.newValue });
    if (changes.threshold && enabled) {
      for (const state of fields.values()) { state.debouncedAt = performance.now(); send(state); }
    }
  });

  const STYLE = `
    :host { all: initial; }
    .layers, .layer { position: fixed; pointer-events: none; }
    .layer { overflow: hidden; }
    .mark { position: absolute; box-sizing: border-box; border-bottom: 2px solid; border-radius: 1px; }
    .mark.error { border-color: #c4322a; }
    .mark.warning { border-color: #d08a00; }
    .mark.info { border-color: #2f6fbd; }
    .mark.hint { border-bottom-style: dotted; border-color: #7b8088; }
    .mark.active.error { background: rgba(196, 50, 42, 0.14); }
    .mark.active.warning { background: rgba(230, 160, 20, 0.22); }
    .mark.active.info { background: rgba(47, 111, 189, 0.14); }
    .mark.active.hint { background: rgba(107, 112, 120, 0.14); }
    .mirror { position: fixed; top: 0; left: -99999px; visibility: hidden; overflow: hidden; }
    .card, .notice {
      position: fixed; box-sizing: border-box; max-height: min(calc(100vh - 16px), 600px); overflow: auto;
      background: #ffffff; color: #1f2328; border: 1px solid #c9ced6; border-radius: 10px;
      box-shadow: 0 10px 30px rgba(20, 24, 30, 0.18), 0 1px 3px rgba(20, 24, 30, 0.12);
      padding: 14px 16px 12px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
      pointer-events: auto; text-align: left;
    }
    .card[hidden], .notice[hidden] { display: none; }
    .card p { margin: 0 0 8px; }
    .heading { display: flex; align-items: center; gap: 6px; font-size: 12px; color: #59606a;
      text-transform: uppercase; letter-spacing: 0.04em; }
    .dot { width: 9px; height: 9px; border-radius: 50%; display: inline-block; }
    .dot.error { background: #c4322a; } .dot.warning { background: #d08a00; }
    .dot.info { background: #2f6fbd; } .dot.hint { background: #7b8088; }
    .message { font-weight: 600; font-size: 15px; }
    .why p { color: #3a4048; }
    .label { font-size: 12px; color: #59606a; margin-top: 10px !important; }
    .reframes { display: flex; flex-direction: column; align-items: flex-start; gap: 6px; margin-bottom: 8px; }
    button { font: inherit; cursor: pointer; border-radius: 8px; }
    button.reframe { border: 1px solid #2f5d8a; background: #eef4fa; color: #1d4466; padding: 5px 10px;
      text-align: left; }
    button.reframe:hover { background: #2f5d8a; color: #ffffff; }
    button:focus-visible, a:focus-visible { outline: 3px solid #1a5fb4; outline-offset: 2px; }
    .sources { margin: 4px 0 8px; color: #3a4048; }
    .sources summary { cursor: pointer; color: #59606a; font-size: 13px; }
    .sources ul { margin: 6px 0 0; padding-left: 18px; font-size: 13px; }
    a { color: #2f5d8a; }
    .footer { display: flex; justify-content: space-between; font-size: 13px; margin: 0 !important; }
    .keys { color: #59606a; }
    .notice { width: 352px; border-left: 4px solid #c4322a; }
    .notice p { margin: 0 0 6px; }
    .notice code { display: block; background: #f3f4f6; padding: 6px 8px; border-radius: 6px; margin: 4px 0 10px;
      font: 13px ui-monospace, "DejaVu Sans Mono", monospace; user-select: all; }
    .notice button { border: 1px solid #c9ced6; background: #fff; padding: 3px 10px; }
    .live { position: fixed; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    @media (prefers-color-scheme: dark) {
      .card, .notice { background: #1e2227; color: #e6e8eb; border-color: #4a5059; }
      .why p, .sources { color: #c9cdd3; } .heading, .label, .keys, .sources summary { color: #a7adb5; }
      button.reframe { background: #22354a; color: #d6e6f7; border-color: #8cb8e8; }
      a { color: #8cb8e8; } .notice code { background: #2a2f36; }
    }
  `;
})();
