// Reframe workshop page. Checks the draft as it is typed, highlights flagged phrases in place
// (a backdrop of <mark>s behind a transparent textarea), explains each in a card and applies
// reframes. Talks only to its own server; stores nothing.
'use strict';

const CHECK_DELAY_MS = 150;
const HOVER_HIDE_MS = 300;
const CARD_GAP_PX = 6;
const NARROW_SCREEN = window.matchMedia('(max-width: 699px)');
const SEVERITY_WORDS = { error: 'Error', warning: 'Warning', info: 'Info', hint: 'Hint' };
const CARET_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

const state = {
  categories: [], // [{id, label, description}] from /api/info
  countRows: new Map(), // category id -> {row, number, bar}
  text: '', // the draft the findings refer to; always the textarea's value
  findings: [],
  checkSeq: 0,
  checkController: null,
  checkTimer: 0,
  announced: null, // the total last announced
  pendingNote: '', // spoken before the next total ("Replaced …")
  card: null, // {finding, source: 'hover' | 'caret' | 'list', returnTo: 'draft' | 'list'}
  hoverHideTimer: 0,
  pointer: null, // the latest pointer position, hit-tested once per frame
};

let els = {};

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('aria-')) node.setAttribute(key, value);
    else node[key] = value;
  }
  node.append(...children);
  return node;
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function categoryLabel(id) {
  const category = state.categories.find((c) => c.id === id);
  return category ? category.label : id;
}

// ---- start ----

function init() {
  const byId = (id) => document.getElementById(id);
  els = {
    draft: byId('draft'), backdrop: byId('backdrop'), backdropText: byId('backdrop-text'),
    kind: byId('kind'), notice: byId('draft-notice'), announce: byId('announce'),
    countTotal: byId('count-total'), totalWord: byId('total-word'), counts: byId('counts'),
    findings: byId('findings'), listEmpty: byId('list-empty'), heading: byId('findings-heading'),
    descriptions: byId('category-descriptions'), aboutLine: byId('about-line'),
    card: byId('card'), cardSeverity: byId('card-severity'), cardCategory: byId('card-category'),
    cardTitle: byId('card-title'), cardMessage: byId('card-message'), cardWhy: byId('card-why'),
    cardQuoted: byId('card-quoted'), cardReframesLabel: byId('card-reframes-label'),
    cardReframeButtons: byId('card-reframe-buttons'), cardNoReframes: byId('card-no-reframes'),
    cardSources: byId('card-sources'), cardSourceList: byId('card-source-list'),
    cardRule: byId('card-rule'), cardClose: byId('card-close'), cardOwn: byId('card-own'),
  };
  const { draft, card } = els;
  draft.addEventListener('input', onDraftInput);
  draft.addEventListener('scroll', onDraftScroll);
  draft.addEventListener('pointermove', onPointerMove);
  draft.addEventListener('mouseleave', scheduleHoverHide);
  draft.addEventListener('click', () => showCardAtCaret(false));
  draft.addEventListener('keyup', (e) => { if (CARET_KEYS.has(e.key)) showCardAtCaret(true); });
  draft.addEventListener('keydown', (e) => { if (e.key === 'Escape') closeCard(false); });
  els.kind.addEventListener('change', checkNow);
  card.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); closeCard(true); } });
  card.addEventListener('mouseenter', cancelHoverHide);
  card.addEventListener('mouseleave', scheduleHoverHide);
  card.addEventListener('focusin', () => { if (state.card && state.card.source === 'hover') state.card.source = 'caret'; });
  card.addEventListener('focusout', onCardFocusOut);
  els.cardClose.addEventListener('click', () => closeCard(true));
  els.cardOwn.addEventListener('click', rewriteItMyself);
  els.findings.addEventListener('keydown', onListKeydown);
  document.addEventListener('pointerdown', onDocumentPointerDown);
  window.addEventListener('resize', () => positionCard());
  NARROW_SCREEN.addEventListener('change', () => positionCard());
  new ResizeObserver(() => positionCard()).observe(draft);

  state.text = draft.value;
  renderFindings();
  loadInfo();
  if (draft.value) checkNow();
}

