/**
 * Alert subscriptions: topics (on by default for the topics of flows the user has
 * walked), an optional citizenship for targeting, and /stop_alerts. Users who block
 * the bot are handled in chat-member.ts.
 */
import { Composer, InlineKeyboard } from 'grammy';
import { ALERT_TOPICS } from '../../db/schema/index.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import type { UserRow } from '../../users/user-repository.js';
import { answerCallback, show } from '../show.js';
import { CALLBACK_PATTERNS, cb } from '../callback-data.js';

/** Citizenships offered (ISO alpha-2); "other" is stored as is. */
export const COUNTRIES = ['uz', 'tj', 'kg', 'kz', 'az', 'md', 'am', 'by', 'other'] as const;

export function alertSettings(deps: BotDeps) {
  const { users, clock } = deps;
  const composer = new Composer<BotContext>();

  /**
   * Whether each topic is on: what the user chose, else on for general news and for
   * the topics of flows they walked (the same rule the alert audience query applies).
   */
  const topicsOn = async (user: UserRow) => {
    const walked = new Set((await deps.runs.listResults(user.id, 50)).map((r) => deps.flows.get(r.flowId)?.topic));
    return Object.fromEntries(ALERT_TOPICS.map((t) => [t, user.topics[t] ?? (t === 'general' || walked.has(t))])) as Record<(typeof ALERT_TOPICS)[number], boolean>;
  };

  /** The settings screen for `user` as it is now (after a change: the changed copy, no second read). */
  const render = async (ctx: BotContext, edit: boolean, user: UserRow | undefined = ctx.user, on?: Record<(typeof ALERT_TOPICS)[number], boolean>) => {
    if (!user) return;
    const topics = on ?? (await topicsOn(user));
    const kb = new InlineKeyboard();
    for (const topic of ALERT_TOPICS) {
      kb.text(ctx.t(topics[topic] ? 'alerts.topic-on' : 'alerts.topic-off', { topic: ctx.t(`alerts.topics.${topic}`) }), cb.alertTopic(topic)).row();
    }
    const value = user.citizenship ? ctx.t(`alerts.countries.${user.citizenship}`) : ctx.t('alerts.citizenship-unset');
    kb.text(ctx.t('alerts.citizenship', { value }), cb.citizenshipMenu).row();
    kb.text(ctx.t(user.alertsOff ? 'alerts.resume' : 'alerts.stop'), cb.alertsOff(!user.alertsOff)).row();
    kb.text(ctx.t('nav.menu'), cb.menu);
    const text = user.alertsOff ? `${ctx.t('alerts.title')}\n\n<i>${ctx.t('alerts.off-note')}</i>` : ctx.t('alerts.title');
    await show(ctx, text, kb, { edit });
  };

  composer.command('alerts', (ctx) => render(ctx, false));
  composer.callbackQuery(cb.alerts, async (ctx) => {
    await answerCallback(ctx);
    await render(ctx, true);
  });
  composer.command('stop_alerts', async (ctx) => {
    await users.setAlerts(ctx.from!.id, { alertsOff: true }, clock());
    await show(ctx, ctx.t('alerts.stopped'));
  });

  composer.callbackQuery(CALLBACK_PATTERNS.alertTopic, async (ctx) => {
    const topic = ctx.match[1] as (typeof ALERT_TOPICS)[number];
    await answerCallback(ctx);
    if (!ALERT_TOPICS.includes(topic) || !ctx.user) return render(ctx, true);
    const on = await topicsOn(ctx.user);
    const topics = { ...ctx.user.topics, [topic]: !on[topic] };
    await users.setAlerts(ctx.from.id, { topics }, clock());
    await render(ctx, true, { ...ctx.user, topics }, { ...on, [topic]: !on[topic] });
  });

  composer.callbackQuery(CALLBACK_PATTERNS.alertsOff, async (ctx) => {
    await answerCallback(ctx);
    const alertsOff = ctx.match[1] === '0';
    await users.setAlerts(ctx.from.id, { alertsOff }, clock());
    await render(ctx, true, ctx.user && { ...ctx.user, alertsOff });
  });

  composer.callbackQuery(cb.citizenshipMenu, async (ctx) => {
    await answerCallback(ctx);
    const kb = new InlineKeyboard();
    COUNTRIES.forEach((c, i) => {
      kb.text(ctx.t(`alerts.countries.${c}`), cb.citizenship(c));
      if (i % 2 === 1) kb.row();
    });
    kb.row().text(ctx.t('alerts.skip'), cb.alerts);
    await show(ctx, ctx.t('alerts.choose-citizenship'), kb);
  });
  composer.callbackQuery(CALLBACK_PATTERNS.citizenship, async (ctx) => {
    await answerCallback(ctx);
    const code = ctx.match[1]!;
    if (!(COUNTRIES as readonly string[]).includes(code)) return render(ctx, true);
    // One truth: a country the facts vocabulary names becomes the citizenship fact (which also
    // sets the alert audience's copy); any other code only targets alerts.
    const def = deps.factService.model.facts.citizenship;
    if (def?.type === 'choice' && def.options.some((o) => o.id === code)) await deps.factService.set(ctx.from.id, 'citizenship', code, 'alerts');
    else await users.setAlerts(ctx.from.id, { citizenship: code }, clock());
    await render(ctx, true, ctx.user && { ...ctx.user, citizenship: code });
  });
  return composer;
}
