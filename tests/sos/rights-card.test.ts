/** The rights card is an outcome like any other: a legal basis and a review date, or the bot does not start. */
import { describe, expect, it } from 'vitest';
import { loadRightsCard, parseRightsCard } from '../../src/sos/rights-card.js';

describe('the rights card’s basis', () => {
  it('cites every rule the card states: interpreter, counsel, silence, notice, copies, hold times, appeal', async () => {
    const card = await loadRightsCard('config/sos-card.yaml');
    const cited = card.citations.map((c) => `${c.law} ${c.article ?? ''}`).join(' | ');
    for (const article of ['24.2', '25.10', '25.5', '27.3', '27.4', '28.2', '27.5', '30.3']) expect(cited).toContain(article);
    expect(cited).toMatch(/Конституция РФ 48, 51/);
    expect(card.reviewed_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('refuses a card without citations, naming the file and the field', () => {
    expect(() => parseRightsCard('reviewed_on: 2026-12-06\ncitations: []\n', 'card.yaml')).toThrow(/card\.yaml: citations/);
  });

  it('refuses a card without a review date', () => {
    expect(() => parseRightsCard('citations: [{ law: "КоАП РФ", article: "27.5" }]\n')).toThrow(/reviewed_on/);
  });
});
