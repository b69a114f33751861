/**
 * Web Push for web visitors who allowed notifications: when a message reaches them
 * outside their own request (a lawyer's answer, a reminder, an alert), each of their
 * devices with a subscription gets a short notice in their language. The notice
 * never carries the message (lock screens are public); opening it shows the chat.
 * VAPID keys come from the environment; without them nothing is sent.
 */
import type { Agent } from 'node:https';
import type { Translator } from '../i18n/i18n.js';
import type { Language } from '../i18n/languages.js';
import type { Logger } from '../logger.js';
import type { WebSessions } from './web-sessions.js';

/** Several messages in a row (an answer in parts) make one notice. */
const COALESCE_MS = 1_000;
/** How long a push service keeps an undelivered notice: a day. */
const TTL_SECONDS = 86_400;
const TIMEOUT_MS = 10_000;

export interface WebPushDeps {
  sessions: Pick<WebSessions, 'pushTargets' | 'setPush'>;
  translator: Translator;
  /** The visitor's language (the bot's, or the app's). */
  languageOf: (chatId: number) => Promise<Language>;
  logger: Logger;
  vapid?: { publicKey: string; privateKey: string; subject: string };
  /** Push service hosts allowed (suffixes). */
  allowedHosts: string[];
  /** TLS agent (tests trust their local stand-in's certificate with it). */
  agent?: Agent;
}

/** Whether a subscription endpoint may be used: HTTPS, to a known push service. */
export function isAllowedEndpoint(endpoint: string, allowedHosts: string[]): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  const host = url.hostname.toLowerCase();
  return url.protocol === 'https:' && allowedHosts.some((h) => host === h || host.endsWith(`.${h}`));
}

export function createWebPushSender({ sessions, translator, languageOf, logger, vapid, allowedHosts, agent }: WebPushDeps) {
  const pending = new Map<number, NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();

  async function send(chatId: number): Promise<void> {
    if (!vapid) return;
    const targets = await sessions.pushTargets(chatId);
    if (!targets.length) return;
    const t = translator.forLanguage(await languageOf(chatId));
    const payload = JSON.stringify({ title: t('webapp.push.title'), body: t('webapp.push.body'), url: '/app/' });
    for (const { tokenHash, push } of targets) {
      if (!isAllowedEndpoint(push.endpoint, allowedHosts)) continue;
      try {
        // Loaded at the first push, not at start (with its crypto libraries, a tenth of a second).
        const { default: webpush } = await import('web-push');
        await webpush.sendNotification(push, payload, { vapidDetails: vapid, TTL: TTL_SECONDS, timeout: TIMEOUT_MS, urgency: 'high', topic: 'pravo', agent });
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode;
        // 404 / 410: the subscription is gone (the browser dropped it); stop using it.
        if (status === 404 || status === 410) await sessions.setPush(tokenHash, null);
        logger.warn({ status, error: (err as Error).name }, 'web push failed');
      }
    }
  }

  return {
    enabled: Boolean(vapid),
    publicKey: vapid?.publicKey,
    /** Schedules one notice for the chat (coalescing a burst of messages). */
    notify(chatId: number): void {
      if (!vapid || pending.has(chatId)) return;
      pending.set(
        chatId,
        setTimeout(() => {
          pending.delete(chatId);
          const p = send(chatId).catch((err) => logger.error({ error: (err as Error).name }, 'web push failed'));
          inFlight.add(p);
          void p.finally(() => inFlight.delete(p));
        }, COALESCE_MS),
      );
    },
    /** Sends what is scheduled now and waits for it (shutdown). */
    async flush(): Promise<void> {
      for (const [chatId, timer] of pending) {
        clearTimeout(timer);
        pending.delete(chatId);
        inFlight.add(send(chatId).catch(() => {}));
      }
      await Promise.all(inFlight);
    },
  };
}

export type WebPushSender = ReturnType<typeof createWebPushSender>;
