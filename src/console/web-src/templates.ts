import type { Template } from './api-types.js';
import { api } from './api.js';
import { updateReplyCount } from './case-actions.js';
import { LANGUAGES } from './constants.js';
import { $, canWork, formatDateTime, h, label, languageText, show, t } from './helpers.js';
import { option } from './queue.js';
import { state } from './state.js';
import { notify, runAction, showError } from './ui.js';

// ---------------------------------------------------------------------------
// Templates (canned answers)
// ---------------------------------------------------------------------------

export async function templatesFor(language: string): Promise<Template[]> {
  if (!LANGUAGES.includes(language)) return [];
  if (!state.templatesByLang.has(language)) {
    const p = api<Template[]>(`/templates?language=${encodeURIComponent(language)}`).catch((e) => {
      state.templatesByLang.delete(language);
      throw e;
    });
    state.templatesByLang.set(language, p);
  }
  return state.templatesByLang.get(language)!;
}

/**
 * Canned answers for the reply. Where the case is translated, the lawyer picks a
 * Russian answer and its version in the user's language (same key) goes into the
 * translation box; otherwise the answers in the user's language, as before.
 */
export async function renderTemplatePicker(language) {
  const picker = $('template-picker');
  const translated = state.current?.data?.translation?.state === 'on';
  const pickLang = translated ? 'ru' : language;
  const key = `${language}|${pickLang}|${state.lang}`;
  let list: Template[] = [];
  let own: Template[] = [];
  try {
    list = await templatesFor(pickLang);
    own = translated ? await templatesFor(language) : [];
  } catch (e) {
    showError(e);
  }
  if (state.current?.data?.case.language !== language) return;
  const sig = JSON.stringify([key, list.map((x) => [x.id, x.title, x.updatedAt]), own.map((x) => [x.id, x.updatedAt])]);
  if (picker.dataset.sig === sig) return;
  picker.dataset.sig = sig;
  const langName = label('lang', pickLang);
  picker.replaceChildren(
    option('', list.length ? t('templateChoose', { lang: langName }) : t('templatesNone', { lang: langName }), true),
    ...list.map((tpl) => h('option', { value: String(tpl.id) }, tpl.title)),
  );
  picker._templates = list;
  picker._translations = own;
}

export function onTemplatePicked() {
  const picker = $('template-picker');
  const id = Number(picker.value);
  if (!id) return;
  const tpl = (picker._templates ?? []).find((x) => x.id === id);
  picker.value = '';
  if (!tpl) return;
  const ta = $('reply-text');
  const { selectionStart: s, selectionEnd: e, value } = ta;
  const fresh = !value.trim();
  if (fresh) {
    ta.value = tpl.text;
  } else {
    const before = value.slice(0, s);
    const after = value.slice(e);
    const sepBefore = before && !before.endsWith('\n') ? '\n\n' : '';
    const sepAfter = after && !after.startsWith('\n') ? '\n\n' : '';
    ta.value = before + sepBefore + tpl.text + sepAfter + after;
    const caret = (before + sepBefore + tpl.text).length;
    ta.setSelectionRange(caret, caret);
  }
  const version = tpl.key ? (picker._translations ?? []).find((x) => x.key === tpl.key) : undefined;
  if (version && fresh && state.current) {
    $('reply-translation').value = version.text;
    state.translationDraft = { caseId: state.current.id, source: tpl.text, machine: null, error: null, fromTemplate: true };
    $('translation-status').textContent = t('translationFromTemplate');
    $('translation-status').dataset.state = 'template';
  }
  updateReplyCount();
  ta.focus();
}

export function buildTemplateLanguageSelects() {
  const filter = $('tpl-filter');
  const fv = filter.value;
  filter.replaceChildren(option('', t('tplAllLanguages'), !fv), ...LANGUAGES.map((l) => option(l, languageText(l), fv === l)));
  const sel = $('tpl-language');
  const lv = sel.value || 'ru';
  sel.replaceChildren(...LANGUAGES.map((l) => option(l, languageText(l), lv === l)));
  renderTemplateFormTitle();
}

export async function loadTemplatesPage() {
  if (!canWork()) return;
  const language = $('tpl-filter').value;
  try {
    const list = await api(`/templates${language ? `?language=${encodeURIComponent(language)}` : ''}`);
    state.templates.items = list;
    renderTemplates();
  } catch (e) {
    showError(e);
  }
}

