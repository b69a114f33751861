/**
 * The shape of the situation model's content: `flows/facts.yaml` (the vocabulary of
 * legal facts a user may tell the bot) and `flows/rules.yaml` (deadline and derivation
 * rules over those facts). Both are content reviewed by lawyers, so the schemas are
 * strict and conditions come from the flows' closed vocabulary: no code in YAML.
 */
import { z } from 'zod';
import { conditionSchema, dateOpSchema, ID_PATTERN } from '../flow-engine/schema.js';

const factId = z.string().regex(ID_PATTERN, 'must be lower-case kebab-case ASCII').max(24);
const text = z.string().min(1);
const isoDay = z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.date()]).transform((v) =>
  typeof v === 'string' ? v : v.toISOString().slice(0, 10),
);

const choiceOption = z.strictObject({
  id: z.string().regex(ID_PATTERN).max(24),
  text,
  /** Hours ahead of UTC (regions): deadlines counted in hours are shown in this time zone. */
  utc_offset: z.number().int().min(2).max(12).optional(),
});

/** A field of one record of a `records` fact (a payment: the day paid, the months covered). */
const recordField = z.strictObject({
  type: z.enum(['date', 'number']),
  text,
  label: text,
  min: z.number().int().optional(),
  max: z.number().int().optional(),
  allow_future: z.boolean().default(false),
});

const common = {
  /** Short label for "What the bot knows" and "My situation" lines. */
  label: text,
  /** The question asked when the fact is needed and unknown. */
  text,
  /** Whether the value identifies or describes the person (shown with a 🔒 and erased by /forget like all facts). */
  personal: z.boolean(),
  /** Which topic this fact belongs to (grouping on the facts screen). */
  topic: z.enum(['general', 'patent', 'registration', 'status', 'sos', 'work', 'family']),
  note: z.string().optional(),
};

const choiceFact = z.strictObject({ type: z.literal('choice'), ...common, options: z.array(choiceOption).min(2).max(16) });
const dateFact = z.strictObject({
  type: z.literal('date'),
  ...common,
  allow_future: z.boolean().default(false),
  max_years_back: z.number().int().positive().default(15),
});
const dateTimeFact = z.strictObject({
  type: z.literal('datetime'),
  ...common,
  allow_future: z.boolean().default(false),
  max_years_back: z.number().int().positive().default(2),
});
const numberFact = z.strictObject({ type: z.literal('number'), ...common, min: z.number().int(), max: z.number().int() });
const recordsFact = z.strictObject({
  type: z.literal('records'),
  ...common,
  fields: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), recordField),
  /** The field records are ordered by, and whose value may not come before another fact's date. */
  order_by: z.string().regex(/^[a-z][a-z0-9_]*$/),
  /** Records may not be dated before this fact (a payment before the patent's issue is refused). */
  not_before: factId.optional(),
  max_records: z.number().int().positive().default(24),
});

export const factSchema = z.discriminatedUnion('type', [choiceFact, dateFact, dateTimeFact, numberFact, recordsFact]);

export const factsFileSchema = z.strictObject({ facts: z.record(factId, factSchema) });

const citationSchema = z.strictObject({
  law: z.string().min(1),
  article: z.string().optional(),
  url: z.string().url().optional(),
});

/**
 * One step of date-time arithmetic on top of the flows' date ops: hours for limits
 * counted in hours (a hold at a police station), and the paid period of a records fact.
 */
const extraOp = z.union([
  z.strictObject({ add_hours: z.number().int() }),
  /**
   * From the start of a prepaid period (a patent's issue date): the last paid day, counting
   * each record's months only while the chain is unbroken. A record dated after the paid
   * period ended does not extend it (a late patent payment does not revive the patent).
   * At most `cap_months` months in all.
   */
  z.strictObject({
    paid_through: z.strictObject({ records: factId, date: z.string(), months: z.string(), cap_months: z.number().int().positive() }),
  }),
]);

