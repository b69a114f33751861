/**
 * The alert audience is counted from counts per group of users (issue 18), kept by a trigger
 * on `users`. Staff decide whether to send from that number, so it must be the number of users
 * the alert would reach: after any mix of new users, consents, blocks, unsubscribes, topic
 * choices, citizenships, languages, flows walked and deletions, every audience's count equals
 * the count over users, before and after the +1/−1 rows are folded.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import type { AlertAudience } from '../../src/db/schema/index.js';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return (s >>> 16) % n; // the high bits: an LCG's low bits repeat with a short period
  };
}

const AUDIENCES: AlertAudience[] = [
  { everyone: true },
  { topics: ['patent'] },
  { topics: ['registration', 'status'] },
  { topics: ['general'] },
  { languages: ['uz', 'tg'], topics: ['patent'] },
  { citizenships: ['kg'] },
  { citizenships: ['uz', 'tj'], languages: ['ru'] },
];

describe('alert audience counts', () => {
  it('equal the count over users after random changes, before and after folding', async () => {
    const { db } = h.container.database;
    const next = random(18);
    const langs = ['ru', 'uz', 'tg', 'ky', 'az', 'ro', 'en'];
    const countries = [null, 'uz', 'tj', 'kg', 'az', 'md'];
    const flows = ['work-patent', 'registration', 'stay-status', 'sos'];
    const topicChoices = ['{}', '{"patent": false}', '{"registration": true}', '{"status": true, "patent": true}', '{"general": false}'];
    const ids: number[] = [];
    for (let step = 0; step < 400; step++) {
      const id = ids.length && next(4) ? ids[next(ids.length)]! : 800_000 + step;
      switch (ids.includes(id) ? next(8) : -1) {
        case -1:
          await db.execute(sql`insert into users (id, language, consented_at, citizenship) values (${id}, ${langs[next(7)]!}, ${next(5) ? sql`now()` : sql`null`}, ${countries[next(6)]})`);
          ids.push(id);
          break;
        case 0:
          await db.execute(sql`update users set consented_at = case when consented_at is null then now() end where id = ${id}`);
          break;
        case 1:
          await db.execute(sql`update users set blocked_at = case when blocked_at is null then now() end where id = ${id}`);
          break;
        case 2:
          await db.execute(sql`update users set alerts_off = not alerts_off where id = ${id}`);
          break;
        case 3:
          await db.execute(sql`update users set topics = ${topicChoices[next(5)]!}::jsonb where id = ${id}`);
          break;
        case 4:
          await db.execute(sql`update users set citizenship = ${countries[next(6)]}, language = ${langs[next(7)]!} where id = ${id}`);
          break;
        case 5:
        case 6:
          await db.execute(
            sql`insert into flow_results (user_id, flow_id, flow_version, outcome, answers, dates) values (${id}, ${flows[next(4)]!}, 1, 'answer', '{}', '[]')`,
          );
          break;
        default:
          await db.execute(sql`delete from flow_results where user_id = ${id}`);
          await db.execute(sql`delete from users where id = ${id}`);
          ids.splice(ids.indexOf(id), 1);
      }
      // An update that changes nothing an audience looks at adds no row.
      if (step === 200) {
        const before = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from audience_counts`))[0]!.n;
        await db.execute(sql`update users set updated_at = now(), remind_deadlines = not remind_deadlines`);
        expect(rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from audience_counts`))[0]!.n).toBe(before);
      }
    }
    const byTopic = (topic: string) => h.container.flows.list.filter((f) => f.topic === topic).map((f) => f.id);
    // The definition, written over users: reachable, and an explicit topic choice wins, else the flows walked ("general" reaches all).
    const reference = async (a: AlertAudience, languages: string[]) => {
      const topic = (t: string) =>
        t === 'general'
          ? sql`coalesce((u.topics ->> 'general')::boolean, true)`
          : sql`coalesce((u.topics ->> ${t})::boolean, u.walked_flows && ${`{${byTopic(t).join(',')}}`}::text[])`;
      const where = [sql`u.consented_at is not null and u.blocked_at is null and not u.alerts_off`];
      if (!a.everyone) {
        if (a.languages) where.push(sql`u.language = any(${`{${a.languages.join(',')}}`}::text[])`);
        if (a.citizenships) where.push(sql`u.citizenship = any(${`{${a.citizenships.join(',')}}`}::text[])`);
        if (a.topics) where.push(sql`(${sql.join(a.topics.map(topic), sql` or `)})`);
      }
      const [row] = rowsOf<{ recipients: number; fallback: number }>(
        await db.execute(sql`select count(*)::int as recipients, count(*) filter (where not u.language = any(${`{${languages.join(',')}}`}::text[]))::int as fallback
          from users u where ${sql.join(where, sql` and `)}`),
      );
      return { recipients: Number(row!.recipients), fallback: Number(row!.fallback) };
    };
    const check = async () => {
      for (const a of AUDIENCES) expect(await h.container.alerts.audienceSize(a, ['ru', 'uz']), JSON.stringify(a)).toEqual(await reference(a, ['ru', 'uz']));
    };
    await check();
    const rows = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from audience_counts`))[0]!.n;
    // Folding leaves one row per group: far fewer rows, the same counts.
    await db.execute(sql`
      with gone as (delete from audience_counts returning *)
      insert into audience_counts select language, citizenship, topics, walked_flows, sum(users)::int from gone group by 1, 2, 3, 4 having sum(users) <> 0`);
    const folded = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from audience_counts`))[0]!.n;
    expect(folded).toBeLessThan(rows / 2);
    await check();
    expect(ids.length).toBeGreaterThan(50);
  });

  it('folds the rows by itself once they outnumber the groups', async () => {
    const { db } = h.container.database;
    await db.execute(sql`insert into users (id, language, consented_at) select g, 'uz', now() from generate_series(900001, 906000) g`);
    const count = async () => rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from audience_counts`))[0]!.n;
    expect(await count()).toBeGreaterThan(6_000);
    const size = await h.container.alerts.audienceSize({ everyone: true }, ['ru']);
    expect(await count()).toBeLessThan(300);
    expect((await h.container.alerts.audienceSize({ everyone: true }, ['ru'])).recipients).toBe(size.recipients);
  });
});
