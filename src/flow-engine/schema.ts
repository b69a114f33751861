/**
 * The shape of a flow file (`flows/<id>.yaml`). Flows are content written and
 * reviewed by lawyers, so the schema is strict: unknown keys are errors, ids are
 * short ASCII (they travel inside 64-byte callback data), and conditions come
 * from a small closed vocabulary instead of code.
 */
import { z } from 'zod';

/** Node, option and date ids: short, ASCII, kebab-case. They are part of callback data and i18n keys. */
export const ID_PATTERN = /^[a-z][a-z0-9-]*$/;
/** Longest node id; keeps `q:<flow>:<version>:<node>:<option>` under Telegram's 64 bytes. */
export const MAX_NODE_ID = 24;
/** Longest flow id, for the same reason. */
export const MAX_FLOW_ID = 16;

const nodeId = z.string().regex(ID_PATTERN, 'must be lower-case kebab-case ASCII').max(MAX_NODE_ID);
const dateId = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower_snake_case ASCII').max(32);

/** A number, or the number a user typed at a `number` node (optionally negated). */
const amount = z.union([
  z.number().int(),
  z.strictObject({ answer: nodeId, negate: z.boolean().optional() }),
]);

/** One step of date arithmetic. Working days use the Russian production calendar. */
export const dateOpSchema = z.union([
  z.strictObject({ add_days: amount }),
  z.strictObject({ add_working_days: amount }),
  z.strictObject({ add_months: amount }),
  /** Moves a date that falls on a weekend or holiday to the next working day. */
  z.strictObject({ next_working_day: z.literal(true) }),
  /** Moves a date that falls on a weekend or holiday back to the previous working day. */
  z.strictObject({ previous_working_day: z.literal(true) }),
  /**
   * From an entry date: the last day of the stay under the 90-days-per-calendar-year
   * and 90-in-a-row limits, given the days already spent earlier that year.
   */
  z.strictObject({ stay_last_day: z.strictObject({ prior_days: amount }) }),
  /** 1 January of the year after the date: when the per-calendar-year stay count starts afresh. */
  z.strictObject({ next_year_start: z.literal(true) }),
]);

/**
 * A date computed from an answer (`from: entry-date`), from "today" (`from: today`),
 * or from another computed date of the same outcome (`from: { date: paid_until }`).
 */
export const dateExprSchema = z.strictObject({
  from: z.union([nodeId, z.literal('today'), z.strictObject({ date: dateId })]),
  ops: z.array(dateOpSchema).default([]),
});

const compare = {
  gt: z.number().optional(),
  gte: z.number().optional(),
  lt: z.number().optional(),
  lte: z.number().optional(),
  eq: z.number().optional(),
};

export type Condition =
  | { answer: string; in: string[] }
  | { number: string; gt?: number; gte?: number; lt?: number; lte?: number; eq?: number }
  | {
      days_since: string | z.infer<typeof dateExprSchema>;
      unit?: 'calendar' | 'working';
      gt?: number;
      gte?: number;
      lt?: number;
      lte?: number;
      eq?: number;
    }
  | {
      days_until: string | z.infer<typeof dateExprSchema>;
      unit?: 'calendar' | 'working';
      gt?: number;
      gte?: number;
      lt?: number;
      lte?: number;
      eq?: number;
    }
  | {
      /** Days from one date to another (a departure after the last lawful day), not from today. */
      days_between: { from: string | z.infer<typeof dateExprSchema>; to: string | z.infer<typeof dateExprSchema> };
      gt?: number;
      gte?: number;
      lt?: number;
      lte?: number;
      eq?: number;
    }
  | { known: string }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

