import type { CaseDetail } from './api-types.js';
import { ApiError, api, errorText } from './api.js';
import { retryDeliveries, updateReplyCount } from './case-actions.js';
import { $, ago, assigneeText, deadlineBadge, holdBadge, formatDateOnly, formatDateTime, formatTimeShort, h, label, languageText, show, t, todayIso } from './helpers.js';
import { staffName } from './login.js';
import { renderQueue } from './queue.js';
import { state } from './state.js';
import { renderTemplatePicker } from './templates.js';
import { announce, clearError, notify, runAction, showError, updateTitle } from './ui.js';

// ---------------------------------------------------------------------------
// Case view
// ---------------------------------------------------------------------------

export function saveDrafts() {
  const cur = state.current;
  if (!cur) return;
  state.drafts.set(cur.id, { reply: $('reply-text').value, note: $('note-text').value });
}

export function closeCaseView() {
  saveDrafts();
  state.current = null;
  show($('case-view'), false);
  show($('case-placeholder'), true);
  $('case-placeholder').textContent = t('pickCase');
}

export async function openCase(id) {
  saveDrafts();
  for (const { url } of state.attachmentUrls.values()) URL.revokeObjectURL(url);
  state.attachmentUrls.clear();
  state.translationDraft = null;
  $('reply-translation').value = '';
  $('translation-status').textContent = '';
  state.current = { id, data: null, sig: '', seq: 0, newMsgIds: new Set() };
  state.newCaseIds.delete(id);
  updateTitle();
  const draft = state.drafts.get(id) ?? { reply: '', note: '' };
  $('reply-text').value = draft.reply;
  $('note-text').value = draft.note;
  updateReplyCount();
  show($('case-view'), false);
  show($('case-placeholder'), true);
  $('case-placeholder').textContent = t('loading');
  const ok = await refreshCase();
  if (ok && state.current?.id === id) {
    const title = $('case-title');
    title.focus({ preventScroll: true });
    if (window.matchMedia('(max-width: 799px)').matches) $('case-view').scrollIntoView({ block: 'start' });
    else $('case-panel').scrollTop = 0;
  }
}

/** Fetches the open case and re-renders what changed. Returns true on success. */
export async function refreshCase({ poll = false } = {}) {
  const cur = state.current;
  if (!cur) return false;
  const seq = ++cur.seq;
  try {
    const data = await api<CaseDetail>(`/cases/${cur.id}`);
    if (state.current !== cur || seq !== cur.seq) return false;
    // New user messages since this lawyer last looked at the case.
    const seen = state.seenMessage.get(cur.id);
    const maxId = data.messages.reduce((m, x) => Math.max(m, x.id), 0);
    if (seen !== undefined) {
      const fresh = data.messages.filter((m) => m.author === 'user' && m.id > seen);
      for (const m of fresh) cur.newMsgIds.add(m.id);
      if (fresh.length && poll) announce(t('newMessagesLive', { id: cur.id }));
    }
    state.seenMessage.set(cur.id, Math.max(seen ?? 0, maxId));
    cur.data = data;
    syncQueueItem(data.case);
    if (poll) clearError('poll');
    renderCase();
    return true;
  } catch (e) {
    if (state.current !== cur) return false;
    showError(e, poll ? 'poll' : 'action');
    if (!cur.data) {
      $('case-placeholder').textContent = errorText(e);
    }
    return false;
  }
}

/**
 * Keeps the queue row of the open case in step with what was just read. Reading
 * one's own case marks it read on the server (the response still says unread).
 */
export function syncQueueItem(c) {
  const items = state.queue.items;
  const i = items.findIndex((x) => x.id === c.id);
  if (i < 0) return;
  const mine = state.me && c.assigneeId === state.me.id;
  items[i] = { ...c, unread: mine ? false : c.unread };
  renderQueue();
}

