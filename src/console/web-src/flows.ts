import { ApiError, api, errorText } from './api.js';
import { MERMAID_SRC } from './constants.js';
import { $, formatDateOnly, h, show, t } from './helpers.js';
import { state } from './state.js';
import { runAction } from './ui.js';

// ---------------------------------------------------------------------------
// Flows: Mermaid diagrams, "try this flow", local reload
// ---------------------------------------------------------------------------

/** Local mode (the browser chat and /local routes exist)? Checked once per session. */
export function detectLocalMode() {
  if (!state.localCheck) {
    state.localCheck = fetch('/local/info', { cache: 'no-store' })
      .then((r) => r.ok)
      .catch(() => false)
      .then((ok) => {
        state.local = ok;
        show($('flows-reload'), ok);
        return ok;
      });
  }
  return state.localCheck;
}

/** Mermaid's global, once its script has loaded. */
declare global {
  interface Window {
    mermaid?: any;
  }
}

export let mermaidLoading: Promise<any> | null = null;

/** Loads Mermaid (served by us) with a classic script tag, once, when the Flows tab first opens. */
export function loadMermaid() {
  if (window.mermaid?.render) return Promise.resolve(window.mermaid);
  if (!mermaidLoading) {
    mermaidLoading = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = MERMAID_SRC;
      s.async = true;
      s.onload = () => {
        const m = window.mermaid;
        if (!m?.render) {
          reject(new Error('window.mermaid is missing'));
          return;
        }
        m.initialize({
          startOnLoad: false,
          securityLevel: 'strict',
          theme: 'default',
          fontFamily: getComputedStyle(document.body).fontFamily,
          flowchart: { htmlLabels: true, useMaxWidth: true },
        });
        resolve(m);
      };
      s.onerror = () => {
        s.remove();
        reject(new Error(MERMAID_SRC));
      };
      document.head.append(s);
    }).catch((e) => {
      mermaidLoading = null;
      throw e;
    });
  }
  return mermaidLoading;
}

export async function loadFlowsPage({ force = false } = {}) {
  const F = state.flows;
  if (F.loaded && !force) {
    renderFlows();
    drawDiagrams();
    return;
  }
  const seq = ++F.seq;
  if (!F.loaded) $('flows-status').textContent = t('flowsLoading');
  try {
    const [list] = await Promise.all([api('/flows'), detectLocalMode()]);
    if (seq !== F.seq || !state.me) return;
    F.items = list;
    F.loaded = true;
    renderFlows();
    await drawDiagrams();
  } catch (e: any) {
    if (seq !== F.seq) return;
    $('flows-status').textContent = errorText(e);
    throw e;
  }
}

export function renderFlows() {
  const F = state.flows;
  const box = $('flow-cards');
  if (!F.loaded) return;
  if (!F.items.length) {
    box.replaceChildren(h('p', { class: 'empty muted' }, t('flowsEmpty')));
    return;
  }
  box.replaceChildren(...F.items.map(flowCard));
  for (const f of F.items) fillDiagram(f);
}

