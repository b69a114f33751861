/**
 * A failed update can be diagnosed from the log: the error's class, message, code
 * and stack, and the update's kind and id; never the user's text or name.
 */
import { Writable } from 'node:stream';
import { DrizzleQueryError } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorFacts } from '../../src/lib/error-facts.js';
import { createLogger } from '../../src/logger.js';
import { createHarness, type Harness, onboard } from '../helpers/harness.js';

const lines: Record<string, unknown>[] = [];
let h: Harness;
beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  h = await createHarness({ logger: createLogger('info', sink) });
});
afterAll(() => h.close());

describe('the log of a failed update', () => {
  it('has the error’s class, message, stack and the update’s kind and id, and no text or name', async () => {
    await onboard(h, 8501, 'ru');
    // Telegram refuses the answer with a 400 (our side's mistake: it is not retried).
    h.api.fail({ method: 'sendMessage', code: 400, description: 'Bad Request: message text is empty' });
    await h.update({
      update_id: 4242,
      message: { message_id: 1, date: 0, chat: { id: 8501, type: 'private' }, from: { id: 8501, is_bot: false, first_name: 'Зарина' }, text: '/help тайные-слова-77', entities: [{ type: 'bot_command', offset: 0, length: 5 }] },
    });
    const line = lines.find((l) => l.msg === 'update failed');
    expect(line).toMatchObject({ level: 50, updateId: 4242, updateKind: 'message' });
    const error = line!.error as Record<string, string>;
    expect(error.class).toBe('GrammyError');
    expect(error.method).toBe('sendMessage');
    expect(error.description).toBe('Bad Request: message text is empty');
    expect(error.message).toMatch(/failed! \(400: Bad Request: message text is empty\)/);
    expect(error.stack).toMatch(/^at .+:\d+:\d+/);
    const all = JSON.stringify(lines);
    expect(all).not.toContain('тайные-слова-77');
    expect(all).not.toContain('Зарина');
  });

  it('keeps a database error’s query but not its parameters or quoted values', () => {
    const cause = Object.assign(new Error('invalid input syntax for type integer: "тайна-88"'), { code: '22P02' });
    const facts = errorFacts(new DrizzleQueryError('insert into case_messages (text) values ($1)', ['тайна-99'], cause));
    expect(facts.class).toBe('DrizzleQueryError');
    expect(facts.message).toBe('Failed query: insert into case_messages (text) values ($1)');
    expect(facts.cause).toMatchObject({ code: '22P02', message: 'invalid input syntax for type integer: "…"' });
    expect(JSON.stringify(facts)).not.toMatch(/тайна/);
  });
});