export function renderCase() {
  const cur = state.current;
  if (!cur?.data) return;
  const { case: c, context, contextView, messages, notes, earlierCases, translation } = cur.data;
  show($('case-placeholder'), false);
  show($('case-view'), true);

  const sig = JSON.stringify([cur.data, [...cur.newMsgIds], state.lang, state.me?.id, todayIso()]);
  if (sig === cur.sig) return;
  const firstRender = cur.sig === '';
  cur.sig = sig;

  const view = $('case-view');
  view.dataset.caseId = String(c.id);
  view.dataset.status = c.status;
  view.classList.toggle('urgent', c.priority === 'urgent');

  const title = $('case-title');
  const urgent = c.priority === 'urgent';
  title.replaceChildren(
    ...(urgent ? [h('span', { class: 'sos', 'aria-hidden': 'true' }, '🆘 '), h('span', { class: 'visually-hidden' }, `${t('urgentLabel')}: `)] : []),
    t('caseTitle', { id: c.id }),
  );

  renderCaseMeta(c);
  renderCaseActions(c);
  $('case-summary').textContent = c.summaryRu;
  renderContext(context, contextView);
  renderTranslationState(translation, c);
  renderEarlierCases(earlierCases ?? []);
  renderThread(c, messages);
  renderNotes(notes);
  renderTemplatePicker(c.language);
  updateFormsEnabled(c);
  if (firstRender) $('context-box').open = !!contextView?.length && window.matchMedia('(min-width: 800px)').matches;
}

export function renderCaseMeta(c) {
  const item = (key, ...value) => h('div', { class: 'meta-item' }, h('dt', {}, t(key)), h('dd', {}, ...value));
  const items = [
    item('metaStatus', h('span', { class: `badge badge-status status-${c.status}`, 'data-testid': 'case-status' }, label('status', c.status))),
    item('metaPriority', h('span', { class: `badge ${c.priority === 'urgent' ? 'badge-urgent' : 'badge-plain'}` }, label('priority', c.priority))),
    item('metaTopic', label('topic', c.topic)),
    item('metaLanguage', languageText(c.language)),
  ];
  if (c.citizenship) items.push(item('metaCitizenship', label('cit', c.citizenship)));
  if (c.holdEndsAt) items.push(item('metaHold', holdBadge(c.holdEndsAt)));
  if (c.nearestDeadline) items.push(item('metaDeadline', deadlineBadge(c.nearestDeadline), ' ', h('span', { class: 'muted' }, formatDateOnly(c.nearestDeadline))));
  items.push(item('metaAssignee', h('span', { 'data-testid': 'case-assignee' }, assigneeText(c))));
  items.push(item('metaCreated', h('time', { datetime: c.createdAt, title: formatDateTime(c.createdAt) }, `${formatDateTime(c.createdAt)} · ${ago(c.createdAt)}`)));
  if (c.firstResponseAt) items.push(item('metaFirstResponse', h('time', { datetime: c.firstResponseAt }, formatDateTime(c.firstResponseAt))));
  if (c.closedAt) items.push(item('metaClosed', h('time', { datetime: c.closedAt }, formatDateTime(c.closedAt))));
  if (c.rating !== null && c.rating !== undefined) {
    items.push(item('metaRating', h('span', { 'aria-hidden': 'true' }, '⭐'.repeat(c.rating)), ` ${c.rating}/5`, c.ratingComment ? h('span', { class: 'rating-comment' }, ` — ${c.ratingComment}`) : null));
  }
  $('case-meta').replaceChildren(h('dl', { class: 'meta' }, items));
}

export function caseFlags(c) {
  const me = state.me!;
  const mine = c.assigneeId !== null && c.assigneeId === me.id;
  const admin = me.role === 'admin';
  const active = c.status === 'open' || c.status === 'claimed';
  const heldByOther = c.assigneeId !== null && !mine;
  return { mine, admin, active, heldByOther };
}