/** The closed vocabulary of conditions. */
export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ answer: nodeId, in: z.array(z.string()).min(1) }),
    z.strictObject({ number: nodeId, ...compare }),
    z.strictObject({
      days_since: z.union([nodeId, dateExprSchema]),
      unit: z.enum(['calendar', 'working']).optional(),
      ...compare,
    }),
    z.strictObject({
      days_until: z.union([nodeId, dateExprSchema]),
      unit: z.enum(['calendar', 'working']).optional(),
      ...compare,
    }),
    /** Calendar days from `from` to `to` (both dates the user gave or rules derived): an overstay measured at departure. */
    z.strictObject({
      days_between: z.strictObject({ from: z.union([nodeId, dateExprSchema]), to: z.union([nodeId, dateExprSchema]) }),
      ...compare,
    }),
    /** The fact (or answer) has a value: the user told us, or a rule derived it. */
    z.strictObject({ known: nodeId }),
    z.strictObject({ all: z.array(conditionSchema).min(1) }),
    z.strictObject({ any: z.array(conditionSchema).min(1) }),
    z.strictObject({ not: conditionSchema }),
  ]),
) as z.ZodType<Condition>;

/** Where to go next: a node id, or rules tried in order (the last one must have no `if`). */
export const nextSchema = z.union([
  nodeId,
  z
    .array(z.strictObject({ if: conditionSchema.optional(), goto: nodeId }))
    .min(1)
    .refine((rules) => rules[rules.length - 1]?.if === undefined, {
      message: 'the last rule must have no "if" (a default)',
    }),
]);

/** Russian source text, written inline so that lawyers review real wording. */
const text = z.string().min(1);

const optionSchema = z.strictObject({
  id: z.string().regex(ID_PATTERN).max(MAX_NODE_ID),
  text,
  next: nextSchema,
});

/**
 * The fact of the situation model (`flows/facts.yaml`) this question asks. When the
 * user's fact is known the flow does not ask again: it takes the value, shows it in one
 * line with a "change" button, and goes on; an answer here updates the fact.
 */
const factBinding = z.string().regex(ID_PATTERN).max(MAX_NODE_ID).optional();

const choiceNode = z.strictObject({
  type: z.literal('choice'),
  fact: factBinding,
  text,
  options: z.array(optionSchema).min(1).max(12),
  note: z.string().optional(),
});

const dateNode = z.strictObject({
  type: z.literal('date'),
  fact: factBinding,
  text,
  /** Whether a date after today is acceptable (an expiry date) or refused (an entry date). */
  allow_future: z.boolean().default(false),
  /** Refuse dates more than this many years before today (typos like 1926). */
  max_years_back: z.number().int().positive().default(15),
  next: nextSchema,
  note: z.string().optional(),
});

/**
 * A date and time (a delivery to a police station): typed as `05.03.2026 14:10` in the
 * user's region's time zone (Moscow unless the region fact says otherwise), for limits
 * counted in hours.
 */
const dateTimeNode = z.strictObject({
  type: z.literal('datetime'),
  fact: factBinding,
  text,
  allow_future: z.boolean().default(false),
  max_years_back: z.number().int().positive().default(2),
  next: nextSchema,
  note: z.string().optional(),
});

const numberNode = z.strictObject({
  type: z.literal('number'),
  fact: factBinding,
  /**
   * For a number that is one record of a `records` fact (months paid → a payment):
   * the field the number fills and the fields taken from earlier date answers.
   */
  record: z.strictObject({ value: z.string(), from_answers: z.record(z.string(), nodeId) }).optional(),
  text,
  min: z.number().int(),
  max: z.number().int(),
  next: nextSchema,
  note: z.string().optional(),
});

/** A node with no question: it only routes on earlier answers. */
const branchNode = z.strictObject({
  type: z.literal('branch'),
  next: nextSchema,
  note: z.string().optional(),
});

export const citationSchema = z.strictObject({
  /** The act: "115-ФЗ", "КоАП РФ", "Постановление Правительства № 1466 от 24.09.2025". */
  law: z.string().min(1),
  article: z.string().optional(),
  url: z.string().url().optional(),
});