export function flowCard(f) {
  const actual = state.flows.actual.has(f.id);
  const item = (key, ...value) => h('div', { class: 'meta-item' }, h('dt', {}, t(key)), h('dd', {}, ...value));
  const titleId = `flow-title-${f.id}`;
  const reviewed = f.reviewedOn?.length ? f.reviewedOn.map((d) => h('time', { datetime: d }, formatDateOnly(d))).flatMap((x, i) => (i ? [', ', x] : [x])) : [h('span', { class: 'muted' }, t('flowNotReviewed'))];
  return h(
    'article',
    { class: 'flow-card', 'data-testid': 'flow-card', 'data-flow-id': f.id, 'aria-labelledby': titleId },
    h(
      'header',
      { class: 'flow-card-head' },
      h('h2', { class: 'flow-title', id: titleId }, f.title),
      state.local
        ? h(
            'a',
            { class: 'btn btn-small', href: `/?flow=${encodeURIComponent(f.id)}`, target: '_blank', rel: 'noopener', 'data-testid': 'flow-try' },
            t('flowTry'),
            h('span', { 'aria-hidden': 'true' }, ' ↗'),
            h('span', { class: 'visually-hidden' }, ` ${t('newTab')}`),
          )
        : null,
    ),
    h(
      'dl',
      { class: 'meta flow-meta' },
      item('flowId', h('code', {}, f.id)),
      item('flowVersion', String(f.version)),
      item('flowNodes', h('span', { 'data-testid': 'flow-nodes' }, String(f.nodes))),
      item('flowReviewed', h('span', { 'data-testid': 'flow-reviewed' }, reviewed)),
    ),
    h(
      'figure',
      { class: 'flow-figure' },
      h('figcaption', { class: 'visually-hidden' }, t('flowDiagramLabel', { title: f.title })),
      h('div', { class: `flow-diagram${actual ? ' is-actual' : ''}`, 'data-testid': 'flow-diagram', 'data-flow-id': f.id, 'data-state': 'loading', tabindex: '0', 'aria-label': t('flowDiagramLabel', { title: f.title }) }),
    ),
    h(
      'div',
      { class: 'flow-tools' },
      h('button', { type: 'button', class: 'btn btn-small btn-ghost', 'aria-pressed': actual ? 'true' : 'false', 'data-testid': 'flow-size', onclick: (e) => toggleFlowSize(f.id, e.currentTarget) }, t('flowActualSize')),
      h('details', { class: 'flow-source' }, h('summary', {}, t('flowSource')), h('pre', { class: 'mermaid-source', lang: 'ru' }, f.mermaid)),
    ),
  );
}

export function diagramBox(id) {
  return document.querySelector<HTMLElement>(`.flow-diagram[data-flow-id="${CSS.escape(id)}"]`);
}

export function fillDiagram(f) {
  const box = diagramBox(f.id);
  if (!box) return;
  const entry = state.flows.svgs.get(f.id);
  if (!entry || entry.text !== f.mermaid) {
    box.dataset.state = 'loading';
    box.replaceChildren(h('p', { class: 'muted small diagram-note' }, t('flowsLoadingLib')));
    return;
  }
  if (entry.error) {
    box.dataset.state = 'error';
    box.replaceChildren(h('p', { class: 'diagram-error' }, t('flowRenderFailed', { msg: entry.error })));
    return;
  }
  try {
    box.replaceChildren(svgFromMermaid(entry.svg));
    box.dataset.state = 'ready';
    applyFlowSize(box);
  } catch (e: any) {
    box.dataset.state = 'error';
    box.replaceChildren(h('p', { class: 'diagram-error' }, t('flowRenderFailed', { msg: e.message })));
  }
}

/**
 * Mermaid's own output (already sanitised by it in strict mode), parsed in an inert
 * document; scripts and event-handler attributes are dropped again before it is used.
 */
export function svgFromMermaid(svgText) {
  const doc = new DOMParser().parseFromString(`<!doctype html><body>${svgText}`, 'text/html');
  const svg = doc.body.querySelector<HTMLElement>('svg');
  if (!svg) throw new Error('no SVG');
  for (const s of svg.querySelectorAll<HTMLElement>('script')) s.remove();
  for (const el of [svg, ...svg.querySelectorAll<HTMLElement>('*')]) {
    for (const attr of [...el.attributes]) {
      if (/^on/i.test(attr.name) || (/href$/i.test(attr.name) && /^\s*javascript:/i.test(attr.value))) el.removeAttribute(attr.name);
    }
  }
  const node = document.importNode(svg, true);
  const natural = Number.parseFloat(node.style.maxWidth) || Number.parseFloat(node.getAttribute('viewBox')?.split(/\s+/)[2] ?? '');
  if (natural) node.dataset.naturalWidth = String(natural);
  return node;
}

export function applyFlowSize(box) {
  const svg = box.querySelector('svg') as SVGSVGElement | null;
  if (!svg) return;
  const actual = box.classList.contains('is-actual');
  const natural = Number(svg.dataset.naturalWidth) || 0;
  if (actual && natural) {
    svg.style.maxWidth = 'none';
    svg.setAttribute('width', String(natural));
  } else {
    svg.style.maxWidth = natural ? `${natural}px` : '';
    svg.setAttribute('width', '100%');
  }
}