async function loadInfo() {
  try {
    const response = await fetch('/api/info', { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`status ${response.status}`);
    const info = await response.json();
    state.categories = info.categories;
    buildCategoryRows();
    renderPanel();
    els.aboutLine.textContent = `Reframe ${info.version}, ${plural(info.rules, 'rule')}. It runs on this machine: your text goes only to the local Reframe server and is not kept.`;
  } catch {
    showNotice('The page could not load its categories from the Reframe server. Check that `reframe serve` is still running, then reload.');
  }
}

function buildCategoryRows() {
  state.countRows.clear();
  const rows = state.categories.map((category) => {
    const number = el('span', { className: 'count-number', dataset: { testid: `count-${category.id}` } }, '0');
    const bar = el('span', { className: 'count-bar', 'aria-hidden': 'true' });
    const row = el('li', {}, el('span', {}, category.label), number, bar);
    state.countRows.set(category.id, { row, number, bar });
    return row;
  });
  els.counts.replaceChildren(...rows);
  els.descriptions.replaceChildren(...state.categories.flatMap((c) => [el('dt', {}, c.label), el('dd', {}, c.description)]));
}

// ---- checking ----

function onDraftInput() {
  const text = els.draft.value;
  state.findings = shiftFindings(state.findings, state.text, text);
  state.text = text;
  document.body.dataset.check = 'pending';
  closeCard(false);
  renderFindings();
  clearTimeout(state.checkTimer);
  state.checkTimer = setTimeout(checkNow, CHECK_DELAY_MS);
}

// Until the next check answers, keeps the findings the edit did not touch, moved by the edit.
function shiftFindings(findings, before, after) {
  const shortest = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shortest && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix += 1;
  let suffix = 0;
  while (suffix < shortest - prefix
    && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix += 1;
  const editEnd = before.length - suffix;
  const delta = after.length - before.length;
  return findings
    .filter((f) => f.end <= prefix || f.start >= editEnd)
    .map((f) => (f.start >= editEnd && delta ? { ...f, start: f.start + delta, end: f.end + delta } : f));
}

async function checkNow() {
  clearTimeout(state.checkTimer);
  if (state.checkController) state.checkController.abort();
  const controller = new AbortController();
  state.checkController = controller;
  const seq = ++state.checkSeq;
  const text = els.draft.value;
  document.body.dataset.check = 'checking';
  let outcome;
  try {
    const response = await fetch('/api/check', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ text, kind: els.kind.value }),
      signal: controller.signal,
    });
    const body = await response.json().catch(() => null);
    outcome = response.ok && body ? { result: body } : { error: httpErrorMessage(response.status, body) };
  } catch (error) {
    if (error.name === 'AbortError') return;
    outcome = { error: 'The Reframe server is not answering. Your draft is still here: check that `reframe serve` is running, then keep typing to try again.' };
  }
  // A newer check is on its way, or the text changed since this one was sent.
  if (seq !== state.checkSeq || els.draft.value !== text) return;
  state.checkController = null;
  if (outcome.error) {
    showNotice(outcome.error);
    document.body.dataset.check = 'error';
    return;
  }
  showNotice('');
  state.findings = outcome.result.findings;
  renderFindings();
  refreshCard();
  announceTotal();
  document.body.dataset.check = 'ready';
}

function httpErrorMessage(status, body) {
  if (status === 413) return 'This draft is too long for the workshop page (over 1 MiB). Try a shorter piece.';
  const detail = body && typeof body.error === 'string' ? `: ${body.error}` : '';
  return `Sorry, Reframe could not check this draft (HTTP ${status}${detail}).`;
}

function showNotice(text) {
  if (els.notice.textContent !== text) els.notice.textContent = text;
}

function announceTotal() {
  const total = state.findings.length;
  if (total === state.announced && !state.pendingNote) return;
  state.announced = total;
  const summary = total === 0 ? 'No findings.' : `${plural(total, 'finding')}.`;
  say(state.pendingNote ? `${state.pendingNote} ${summary}` : summary);
  state.pendingNote = '';
}

function say(text) {
  els.announce.textContent = text;
}

// ---- rendering ----

function renderFindings() {
  renderBackdrop();
  renderPanel();
}

