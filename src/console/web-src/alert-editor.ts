import { alertViewVisible, buildRecipientsFilter, isAlertAuthor, loadAlerts, renderAlert, renderAlertList, renderRecipients } from './alerts.js';
import { api, errorText } from './api.js';
import { ALERT_MAX_TEXT, ALERT_TOPICS, CITIZENSHIPS, LANGUAGES } from './constants.js';
import { $, h, label, languageText, show, t } from './helpers.js';
import { state } from './state.js';
import { telegramHtmlProblems, telegramPreview } from './telegram-preview.js';
import { clearError, notify, runAction, showError } from './ui.js';

export function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function editorValues(mode, a) {
  if (mode === 'new' || !a) return { texts: {}, audience: { everyone: false, languages: [], citizenships: [], topics: [] }, startAt: '' };
  const aud = a.audience ?? {};
  return {
    texts: { ...(mode === 'correct' ? (a.correctionTexts ?? a.texts) : a.texts) },
    audience: { everyone: !!aud.everyone, languages: [...(aud.languages ?? [])], citizenships: [...(aud.citizenships ?? [])], topics: [...(aud.topics ?? [])] },
    startAt: toLocalInput(a.startAt),
  };
}

export function openEditor(mode, a) {
  const A = state.alerts;
  const key = mode === 'new' ? 'new' : `${mode}:${a.id}`;
  const stored = A.drafts.get(key);
  A.editor = {
    mode,
    key,
    id: a?.id ?? null,
    status: a?.status ?? null,
    values: stored ? structuredClone(stored) : editorValues(mode, a),
    audTimer: null,
    audSeq: 0,
    audSig: '',
    aud: null,
    done: false,
  };
  show($('alert-placeholder'), false);
  show($('alert-view'), false);
  renderEditor();
  show($('alert-editor'), true);
  const title = $('alert-editor-title');
  title?.focus({ preventScroll: true });
  if (window.matchMedia('(max-width: 799px)').matches) $('alert-editor').scrollIntoView({ block: 'start' });
  else $('alert-panel').scrollTop = 0;
}

/** Leaves the editor; unsaved text is kept in memory for this session unless it was saved or discarded. */
export function closeEditor() {
  const A = state.alerts;
  const ed = A.editor;
  if (ed) {
    clearTimeout(ed.audTimer);
    if (!ed.done) A.drafts.set(ed.key, structuredClone(ed.values));
    A.editor = null;
  }
  $('alert-editor').replaceChildren();
  show($('alert-editor'), false);
}

export function filledLanguages(texts) {
  const langs = LANGUAGES.filter((l) => texts[l]?.trim());
  return langs.includes('ru') ? langs : ['ru', ...langs];
}

/** The audience as the API wants it, or null when nothing is chosen. */
export function audienceBody(a) {
  if (a.everyone) return { everyone: true };
  const out: Record<string, unknown> = {};
  if (a.languages.length) out.languages = [...a.languages];
  if (a.citizenships.length) out.citizenships = [...a.citizenships];
  if (a.topics.length) out.topics = [...a.topics];
  return Object.keys(out).length ? out : null;
}

export const EDITOR_TAGS = ['<b>', '<i>', '<u>', '<s>', '<code>', '<pre>', '<a href="https://…">', '<blockquote>'];