const computedDateSchema = z.strictObject({
  id: dateId,
  /** Short label in Russian, translated like every other text. */
  label: text,
  date: dateExprSchema,
  /** Offer this date as a reminder (used by the reminders feature). */
  remind: z.boolean().default(false),
  /**
   * A payment date that moves when the user pays: "I paid N months" adds N to the
   * answer of this number node and recomputes the date with the flow's own rule.
   */
  paid_months: z.string().regex(ID_PATTERN).max(MAX_NODE_ID).optional(),
});

/** A button to another flow, optionally at one of its entries (checked across flows by the loader). */
export const flowLinkSchema = z.strictObject({
  flow: z.string().regex(ID_PATTERN).max(MAX_FLOW_ID),
  node: nodeId.optional(),
});

const outcomeNode = z.strictObject({
  type: z.literal('outcome'),
  text,
  citations: z.array(citationSchema).min(1),
  reviewed_on: z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.date()]).transform((v) =>
    typeof v === 'string' ? v : v.toISOString().slice(0, 10),
  ),
  dates: z.array(computedDateSchema).default([]),
  /**
   * Set when the answer rests on a fact the research marked uncertain. The text is shown
   * as a warning and a lawyer is offered.
   */
  uncertain: z.string().optional(),
  /**
   * The lawyer button under the answer: `offer` a normal case, `urgent` an urgent one (a risk
   * of being sent back to danger: the lawyers' chat is told at once), or `none`.
   */
  escalate: z.enum(['offer', 'urgent', 'none']).default('offer'),
  /**
   * Deadline and status rules of the situation model shown under the answer, each with its
   * legal last day and advised day, when it applies to the user's facts (this run's answers included).
   */
  rules: z.array(z.string().regex(ID_PATTERN).max(MAX_NODE_ID)).default([]),
  /**
   * Russian documents this answer offers (templates in `flows/documents/<id>.yaml`): a
   * button each; the bot sends the explanation, the text to copy and a PDF.
   */
  documents: z.array(z.string().regex(ID_PATTERN).max(24)).default([]),
  /** Buttons that open another flow (at one of its entries when `node` is given): "see also". */
  links: z.array(flowLinkSchema).default([]),
  note: z.string().optional(),
});

const escalationNode = z.strictObject({
  type: z.literal('escalation'),
  text,
  /** Escalations about detention or taken documents are urgent. */
  urgent: z.boolean().default(false),
  note: z.string().optional(),
});

export const nodeSchema = z.discriminatedUnion('type', [
  choiceNode,
  dateNode,
  dateTimeNode,
  numberNode,
  branchNode,
  outcomeNode,
  escalationNode,
]);

export const flowSchema = z.strictObject({
  id: z.string().regex(ID_PATTERN).max(MAX_FLOW_ID),
  /** Bump on every edit: runs started on another version see "this menu has expired". */
  version: z.number().int().positive(),
  /** The alert/subscription topic this flow belongs to. */
  topic: z.enum(['patent', 'registration', 'status', 'general']),
  title: text,
  /** Words (any language) that lead free text to this flow. */
  keywords: z.array(z.string().min(2)).default([]),
  /**
   * Free text about one situation inside the flow ("I paid the patent late") starts the
   * walk at that situation's question instead of the flow's first one. Each keyword is
   * word stems separated by spaces; it matches when every stem occurs in the text.
   */
  entries: z
    .array(
      z.strictObject({
        node: nodeId,
        /** The button label offered for matching free text (Russian; translated like every text). */
        title: text,
        keywords: z.array(z.string().min(2)).min(1),
      }),
    )
    .default([]),
  /** Position in the main menu. */
  order: z.number().int().default(100),
  start: nodeId,
  nodes: z.record(nodeId, nodeSchema),
});

export type Flow = z.output<typeof flowSchema>;
export type FlowNode = Flow['nodes'][string];
export type DateExpr = z.output<typeof dateExprSchema>;
export type Next = z.output<typeof nextSchema>;
export type Citation = z.output<typeof citationSchema>;
export type OutcomeNode = Extract<FlowNode, { type: 'outcome' }>;
