/**
 * A Mermaid diagram of a flow, so a lawyer can review its logic as a picture:
 * questions as boxes, answers as rounded boxes with their legal basis, edges
 * labelled with the option or the condition that leads there.
 */
import type { Condition, Flow, FlowNode, Next } from './schema.js';

const clean = (s: string) =>
  s
    .replace(/<[^>]+>/g, '')
    .replace(/\{\{(\w+)\}\}/g, '[$1]')
    .replace(/["`]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
const short = (s: string, n = 60) => {
  const c = clean(s);
  return c.length > n ? `${c.slice(0, n - 1)}…` : c;
};
const idOf = (node: string) => `n_${node.replace(/-/g, '_')}`;

export function describeCondition(c: Condition): string {
  if ('all' in c) return c.all.map(describeCondition).join(' и ');
  if ('any' in c) return c.any.map(describeCondition).join(' или ');
  if ('not' in c) return `не (${describeCondition(c.not)})`;
  if ('in' in c) return `${c.answer} ∈ ${c.in.join(', ')}`;
  if ('known' in c) return `известно: ${c.known}`;
  const cmp = (x: { gt?: number; gte?: number; lt?: number; lte?: number; eq?: number }) =>
    [x.gt !== undefined && `> ${x.gt}`, x.gte !== undefined && `≥ ${x.gte}`, x.lt !== undefined && `< ${x.lt}`, x.lte !== undefined && `≤ ${x.lte}`, x.eq !== undefined && `= ${x.eq}`]
      .filter(Boolean)
      .join(' ');
  if ('number' in c) return `${c.number} ${cmp(c)}`;
  if ('days_between' in c) {
    const name = (r: unknown) => (typeof r === 'string' ? r : 'даты');
    return `дней от ${name(c.days_between.from)} до ${name(c.days_between.to)} ${cmp(c)}`;
  }
  const unit = c.unit === 'working' ? ' раб.' : '';
  if ('days_since' in c) return `дней${unit} с ${typeof c.days_since === 'string' ? c.days_since : 'даты'} ${cmp(c)}`;
  return `дней${unit} до ${typeof c.days_until === 'string' ? c.days_until : 'даты'} ${cmp(c)}`;
}

function label(node: FlowNode): string {
  if (node.type === 'branch') return 'развилка';
  const text = short(node.text);
  if (node.type === 'outcome') {
    const basis = node.citations.map((c) => (c.article ? `${c.law} ${c.article}` : c.law)).join('; ');
    return `${text}<br/><i>${clean(basis)}</i>${node.uncertain ? '<br/>⚠ не всё ясно' : ''}`;
  }
  return text;
}

function edges(from: string, next: Next, via?: string): string[] {
  if (typeof next === 'string') return [`  ${idOf(from)} -->${via ? `|"${short(via, 40)}"|` : ''} ${idOf(next)}`];
  return next.map((r) => {
    const parts = [via && short(via, 30), r.if ? describeCondition(r.if) : 'иначе'].filter(Boolean).join(': ');
    return `  ${idOf(from)} -->|"${clean(parts)}"| ${idOf(r.goto)}`;
  });
}

export function flowToMermaid(flow: Flow): string {
  const lines = ['flowchart TD'];
  for (const [id, node] of Object.entries(flow.nodes)) {
    const l = `${id}: ${label(node)}`.replace(/"/g, "'");
    if (node.type === 'outcome') lines.push(`  ${idOf(id)}(["${l}"])`);
    else if (node.type === 'escalation') lines.push(`  ${idOf(id)}[/"${l}"/]`);
    else if (node.type === 'branch') lines.push(`  ${idOf(id)}{"${l}"}`);
    else lines.push(`  ${idOf(id)}["${l}"]`);
  }
  for (const [id, node] of Object.entries(flow.nodes)) {
    if (node.type === 'choice') for (const o of node.options) lines.push(...edges(id, o.next, o.text));
    else if (node.type === 'date' || node.type === 'datetime' || node.type === 'number' || node.type === 'branch') lines.push(...edges(id, node.next));
  }
  lines.push('  classDef outcome fill:#e8f5e9,stroke:#2e7d32;', '  classDef escalation fill:#fff3e0,stroke:#ef6c00;');
  const outcomes = Object.entries(flow.nodes).filter(([, n]) => n.type === 'outcome').map(([id]) => idOf(id));
  const esc = Object.entries(flow.nodes).filter(([, n]) => n.type === 'escalation').map(([id]) => idOf(id));
  if (outcomes.length) lines.push(`  class ${outcomes.join(',')} outcome;`);
  if (esc.length) lines.push(`  class ${esc.join(',')} escalation;`);
  return lines.join('\n');
}
