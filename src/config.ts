/**
 * Configuration, read once from the environment and validated. A wrong or missing
 * value stops the process at start with a message naming the variable; nothing
 * else in the code reads process.env.
 */
import { z } from 'zod';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const schema = z
  .object({
    BOT_TOKEN: z
      .string()
      .regex(/^\d+:[\w-]{30,}$/, 'must look like 123456:ABC… (from @BotFather)')
      .optional(),
    BOT_MODE: z.enum(['polling', 'webhook']).default('polling'),
    WEBHOOK_URL: z.url().optional(),
    WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16–256 characters of A–Z, a–z, 0–9, _ or -')
      .optional(),
    TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres://')
      .optional(),
    PGLITE_DIR: z.string().min(1).default('./data/pglite'),
    /**
     * Several bot processes on one PostgreSQL (README "Scaling"): each update is handled
     * under its chat's advisory lock, the user-state cache hears other processes' writes
     * (LISTEN/NOTIFY), and in polling mode only the elected process polls.
     */
    CLUSTER_MODE: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
    /** Cluster mode: connections holding chat locks, i.e. chats handled at once by this process. */
    CLUSTER_CHAT_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(8),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    FLOWS_DIR: z.string().min(1).default('./flows'),
    LOCALES_DIR: z.string().min(1).default('./locales'),
    CONTACTS_FILE: z.string().min(1).default('./config/contacts.yaml'),
    /** Canned answers seeded once into the lawyers' templates (edit them in the console afterwards). */
    CANNED_ANSWERS_FILE: z.string().min(1).default('./config/canned-answers.yaml'),
    /** The rights card's citations and review date (its text is in the locale files). */
    SOS_CARD_FILE: z.string().min(1).default('./config/sos-card.yaml'),
    /** Words per language that send typed text about detention, court or a taken passport to SOS. */
    SOS_KEYWORDS_FILE: z.string().min(1).default('./config/sos-keywords.yaml'),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    /** The lawyers' Telegram group for notices of new and urgent cases. */
    LAWYERS_CHAT_ID: z.string().regex(/^-?\d{1,20}$/, 'must be a Telegram chat id such as -1001234567890').optional(),
    /** The usual lawyer response time the bot promises, in hours. */
    RESPONSE_TIME_HOURS: z.coerce.number().int().min(1).max(720).default(48),
    /** Closed cases are anonymised after this many days. */
    CASE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
    /** Bearer token for Prometheus at GET /metrics; unset: no /metrics at all. */
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (e.g. openssl rand -hex 24)').optional(),
    /** Admin API requests per minute per token (or address). */
    API_RATE_LIMIT: z.coerce.number().int().min(1).default(300),
    /** Alert messages per second (Telegram allows about 30 free; paid broadcasts up to 1,000). */
    BROADCAST_RATE: z.coerce.number().min(0.1).max(1000).default(25),
    /** Hour of day (Moscow time) reminders are sent. */
    REMINDER_HOUR: z.coerce.number().int().min(0).max(23).default(10),
    /** Days before a saved date to remind, comma-separated (0 = on the day). */
    REMINDER_DAYS: z
      .string()
      .regex(/^\d{1,3}(,\d{1,3})*$/, 'must be days before the date, e.g. 7,3,1,0')
      .default('7,3,1,0')
      .transform((s) => [...new Set(s.split(',').map(Number))].sort((a, b) => b - a)),
    /** Moscow hours with no reminders, FROM-TO (e.g. 21-9: nothing from 21:00 to 09:00). */
    QUIET_HOURS: z
      .string()
      .regex(/^([01]?\d|2[0-3])-([01]?\d|2[0-3])$/, 'must be FROM-TO hours, e.g. 21-9')
      .default('21-9')
      .transform((s) => {
        const [from, to] = s.split('-').map(Number) as [number, number];
        return { from, to };
      }),
    /** Behind a reverse proxy: trust its X-Forwarded-For / -Proto (client address for limits, HTTPS for cookies). */
    TRUST_PROXY: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
    /** Web app: a visitor idle this many days is forgotten (never while a case is open or a reminder is due). */
    WEBAPP_IDLE_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    /** Web app: chat messages older than this many days are deleted. */
    WEBAPP_MESSAGE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
    /** Web app: requests per minute per visitor. */
    WEBAPP_RATE_LIMIT: z.coerce.number().int().min(1).default(60),
    /** Web app: requests per minute per client address (all visitors behind it). */
    WEBAPP_ADDRESS_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
    /** Web app: new sessions (and recovery-code attempts) per hour per client address. */
    WEBAPP_SESSIONS_PER_HOUR: z.coerce.number().int().min(1).default(20),
    /** Web Push (VAPID) keys: `npx web-push generate-vapid-keys`. Unset = no push, in-app messages only. */
    VAPID_PUBLIC_KEY: z
      .string()
      .regex(/^[A-Za-z0-9_-]{80,100}$/, 'must be the base64url public key from `npx web-push generate-vapid-keys`')
      .optional(),
    VAPID_PRIVATE_KEY: z
      .string()
      .regex(/^[A-Za-z0-9_-]{40,50}$/, 'must be the base64url private key from `npx web-push generate-vapid-keys`')
      .optional(),
    /** Contact for push services about our notifications: mailto:… or https://… */
    VAPID_SUBJECT: z
      .string()
      .regex(/^(mailto:|https:\/\/)/, 'must start with mailto: or https://')
      .default('mailto:admin@example.org'),
    /** Hosts push subscriptions may point to (suffix match, comma-separated): anything else is refused. */
    WEB_PUSH_HOSTS: z
      .string()
      .default('fcm.googleapis.com,push.services.mozilla.com,notify.windows.com,push.apple.com')
      .transform((s) => s.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean)),
    /**
     * Machine translation for lawyers (off when unset): `libretranslate` (a server the
     * NGO runs; texts stay in-house) or `yandex` (Yandex Cloud Translate).
     */
    TRANSLATION_PROVIDER: z.enum(['libretranslate', 'yandex']).optional(),
    /** Base URL of the LibreTranslate-compatible server, e.g. http://translate.internal:5000. */
    LIBRETRANSLATE_URL: z.url().optional(),
    /** API key of that server, if it asks for one. */
    LIBRETRANSLATE_API_KEY: z.string().min(1).optional(),
    /** Yandex Cloud: API key of a service account with the ai.translate.user role. */
    YANDEX_TRANSLATE_API_KEY: z.string().min(1).optional(),
    /** Yandex Cloud: the folder the service account belongs to. */
    YANDEX_FOLDER_ID: z.string().min(1).optional(),
    /** Yandex Cloud Translate endpoint (change only for a proxy). */
    YANDEX_TRANSLATE_URL: z.url().default('https://translate.api.cloud.yandex.net/translate/v2/translate'),
    /** A translation taking longer than this is given up (the lawyer can still send in Russian). */
    TRANSLATION_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(8000),
    /** Case topics whose texts never go to the provider (comma-separated); SOS is `detention`. */
    TRANSLATION_NEVER_TOPICS: z
      .string()
      .regex(/^[a-z0-9-]+(,[a-z0-9-]+)*$/, 'must be topic ids separated by commas, e.g. detention,asylum')
      .default('detention,asylum')
      .transform((s) => [...new Set(s.split(','))]),
    /** Simulated clock offset for demonstrations in local mode, in days. */
    CLOCK_OFFSET_DAYS: z.coerce.number().int().default(0),
  })
  .superRefine((c, ctx) => {
    if (!c.VAPID_PUBLIC_KEY !== !c.VAPID_PRIVATE_KEY) {
      ctx.addIssue({ code: 'custom', path: [c.VAPID_PUBLIC_KEY ? 'VAPID_PRIVATE_KEY' : 'VAPID_PUBLIC_KEY'], message: 'is required with the other VAPID key' });
    }
    if (c.TRANSLATION_PROVIDER === 'libretranslate' && !c.LIBRETRANSLATE_URL) {
      ctx.addIssue({ code: 'custom', path: ['LIBRETRANSLATE_URL'], message: 'is required when TRANSLATION_PROVIDER=libretranslate' });
    }
    if (c.TRANSLATION_PROVIDER === 'yandex') {
      for (const v of ['YANDEX_TRANSLATE_API_KEY', 'YANDEX_FOLDER_ID'] as const) {
        if (!c[v]) ctx.addIssue({ code: 'custom', path: [v], message: 'is required when TRANSLATION_PROVIDER=yandex' });
      }
    }
    if (c.CLUSTER_MODE) {
      // The embedded database lives inside one process; local mode's Bot API stand-in too.
      if (!c.DATABASE_URL) ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required when CLUSTER_MODE=true (PGlite serves one process)' });
      if (!c.BOT_TOKEN) ctx.addIssue({ code: 'custom', path: ['BOT_TOKEN'], message: 'is required when CLUSTER_MODE=true (local mode is one process)' });
    }
    if (c.BOT_MODE === 'webhook') {
      if (!c.BOT_TOKEN) ctx.addIssue({ code: 'custom', path: ['BOT_TOKEN'], message: 'is required when BOT_MODE=webhook' });
      if (!c.WEBHOOK_URL) ctx.addIssue({ code: 'custom', path: ['WEBHOOK_URL'], message: 'is required when BOT_MODE=webhook' });
      if (!c.WEBHOOK_SECRET) {
        ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET'], message: 'is required when BOT_MODE=webhook' });
      }
    }
  });

export type Config = z.output<typeof schema>;

/** Parses an environment (process.env by default); empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0] ?? '?')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** Local mode: no token, so the bot talks to the in-process Bot API stand-in. */
export function isLocalMode(config: Config): boolean {
  return !config.BOT_TOKEN;
}