export function renderTemplates() {
  const { items, confirmingId, editingId } = state.templates;
  const list = $('template-list');
  list.replaceChildren(
    ...items.map((tpl) => {
      const confirming = confirmingId === tpl.id;
      return h(
        'li',
        { class: `template-item${editingId === tpl.id ? ' is-editing' : ''}`, 'data-testid': 'template-item', 'data-template-id': tpl.id },
        h(
          'div',
          { class: 'template-head' },
          h('h3', { class: 'template-title' }, tpl.title),
          h('span', { class: 'badge badge-lang', title: languageText(tpl.language) }, tpl.language.toUpperCase()),
        ),
        h('p', { class: 'template-text', dir: 'auto' }, tpl.text),
        h('p', { class: 'muted small' }, t('tplUpdated', { time: formatDateTime(tpl.updatedAt) })),
        confirming
          ? h(
              'div',
              { class: 'template-buttons confirm', role: 'group', 'aria-label': t('confirmDelete', { title: tpl.title }) },
              h('span', { class: 'confirm-text' }, t('confirmDelete', { title: tpl.title })),
              h('button', { type: 'button', class: 'btn btn-small btn-danger', 'data-testid': 'template-delete-confirm', onclick: (e) => deleteTemplate(tpl, e.currentTarget) }, t('yesDelete')),
              h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: () => setConfirming(null, tpl.id) }, t('no')),
            )
          : h(
              'div',
              { class: 'template-buttons' },
              h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'template-edit', onclick: () => editTemplate(tpl) }, t('edit')),
              h('button', { type: 'button', class: 'btn btn-small btn-danger-ghost', 'data-testid': 'template-delete', onclick: () => setConfirming(tpl.id, tpl.id) }, t('delete')),
            ),
      );
    }),
  );
  show($('template-empty'), items.length === 0);
}

export function setConfirming(id, focusTemplateId) {
  state.templates.confirmingId = id;
  renderTemplates();
  const li = $('template-list').querySelector<HTMLElement>(`[data-template-id="${focusTemplateId}"]`);
  li?.querySelector<HTMLElement>(id ? '.btn-danger' : '[data-testid="template-delete"]')?.focus();
}

export function renderTemplateFormTitle() {
  const id = state.templates.editingId;
  $('tpl-form-title').textContent = id ? t('tplEdit', { id }) : t('tplAdd');
  show($('tpl-cancel'), !!id);
}

export function editTemplate(tpl) {
  state.templates.editingId = tpl.id;
  state.templates.confirmingId = null;
  $('tpl-language').value = tpl.language;
  $('tpl-title').value = tpl.title;
  $('tpl-text').value = tpl.text;
  renderTemplateFormTitle();
  renderTemplates();
  $('tpl-title').focus();
  $('template-form').scrollIntoView({ block: 'nearest' });
}

export function resetTemplateForm() {
  state.templates.editingId = null;
  $('tpl-title').value = '';
  $('tpl-text').value = '';
  renderTemplateFormTitle();
  renderTemplates();
}

export async function saveTemplate(e) {
  e.preventDefault();
  const body = { language: $('tpl-language').value, title: $('tpl-title').value.trim(), text: $('tpl-text').value.trim() };
  if (!body.language || !body.title || !body.text) {
    showError(t('tplFieldsRequired'));
    return;
  }
  const editing = state.templates.editingId;
  await runAction($('tpl-save'), async () => {
    if (editing) await api(`/templates/${editing}`, { method: 'PATCH', body });
    else await api('/templates', { method: 'POST', body });
    state.templatesByLang.clear();
    notify(t(editing ? 'tplSaved' : 'tplCreated'));
    resetTemplateForm();
    await loadTemplatesPage();
  });
}

export async function deleteTemplate(tpl, button) {
  await runAction(button, async () => {
    await api(`/templates/${tpl.id}`, { method: 'DELETE' });
    state.templatesByLang.clear();
    state.templates.confirmingId = null;
    if (state.templates.editingId === tpl.id) resetTemplateForm();
    notify(t('tplDeleted'));
    await loadTemplatesPage();
    $('tpl-filter').focus();
  });
}
