/**
 * Checks text against the subset of HTML that Telegram's `parse_mode: HTML` accepts.
 * A flow or alert that Telegram would reject fails at load or save time, not when a
 * migrant is waiting for the answer.
 */

const ALLOWED_TAGS = new Set([
  'b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del',
  'span', 'tg-spoiler', 'a', 'code', 'pre', 'blockquote', 'tg-emoji',
]);
const NAMED_ENTITIES = new Set(['lt', 'gt', 'amp', 'quot']);

/** Returns the problems found (empty when Telegram will accept the text). */
export function checkTelegramHtml(text: string): string[] {
  const problems: string[] = [];
  const open: string[] = [];
  const re = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>|&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);|[<>&]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[2]) {
      const tag = m[2].toLowerCase();
      if (!ALLOWED_TAGS.has(tag)) {
        problems.push(`tag <${tag}> is not allowed by Telegram`);
        continue;
      }
      if (m[1]) {
        const top = open.pop();
        if (top !== tag) problems.push(`</${tag}> closes ${top ? `<${top}>` : 'nothing'}`);
      } else {
        if (tag === 'a' && !/^\s+href="(https?|tg):\/\/[^"]+"\s*$/.test(m[3] ?? '')) {
          problems.push('<a> needs href="https://…" and nothing else');
        }
        open.push(tag);
      }
    } else if (m[4]) {
      if (!m[4].startsWith('#') && !NAMED_ENTITIES.has(m[4])) problems.push(`unknown entity &${m[4]};`);
    } else {
      problems.push(`a bare "${m[0]}" must be written as ${m[0] === '<' ? '&lt;' : m[0] === '>' ? '&gt;' : '&amp;'}`);
    }
  }
  for (const tag of open) problems.push(`<${tag}> is never closed`);
  return problems;
}

/** Escapes user-supplied or interpolated text for Telegram HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
