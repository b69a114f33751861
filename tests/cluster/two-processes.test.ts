/**
 * Two bot processes (`src/main.ts`, real child processes) in webhook mode with
 * CLUSTER_MODE=true on one PostgreSQL, and a local HTTP stand-in of the Bot API.
 * One user's updates go to the processes in turn, as a load balancer would send
 * them: every step continues from the step the other process took (nothing lost,
 * nothing answered twice), the same update posted to both at once is handled once,
 * and a double tap that reaches both processes at once advances the flow once.
 *
 * PostgreSQL only (skipped without TEST_DATABASE_URL; CI's PGlite pass excludes it).
 * `TWO_PROCESSES_CLUSTER=false` runs the same with cluster mode off: all three fail
 * (an expired menu mid-walk, an update answered twice, a double tap applied twice).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import postgres from 'postgres';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/test-database.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFlowChoice } from '../../src/flow-engine/callback-codec.js';
import { WEBHOOK_PATH } from '../../src/http/app.js';
import { loadContent } from '../../src/situation/content.js';
import { testTimeout, waitFor } from '../helpers/wait-for.js';

const url = process.env.TEST_DATABASE_URL;
if (!url) console.warn('[two-processes] skipped: set TEST_DATABASE_URL (a PostgreSQL the test may create a database in)');

const TOKEN = '123456:TEST-token-for-the-local-stand-in-000';
const SECRET = 'a-very-long-webhook-secret-for-two';

interface Call {
  method: string;
  payload: Record<string, unknown>;
  /** Which bot process made the call (its port, from the User-Agent-free URL path below). */
  by: string;
}
const calls: Call[] = [];
let server: Server;
let root = '';
let scratch: ScratchDatabase | undefined;
let dbUrl = '';
const procs: { child: ChildProcess; port: number }[] = [];

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const a = s.address();
  const port = typeof a === 'object' && a ? a.port : 0;
  await new Promise((r) => s.close(r));
  return port;
}

/** The Bot API as far as the bot uses it here; each process gets its own API root (`/p<port>`). */
function startStandIn(): Promise<void> {
  let messageId = 100;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const [, by] = /^\/(p\d+)\//.exec(req.url!) ?? [];
      const method = req.url!.slice(req.url!.lastIndexOf('/') + 1);
      const payload = body ? JSON.parse(body) : {};
      calls.push({ method, payload, by: by ?? '?' });
      const ok = (result: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, result }));
      };
      if (method === 'getMe') return ok({ id: 9, is_bot: true, first_name: 'Pravo', username: 'pravo_test_bot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false });
      if (method === 'sendMessage' || method === 'editMessageText') {
        return ok({ message_id: payload.message_id ?? ++messageId, date: 0, chat: { id: payload.chat_id, type: 'private' }, text: payload.text });
      }
      return ok(true);
    });
  });
  return new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
}

function startBot(port: number): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      BOT_TOKEN: TOKEN,
      BOT_MODE: 'webhook',
      WEBHOOK_URL: 'https://bot.example.org/',
      WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: `${root}/p${port}`,
      DATABASE_URL: dbUrl,
      CLUSTER_MODE: process.env.TWO_PROCESSES_CLUSTER ?? 'true',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  procs.push({ child, port });
  return child;
}

const healthy = async (port: number) => {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
  } catch {
    return false;
  }
};