export function renderCaseActions(c) {
  const { mine, admin, active, heldByOther } = caseFlags(c);
  const visible = {
    claim: active && c.assigneeId === null,
    release: c.status === 'claimed' && (mine || admin),
    close: active && (!heldByOther || admin),
    reopen: c.status === 'closed' && !c.anonymised,
  };
  for (const btn of $('case-actions').querySelectorAll<HTMLElement>('[data-action]')) show(btn, visible[btn.dataset.action ?? '']);
  let hint = '';
  if (c.anonymised) hint = t('hintAnonymised');
  else if (c.status === 'withdrawn') hint = t('hintWithdrawn');
  else if (c.status === 'closed') hint = t('hintClosed');
  else if (heldByOther) hint = t('hintClaimedOther', { id: c.assigneeId });
  else if (c.assigneeId === null) hint = t('hintOpen');
  $('case-hint').textContent = hint;
  show($('case-hint'), !!hint);
  $('case-hint').classList.toggle('hint-warn', heldByOther || c.anonymised);
}

export function updateFormsEnabled(c) {
  const { admin, active, heldByOther } = caseFlags(c);
  let reason = '';
  if (c.anonymised) reason = t('replyDisabledAnon');
  else if (c.status === 'withdrawn') reason = t('replyDisabledWithdrawn');
  else if (!active) reason = t('replyDisabledClosed');
  else if (heldByOther && !admin) reason = t('replyDisabledOther');
  const disabled = !!reason;
  $('reply-text').disabled = disabled;
  $('template-picker').disabled = disabled;
  if ($('reply-send').getAttribute('aria-busy') !== 'true') $('reply-send').disabled = disabled;
  $('reply-disabled').textContent = reason;
  show($('reply-disabled'), disabled);
  const noteDisabled = !!c.anonymised;
  $('note-text').disabled = noteDisabled;
  if ($('note-send').getAttribute('aria-busy') !== 'true') $('note-send').disabled = noteDisabled;
}

/**
 * The flows the user walked, in the Russian words of the questions and answers the
 * server sends (`contextView`): a lawyer never has to decode node ids.
 */
export function renderContext(context, contextView) {
  const box = $('case-context');
  const flows = contextView ?? [];
  const parts: Node[] = [];
  if (context?.from?.flowId) parts.push(h('p', { class: 'context-from' }, t('contextFromTitle', { flow: flows.find((f) => f.flowId === context.from.flowId)?.title ?? label('flow', context.from.flowId) })));
  if (!flows.length) parts.push(h('p', { class: 'muted' }, t('contextEmpty')));
  for (const f of flows) {
    parts.push(
      h(
        'section',
        { class: 'flow', 'data-testid': 'context-flow', 'data-flow-id': f.flowId, lang: 'ru' },
        h('h4', {}, f.title, ' ', h('span', { class: 'muted small' }, t('flowAt', { time: formatDateTime(f.at) }))),
        f.answers.length
          ? h(
              'table',
              { class: 'kv' },
              h('caption', {}, t('answersCaption')),
              h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('colQuestion')), h('th', { scope: 'col' }, t('colAnswer')))),
              h('tbody', {}, f.answers.map((a) => h('tr', {}, h('th', { scope: 'row' }, a.question), h('td', {}, a.answer)))),
            )
          : h('p', { class: 'muted small' }, t('noAnswers')),
        h('p', { class: 'small' }, h('strong', {}, `${t('botAnswer')}: `), f.outcome),
        f.dates.length
          ? h(
              'table',
              { class: 'kv' },
              h('caption', {}, t('datesCaption')),
              h('tbody', {}, f.dates.map((d) => h('tr', {}, h('th', { scope: 'row' }, d.label), h('td', {}, d.date, d.provisional ? h('span', { class: 'muted' }, ` (${t('provisional')})`) : null)))),
            )
          : null,
      ),
    );
  }
  box.replaceChildren(...parts);
}

/** What the case's translation state means for the lawyer, shown under the case header. */
export function renderTranslationState(tr, c) {
  const el = $('case-translation');
  const state_ = tr?.state ?? 'off';
  const text =
    state_ === 'on' ? t('translationOn', { provider: tr.provider }) : state_ === 'sensitive' ? t('translationSensitive') : state_ === 'off' ? t('translationOff') : '';
  el.textContent = text;
  el.dataset.state = state_;
  show(el, !!text);
  // The reply's translation box: only where a translation can be made (or was made from a template).
  const box = $('translation-box');
  show(box, state_ === 'on');
  $('translation-label').textContent = t('translationLabel', { lang: label('lang', tr?.language ?? c.language) });
}

