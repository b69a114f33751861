/**
 * /start → language → consent → main menu. Until the user agrees, nothing but the
 * language is stored, and every other feature is behind the consent gate at the end.
 */
import { Composer, InlineKeyboard } from 'grammy';
import { isLanguage } from '../../i18n/languages.js';
import { CALLBACK_PATTERNS, cb } from '../callback-data.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { languageKeyboard } from '../keyboards.js';
import { answerCallback, show } from '../show.js';
import { rightsCardKeyboard, rightsCardText, urgentContacts } from '../sos-card.js';
import { showMainMenu } from './menu.js';

export function consentKeyboard(ctx: BotContext) {
  return new InlineKeyboard().text(ctx.t('consent.agree'), cb.consentYes).row().text(ctx.t('consent.decline'), cb.consentNo);
}

/**
 * The terms. When machine translation is set up, they name the provider that will
 * receive a question's text, so the user agrees knowing where it goes.
 */
export function consentText(ctx: BotContext, deps: Pick<BotDeps, 'translationProvider'>): string {
  const base = ctx.t('consent.text');
  if (!deps.translationProvider) return base;
  const provider = deps.translationProvider.replace(/[<>&]/g, '');
  return `${base}\n\n${ctx.t('lawyer-translation.consent-provider', { provider })}`;
}

export function onboarding(deps: BotDeps) {
  const { users, translator, clock } = deps;
  const composer = new Composer<BotContext>();

  const askLanguage = (ctx: BotContext) => show(ctx, ctx.t('language.choose'), languageKeyboard(ctx.t));

  composer.command(['start', 'language'], async (ctx) => askLanguage(ctx));
  composer.callbackQuery(cb.languageMenu, async (ctx) => {
    await answerCallback(ctx);
    await askLanguage(ctx);
  });

  composer.callbackQuery(CALLBACK_PATTERNS.language, async (ctx) => {
    const lng = ctx.match[1];
    if (!isLanguage(lng)) {
      await answerCallback(ctx, ctx.t('expired'));
      return askLanguage(ctx);
    }
    await users.setLanguage(ctx.from.id, lng, clock());
    ctx.lang = lng;
    ctx.t = translator.forLanguage(lng);
    ctx.user = await users.find(ctx.from.id);
    await answerCallback(ctx, ctx.t('language.saved'));
    if (ctx.user?.consentedAt) return showMainMenu(ctx, deps);
    await show(ctx, consentText(ctx, deps), consentKeyboard(ctx));
  });

  composer.callbackQuery(cb.consentYes, async (ctx) => {
    await answerCallback(ctx);
    if (!ctx.user) return askLanguage(ctx);
    await users.setConsent(ctx.from.id, clock());
    ctx.user = { ...ctx.user, consentedAt: clock() };
    await showMainMenu(ctx, deps);
  });

  composer.callbackQuery(cb.consentNo, async (ctx) => {
    await answerCallback(ctx);
    await show(ctx, ctx.t('consent.declined'));
  });

  return composer;
}

/**
 * Stops everything else until the user chose a language and agreed. Someone who is
 * detained gets the rights card and the hot lines at once, before any question.
 */
export function consentGate(deps: BotDeps) {
  const composer = new Composer<BotContext>();
  const sosFirst = async (ctx: BotContext) => {
    if (ctx.callbackQuery) await answerCallback(ctx);
    await show(ctx, rightsCardText(ctx, deps), rightsCardKeyboard(ctx), { edit: false });
    const next = ctx.user ? consentKeyboard(ctx) : languageKeyboard(ctx.t);
    const contacts = await urgentContacts(ctx, deps);
    await show(ctx, `${contacts.text}\n\n${ctx.t('sos.consent-first')}`, contacts.keyboard(next), { edit: false });
  };
  composer.command('sos', async (ctx, next) => (ctx.user?.consentedAt ? next() : sosFirst(ctx)));
  composer.callbackQuery(cb.sos, async (ctx, next) => (ctx.user?.consentedAt ? next() : sosFirst(ctx)));
  composer.use(async (ctx, next) => {
    if (ctx.user?.consentedAt) return next();
    if (ctx.callbackQuery) await answerCallback(ctx);
    if (!ctx.user) return show(ctx, ctx.t('language.choose'), languageKeyboard(ctx.t), { edit: false });
    await show(ctx, `${ctx.t('consent.required')}\n\n${consentText(ctx, deps)}`, consentKeyboard(ctx), { edit: false });
  });
  return composer;
}