export function renderEditor() {
  const ed = state.alerts.editor;
  if (!ed) return;
  const form = $('alert-editor');
  const focusedId = document.activeElement && form.contains(document.activeElement) ? document.activeElement.id : null;
  const v = ed.values;
  form.dataset.mode = ed.mode;
  if (ed.id) form.dataset.alertId = String(ed.id);
  else delete form.dataset.alertId;
  const title = ed.mode === 'new' ? t('editorNew') : t(ed.mode === 'edit' ? 'editorEdit' : 'editorCorrect', { id: ed.id });
  const back = ed.mode === 'new' ? '#/alerts' : `#/alerts/${ed.id}`;
  let hint: string | null = null;
  if (ed.mode === 'correct') hint = t('editorCorrectHint');
  else if (ed.mode === 'edit' && ed.status === 'approved') hint = t('editorEditApproved');
  else if (ed.mode === 'new') hint = t('editorNewHint');

  const langNav = h(
    'div',
    { class: 'lang-nav', role: 'group', 'aria-label': t('editorLangNav') },
    LANGUAGES.map((l) =>
      h(
        'button',
        { type: 'button', class: 'lang-chip', 'data-lang': l, onclick: () => jumpToLanguage(l) },
        h('span', { 'aria-hidden': 'true' }, l.toUpperCase()),
        h('span', { class: 'visually-hidden' }, label('lang', l)),
        l === 'ru' ? h('span', { class: 'req-mark', 'aria-hidden': 'true' }, '*') : null,
        h('span', { class: 'chip-state' }),
      ),
    ),
  );

  const blocks = LANGUAGES.map((l) => {
    const id = `alert-text-${l}`;
    const ta = h('textarea', {
      id,
      name: `text-${l}`,
      'data-testid': id,
      'data-lang': l,
      rows: l === 'ru' ? 7 : 3,
      lang: l,
      dir: 'auto',
      spellcheck: 'true',
      required: l === 'ru',
      'aria-required': l === 'ru' ? 'true' : null,
      'aria-describedby': `${id}-count ${id}-problems`,
    });
    ta.value = v.texts[l] ?? '';
    return h(
      'div',
      { class: `lang-block${l === 'ru' ? ' is-required' : ''}`, id: `alert-lang-${l}`, 'data-lang': l },
      h(
        'div',
        { class: 'lang-block-head' },
        h(
          'label',
          { for: id },
          languageText(l),
          ' ',
          l === 'ru' ? h('span', { class: 'req' }, `* ${t('required')}`) : h('span', { class: 'opt' }, `(${t('optional')})`),
        ),
        h('span', { class: 'muted small char-count', id: `${id}-count` }),
      ),
      h(
        'div',
        { class: 'lang-block-body' },
        ta,
        h(
          'div',
          { class: 'tg-preview' },
          h('div', { class: 'tg-preview-label', id: `alert-preview-${l}-label` }, t('previewLabel', { lang: label('lang', l) })),
          h('div', { class: 'tg-chat' }, h('div', { class: 'tg-bubble', id: `alert-preview-${l}`, 'data-testid': `alert-preview-${l}`, lang: l, dir: 'auto', role: 'group', 'aria-labelledby': `alert-preview-${l}-label` })),
        ),
      ),
      h('p', { class: 'html-problems', id: `${id}-problems`, 'data-testid': `alert-problems-${l}`, hidden: true }),
    );
  });

  const parts = [
    h('a', { class: 'back-link', href: back }, ed.mode === 'new' ? t('backToAlerts') : t('backToAlert', { id: ed.id })),
    h('header', { class: 'case-head editor-head' }, h('h2', { id: 'alert-editor-title', tabindex: '-1' }, title), hint ? h('p', { class: `case-hint${ed.mode === 'new' ? '' : ' hint-warn'}` }, hint) : null),
    h(
      'section',
      { class: 'case-section', 'aria-labelledby': 'editor-texts-title' },
      h('h3', { id: 'editor-texts-title' }, t('editorTexts')),
      h('p', { class: 'muted small' }, t('editorTextsHint')),
      h('p', { class: 'tag-list small' }, EDITOR_TAGS.map((x) => h('code', {}, x))),
      langNav,
      blocks,
    ),
  ];

  if (ed.mode !== 'correct') {
    const a = v.audience;
    const group = (key, name, values, prefix, text) =>
      h(
        'fieldset',
        { class: 'check-group', 'data-group': name, disabled: a.everyone },
        h('legend', {}, t(key)),
        h(
          'div',
          { class: 'checks' },
          values.map((val) =>
            h(
              'label',
              { class: 'check' },
              h('input', { type: 'checkbox', name, value: val, id: `${prefix}${val}`, 'data-testid': `${prefix}${val}`, checked: a[name].includes(val) }),
              ' ',
              text(val),
            ),
          ),
        ),
      );
    parts.push(
      h(
        'section',
        { class: 'case-section', 'aria-labelledby': 'editor-audience-title' },
        h('h3', { id: 'editor-audience-title' }, t('audienceTitle')),
        h(
          'label',
          { class: 'check check-everyone' },
          h('input', { type: 'checkbox', name: 'everyone', id: 'audience-everyone', 'data-testid': 'audience-everyone', checked: a.everyone }),
          ' ',
          t('audienceEveryone'),
        ),
        h(
          'div',
          { class: 'check-groups' },
          group('audienceLanguages', 'languages', LANGUAGES, 'audience-lang-', languageText),
          group('audienceCitizenships', 'citizenships', CITIZENSHIPS, 'audience-cit-', (c) => label('cit', c)),
          group('audienceTopics', 'topics', ALERT_TOPICS, 'audience-topic-', (tp) => label('topic', tp)),
        ),
        h('p', { class: 'muted small' }, t('audienceAnd')),
        h('output', { class: 'audience-size', id: 'audience-size', 'data-testid': 'audience-size', 'aria-live': 'polite' }),
      ),
    );
    const tz = (() => {
      try {
        return Intl.DateTimeFormat().resolvedOptions().timeZone || '';
      } catch {
        return '';
      }
    })();
    const start = h('input', { type: 'datetime-local', id: 'alert-start', name: 'startAt', 'data-testid': 'alert-start', 'aria-describedby': 'alert-start-hint' });
    start.value = v.startAt;
    parts.push(
      h(
        'section',
        { class: 'case-section' },
        h(
          'div',
          { class: 'field start-field' },
          h('label', { for: 'alert-start' }, t('startLabel')),
          h(
            'div',
            { class: 'inline-row' },
            start,
            h(
              'button',
              {
                type: 'button',
                class: 'btn btn-small btn-ghost',
                onclick: () => {
                  $('alert-start').value = '';
                  ed.values.startAt = '';
                  $('alert-start').focus();
                },
              },
              t('startClear'),
            ),
          ),
          h('p', { class: 'muted small', id: 'alert-start-hint' }, t('startHint', { tz })),
        ),
      ),
    );
  }

  const saveTestid = ed.mode === 'correct' ? 'alert-correct-save' : 'alert-save';
  parts.push(
    h(
      'div',
      { class: 'form-buttons editor-buttons' },
      h('button', { type: 'submit', class: 'btn btn-primary', id: 'alert-save-button', 'data-testid': saveTestid }, t(ed.mode === 'correct' ? 'correctSave' : 'saveDraft')),
      h(
        'a',
        {
          class: 'btn btn-ghost',
          href: back,
          'data-testid': 'alert-editor-cancel',
          onclick: () => {
            ed.done = true;
            state.alerts.drafts.delete(ed.key);
          },
        },
        t('cancel'),
      ),
    ),
  );
  form.replaceChildren(...parts);
  for (const l of LANGUAGES) updateLanguagePreview(l);
  ed.audSig = '';
  renderAudienceSize();
  scheduleAudienceSize(true);
  if (focusedId) $(focusedId)?.focus();
}

