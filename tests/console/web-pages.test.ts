/**
 * The browser pages' sources: every admin-API path the console calls exists in the
 * server's OpenAPI (the response types come from the same schemas, see
 * src/console/web-src/api-types.ts); no page inserts text as HTML; no source file of
 * the pages is over 1,000 lines; and the one Telegram-HTML module accepts what it
 * shows (tg:// links included).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTelegramHtml, safeTelegramHref } from '../../src/lib/telegram-html.js';
import { type ApiClient, createApiClient } from '../helpers/api.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const DIRS = ['src/console/web-src', 'src/local/web-src'];
const sources = DIRS.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.ts')).map((f) => join(d, f)));
const read = (f: string) => readFileSync(f, 'utf8');

let h: Harness;
let api: ApiClient;
beforeAll(async () => {
  h = await createHarness();
  api = await createApiClient(h);
});
afterAll(async () => {
  await api.app.close();
  await h.close();
});

/** `/cases/${id}/reply` → a pattern over OpenAPI paths (`/api/cases/{id}/reply`). */
function pathPattern(template: string): RegExp {
  const path = template.replace(/\?.*$/, '').replace(/\$\{[^}]*$/, ''); // query strings and an unclosed `${a ? …` go
  const parts = path.split(/\$\{[^}]*\}/).map((p) => p.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return new RegExp(`^/api${parts.join('[^/]+')}$`);
}

describe('the console’s API client', () => {
  it('calls only paths the server publishes in its OpenAPI', async () => {
    const paths = Object.keys((await api.app.inject('/docs/json')).json().paths).map((p) => p.replace(/\{[^}]+\}/g, 'X'));
    const calls = sources
      .filter((f) => f.startsWith('src/console'))
      .flatMap((f) => [...read(f).matchAll(/\bapi(?:<[^>]*>)?\(\s*[`'](\/[^`']*)[`']/g)].map((m) => m[1]!));
    expect(calls.length).toBeGreaterThan(20);
    const missing = calls.filter((c) => !paths.some((p) => pathPattern(c).test(p)));
    expect(missing, JSON.stringify(paths)).toEqual([]);
  });

  it('would notice a path the server does not have', () => {
    const template = (path: string) => path.replace('ID', '$' + '{id}');
    expect(pathPattern(template('/cases/ID/reply')).test('/api/cases/X/reply')).toBe(true);
    expect(pathPattern(template('/cases/ID/replies')).test('/api/cases/X/reply')).toBe(false);
  });
});

describe('the pages’ sources', () => {
  it('never insert text as HTML', () => {
    for (const f of sources) expect(read(f), f).not.toMatch(/\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write/);
  });

  it('keep every file under 1,000 lines', () => {
    for (const f of [...sources, 'src/lib/telegram-html.ts', 'src/lib/telegram-html-dom.ts']) expect(read(f).split('\n').length, f).toBeLessThan(1000);
  });
});

describe('one Telegram-HTML rule for the server and both pages', () => {
  it('accepts web and tg:// links, and refuses javascript: and bare words', () => {
    expect(checkTelegramHtml('<a href="tg://user?id=1">me</a>')).toEqual([]);
    expect(checkTelegramHtml('<a href="https://mvd.ru">MVD</a>')).toEqual([]);
    expect(checkTelegramHtml('<a href="javascript:alert(1)">x</a>')).toEqual(['<a> needs href="https://…" (or tg://…) and nothing else']);
    expect(safeTelegramHref('tg://resolve?domain=x')).toBe('tg://resolve?domain=x');
    expect(safeTelegramHref('javascript:alert(1)')).toBeNull();
    expect(safeTelegramHref('mvd.ru')).toBeNull();
  });

  it('is the module both pages import', () => {
    expect(read('src/console/web-src/telegram-preview.ts')).toContain("from '../../lib/telegram-html.js'");
    expect(read('src/local/web-src/render.ts')).toContain("from '../../lib/telegram-html.js'");
    expect(read('src/local/web-src/page.ts')).toContain("from '../../lib/telegram-html-dom.js'");
  });
});
