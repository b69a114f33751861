/**
 * Seeds a PostgreSQL database at scale in a few seconds (generate_series, no round trip
 * per row): users with languages, citizenships, topic choices and flow results, and cases
 * in every status, most closed, as an NGO's database looks after a year. Used by the
 * query-plan test and `npm run bench:api`; the data is made up, never personal.
 */
import type postgres from 'postgres';

export interface ScaleSeed {
  users: number;
  cases: number;
}

/** Inserts the rows, then VACUUM ANALYZE so the planner and index-only scans see them. */
export async function seedScale(sql: postgres.Sql, { users, cases }: ScaleSeed): Promise<void> {
  await sql.unsafe(
    `insert into users (id, language, consented_at, blocked_at, citizenship, alerts_off, topics)
     select g, (array['ru','uz','tg','ky','az','ro','en'])[1 + g % 7],
       case when g % 25 = 0 then null else now() - interval '30 days' end,
       case when g % 50 = 0 then now() end,
       (array['uz','tj','kg','az','md'])[1 + g % 5],
       g % 40 = 0,
       case when g % 10 = 0 then '{"patent": false}'::jsonb when g % 13 = 0 then '{"registration": true}'::jsonb else '{}'::jsonb end
     from generate_series(1, $1::int) g`,
    [users],
  );
  // Two users in three walked a flow, some of them two.
  await sql.unsafe(
    `insert into flow_results (user_id, flow_id, flow_version, outcome, answers, dates)
     select g, (array['work-patent','registration','stay-status','sos'])[1 + g % 4], 1, 'answer', '{"citizenship": "uz"}'::jsonb, '[]'::jsonb
     from generate_series(1, $1::int) g where g % 3 <> 0
     union all
     select g, 'registration', 1, 'answer', '{}'::jsonb, '[]'::jsonb from generate_series(1, $1::int) g where g % 7 = 0`,
    [users],
  );
  // 70% closed, 20% open, 10% claimed; one in ten urgent; a third without a deadline.
  await sql.unsafe(
    `insert into cases (user_id, language, topic, priority, status, citizenship, context, summary_ru, nearest_deadline,
                        created_at, updated_at, first_response_at, closed_at, rating, unread)
     select 1 + g % $2::int, (array['ru','uz','tg','ky','az','ro','en'])[1 + g % 7],
       (array['patent','registration','status','general'])[1 + g % 4],
       case when g % 20 in (0, 8) then 'urgent' else 'normal' end,
       case when g % 10 < 7 then 'closed' when g % 10 < 9 then 'open' else 'claimed' end,
       'uz',
       jsonb_build_object('flows', jsonb_build_array(jsonb_build_object('flowId', 'work-patent', 'outcome', 'answer',
         'answers', jsonb_build_object('citizenship', 'uz', 'entry', '2026-10-01'), 'dates', '[]'::jsonb, 'at', '2026-11-01T10:00:00Z'))),
       'Язык пользователя: узбекский. Раздел «Патент на работу». ' || repeat('Вопрос о сроках оплаты патента. ', 8),
       case when g % 3 = 0 then null else date '2027-01-01' + (g % 300) end,
       now() - make_interval(mins => g), now() - make_interval(mins => g),
       case when g % 10 < 7 or g % 10 = 9 then now() - make_interval(mins => g) + interval '2 hours' end,
       case when g % 10 < 7 then now() - make_interval(mins => g) + interval '2 days' end,
       case when g % 10 < 7 and g % 2 = 0 then 1 + g % 5 end,
       g % 10 = 9
     from generate_series(1, $1::int) g`,
    [cases, users],
  );
  await sql.unsafe('vacuum analyze users');
  await sql.unsafe('vacuum analyze flow_results');
  await sql.unsafe('vacuum analyze cases');
}
