import { describe, expect, it } from 'vitest';
import { FlowDefinitionError } from '../../src/flow-engine/errors.js';
import { parseFlow } from '../../src/flow-engine/loader.js';

const head = 'id: bad\nversion: 1\ntopic: patent\ntitle: Плохой\nstart: a\nnodes:\n';
const outcome = (id: string) =>
  `  ${id}:\n    type: outcome\n    text: Ответ\n    citations: [{ law: 115-ФЗ }]\n    reviewed_on: 2026-11-25\n`;

function problemsOf(body: string): string[] {
  try {
    parseFlow('bad.yaml', head + body);
  } catch (err) {
    if (err instanceof FlowDefinitionError) return err.problems;
    throw err;
  }
  return [];
}

describe('flow checks', () => {
  it('names the node and the unknown target', () => {
    expect(problemsOf(`  a:\n    type: choice\n    text: Q\n    options: [{ id: x, text: X, next: nowhere }]\n`)).toEqual([
      'node "a": unknown target "nowhere"',
    ]);
  });

  it('finds unreachable nodes and loops', () => {
    expect(problemsOf(`  a:\n    type: choice\n    text: Q\n    options: [{ id: x, text: X, next: c }]\n${outcome('b')}${outcome('c')}`)).toEqual([
      'node "b": is unreachable from the start',
    ]);
    expect(problemsOf(`  a:\n    type: choice\n    text: Q\n    options: [{ id: x, text: X, next: b }]\n  b:\n    type: branch\n    next: a\n`)).toContain(
      'node "a": is part of a loop',
    );
  });

  it('refuses an outcome without a legal source or review date', () => {
    const p = problemsOf(`  a:\n    type: outcome\n    text: Ответ\n    citations: []\n`);
    expect(p.join('\n')).toMatch(/node "a" citations/);
    expect(p.join('\n')).toMatch(/node "a" reviewed_on/);
  });

  it('refuses a condition on an answer that some paths never ask for', () => {
    const p = problemsOf(
      `  a:\n    type: choice\n    text: Q\n    options:\n      - { id: x, text: X, next: d }\n      - { id: y, text: Y, next: r }\n` +
        `  d:\n    type: date\n    text: D\n    next: r\n` +
        `  r:\n    type: branch\n    next:\n      - { if: { days_since: d, gt: 3 }, goto: o1 }\n      - { goto: o2 }\n${outcome('o1')}${outcome('o2')}`,
    );
    expect(p).toEqual(['node "r": uses the answer to "d", which some paths reach without asking']);
  });

  it('refuses HTML that Telegram would reject', () => {
    expect(problemsOf(`  a:\n    type: outcome\n    text: "<b>жирный <div>x</div>"\n    citations: [{ law: 115-ФЗ }]\n    reviewed_on: 2026-11-25\n`)).toEqual(
      expect.arrayContaining(['node "a": text: tag <div> is not allowed by Telegram', 'node "a": text: <b> is never closed']),
    );
  });

  it('refuses a condition on an option that does not exist', () => {
    const p = problemsOf(
      `  a:\n    type: choice\n    text: Q\n    options:\n      - { id: x, text: X, next: r }\n` +
        `  r:\n    type: branch\n    next:\n      - { if: { answer: a, in: [zz] }, goto: o1 }\n      - { goto: o2 }\n${outcome('o1')}${outcome('o2')}`,
    );
    expect(p).toEqual(['node "r": "a" has no option "zz"']);
  });
});