describe.skipIf(!url)('two bot processes on one PostgreSQL (webhook, CLUSTER_MODE)', () => {
  let ports: number[] = [];
  let question: (node: string, option: string) => string;

  beforeAll(async () => {
    await startStandIn();
    const a = server.address();
    root = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
    scratch = await createScratchDatabase(url!);
    dbUrl = scratch.url;
    const { flows } = await loadContent('./flows');
    const flow = flows.get('work-patent')!;
    question = (node, option) => {
      const n = flow.nodes[node]!;
      return encodeFlowChoice(flow.id, flow.version, node, n.type === 'choice' ? n.options.findIndex((o) => o.id === option) : -1);
    };
    // Started together, as a deploy starts them: they take turns migrating.
    ports = [await freePort(), await freePort()];
    for (const p of ports) startBot(p);
    await waitFor(async () => (await healthy(ports[0]!)) && (await healthy(ports[1]!)), 'both processes to answer /healthz');
  }, testTimeout(2));

  afterAll(async () => {
    for (const { child } of procs) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    }
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await scratch?.drop();
  });

  let nextId = 5_000;
  const from = (id: number) => ({ id, is_bot: false, first_name: 'A', language_code: 'en' });
  const text = (user: number, t: string, updateId = nextId++) => ({
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: user, type: 'private' },
      from: from(user),
      text: t,
      ...(t.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: t.length }] } : {}),
    },
  });
  const press = (user: number, data: string, updateId = nextId++) => ({
    update_id: updateId,
    callback_query: { id: String(updateId), from: from(user), chat_instance: 'c', data, message: { message_id: 1, date: 0, chat: { id: user, type: 'private' }, text: 'x' } },
  });
  /** Posts an update as Telegram would, to the process on `port`; resolves with the HTTP status. */
  const post = async (port: number, update: object) => {
    const res = await fetch(`http://127.0.0.1:${port}${WEBHOOK_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(update),
    });
    await res.arrayBuffer();
    return res.status;
  };
  const screens = (user: number) => calls.filter((c) => (c.method === 'sendMessage' || c.method === 'editMessageText') && c.payload.chat_id === user);
  /** The answerCallbackQuery calls for these updates' button presses. */
  const answersTo = (updates: object[]) => {
    const ids = new Set(updates.map((u) => (u as { callback_query?: { id: string } }).callback_query?.id).filter(Boolean));
    return calls.filter((c) => c.method === 'answerCallbackQuery' && ids.has(c.payload.callback_query_id as string));
  };
  const db = () => postgres(dbUrl, { max: 1, onnotice: () => {} });

  /** Onboarding and the patent flow up to its first question, alternating processes. */
  const begin = async (user: number) => {
    const steps = [text(user, '/start'), press(user, 'l:en'), press(user, 'c:y'), press(user, 'f:work-patent')];
    for (const [i, u] of steps.entries()) expect(await post(ports[i % 2]!, u)).toBe(200);
  };

  it('walks one user through a flow with every update on the other process: each step continues the last', async () => {
    const USER = 61_001;
    await begin(USER);
    const walk = [
      press(USER, question('citizenship', 'uz')),
      press(USER, question('has-residence', 'no-rvp')),
      press(USER, question('stage', 'apply')),
      text(USER, '12.02.2026'),
    ];
    const before = screens(USER).length;
    for (const [i, u] of walk.entries()) expect(await post(ports[i % 2]!, u)).toBe(200);
    const after = screens(USER).slice(before);
    // One screen per update, from the process that got it, and no "this menu has expired".
    expect(after.map((c) => c.by)).toEqual(walk.map((_, i) => `p${ports[i % 2]}`));
    // No button was answered "this menu has expired".
    expect(answersTo(walk).filter((c) => c.payload.text)).toEqual([]);

    const sql = db();
    const results = await sql`select flow_id, answers from flow_results where user_id = ${USER}`;
    const facts = await sql`select fact, value from user_facts where user_id = ${USER} order by fact`;
    const handled = await sql`select count(*)::int as n from processed_updates`;
    await sql.end();
    // Every answer, given to alternating processes, reached the one outcome.
    expect(results).toHaveLength(1);
    expect(results[0]!.flow_id).toBe('work-patent');
    expect(results[0]!.answers).toMatchObject({ citizenship: 'uz', 'has-residence': 'no-rvp', stage: 'apply' });
    expect(facts.map((f) => f.fact)).toContain('citizenship');
    expect(handled[0]!.n).toBe(nextId - 5_000);
  }, testTimeout(2));

  it('handles an update posted to both processes at once only once', async () => {
    const USER = 61_002;
    await begin(USER);
    const before = screens(USER).length;
    const update = text(USER, '/menu');
    const statuses = await Promise.all([post(ports[0]!, update), post(ports[1]!, update)]);
    expect(statuses).toEqual([200, 200]);
    expect(screens(USER).length - before).toBe(1);
  }, testTimeout());

  it('advances the flow once when a double tap reaches both processes at once', async () => {
    const USER = 61_003;
    await begin(USER);
    const before = screens(USER).length;
    const tap = question('citizenship', 'uz');
    const taps = [press(USER, tap), press(USER, tap)];
    await Promise.all([post(ports[0]!, taps[0]!), post(ports[1]!, taps[1]!)]);
    // One tap answered the question; the other found the flow past it and was told
    // "this menu has expired", with the current question shown again below: as in one process.
    const answers = answersTo(taps);
    expect(answers).toHaveLength(2);
    expect(answers.filter((c) => c.payload.text)).toHaveLength(1);
    const shown = screens(USER).slice(before);
    expect(shown).toHaveLength(2);
    expect(shown[1]!.payload.text).toContain(shown[0]!.payload.text);
    // The next step, on either process, is the one after the tapped question.
    expect(await post(ports[1]!, press(USER, question('has-residence', 'no-rvp')))).toBe(200);
    const sql = db();
    const [run] = await sql`select node, answers from flow_runs where user_id = ${USER}`;
    await sql.end();
    expect(run?.node).toBe('stage');
    expect(run?.answers).toMatchObject({ citizenship: 'uz', 'has-residence': 'no-rvp' });
  }, testTimeout(2));
});
