ALTER TABLE "users" ADD COLUMN "walked_flows" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE INDEX "cases_queue_active_idx" ON "cases" USING btree ((case when "priority" = 'urgent' then 0 else 1 end),coalesce("nearest_deadline", '9999-12-31'::date),"created_at","id") WHERE "cases"."status" in ('open', 'claimed');--> statement-breakpoint
CREATE INDEX "cases_queue_all_idx" ON "cases" USING btree ((case when "priority" = 'urgent' then 0 else 1 end),coalesce("nearest_deadline", '9999-12-31'::date),"created_at","id");--> statement-breakpoint
CREATE INDEX "cases_stats_idx" ON "cases" USING btree ("status","topic","language","created_at","first_response_at","closed_at","rating");--> statement-breakpoint
CREATE INDEX "flow_results_flow_user_idx" ON "flow_results" USING btree ("flow_id","user_id");--> statement-breakpoint
CREATE INDEX "users_walked_flows_idx" ON "users" USING gin ("walked_flows");--> statement-breakpoint
CREATE INDEX "users_topics_idx" ON "users" USING gin ("topics" jsonb_path_ops);--> statement-breakpoint
-- The alert audience's "walked one of the topic's flows": each result adds its flow to the user's walked_flows (audience_topics).
CREATE FUNCTION "users_add_walked_flow"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "users" SET "walked_flows" = array_append("walked_flows", NEW."flow_id")
  WHERE "id" = NEW."user_id" AND NOT (NEW."flow_id" = ANY ("walked_flows"));
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "flow_results_walked_flows" AFTER INSERT ON "flow_results" FOR EACH ROW EXECUTE FUNCTION "users_add_walked_flow"();--> statement-breakpoint
UPDATE "users" u SET "walked_flows" = s.f FROM (SELECT "user_id", array_agg(DISTINCT "flow_id" ORDER BY "flow_id") AS f FROM "flow_results" GROUP BY "user_id") s WHERE s."user_id" = u."id";--> statement-breakpoint
-- Counting an audience scans users once; with two cores a parallel scan's start costs more than it saves.
ALTER TABLE "users" SET (parallel_workers = 0);
