/**
 * The user-state cache on its own: what it keeps, for how long, and that a read
 * overtaken by a change is not kept (the bot would act on a stale user).
 */
import { describe, expect, it } from 'vitest';
import { createUserStateCache, type UserState } from '../../src/users/user-state-cache.js';

const user = (id: number, language = 'uz') => ({ user: { id, language }, run: undefined, pending: undefined, openCaseId: undefined }) as unknown as UserState;

describe('user-state cache', () => {
  it('keeps what was read until the user changes', () => {
    const cache = createUserStateCache();
    cache.put(1, user(1), cache.beginRead(1));
    expect(cache.get(1)?.user.language).toBe('uz');
    cache.invalidate(1);
    expect(cache.get(1)).toBeUndefined();
  });

  it('does not keep a read that a change overtook', () => {
    const cache = createUserStateCache();
    const token = cache.beginRead(1);
    // The console closes the user's case while the bot is reading them.
    cache.invalidate(1);
    cache.put(1, user(1), token);
    expect(cache.get(1)).toBeUndefined();
  });

  it('forgets users after the time limit and the least recently used beyond the size limit', () => {
    let now = 0;
    const cache = createUserStateCache({ max: 2, ttlMs: 1000, now: () => now });
    for (const id of [1, 2]) cache.put(id, user(id), cache.beginRead(id));
    cache.get(1); // 2 is now the least recently used
    cache.put(3, user(3), cache.beginRead(3));
    expect(cache.get(2)).toBeUndefined();
    expect(cache.get(1)).toBeDefined();
    now = 1001;
    expect(cache.get(1)).toBeUndefined();
    expect(cache.stats.hits).toBe(2);
  });

  it('mirrors a saved run only for users it holds', () => {
    const cache = createUserStateCache();
    const run = { flowId: 'f', version: 1, node: 'n', answers: {}, stack: [] };
    cache.patch(5, (s) => ({ ...s, run }));
    expect(cache.get(5)).toBeUndefined();
    cache.put(5, user(5), cache.beginRead(5));
    cache.patch(5, (s) => ({ ...s, run }));
    expect(cache.get(5)?.run?.node).toBe('n');
  });
});