export function toggleFlowSize(id, button) {
  const F = state.flows;
  const actual = !F.actual.has(id);
  if (actual) F.actual.add(id);
  else F.actual.delete(id);
  button.setAttribute('aria-pressed', actual ? 'true' : 'false');
  const box = diagramBox(id);
  if (!box) return;
  box.classList.toggle('is-actual', actual);
  applyFlowSize(box);
  // A flowchart starts at its top centre: show that part first.
  box.scrollLeft = actual ? Math.max(0, (box.scrollWidth - box.clientWidth) / 2) : 0;
  box.scrollTop = 0;
}

/** Draws the diagrams not drawn yet (one at a time: Mermaid renders serially). */
export async function drawDiagrams() {
  const F = state.flows;
  if (F.drawing) {
    F.redraw = true;
    return;
  }
  const todo = F.items.filter((f) => F.svgs.get(f.id)?.text !== f.mermaid);
  if (!todo.length) {
    $('flows-status').textContent = '';
    return;
  }
  F.drawing = true;
  $('flows-status').textContent = t('flowsLoadingLib');
  try {
    const mermaid = await loadMermaid();
    for (const f of todo) {
      const text = f.mermaid;
      F.renderSeq = (F.renderSeq ?? 0) + 1;
      const id = `mmd-${f.id.replace(/[^a-zA-Z0-9_-]/g, '')}-${F.renderSeq}`;
      let entry: { text: string; svg?: string; error?: string };
      try {
        const { svg } = await mermaid.render(id, text);
        entry = { text, svg };
      } catch (e: any) {
        entry = { text, error: String((e as Error)?.message ?? e) };
      } finally {
        // Mermaid leaves its scratch element (or an error drawing) in the body on failure.
        document.getElementById(`d${id}`)?.remove();
      }
      F.svgs.set(f.id, entry);
      fillDiagram(f);
    }
    $('flows-status').textContent = '';
  } catch (e: any) {
    $('flows-status').textContent = t('flowsLibFailed', { msg: e.message });
    for (const f of todo) {
      const box = diagramBox(f.id);
      if (box && box.dataset.state === 'loading') {
        box.dataset.state = 'error';
        box.replaceChildren(h('p', { class: 'diagram-error' }, t('flowsLibFailed', { msg: e.message })));
      }
    }
  } finally {
    F.drawing = false;
    if (F.redraw) {
      F.redraw = false;
      drawDiagrams();
    }
  }
}

/** Local mode: re-reads flows/ from disk, shows what loaded or where a file is broken, redraws. */
export async function reloadFlows(button) {
  const box = $('flows-reload-result');
  await runAction(button, async () => {
    let res: Response;
    try {
      res = await fetch('/local/flows/reload', { method: 'POST', cache: 'no-store' });
    } catch (e: any) {
      throw new ApiError(0, e?.message || 'network error');
    }
    let data: { error?: string; flows?: string[] } | null = null;
    try {
      data = await res.json();
    } catch {}
    if (res.status === 404) {
      state.local = false;
      show(button, false);
      throw new ApiError(404, t('flowsReloadUnavailable'));
    }
    if (!res.ok) {
      box.className = 'reload-result reload-error';
      box.replaceChildren(h('strong', {}, t('flowsReloadFailed')), h('pre', { 'data-testid': 'flows-reload-error' }, data?.error ?? `HTTP ${res.status}`));
      show(box, true);
      box.setAttribute('role', 'alert');
      return;
    }
    box.className = 'reload-result reload-ok';
    box.setAttribute('role', 'status');
    box.replaceChildren(h('strong', {}, t('flowsReloaded')), ' ', h('span', {}, (data?.flows ?? []).map((f, i) => [i ? ', ' : '', h('code', {}, f)])));
    show(box, true);
    await loadFlowsPage({ force: true });
  });
}