export const ruleDateSchema = z.strictObject({
  from: z.union([factId, z.literal('today')]),
  ops: z.array(z.union([dateOpSchema, extraOp])).default([]),
});

/** What the law says happens when the legal last day is a weekend or holiday. */
export const NON_WORKING = ['moves-to-next-working-day', 'stays', 'unsettled'] as const;

const deadlineRule = z.strictObject({
  id: factId,
  kind: z.literal('deadline'),
  topic: z.enum(['patent', 'registration', 'status', 'sos', 'work', 'family']),
  /** Short Russian title ("Подать документы на патент"), translated like all texts. */
  title: text,
  /** What to do, one or two plain sentences. */
  text,
  applies: conditionSchema,
  legal_last_day: z.strictObject({
    date: ruleDateSchema,
    /** A date-time rule: the legal moment, not a day (hours of a hold). */
    moment: z.boolean().default(false),
    if_non_working: z.enum(NON_WORKING),
  }),
  /** The day we advise acting by: earlier than the legal one, never later. Absent for moments. */
  advised_day: ruleDateSchema.optional(),
  remind: z.boolean().default(false),
  /** "✅ I paid" under this deadline's reminder adds a record (today, N months) to this `records` fact. */
  payment_fact: factId.optional(),
  /** The missing facts that would let this rule apply, in the order to ask them. */
  needs: z.array(factId).default([]),
  /** When to suggest adding the missing `needs` ("add your patent issue date to see your next payment"). */
  offer_if: conditionSchema.optional(),
  citations: z.array(citationSchema).min(1),
  reviewed_on: isoDay,
  uncertain: z.string().optional(),
  /** Urgent deadlines (hours, expulsion) lead My situation whatever their date. */
  urgent: z.boolean().default(false),
  note: z.string().optional(),
});

/** A state that began on a date and matters until it is resolved (a patent that ended, an unlawful stay). */
const statusRule = z.strictObject({
  id: factId,
  kind: z.literal('status'),
  topic: z.enum(['patent', 'registration', 'status', 'sos', 'work', 'family']),
  title: text,
  text,
  applies: conditionSchema,
  since: ruleDateSchema,
  citations: z.array(citationSchema).min(1),
  reviewed_on: isoDay,
  uncertain: z.string().optional(),
  urgent: z.boolean().default(false),
  note: z.string().optional(),
});

/**
 * A rule that derives a fact that later rules and the flows read: a date (`date`), a
 * choice (`value`: the first `if` that holds), or the latest of several dates (`latest_of`).
 */
const deriveRule = z
  .strictObject({
    id: factId,
    kind: z.literal('derive'),
    applies: conditionSchema,
    date: ruleDateSchema.optional(),
    value: z.array(z.strictObject({ if: conditionSchema.optional(), is: z.string().regex(ID_PATTERN) })).min(1).optional(),
    latest_of: z.array(factId).min(2).optional(),
    note: z.string().optional(),
  })
  .refine((r) => [r.date, r.value, r.latest_of].filter(Boolean).length === 1, {
    message: 'a derive rule has exactly one of date, value, latest_of',
  });

export const ruleSchema = z.discriminatedUnion('kind', [deadlineRule, statusRule, deriveRule]);
export const rulesFileSchema = z.strictObject({ rules: z.array(ruleSchema) });

export type FactDef = z.output<typeof factSchema>;
export type RuleDef = z.output<typeof ruleSchema>;
export type DeadlineRule = Extract<RuleDef, { kind: 'deadline' }>;
export type DeriveRule = Extract<RuleDef, { kind: 'derive' }>;
export type StatusRule = Extract<RuleDef, { kind: 'status' }>;
export type RuleDate = z.output<typeof ruleDateSchema>;
export type RuleOp = RuleDate['ops'][number];

/** One record of a `records` fact. */
export type FactRecord = Record<string, string | number>;
/** A stored fact value: an option id, an ISO date, an ISO date-time with offset, a number, or records. */
export type FactValue = string | number | FactRecord[];
export type FactMap = Record<string, FactValue>;
