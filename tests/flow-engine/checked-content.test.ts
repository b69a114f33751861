/**
 * The bundle's cache of content its build already checked (src/lib/checked-content-cache.ts):
 * a restart gets exactly what checking gives, and nothing that would fail a check is ever
 * served from it: an edited file, a flow checked against other facts, an unreadable entry.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FlowDefinitionError } from '../../src/flow-engine/errors.js';
import { parseFlow } from '../../src/flow-engine/loader.js';
import { checkedContent, useCheckedContentCache } from '../../src/lib/checked-content-cache.js';
import { loadContent } from '../../src/situation/content.js';
import { externalFacts } from '../../src/situation/model.js';

let dir = '';
let cache = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pravo-checked-'));
});
afterEach(() => {
  useCheckedContentCache(undefined);
  rmSync(cache, { recursive: true, force: true });
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh cache folder and a copy of flows/ to edit. */
function setUp(name: string) {
  cache = join(dir, `${name}-cache`);
  const flows = join(dir, `${name}-flows`);
  cpSync('flows', flows, { recursive: true });
  useCheckedContentCache(cache);
  return flows;
}

describe('content checked once per build', () => {
  it('gives a restart the same flows, facts, rules and templates as checking them', async () => {
    const flows = setUp('same');
    useCheckedContentCache(undefined);
    const checked = await loadContent(flows);
    useCheckedContentCache(cache);
    const first = await loadContent(flows);
    expect(readdirSync(cache).length).toBeGreaterThanOrEqual(checked.flows.list.length + 2 + checked.documents.list.length);
    const again = await loadContent(flows);
    for (const loaded of [first, again]) {
      expect(loaded.flows.list).toStrictEqual(checked.flows.list);
      expect(loaded.model).toStrictEqual(checked.model);
      expect(loaded.documents.list).toStrictEqual(checked.documents.list);
    }
  });

  it('checks an edited file again and reports its problem', async () => {
    const flows = setUp('edited');
    await loadContent(flows);
    const file = join(flows, 'work-patent.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^start: (\S+)/m, 'start: no-such-node'));
    await expect(loadContent(flows)).rejects.toThrow(/start node "no-such-node" does not exist/);
  });

  it('checks a flow again when the facts it is checked against changed', async () => {
    setUp('facts');
    const { model } = await loadContent('flows');
    const source = readFileSync('flows/work-patent.yaml', 'utf8');
    expect(parseFlow('work-patent.yaml', source, externalFacts(model)).id).toBe('work-patent');
    // The same text against no facts at all: its references to the model's facts are unknown.
    expect(() => parseFlow('work-patent.yaml', source, new Map())).toThrow(FlowDefinitionError);
  });

  it('ignores an unreadable entry and keeps only what JSON carries exactly', async () => {
    const flows = setUp('broken');
    const checked = await loadContent(flows);
    for (const f of readdirSync(cache)) writeFileSync(join(cache, f), '{"half":');
    expect((await loadContent(flows)).flows.list).toStrictEqual(checked.flows.list);

    const undefinedField = checkedContent('x.yaml', 'text', () => ({ a: 1, b: undefined }));
    const date = checkedContent('y.yaml', 'text', () => ({ at: new Date(0) }));
    expect(undefinedField).toStrictEqual({ a: 1, b: undefined });
    expect(date.at).toBeInstanceOf(Date);
    // Neither was kept: a second call checks again.
    let calls = 0;
    checkedContent('x.yaml', 'text', () => ++calls);
    checkedContent('y.yaml', 'text', () => ++calls);
    expect(calls).toBe(2);
  });
});
