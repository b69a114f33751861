/**
 * Shortens a text at a word boundary and marks the cut with "…", so a summary never
 * ends in half a word (a lawyer reading "патен" cannot tell what was cut).
 */
export function truncateWords(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, Math.max(0, max - 1));
  // Cut at the last space if it keeps most of the room; a single long word is cut hard.
  const space = room.search(/\s\S*$/);
  const cut = space > max * 0.6 ? room.slice(0, space) : room;
  return `${cut.replace(/[\s,;:–—-]+$/, '')}…`;
}
