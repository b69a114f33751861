import { describe, expect, it } from 'vitest';
import { ConfigError, isLocalMode, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('runs in local mode on PGlite with no variables at all', () => {
    const c = loadConfig({});
    expect(isLocalMode(c)).toBe(true);
    expect(c).toMatchObject({ PORT: 3000, PGLITE_DIR: './data/pglite', BOT_MODE: 'polling' });
  });

  it('fails fast naming the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ BOT_TOKEN: 'oops' })).toThrow(/BOT_TOKEN/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ BOT_MODE: 'carrier-pigeon' })).toThrow(ConfigError);
  });

  it('requires a URL and a secret in webhook mode', () => {
    const err = (() => {
      try {
        loadConfig({ BOT_MODE: 'webhook', BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi' });
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(err).toMatch(/WEBHOOK_URL/);
    expect(err).toMatch(/WEBHOOK_SECRET/);
  });

  it('runs several processes only on PostgreSQL with a token (PGlite and local mode serve one process)', () => {
    expect(() => loadConfig({ CLUSTER_MODE: 'true' })).toThrow(/DATABASE_URL[^\n]*CLUSTER_MODE[\s\S]*BOT_TOKEN/);
    const c = loadConfig({ CLUSTER_MODE: 'true', DATABASE_URL: 'postgres://db/pravo', BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi' });
    expect(c).toMatchObject({ CLUSTER_MODE: true, CLUSTER_CHAT_CONNECTIONS: 8 });
    expect(loadConfig({}).CLUSTER_MODE).toBe(false);
  });
});
