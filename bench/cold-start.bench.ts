/**
 * `npm run bench:cold-start` — time from `node …` to the first answer to /start, and the
 * resident memory once idle, for a bare grammY + Fastify bot (bench/cold-start-bare.mjs)
 * and for Pravo in local mode (the real bot, database and HTTP server; nothing goes to
 * Telegram): bundled (`node dist/server/bundle/start.cjs`, what `npm start` runs) on PostgreSQL
 * and on PGlite, compiled but not bundled (`node dist/server/main.js`) and through tsx
 * (`node --import tsx src/main.ts`, the old start) on PostgreSQL, in the same run, each
 * started --runs times (median). `--before DIR` adds another build's `DIR/main.js` on
 * PostgreSQL (e.g. a copy of dist/server/ from an earlier commit).
 *
 * Each Pravo variant is started once first, untimed, so the database exists and its
 * migrations are applied: the timed starts are restarts, as after a deploy. PostgreSQL:
 * a throwaway database on BENCH_DATABASE_URL (or TEST_DATABASE_URL, or
 * postgres://postgres@127.0.0.1:5432/postgres). Build first (`npm run build`).
 *
 * Options: --runs N (default 3), --idle-ms N (wait before reading memory, default 3000).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createScratchDatabase } from '../tests/helpers/test-database.js';
import { benchServerUrl } from './bench-database.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, 'idle-ms': { type: 'string', default: '3000' }, before: { type: 'string' } } });
const RUNS = Number(values.runs);
const IDLE_MS = Number(values['idle-ms']);
// Below the ephemeral range (32768–60999 on Linux): a port there can be taken by an outgoing connection.
let port = 20_000 + Math.floor(Math.random() * 10_000);

interface Variant {
  name: string;
  args: string[];
  env: Record<string, string>;
}
interface Start {
  firstAnswerMs: number;
  rssMb: number;
  heapMb?: number;
}

const START = { update_id: 1, message: { chat: { id: 7, type: 'private' }, from: { id: 7, is_bot: false, first_name: 'A' }, text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] } };

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Starts the process, posts /start until it answers with a sendMessage, then reads its memory when idle. */
async function startOnce(v: Variant): Promise<Start> {
  const p = port++;
  const t0 = performance.now();
  const child = spawn(process.execPath, v.args, { env: { ...process.env, ...v.env, PORT: String(p), HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${v.name} exited (${child.exitCode}): ${stderr.slice(-500)}`);
      if (performance.now() - t0 > 120_000) throw new Error(`${v.name}: no answer in 120 s`);
      try {
        const res = await fetch(`http://127.0.0.1:${p}/local/updates`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(START) });
        const body = (await res.json()) as { calls?: { method: string }[] };
        if (res.ok && body.calls?.some((c) => c.method === 'sendMessage')) break;
      } catch {}
      await new Promise((r) => setTimeout(r, 10));
    }
    const firstAnswerMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, IDLE_MS));
    if (child.exitCode !== null) throw new Error(`${v.name} exited while idle (${child.exitCode}): ${stderr.slice(-500)}`);
    return { firstAnswerMs, rssMb: rssOf(child.pid!) };
  } finally {
    await stop(child);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  if (!existsSync('dist/server/bundle/start.cjs')) throw new Error('dist/server/bundle/start.cjs is missing: run npm run build');
  const scratch = await createScratchDatabase(benchServerUrl());
  const dir = mkdtempSync(join(tmpdir(), 'pravo-cold-'));
  try {
    const pgEnv = { DATABASE_URL: scratch.url, PGLITE_DIR: join(dir, 'pg-tokens', 'pglite') };
    const variants: Variant[] = [
      { name: 'bare grammY + fastify', args: ['bench/cold-start-bare.mjs'], env: {} },
      { name: 'Pravo bundled, PostgreSQL', args: ['dist/server/bundle/start.cjs'], env: pgEnv },
      { name: 'Pravo bundled, PGlite', args: ['dist/server/bundle/start.cjs'], env: { PGLITE_DIR: join(dir, 'pglite') } },
      { name: 'Pravo unbundled, PostgreSQL', args: ['dist/server/main.js'], env: pgEnv },
      { name: 'Pravo via tsx, PostgreSQL', args: ['--import', 'tsx', 'src/main.ts'], env: pgEnv },
      ...(values.before ? [{ name: 'Pravo before, PostgreSQL', args: [join(values.before, 'main.js')], env: pgEnv }] : []),
    ];
    // Untimed first starts: migrations applied, PGlite's directory created.
    for (const v of variants.slice(1, 3)) await startOnce(v);
    const results = new Map<string, Start[]>(variants.map((v) => [v.name, []]));
    // Interleaved, so a busy moment on the machine falls on every variant alike.
    for (let r = 0; r < RUNS; r++) for (const v of variants) results.get(v.name)!.push(await startOnce(v));
    const base = median(results.get(variants[0]!.name)!.map((s) => s.firstAnswerMs));
    const baseRss = median(results.get(variants[0]!.name)!.map((s) => s.rssMb));
    const lines: string[] = [];
    for (const v of variants) {
      const starts = results.get(v.name)!;
      const ms = median(starts.map((s) => s.firstAnswerMs));
      const rss = median(starts.map((s) => s.rssMb));
      const line = `${v.name.padEnd(30)} first answer ${ms.toFixed(0).padStart(5)} ms (${(ms / base).toFixed(2)}×)  idle RSS ${rss.toFixed(0).padStart(4)} MB (${(rss / baseRss).toFixed(2)}×)  [runs: ${starts.map((s) => s.firstAnswerMs.toFixed(0)).join(', ')} ms]`;
      console.log(line);
      lines.push(line);
    }
    const pg = results.get(variants[1]!.name)!;
    const lite = results.get(variants[2]!.name)!;
    const pgMs = median(pg.map((s) => s.firstAnswerMs));
    console.log(
      `cold-start: bare ${base.toFixed(0)} ms, PostgreSQL ${pgMs.toFixed(0)} ms (${(pgMs / base).toFixed(2)}×, idle ${median(pg.map((s) => s.rssMb)).toFixed(0)} MB), PGlite ${median(lite.map((s) => s.firstAnswerMs)).toFixed(0)} ms (${(median(lite.map((s) => s.firstAnswerMs)) / base).toFixed(2)}×, idle ${median(lite.map((s) => s.rssMb)).toFixed(0)} MB)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await scratch.drop();
  }
}

await main();
