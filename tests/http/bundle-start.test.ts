/**
 * What `npm start` runs (issue 18): the bundled server, loaded by its launcher with a V8 code
 * cache (scripts/bundle-start.cjs). A newcomer's first start is local mode on PGlite, which the
 * bundle loads from inside the cached script (a dynamic import there failed on Node 20): it
 * answers /start from the build's cache (and sends a PDF: the PDF engine stays outside the bundle), stops cleanly on SIGTERM leaving a fuller cache from a
 * process that ran, and a cache V8 refuses (here: garbage) costs a compile and is written again,
 * never a failed start.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/local-app.js';
import { testTimeout, waitFor } from '../helpers/wait-for.js';

const BUNDLE = 'dist/server/bundle';
let dataDir = '';
let child: ChildProcess | undefined;
let stderr = '';

beforeAll(() => {
  // Built by `npm install` (prepare); rebuilt here only if a source is newer.
  execFileSync(process.execPath, ['scripts/build-server.mjs', '--if-stale', '--quiet'], { stdio: 'inherit' });
  dataDir = mkdtempSync(join(tmpdir(), 'pravo-bundle-'));
}, testTimeout());
afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const press = (data: string) => ({ callback_query: { id: data, from: { id: 7, is_bot: false, first_name: 'A' }, chat_instance: 'b', data, message: { message_id: 1, chat: { id: 7, type: 'private' } } } });
const START = { message: { chat: { id: 7, type: 'private' }, from: { id: 7, is_bot: false, first_name: 'A' }, text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] } };

/** Starts the bundle in local mode, waits for its answer to /start, stops it with SIGTERM; returns the exit code. */
async function startAnswerStop(port: number): Promise<number | null> {
  stderr = '';
  child = spawn(process.execPath, [join(BUNDLE, 'start.cjs')], {
    env: { ...process.env, DATABASE_URL: '', BOT_TOKEN: '', PGLITE_DIR: join(dataDir, 'pglite'), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (c) => {
    stderr += c;
  });
  const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
  let answer = '';
  await waitFor(async () => {
    if (child!.exitCode !== null) throw new Error(`the bundle exited with ${child!.exitCode}: ${stderr}`);
    const res = await fetch(`http://127.0.0.1:${port}/local/updates`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(START) }).catch(() => undefined);
    if (!res?.ok) return false;
    answer = await res.text();
    return true;
  }, 'the bundled server to answer /start');
  expect(answer).toContain('sendMessage');
  // A Russian document: the PDF engine is outside the bundle, loaded from node_modules at the first PDF.
  const post = async (update: unknown) => {
    const res = await fetch(`http://127.0.0.1:${port}/local/updates`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(update) });
    return ((await res.json()) as { calls: { method: string; payload: { document?: { file_name?: string; file_size?: number } } }[] }).calls;
  };
  await post(press('l:ru'));
  await post(press('c:y'));
  const calls = await post(press('rd:wage-claim'));
  const pdf = calls.find((c) => c.method === 'sendDocument')?.payload.document;
  expect(pdf?.file_name).toBe('wage-claim.pdf');
  expect(pdf?.file_size).toBeGreaterThan(5_000);
  child.kill('SIGTERM');
  return exited;
}

describe('npm start: the bundle and its code cache', () => {
  it(
    'answers /start on PGlite from the code cache, and replaces a cache V8 refuses',
    async () => {
      const cache = join(BUNDLE, 'main.cjs.v8cache');
      expect(existsSync(cache)).toBe(true);
      expect(await startAnswerStop(await freePort())).toBe(0);
      expect(existsSync(join(BUNDLE, 'main.cjs.v8cache.ran'))).toBe(true);
      writeFileSync(cache, 'not a code cache');
      expect(await startAnswerStop(await freePort())).toBe(0);
      expect(readFileSync(cache).length).toBeGreaterThan(100_000);
      expect(await startAnswerStop(await freePort())).toBe(0);
      expect(stderr).not.toMatch(/Error|cannot start/i);
    },
    testTimeout(3),
  );
});
