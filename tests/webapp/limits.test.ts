/**
 * The small pieces the web app's limits and settings rest on: the rate limiter's
 * windows and its bound on memory, the recovery code's forgiving reading, push
 * endpoints limited to push services, and VAPID keys that come as a pair.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createRateLimiter } from '../../src/webapp/rate-limiter.js';
import { isAllowedEndpoint } from '../../src/webapp/web-push-sender.js';
import { normaliseRecoveryCode } from '../../src/webapp/web-sessions.js';

describe('web app limits and settings', () => {
  it('allows the limit per window, then refuses until the window has passed', () => {
    let now = 0;
    const limit = createRateLimiter(3, 60_000, () => now);
    expect([1, 2, 3, 4].map(() => limit.take('a'))).toEqual([true, true, true, false]);
    expect(limit.take('b')).toBe(true);
    now += 60_000;
    expect(limit.take('a')).toBe(true);
  });

  it('keeps counting correctly when a flood of addresses passes its memory bound', () => {
    let now = 0;
    const limit = createRateLimiter(1, 1_000, () => now);
    for (let i = 0; i < 60_000; i++) limit.take(`addr-${i}`);
    now += 1_000;
    expect(limit.take('late')).toBe(true);
    expect(limit.take('late')).toBe(false);
  });

  it('reads a recovery code typed with spaces, lower case, O for 0 and I or L for 1', () => {
    expect(normaliseRecoveryCode(' 7kqm 2xhd-93tb ')).toBe('7KQM2XHD93TB');
    expect(normaliseRecoveryCode('O0IL-0000-0000')).toBe('001100000000');
  });

  it('accepts push endpoints of push services only, over HTTPS', () => {
    const hosts = ['fcm.googleapis.com', 'push.services.mozilla.com'];
    expect(isAllowedEndpoint('https://fcm.googleapis.com/fcm/send/abc', hosts)).toBe(true);
    expect(isAllowedEndpoint('https://updates.push.services.mozilla.com/wpush/v2/x', hosts)).toBe(true);
    expect(isAllowedEndpoint('http://fcm.googleapis.com/fcm/send/abc', hosts)).toBe(false);
    expect(isAllowedEndpoint('https://fcm.googleapis.com.evil.example/x', hosts)).toBe(false);
    expect(isAllowedEndpoint('https://127.0.0.1/x', hosts)).toBe(false);
    expect(isAllowedEndpoint('not a url', hosts)).toBe(false);
  });

  it('refuses one VAPID key without the other, naming the missing one', () => {
    expect(() => loadConfig({ VAPID_PUBLIC_KEY: 'B'.repeat(87) })).toThrow(/VAPID_PRIVATE_KEY: is required with the other VAPID key/);
    expect(loadConfig({}).WEBAPP_IDLE_DAYS).toBe(90);
  });
});
