/**
 * Translations of case threads. A migrant's message is translated into Russian in
 * the background (the migrant never waits for a provider) and stored; a lawyer's
 * draft is translated on request and may be corrected before it is sent. Texts of
 * cases on sensitive topics (SOS, asylum by default) never leave the server.
 */
import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { caseMessages, cases, messageTranslations, users } from '../db/schema/index.js';
import type { Logger } from '../logger.js';
import { createLibreTranslate, createYandexTranslate, type MachineTranslator, TranslationError } from './providers.js';

/** Why a case is (not) translated, as the console shows it. */
export type TranslationState = 'off' | 'sensitive' | 'not-needed' | 'on';

export type TranslationRow = typeof messageTranslations.$inferSelect;

/** The provider the configuration names, or none (translation off). */
export function machineTranslatorFromConfig(config: Config): MachineTranslator | undefined {
  const http = { timeoutMs: config.TRANSLATION_TIMEOUT_MS };
  if (config.TRANSLATION_PROVIDER === 'libretranslate' && config.LIBRETRANSLATE_URL) {
    return createLibreTranslate({ ...http, url: config.LIBRETRANSLATE_URL, apiKey: config.LIBRETRANSLATE_API_KEY });
  }
  if (config.TRANSLATION_PROVIDER === 'yandex' && config.YANDEX_TRANSLATE_API_KEY && config.YANDEX_FOLDER_ID) {
    return createYandexTranslate({ ...http, apiKey: config.YANDEX_TRANSLATE_API_KEY, folderId: config.YANDEX_FOLDER_ID, url: config.YANDEX_TRANSLATE_URL });
  }
  return undefined;
}

export interface CaseTranslationsDeps {
  db: Database;
  provider?: MachineTranslator;
  /** Case topics whose texts never go to the provider. */
  neverTopics: readonly string[];
  clock: () => Date;
  logger: Logger;
}

/** The result of translating a lawyer's draft: a failure is an answer, not an exception. */
export type DraftResult = { ok: true; text: string; provider: string } | { ok: false; error: string };

export function createCaseTranslations({ db, provider, neverTopics, clock, logger }: CaseTranslationsDeps) {
  const never = new Set(neverTopics);
  /** Background translations still running (stop and tests wait for them). */
  const running = new Set<Promise<unknown>>();

  function stateOf(c: { topic: string; language: string }): TranslationState {
    if (never.has(c.topic)) return 'sensitive';
    if (c.language === 'ru') return 'not-needed';
    return provider ? 'on' : 'off';
  }

  async function translateOne(messageId: number): Promise<void> {
    if (!provider) return;
    const [row] = await db
      .select({ text: caseMessages.text, author: caseMessages.author, language: cases.language, topic: cases.topic })
      .from(caseMessages)
      .innerJoin(cases, eq(cases.id, caseMessages.caseId))
      .where(and(eq(caseMessages.id, messageId), isNull(cases.anonymisedAt)))
      .limit(1);
    if (row?.author !== 'user' || stateOf(row) !== 'on') return;
    let result: { text: string | null; status: 'machine' | 'failed'; error: string | null };
    try {
      result = { text: await provider.translate(row.text, row.language, 'ru'), status: 'machine', error: null };
    } catch (err) {
      const error = err instanceof TranslationError ? err.message : `${provider.displayName}: failed`;
      logger.warn({ messageId, error }, 'translation failed');
      result = { text: null, status: 'failed', error };
    }
    await db.transaction(async (tx) => {
      // The case may have been erased (/forget, retention) while the provider worked:
      // the lock orders us after the erasure, and then nothing is written.
      const [alive] = await tx
        .select({ id: cases.id })
        .from(cases)
        .innerJoin(caseMessages, eq(caseMessages.caseId, cases.id))
        .where(and(eq(caseMessages.id, messageId), isNull(cases.anonymisedAt)))
        .for('update', { of: cases })
        .limit(1);
      if (!alive) return;
      await tx
        .insert(messageTranslations)
        .values({ messageId, language: 'ru', ...result, provider: provider.id, createdAt: clock() })
        .onConflictDoUpdate({ target: messageTranslations.messageId, set: { ...result, provider: provider.id, createdAt: clock() } });
    });
  }

  function track(p: Promise<unknown>) {
    const tracked = p.catch((err) => logger.error({ error: err?.name }, 'translation task failed')).finally(() => running.delete(tracked));
    running.add(tracked);
  }

  return {
    provider,
    stateOf,

    /** Translates a migrant's new message into Russian in the background. */
    translateLater(messageId: number) {
      if (provider) track(translateOne(messageId));
    },

    /** Translates again the migrant messages of a case that failed or were never translated. */
    async retry(caseId: number): Promise<number> {
      const missing = await db
        .select({ id: caseMessages.id })
        .from(caseMessages)
        .leftJoin(messageTranslations, eq(messageTranslations.messageId, caseMessages.id))
        .where(
          and(
            eq(caseMessages.caseId, caseId),
            eq(caseMessages.author, 'user'),
            or(isNull(messageTranslations.messageId), eq(messageTranslations.status, 'failed')),
          ),
        );
      for (const m of missing) await translateOne(m.id);
      return missing.length;
    },

    /** The language a lawyer's answer goes out in: the user's now, else the case's. */
    async targetLanguage(c: { userId: number | null; language: string }): Promise<string> {
      if (!c.userId) return c.language;
      const [u] = await db.select({ language: users.language }).from(users).where(eq(users.id, c.userId)).limit(1);
      return u?.language ?? c.language;
    },

    /** Translates a lawyer's Russian draft into the migrant's language (never throws for the provider). */
    async draft(c: { topic: string; language: string; userId: number | null }, text: string): Promise<DraftResult> {
      const state = stateOf(c);
      if (state !== 'on' || !provider) return { ok: false, error: state === 'sensitive' ? 'not translated: sensitive topic' : 'machine translation is not set up' };
      const to = await this.targetLanguage(c);
      if (to === 'ru') return { ok: false, error: 'the user reads Russian' };
      try {
        return { ok: true, text: await provider.translate(text, 'ru', to), provider: provider.id };
      } catch (err) {
        return { ok: false, error: err instanceof TranslationError ? err.message : `${provider.displayName}: failed` };
      }
    },

    /** Stored translations of these messages, by message id. */
    async forMessages(ids: number[]): Promise<Map<number, TranslationRow>> {
      if (!ids.length) return new Map();
      const rows = await db.select().from(messageTranslations).where(inArray(messageTranslations.messageId, ids));
      return new Map(rows.map((r) => [r.messageId, r]));
    },

    /** Waits for the background translations in flight (stop, tests). */
    async drain() {
      while (running.size) await Promise.all([...running]);
    },
  };
}

export type CaseTranslations = ReturnType<typeof createCaseTranslations>;