function renderBackdrop() {
  const { text, findings } = state;
  const parts = [];
  let at = 0;
  findings.forEach((finding, index) => {
    parts.push(text.slice(at, finding.start), el('mark', {
      className: `sev-${finding.severity}`,
      dataset: { testid: 'mark', rule: finding.rule, severity: finding.severity, index },
    }, text.slice(finding.start, finding.end)));
    at = finding.end;
  });
  parts.push(text.slice(at));
  // A div drops a final empty line that a textarea shows; give it something to hold.
  if (text.endsWith('\n')) parts.push(' ');
  els.backdropText.replaceChildren(...parts);
  syncScroll();
}

function renderPanel() {
  const { findings, text } = state;
  const total = findings.length;
  els.countTotal.textContent = String(total);
  els.totalWord.textContent = total === 1 ? 'finding' : 'findings';
  const counts = {};
  for (const f of findings) counts[f.category] = (counts[f.category] || 0) + 1;
  for (const [id, { row, number, bar }] of state.countRows) {
    const n = counts[id] || 0;
    number.textContent = String(n);
    row.classList.toggle('is-zero', n === 0);
    bar.style.setProperty('--share', total ? String(n / total) : '0');
  }

  const focused = els.findings.contains(document.activeElement) ? Number(document.activeElement.dataset.index) : -1;
  let line = 1;
  let lineCountedTo = 0;
  const items = findings.map((finding, index) => {
    line += countNewlines(text, lineCountedTo, finding.start);
    lineCountedTo = finding.start;
    return findingItem(finding, index, line);
  });
  els.findings.replaceChildren(...items);
  els.listEmpty.hidden = total > 0;
  if (focused >= 0) (total ? listButtons()[Math.min(focused, total - 1)] : els.heading).focus();
  markActive();
}

function countNewlines(text, from, to) {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}

function findingItem(finding, index, line) {
  const severity = SEVERITY_WORDS[finding.severity];
  const category = categoryLabel(finding.category);
  const phrase = state.text.slice(finding.start, finding.end);
  const button = el('button', {
    type: 'button',
    className: `finding sev-${finding.severity}`,
    dataset: { testid: 'finding', index, rule: finding.rule, category: finding.category },
    'aria-label': `${severity}, ${category.toLowerCase()}: “${phrase}”, line ${line}. Show why and reframes.`,
    'aria-haspopup': 'dialog',
  },
  el('span', { className: 'finding-phrase' }, `“${phrase}”`),
  el('span', { className: 'finding-meta' },
    el('span', { className: `sev-badge sev-${finding.severity}` }, severity), ` ${category} · line ${line}`));
  button.addEventListener('click', () => openCardFromList(index));
  return el('li', {}, button);
}

function listButtons() {
  return [...els.findings.querySelectorAll('.finding')];
}

function markFor(finding) {
  return els.backdropText.querySelector(`mark[data-index="${state.findings.indexOf(finding)}"]`);
}

function markActive() {
  const active = state.card ? String(state.findings.indexOf(state.card.finding)) : '';
  for (const node of els.backdropText.querySelectorAll('mark')) node.classList.toggle('is-active', node.dataset.index === active);
  for (const node of listButtons()) node.classList.toggle('is-active', node.dataset.index === active);
}

function syncScroll() {
  els.backdrop.scrollTop = els.draft.scrollTop;
  els.backdrop.scrollLeft = els.draft.scrollLeft;
}

function onDraftScroll() {
  syncScroll();
  if (state.card && state.card.source === 'hover') closeCard(false);
  else positionCard();
}

// ---- the card ----

function openCard(finding, source, anchorRect) {
  cancelHoverHide();
  const previous = state.card;
  state.card = { finding, source, returnTo: source === 'list' ? 'list' : 'draft' };
  if (!previous || previous.finding !== finding) fillCard(finding);
  els.card.hidden = false;
  positionCard(anchorRect);
  markActive();
}

