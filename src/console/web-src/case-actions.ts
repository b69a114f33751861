import type { TranslateDraft } from './api-types.js';
import { api } from './api.js';
import { refreshCase } from './case-view.js';
import { MAX_TEXT } from './constants.js';
import { $, t } from './helpers.js';
import { loadQueue } from './queue.js';
import { state } from './state.js';
import { notify, runAction, showError } from './ui.js';

// ---------------------------------------------------------------------------
// Case actions, reply, notes, deliveries
// ---------------------------------------------------------------------------

export async function refreshAll() {
  await Promise.all([refreshCase(), loadQueue('refresh')]);
}

/** Asks before an action that cannot be taken back; resolves true when confirmed. */
export function confirmAction(message, okLabel) {
  const dialog = $('confirm-dialog');
  $('confirm-text').textContent = message;
  $('confirm-ok').textContent = okLabel;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    $('confirm-cancel').focus();
  });
}

export async function caseAction(action, button) {
  const cur = state.current;
  if (!cur) return;
  const id = cur.id;
  if (action === 'close' && !(await confirmAction(t('confirmClose', { id }), t('confirmCloseOk')))) return;
  await runAction(button, async () => {
    try {
      await api(`/cases/${id}/${action}`, { method: 'POST' });
      notify(t(`did${action[0].toUpperCase()}${action.slice(1)}`, { id }));
    } finally {
      // Refresh even after a 409: the case probably changed under us.
      await refreshAll();
    }
  });
  // Keep the error (if any) visible: refreshAll does not clear action errors.
}

/** A textarea's trimmed text, or undefined after telling the user why it cannot be sent. */
export function textToSend(ta, emptyKey) {
  const text = ta.value.trim();
  if (!text) {
    showError(t(emptyKey));
    ta.focus();
    return undefined;
  }
  if (text.length > MAX_TEXT) {
    showError(t('textTooLong', { max: MAX_TEXT }));
    return undefined;
  }
  return text;
}

/** Translates the Russian reply into the user's language, for the lawyer to check and correct. */
export async function translateDraft(button) {
  const cur = state.current;
  if (!cur) return;
  const text = textToSend($('reply-text'), 'replyEmpty');
  if (text === undefined) return;
  const id = cur.id;
  $('translation-status').textContent = t('translationWorking');
  await runAction(button ?? $('translate-draft'), async () => {
    const r = await api<TranslateDraft>(`/cases/${id}/translate-draft`, { method: 'POST', body: { text } });
    if (state.current?.id !== id) return;
    if (r.ok && r.text !== undefined) {
      state.translationDraft = { caseId: id, source: text, machine: r.text, error: null };
      $('reply-translation').value = r.text;
      $('translation-status').textContent = t('translationReady');
    } else {
      const error = r.error ?? 'no translation';
      state.translationDraft = { caseId: id, source: text, machine: null, error };
      $('reply-translation').value = '';
      $('translation-status').textContent = t('translationFailed', { error });
    }
    $('translation-status').dataset.state = r.ok ? 'ready' : 'failed';
  });
}

export async function sendReply(e?: Event) {
  e?.preventDefault();
  const cur = state.current;
  if (!cur) return;
  const ta = $('reply-text');
  const text = textToSend(ta, 'replyEmpty');
  if (text === undefined) return;
  const id = cur.id;
  const body: { text: string; translation?: { text: string; edited: boolean }; translationFailed?: string } = { text };
  if (cur.data?.translation?.state === 'on') {
    const draft = state.translationDraft?.caseId === id ? state.translationDraft : null;
    const translated = $('reply-translation').value.trim();
    if (translated) body.translation = { text: translated, edited: translated !== draft?.machine };
    else if (draft?.error && draft.source === text) body.translationFailed = draft.error;
    else {
      // Never send a translation the lawyer has not seen: translate, show, and wait for a second press.
      await translateDraft($('reply-send'));
      if (state.translationDraft?.machine) notify(t('translationCheckFirst'));
      return;
    }
  }
  await runAction($('reply-send'), async () => {
    await api(`/cases/${id}/reply`, { method: 'POST', body });
    if (state.current?.id === id) {
      ta.value = '';
      $('reply-translation').value = '';
      $('translation-status').textContent = '';
      state.translationDraft = null;
      updateReplyCount();
    }
    state.drafts.set(id, { reply: '', note: state.drafts.get(id)?.note ?? '' });
    notify(t('replySent'));
    await refreshAll();
    // The outbox usually delivers within a second: show the ✓ without waiting for the poll.
    setTimeout(() => {
      if (state.current?.id === id) refreshCase({ poll: true });
    }, 1500);
  });
}

/** A Russian text changed after it was translated: say so (the old translation is still editable). */
export function onReplyInput() {
  updateReplyCount();
  const d = state.translationDraft;
  if (d && d.caseId === state.current?.id && d.source !== $('reply-text').value.trim() && !d.fromTemplate) {
    $('translation-status').textContent = t('translationStale');
    $('translation-status').dataset.state = 'stale';
  }
}

export async function sendNote(e?: Event) {
  e?.preventDefault();
  const cur = state.current;
  if (!cur) return;
  const ta = $('note-text');
  const text = textToSend(ta, 'noteEmpty');
  if (text === undefined) return;
  const id = cur.id;
  await runAction($('note-send'), async () => {
    await api(`/cases/${id}/notes`, { method: 'POST', body: { text } });
    if (state.current?.id === id) ta.value = '';
    state.drafts.set(id, { reply: state.drafts.get(id)?.reply ?? '', note: '' });
    notify(t('noteAdded'));
    await refreshAll();
  });
}

export async function retryDeliveries(id, button) {
  await runAction(button, async () => {
    const r = await api(`/cases/${id}/deliveries/retry`, { method: 'POST' });
    if (r?.requeued) notify(t('retryDone', { n: r.requeued }));
    else showError(t('retryNone'));
    await refreshCase();
    setTimeout(() => {
      if (state.current?.id === id) refreshCase({ poll: true });
    }, 1500);
  });
}

export function updateReplyCount() {
  const n = $('reply-text').value.length;
  const el = $('reply-count');
  el.textContent = t('replyCount', { n, max: MAX_TEXT });
  el.classList.toggle('over', n > MAX_TEXT);
}
