/**
 * Checks text against the subset of HTML that Telegram's `parse_mode: HTML` accepts.
 * A flow or alert that Telegram would reject fails at load or save time, not when a
 * migrant is waiting for the answer. One module for the server and both pages (the
 * console's alert editor checks with it; both pages show links by its rule), so
 * they never disagree — they once did on tg:// links. No DOM and no Node here.
 */

/** The tags Telegram's `parse_mode: HTML` accepts. */
export const TELEGRAM_TAGS: ReadonlySet<string> = new Set([
  'b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del',
  'span', 'tg-spoiler', 'a', 'code', 'pre', 'blockquote', 'tg-emoji',
]);
const NAMED_ENTITIES = new Set(['lt', 'gt', 'amp', 'quot']);
/** Links Telegram accepts in `<a href>`: web addresses and tg:// (user and chat links). */
const HREF = /^(https?|tg):\/\/\S+$/i;

/** A link's address if Telegram accepts it (and a page may show it), else null. */
export function safeTelegramHref(raw: string | null | undefined): string | null {
  const href = raw?.trim();
  return href && HREF.test(href) ? href : null;
}

/** One thing Telegram would reject, with what each page needs to say it in its own language. */
export type HtmlProblem =
  | { code: 'tag'; tag: string }
  | { code: 'close'; tag: string; top: string }
  | { code: 'close-nothing'; tag: string }
  | { code: 'href' }
  | { code: 'entity'; entity: string }
  | { code: 'bare'; char: string; escaped: string }
  | { code: 'unclosed'; tag: string };

/** The problems found (empty when Telegram will accept the text). */
export function findTelegramHtmlProblems(text: string): HtmlProblem[] {
  const problems: HtmlProblem[] = [];
  const open: string[] = [];
  const re = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>|&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);|[<>&]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[2]) {
      const tag = m[2].toLowerCase();
      if (!TELEGRAM_TAGS.has(tag)) {
        problems.push({ code: 'tag', tag });
        continue;
      }
      if (m[1]) {
        const top = open.pop();
        if (top !== tag) problems.push(top ? { code: 'close', tag, top } : { code: 'close-nothing', tag });
      } else {
        if (tag === 'a') {
          const href = /^\s+href="([^"]*)"\s*$/.exec(m[3] ?? '')?.[1];
          if (!safeTelegramHref(href)) problems.push({ code: 'href' });
        }
        open.push(tag);
      }
    } else if (m[4]) {
      if (!m[4].startsWith('#') && !NAMED_ENTITIES.has(m[4])) problems.push({ code: 'entity', entity: m[4] });
    } else {
      problems.push({ code: 'bare', char: m[0], escaped: m[0] === '<' ? '&lt;' : m[0] === '>' ? '&gt;' : '&amp;' });
    }
  }
  for (const tag of open) problems.push({ code: 'unclosed', tag });
  return problems;
}

/** A problem in English (server messages, flow checks). */
export function describeHtmlProblem(p: HtmlProblem): string {
  switch (p.code) {
    case 'tag':
      return `tag <${p.tag}> is not allowed by Telegram`;
    case 'close':
      return `</${p.tag}> closes <${p.top}>`;
    case 'close-nothing':
      return `</${p.tag}> closes nothing`;
    case 'href':
      return '<a> needs href="https://…" (or tg://…) and nothing else';
    case 'entity':
      return `unknown entity &${p.entity};`;
    case 'bare':
      return `a bare "${p.char}" must be written as ${p.escaped}`;
    case 'unclosed':
      return `<${p.tag}> is never closed`;
  }
}

/** Returns the problems found, in English (empty when Telegram will accept the text). */
export function checkTelegramHtml(text: string): string[] {
  return findTelegramHtmlProblems(text).map(describeHtmlProblem);
}

/** Escapes user-supplied or interpolated text for Telegram HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
