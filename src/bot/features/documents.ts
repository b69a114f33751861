/**
 * "📄 Russian text of …" under an answer: the bot fills the template from what it
 * knows (the user's facts and this run's answers), then sends three things: a short
 * explanation in the user's language, the Russian text as a message to copy, and the
 * same text as a PDF with the fonts embedded, to print or show. Nothing typed for the
 * document is asked or stored: names and numbers are blanks to fill by hand.
 */
import { Composer, InputFile } from 'grammy';
import { documentKeys } from '../../documents/documents.js';
import { documentPlainText, fillDocument } from '../../documents/fill.js';
import { FLOWS_NS } from '../../flow-engine/flow-texts.js';
import { factsOfRun } from '../../flow-engine/step.js';
import { todayIn } from '../../lib/iso-date.js';
import { escapeHtml } from '../../lib/telegram-html.js';
import { CALLBACK_PATTERNS } from '../callback-data.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { answerCallback } from '../show.js';

/** Room for one `<pre>` block in a 4096-character message, its tags and escaping included. */
const MAX_PRE_CHARS = 3500;

/** Cuts the text at line ends into parts that each fit one `<pre>` message. */
export function preParts(text: string, limit = MAX_PRE_CHARS): string[] {
  const parts: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const next = current ? `${current}\n${line}` : line;
    if (escapeHtml(next).length > limit && current) {
      parts.push(current);
      current = line;
    } else current = next;
  }
  if (current) parts.push(current);
  return parts.map((p) => `<pre>${escapeHtml(p)}</pre>`);
}

export function documents(deps: BotDeps) {
  const composer = new Composer<BotContext>();

  composer.callbackQuery(CALLBACK_PATTERNS.russianDocument, async (ctx) => {
    const template = deps.documents?.get(ctx.match[1]!);
    if (!template) {
      await answerCallback(ctx, ctx.t('expired'));
      return;
    }
    await answerCallback(ctx);
    const userId = ctx.from.id;
    const stored = await deps.runs.findFacts(userId);
    const run = await deps.runs.findActive(userId);
    const flow = run && deps.flows.get(run.flowId);
    const facts = flow && run ? factsOfRun(flow, run.answers, stored) : stored;
    const now = deps.clock();
    const filled = fillDocument(template, facts, todayIn(now), deps.factService.model);
    const title = ctx.t(documentKeys.title(template.id), { ns: FLOWS_NS });
    const intro = [
      `📄 <b>${escapeHtml(title)}</b>`,
      ctx.t(documentKeys.explanation(template.id), { ns: FLOWS_NS }),
      filled.blank.length ? ctx.t('documents.blanks') : undefined,
      ctx.t('documents.how-to-use'),
    ].filter(Boolean);
    await ctx.reply(intro.join('\n\n'), { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
    for (const part of preParts(documentPlainText(filled))) await ctx.reply(part, { parse_mode: 'HTML' });
    await ctx.replyWithChatAction('upload_document').catch(() => {});
    // pdf-lib and its font engine load on the first PDF, not at every start (0.3 s of a cold start).
    const { renderDocumentPdf } = await import('../../documents/pdf.js');
    const pdf = await renderDocumentPdf(filled, { createdAt: now });
    await ctx.replyWithDocument(new InputFile(pdf, `${template.id}.pdf`), {
      caption: ctx.t('documents.caption', { title }),
      parse_mode: 'HTML',
    });
    // Only the template's id and counts: never the text, which may hold personal facts.
    deps.logger.info({ document: template.id, filled: filled.filled.length, blank: filled.blank.length }, 'document sent');
  });

  return composer;
}