/** The same person's other cases, as links. */
export function renderEarlierCases(items) {
  show($('earlier-box'), items.length > 0);
  $('case-earlier').replaceChildren(
    ...items.map((e) =>
      h(
        'li',
        { 'data-testid': 'earlier-case' },
        h('a', { href: `#/case/${e.id}` }, t('earlierItem', { id: e.id, status: label('status', e.status), topic: label('topic', e.topic), date: formatDateOnly(e.createdAt.slice(0, 10)) })),
      ),
    ),
  );
}

export function formatAnswer(key, value) {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDateOnly(value);
  if (key === 'citizenship' && typeof value === 'string') return `${label('cit', value)} (${value})`;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function deliveryView(c, m) {
  const d = m.delivery;
  if (!d) return null;
  const bits: string[] = [];
  let cls = 'delivery';
  if (d.status === 'sent') {
    cls += ' delivery-sent';
    bits.push(t('delivery.sent'));
    if (d.sentAt) bits.push(` · ${formatTimeShort(d.sentAt)}`);
  } else if (d.status === 'pending') {
    cls += ' delivery-pending';
    bits.push(t('delivery.pending'));
    if (d.attempts) bits.push(` · ${t('attempts', { n: d.attempts })}`);
    if (d.lastError) bits.push(` · ${t('lastError', { e: d.lastError })}`);
  } else if (d.status === 'failed' || d.status === 'blocked') {
    cls += ' delivery-failed';
    bits.push(t(`delivery.${d.status}`));
    if (d.attempts) bits.push(` · ${t('attempts', { n: d.attempts })}`);
    if (d.lastError) bits.push(` · ${t('lastError', { e: d.lastError })}`);
  } else {
    bits.push(t('delivery.unknown', { status: d.status }));
  }
  const failed = d.status === 'failed' || d.status === 'blocked';
  return h(
    'div',
    { class: cls, 'data-testid': 'delivery', 'data-delivery': d.status },
    h('span', {}, ...bits),
    failed
      ? h('button', { type: 'button', class: 'btn btn-small btn-retry', 'data-testid': 'delivery-retry', onclick: (e) => retryDeliveries(c.id, e.currentTarget) }, t('retry'))
      : null,
  );
}

export function renderThread(c, messages) {
  const list = $('case-thread');
  if (!messages.length) {
    list.replaceChildren(h('li', { class: 'muted thread-empty' }, t('threadEmpty')));
    return;
  }
  list.replaceChildren(
    ...messages.map((m) => {
      const isUser = m.author === 'user';
      const isNew = state.current?.newMsgIds.has(m.id);
      const who = isUser ? t('authorUser') : m.staffId === state.me?.id ? t('authorMe') : t('authorLawyer', { id: staffName(m.staffId) });
      return h(
        'li',
        {
          class: `msg msg-${isUser ? 'user' : 'lawyer'}${isNew ? ' is-new' : ''}`,
          'data-testid': 'thread-message',
          'data-author': m.author,
          'data-message-id': m.id,
          'data-new': isNew ? 'true' : null,
        },
        h(
          'div',
          { class: 'msg-head' },
          h('span', { class: 'msg-author' }, who),
          h('time', { datetime: m.createdAt, title: formatDateTime(m.createdAt) }, formatTimeShort(m.createdAt)),
          isNew ? h('span', { class: 'badge badge-new' }, t('newBadge')) : null,
        ),
        h('p', { class: 'msg-text', lang: isUser ? null : 'ru', dir: 'auto' }, m.text),
        translationView(c, m),
        m.attachments?.length ? h('div', { class: 'msg-files small' }, t('files', { n: m.attachments.length }), ' ', m.attachments.map((a) => attachmentView(a))) : null,
        isUser ? null : deliveryView(c, m),
      );
    }),
  );
}

/** A message's stored translation: the Russian of a migrant's words, or what the migrant received. */
export function translationView(c, m) {
  const tr = m.translation;
  const isUser = m.author === 'user';
  if (isUser) {
    if (state.current?.data?.translation?.state !== 'on') return null;
    if (!tr) return h('p', { class: 'msg-translation muted small', 'data-testid': 'message-translation', 'data-status': 'pending' }, t('translationPending'));
    if (tr.status === 'failed') {
      return h(
        'p',
        { class: 'msg-translation failed small', 'data-testid': 'message-translation', 'data-status': 'failed' },
        t('translationMsgFailed', { error: tr.error ?? '' }),
        ' ',
        h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'translation-retry', onclick: (e) => retryTranslations(c.id, e.currentTarget) }, t('translationRetry')),
      );
    }
    return h(
      'div',
      { class: 'msg-translation', 'data-testid': 'message-translation', 'data-status': tr.status, lang: 'ru' },
      h('span', { class: 'mt-label small' }, t('machineTranslation', { provider: tr.provider })),
      h('p', { class: 'msg-text' }, tr.text ?? ''),
    );
  }
  if (!tr) return null;
  if (tr.status === 'failed') return h('p', { class: 'msg-translation failed small', 'data-testid': 'message-translation', 'data-status': 'failed' }, t('sentRussianOnly', { error: tr.error ?? '' }));
  return h(
    'div',
    { class: 'msg-translation', 'data-testid': 'message-translation', 'data-status': tr.status, lang: tr.language },
    h('span', { class: 'mt-label small' }, t('sentTranslated', { kind: label('sentKind', tr.status) })),
    h('p', { class: 'msg-text', dir: 'auto' }, tr.text ?? ''),
  );
}

