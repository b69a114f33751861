/**
 * deploy/compose.yaml (two bot processes, PostgreSQL, Caddy) cannot be run here (no
 * Docker): this reads it as Docker Compose would (YAML with merge keys, `${VAR}`
 * from the .env file) and checks what would break a deploy: the services, that every
 * bot process runs in cluster mode against the compose PostgreSQL with a
 * configuration Pravo accepts, that every variable it sets or reads is documented in
 * .env.example, and that the proxy sends to every bot process.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';

const FILE = 'deploy/compose.yaml';
const source = readFileSync(FILE, 'utf8');
interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, unknown> | string[];
}
const compose = parse(source, { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const documented = new Set([...readFileSync('.env.example', 'utf8').matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
const bots = Object.entries(services).filter(([, s]) => s.image?.startsWith('pravo'));

/** Values an operator's .env would give (as Compose interpolates `${VAR}`, `${VAR:?msg}`, `${VAR:-default}`). */
const dotEnv: Record<string, string> = {
  BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi',
  WEBHOOK_URL: 'https://bot.example.org',
  WEBHOOK_SECRET: 'a-very-long-webhook-secret-123',
  POSTGRES_PASSWORD: 'secret',
  PUBLIC_HOST: 'bot.example.org',
};
const interpolate = (value: string) =>
  value.replace(/\$\{([A-Z0-9_]+)(?::([?-])([^}]*))?\}/g, (_, name: string, kind?: string, rest?: string) => dotEnv[name] ?? (kind === '-' ? (rest ?? '') : ''));

describe('deploy/compose.yaml', () => {
  it('has PostgreSQL, a proxy and at least two bot processes of the same image', () => {
    expect(services.postgres?.image).toMatch(/^postgres:/);
    expect(services.proxy?.image).toMatch(/^caddy:/);
    expect(bots.map(([name]) => name)).toEqual(['bot-1', 'bot-2']);
    for (const [, bot] of bots) {
      expect(bot.build).toMatchObject({ context: '..', dockerfile: 'Dockerfile' });
      expect(existsSync(join(dirname(FILE), '..', 'Dockerfile'))).toBe(true);
      expect(bot.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' } });
    }
  });

  it('runs every bot process in cluster mode on the compose PostgreSQL, with a configuration Pravo accepts', () => {
    for (const [, bot] of bots) {
      const env = Object.fromEntries(Object.entries(bot.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]));
      const config = loadConfig(env);
      expect(config).toMatchObject({ CLUSTER_MODE: true, BOT_MODE: 'webhook', HOST: '0.0.0.0', TRUST_PROXY: true });
      expect(new URL(config.DATABASE_URL!).hostname).toBe('postgres');
    }
  });

  it('sets and reads only variables documented in .env.example', () => {
    const set = Object.values(services).flatMap((s) => Object.keys(s.environment ?? {}));
    const read = [...source.matchAll(/\$\{([A-Z0-9_]+)/g), ...readFileSync('deploy/Caddyfile', 'utf8').matchAll(/\{\$([A-Z0-9_]+)/g)].map((m) => m[1]!);
    expect(set.length).toBeGreaterThan(10);
    expect([...new Set([...set, ...read])].filter((v) => !documented.has(v))).toEqual([]);
  });

  it('has the proxy send to every bot process and check their health', () => {
    const mount = services.proxy!.volumes!.find((v) => v.endsWith(':/etc/caddy/Caddyfile:ro'))!;
    const caddyfile = readFileSync(join(dirname(FILE), mount.split(':')[0]!), 'utf8');
    for (const [name] of bots) expect(caddyfile).toContain(`${name}:3000`);
    expect(caddyfile).toMatch(/health_uri \/healthz/);
  });
});