export function jumpToLanguage(l) {
  const ta = $(`alert-text-${l}`);
  if (!ta) return;
  $(`alert-lang-${l}`).scrollIntoView({ block: 'start', behavior: window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
  ta.focus({ preventScroll: true });
}

export function updateLanguagePreview(l) {
  const ed = state.alerts.editor;
  if (!ed) return;
  const text = ed.values.texts[l] ?? '';
  const box = $(`alert-preview-${l}`);
  if (!box) return;
  const filled = !!text.trim();
  if (filled) box.replaceChildren(telegramPreview(text));
  else box.replaceChildren(h('span', { class: 'tg-empty' }, l === 'ru' ? t('previewEmpty') : t('previewRu')));
  box.classList.toggle('is-empty', !filled);
  $(`alert-lang-${l}`)?.classList.toggle('is-filled', filled);
  const problems = filled ? telegramHtmlProblems(text) : [];
  const p = $(`alert-text-${l}-problems`);
  p.textContent = problems.length ? t('htmlProblem', { p: problems.join('; ') }) : '';
  show(p, problems.length > 0);
  const ta = $(`alert-text-${l}`);
  ta.setAttribute('aria-invalid', problems.length || text.length > ALERT_MAX_TEXT ? 'true' : 'false');
  const count = $(`alert-text-${l}-count`);
  count.textContent = t('charCount', { n: text.length, max: ALERT_MAX_TEXT });
  count.classList.toggle('over', text.length > ALERT_MAX_TEXT);
  const chip = $('alert-editor').querySelector<HTMLElement>(`.lang-chip[data-lang="${l}"]`);
  if (chip) {
    chip.classList.toggle('is-filled', filled);
    chip.classList.toggle('has-problem', problems.length > 0);
    chip.querySelector<HTMLElement>('.chip-state')!.textContent = problems.length ? '⚠' : filled ? '✓' : '';
    chip.setAttribute('aria-label', `${label('lang', l)}: ${filled ? t('filled') : t('empty')}${l === 'ru' ? `, ${t('required')}` : ''}`);
  }
}

export function readAudienceFromForm() {
  const form = $('alert-editor');
  const picked = (name) => [...form.querySelectorAll<HTMLInputElement>(`input[type="checkbox"][name="${name}"]`)].filter((x) => x.checked).map((x) => x.value);
  return {
    everyone: !!$('audience-everyone')?.checked,
    languages: picked('languages'),
    citizenships: picked('citizenships'),
    topics: picked('topics'),
  };
}

export function onEditorInput(e) {
  const ed = state.alerts.editor;
  if (!ed) return;
  const el = e.target;
  if (el.matches('textarea[data-lang]')) {
    ed.values.texts[el.dataset.lang] = el.value;
    updateLanguagePreview(el.dataset.lang);
    scheduleAudienceSize();
  } else if (el.id === 'alert-start') {
    ed.values.startAt = el.value;
  }
}

export function onEditorChange(e) {
  const ed = state.alerts.editor;
  if (!ed) return;
  const el = e.target;
  if (el.type === 'checkbox') {
    ed.values.audience = readAudienceFromForm();
    for (const fs of $('alert-editor').querySelectorAll<HTMLFieldSetElement>('.check-group')) fs.disabled = ed.values.audience.everyone;
    scheduleAudienceSize();
  } else if (el.id === 'alert-start') {
    ed.values.startAt = el.value;
  }
}

/** Debounced: how many users the chosen audience reaches, and how many get Russian instead. */
export function scheduleAudienceSize(immediate = false) {
  const ed = state.alerts.editor;
  if (!ed || ed.mode === 'correct') return;
  const audience = audienceBody(ed.values.audience);
  const languages = filledLanguages(ed.values.texts);
  const sig = JSON.stringify([audience, languages]);
  if (sig === ed.audSig) return;
  ed.audSig = sig;
  clearTimeout(ed.audTimer);
  ed.audSeq++;
  if (!audience) {
    ed.aud = null;
    renderAudienceSize();
    return;
  }
  const out = $('audience-size');
  if (out) {
    out.setAttribute('aria-busy', 'true');
    out.classList.add('is-stale');
  }
  ed.audTimer = setTimeout(() => fetchAudienceSize(ed, audience, languages), immediate ? 0 : 350);
}

export async function fetchAudienceSize(ed, audience, languages) {
  const seq = ++ed.audSeq;
  try {
    const r = await api('/alerts/audience', { method: 'POST', body: { audience, languages } });
    if (state.alerts.editor !== ed || seq !== ed.audSeq) return;
    ed.aud = r;
  } catch (e) {
    if (state.alerts.editor !== ed || seq !== ed.audSeq) return;
    ed.aud = { error: errorText(e) };
  }
  renderAudienceSize();
}

export function renderAudienceSize() {
  const ed = state.alerts.editor;
  const out = $('audience-size');
  if (!ed || !out) return;
  const audience = audienceBody(ed.values.audience);
  out.classList.remove('is-stale', 'is-error', 'is-none');
  out.removeAttribute('aria-busy');
  delete out.dataset.recipients;
  delete out.dataset.fallback;
  if (!audience) {
    out.classList.add('is-none');
    out.replaceChildren(t('audienceNone'));
    return;
  }
  if (!ed.aud) {
    out.replaceChildren(t('audienceCounting'));
    return;
  }
  if (ed.aud.error) {
    out.classList.add('is-error');
    out.replaceChildren(ed.aud.error);
    return;
  }
  out.dataset.recipients = ed.aud.recipients;
  out.dataset.fallback = ed.aud.fallback;
  out.replaceChildren(
    h('span', { class: 'size-main' }, h('span', { 'aria-hidden': 'true' }, '👥 '), t('audienceSize', { n: ed.aud.recipients })),
    ' ',
    h('span', { class: 'size-fallback' }, t('audienceFallback', { n: ed.aud.fallback })),
  );
}

export async function saveEditor(e) {
  e.preventDefault();
  const ed = state.alerts.editor;
  if (!ed) return;
  clearError();
  const texts: Record<string, string> = {};
  for (const l of LANGUAGES) {
    const v = (ed.values.texts[l] ?? '').trim();
    if (v) texts[l] = v;
  }
  if (!texts.ru) {
    showError(t('errRuRequired'));
    $('alert-text-ru').focus();
    return;
  }
  for (const [l, v] of Object.entries(texts)) {
    if (v.length > ALERT_MAX_TEXT) {
      showError(t('errTooLong', { lang: languageText(l), max: ALERT_MAX_TEXT }));
      $(`alert-text-${l}`).focus();
      return;
    }
    const problems = telegramHtmlProblems(v);
    if (problems.length) {
      showError(t('errHtml', { lang: languageText(l), p: problems.join('; ') }));
      $(`alert-text-${l}`).focus();
      return;
    }
  }
  let audience: Record<string, unknown> | null = null;
  let startAt: string | null = null;
  if (ed.mode !== 'correct') {
    audience = audienceBody(ed.values.audience);
    if (!audience) {
      showError(t('errAudience'));
      $('audience-everyone').focus();
      return;
    }
    if (ed.values.startAt) {
      const d = new Date(ed.values.startAt);
      if (Number.isNaN(d.getTime())) {
        showError(t('errStart'));
        $('alert-start').focus();
        return;
      }
      startAt = d.toISOString();
    }
  }
  const A = state.alerts;
  await runAction($('alert-save-button'), async () => {
    let id = ed.id;
    if (ed.mode === 'new') {
      const r = await api('/alerts', { method: 'POST', body: { texts, audience, ...(startAt ? { startAt } : {}) } });
      id = r.alert.id;
      notify(t('alertCreated', { id, n: r.audience.recipients }));
    } else if (ed.mode === 'edit') {
      await api(`/alerts/${id}`, { method: 'PATCH', body: { texts, audience, startAt } });
      notify(t('alertSaved', { id }));
    } else {
      await api(`/alerts/${id}/correct`, { method: 'POST', body: { texts } });
      notify(t('alertCorrected', { n: A.current?.data?.progress.sent ?? 0 }));
    }
    ed.done = true;
    A.drafts.delete(ed.key);
    if (A.current?.id === id) {
      A.current.sig = '';
      A.current.audience = null;
    }
    await loadAlerts({ quiet: true });
    location.hash = `#/alerts/${id}`;
  });
}

export function rerenderAlertsPage() {
  const A = state.alerts;
  A.sig = '';
  buildRecipientsFilter();
  if (!state.me) return;
  renderAlertList();
  if (A.editor) renderEditor();
  else if (A.current?.data && alertViewVisible(A.current)) {
    A.current.sig = '';
    A.current.progressSig = '';
    renderAlert();
  } else if (!A.current && state.route.page === 'alerts' && state.route.alertMode === null) {
    $('alert-placeholder').textContent = t(isAlertAuthor() ? 'pickAlertAuthor' : 'pickAlert');
  }
  A.recipients.sig = '';
  if (A.recipients.rows) renderRecipients();
}