export async function retryTranslations(id, button) {
  await runAction(button, async () => {
    await api(`/cases/${id}/translations/retry`, { method: 'POST' });
    await refreshCase();
  });
}

/**
 * An attachment: fetched with the lawyer's token only when asked for (every view
 * is audited), kept as a blob URL while the case is open, never as HTML.
 */
export function attachmentView(a) {
  const loaded = state.attachmentUrls.get(a.url);
  if (loaded && a.kind === 'photo') return h('img', { class: 'attachment-photo', 'data-testid': 'attachment-photo', src: loaded.url, alt: t('attachment.photo') });
  if (loaded && (a.kind === 'voice' || a.kind === 'audio')) return h('audio', { class: 'attachment-audio', 'data-testid': 'attachment-audio', controls: true, src: loaded.url });
  return h('button', { type: 'button', class: 'btn btn-small', 'data-testid': `attachment-${a.kind}`, onclick: (e) => openAttachment(a, e.currentTarget) }, t(`attachment.${a.kind}`));
}

export async function openAttachment(a, button) {
  await runAction(button, async () => {
    const res = await fetch(a.url, { headers: { Authorization: `Bearer ${state.token}` }, cache: 'no-store' });
    if (!res.ok) {
      let message = `HTTP ${res.status}`;
      try {
        message = (await res.json()).error || message;
      } catch {}
      throw new ApiError(res.status, message);
    }
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    if (a.kind === 'photo' || a.kind === 'voice' || a.kind === 'audio') {
      state.attachmentUrls.set(a.url, { url });
      if (state.current) state.current.sig = '';
      renderCase();
      return;
    }
    // Documents are saved, never opened in the console's page.
    const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'document';
    const link = h('a', { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    notify(t('attachmentSaved', { name }));
  });
}

export function renderNotes(notes) {
  const list = $('case-notes');
  if (!notes.length) {
    list.replaceChildren(h('li', { class: 'muted notes-empty' }, t('notesEmpty')));
    return;
  }
  list.replaceChildren(
    ...notes.map((n) =>
      h(
        'li',
        { class: 'note', 'data-testid': 'case-note', 'data-note-id': n.id },
        h(
          'div',
          { class: 'note-head small' },
          h('span', { class: 'badge badge-note' }, t('noteBadge')),
          ' ',
          h('span', {}, n.staffId === state.me?.id ? t('authorMe') : t('authorLawyer', { id: staffName(n.staffId) })),
          ' · ',
          h('time', { datetime: n.createdAt, title: formatDateTime(n.createdAt) }, formatTimeShort(n.createdAt)),
        ),
        h('p', { class: 'note-text', dir: 'auto' }, n.text),
      ),
    ),
  );
}