function fillCard(finding) {
  const severity = `sev-${finding.severity}`;
  const phrase = state.text.slice(finding.start, finding.end);
  els.card.className = `card ${severity}`;
  els.cardSeverity.className = `sev-badge ${severity}`;
  els.cardSeverity.textContent = SEVERITY_WORDS[finding.severity];
  els.cardCategory.textContent = categoryLabel(finding.category);
  els.cardTitle.replaceChildren(el('span', { className: 'visually-hidden' }, 'About '), `“${phrase}”`);
  els.cardMessage.textContent = finding.message;
  els.cardWhy.textContent = finding.why;
  els.cardWhy.hidden = !finding.why;
  els.cardQuoted.hidden = !finding.quoted;
  els.cardReframeButtons.replaceChildren(...finding.reframes.map((reframe, i) =>
    reframeButton(reframe, finding.reframe_safety[i])));
  els.cardReframesLabel.hidden = finding.reframes.length === 0;
  els.cardNoReframes.hidden = finding.reframes.length > 0;
  els.cardSourceList.replaceChildren(...finding.sources.map(sourceItem));
  els.cardSources.hidden = finding.sources.length === 0;
  els.cardSources.querySelector('summary').textContent = `Sources (${finding.sources.length})`;
  els.cardRule.textContent = finding.rule;
}

// A suggestion may change what the sentence says, so its button says so: the writer decides.
function reframeButton(reframe, safety) {
  const suggestion = safety !== 'safe';
  const button = el('button', {
    type: 'button',
    className: suggestion ? 'reframe reframe-suggestion' : 'reframe',
    title: suggestion ? 'A suggestion: check it keeps your meaning' : 'Same meaning, other words',
    dataset: { testid: 'reframe', safety },
  }, `Use “${reframe}”`, ...(suggestion ? [el('span', { className: 'reframe-kind' }, ' (suggestion)')] : []));
  button.addEventListener('click', () => applyReframe(state.card.finding, reframe));
  return button;
}

