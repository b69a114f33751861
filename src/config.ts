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
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    FLOWS_DIR: z.string().min(1).default('./flows'),
    LOCALES_DIR: z.string().min(1).default('./locales'),
    CONTACTS_FILE: z.string().min(1).default('./config/contacts.yaml'),
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
    /** Simulated clock offset for demonstrations in local mode, in days. */
    CLOCK_OFFSET_DAYS: z.coerce.number().int().default(0),
  })
  .superRefine((c, ctx) => {
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
