/**
 * A PostgreSQL cluster of the test's own, on a free port in a temporary directory,
 * that the test may stop and start (never the shared server on 5432). Uses the
 * machine's PostgreSQL binaries (as .ci/prepare-postgres.sh finds them); as root,
 * the server runs as the `postgres` OS user. `findPostgresBinaries()` is undefined
 * when they are absent, and the tests that need it skip with a message.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PostgresBinaries {
  bin: string;
  /** Run as this OS user (root may not run PostgreSQL). */
  runAs?: { name: string; uid: number; gid: number };
}

export function findPostgresBinaries(): PostgresBinaries | undefined {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  const fromPath = spawnSync('sh', ['-c', 'dirname "$(readlink -f "$(command -v pg_ctl)")"'], { encoding: 'utf8' }).stdout.trim();
  const bin = [...versions.map((v) => join(base, v, 'bin')), fromPath].find((d) => d && existsSync(join(d, 'pg_ctl')) && existsSync(join(d, 'initdb')));
  if (!bin) return undefined;
  if (process.getuid?.() !== 0) return { bin };
  const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (id.status !== 0) return undefined;
  return { bin, runAs: { name: 'postgres', uid: Number(id.stdout), gid: Number(gid.stdout) } };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((r) => server.close(r));
  return port;
}

export interface OwnPostgres {
  url: string;
  stop(): void;
  start(): void;
  destroy(): void;
}

export async function startOwnPostgres(b: PostgresBinaries): Promise<OwnPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'pravo-own-pg-'));
  const data = join(dir, 'data');
  if (b.runAs) chownSync(dir, b.runAs.uid, b.runAs.gid);
  const run = (tool: string, args: string[]) => {
    const [cmd, all] = b.runAs ? ['runuser', ['-u', b.runAs.name, '--', join(b.bin, tool), ...args]] : [join(b.bin, tool), args];
    execFileSync(cmd, all as string[], { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=30`;
  const start = () => run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '120', 'start']);
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '120', 'stop']);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    destroy() {
      try {
        stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