function sourceItem(source) {
  // Rule packs are user data: link only to web pages.
  if (!/^https?:\/\//i.test(source.url)) return el('li', {}, source.title);
  return el('li', {}, el('a', { href: source.url, target: '_blank', rel: 'noreferrer' },
    source.title, el('span', { className: 'visually-hidden' }, ' (opens in a new tab)')));
}

function positionCard(anchorRect) {
  if (!state.card) return;
  const { card } = els;
  const mark = markFor(state.card.finding);
  if (NARROW_SCREEN.matches) {
    card.style.left = '';
    card.style.top = '';
    keepAboveSheet(mark);
    return;
  }
  const rect = anchorRect || (mark && mark.getClientRects()[0]) || els.draft.getBoundingClientRect();
  const field = card.offsetParent.getBoundingClientRect();
  const height = card.offsetHeight;
  const roomBelow = window.innerHeight - rect.bottom - CARD_GAP_PX;
  const placeAbove = roomBelow < height && rect.top - CARD_GAP_PX > roomBelow;
  const top = placeAbove ? rect.top - CARD_GAP_PX - height : rect.bottom + CARD_GAP_PX;
  card.style.left = `${Math.max(0, Math.min(rect.left - field.left, field.width - card.offsetWidth))}px`;
  card.style.top = `${top - field.top}px`;
}

// On a phone the card is a sheet along the bottom: scroll the phrase into view above it.
function keepAboveSheet(mark) {
  const rect = mark && mark.getClientRects()[0];
  const sheetTop = els.card.getBoundingClientRect().top;
  if (rect && rect.bottom + CARD_GAP_PX > sheetTop) window.scrollBy(0, rect.bottom + CARD_GAP_PX * 3 - sheetTop);
}

function closeCard(restoreFocus) {
  if (!state.card) return;
  const { finding, returnTo } = state.card;
  const hadFocus = els.card.contains(document.activeElement);
  state.card = null;
  els.card.hidden = true;
  cancelHoverHide();
  markActive();
  if (!restoreFocus || !hadFocus) return;
  if (returnTo === 'draft') { els.draft.focus(); return; }
  const buttons = listButtons();
  const index = state.findings.indexOf(finding);
  (buttons[index] || buttons[0] || els.heading).focus();
}

// Keeps the card only while its finding is still there after a re-check.
function refreshCard() {
  if (!state.card) return;
  const old = state.card.finding;
  const same = state.findings.find((f) => f.rule === old.rule && f.start === old.start && f.end === old.end);
  if (!same) { closeCard(true); return; }
  state.card.finding = same;
  markActive();
}

function onCardFocusOut(event) {
  const next = event.relatedTarget;
  if (state.card && next && !els.card.contains(next) && next !== els.draft) closeCard(false);
}

function onDocumentPointerDown(event) {
  if (state.card && !els.card.contains(event.target) && event.target !== els.draft) closeCard(false);
}

// ---- opening cards: caret, pointer, list ----

function findingAt(start, end) {
  return state.findings.find((f) => f.start <= start && end <= f.end);
}

function showCardAtCaret(announce) {
  const finding = findingAt(els.draft.selectionStart, els.draft.selectionEnd);
  if (!finding) { closeCard(false); return; }
  const isNew = !state.card || state.card.finding !== finding;
  openCard(finding, 'caret');
  if (announce && isNew) {
    say(`${SEVERITY_WORDS[finding.severity]}: “${state.text.slice(finding.start, finding.end)}”. ${finding.message} Tab moves into the card.`);
  }
}

function onPointerMove(event) {
  if (event.pointerType === 'touch') return;
  const waiting = state.pointer !== null;
  state.pointer = { x: event.clientX, y: event.clientY };
  if (!waiting) requestAnimationFrame(hoverFrame);
}

function hoverFrame() {
  const { x, y } = state.pointer;
  state.pointer = null;
  const hit = hitTest(x, y);
  const hoverable = !state.card || state.card.source === 'hover';
  if (hit && hoverable && (!state.card || state.card.finding !== hit.finding)) openCard(hit.finding, 'hover', hit.rect);
  else if (hit && hoverable) cancelHoverHide();
  else if (!hit) scheduleHoverHide();
}

// The textarea is on top, so the pointer is tested against the marks' boxes underneath it.
function hitTest(x, y) {
  for (const mark of els.backdropText.querySelectorAll('mark')) {
    for (const rect of mark.getClientRects()) {
      if (x >= rect.left && x <= rect.right && y >= rect.top && y <= rect.bottom) {
        return { finding: state.findings[Number(mark.dataset.index)], rect };
      }
    }
  }
  return null;
}

function scheduleHoverHide() {
  if (!state.card || state.card.source !== 'hover' || state.hoverHideTimer) return;
  state.hoverHideTimer = setTimeout(() => {
    state.hoverHideTimer = 0;
    if (state.card && state.card.source === 'hover') closeCard(false);
  }, HOVER_HIDE_MS);
}

function cancelHoverHide() {
  clearTimeout(state.hoverHideTimer);
  state.hoverHideTimer = 0;
}

function openCardFromList(index) {
  const finding = state.findings[index];
  els.draft.setSelectionRange(finding.start, finding.end);
  revealInDraft(finding);
  openCard(finding, 'list');
  els.card.focus();
}

function revealInDraft(finding) {
  const mark = markFor(finding);
  const { draft } = els;
  const top = mark.offsetTop;
  const bottom = top + mark.offsetHeight;
  if (top < draft.scrollTop || bottom > draft.scrollTop + draft.clientHeight) {
    draft.scrollTop = Math.max(0, top - draft.clientHeight / 3);
  }
  syncScroll();
}

function onListKeydown(event) {
  const buttons = listButtons();
  const at = buttons.indexOf(document.activeElement);
  const target = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: buttons.length - 1 }[event.key];
  if (at < 0 || target === undefined) return;
  event.preventDefault();
  buttons[Math.max(0, Math.min(buttons.length - 1, target))].focus();
}

// ---- editing ----

function applyReframe(finding, reframe) {
  const { draft } = els;
  state.pendingNote = `Replaced “${draft.value.slice(finding.start, finding.end)}” with “${reframe}”.`;
  closeCard(false);
  draft.focus();
  draft.setSelectionRange(finding.start, finding.end);
  // execCommand keeps the change in the textarea's own undo history; setRangeText cannot.
  if (!document.execCommand('insertText', false, reframe)) {
    draft.setRangeText(reframe, finding.start, finding.end, 'end');
    onDraftInput();
  }
  checkNow();
}

function rewriteItMyself() {
  const { finding } = state.card;
  closeCard(false);
  els.draft.focus();
  els.draft.setSelectionRange(finding.start, finding.end);
}

init();
