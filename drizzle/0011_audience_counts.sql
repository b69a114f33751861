CREATE TABLE "audience_counts" (
	"language" text NOT NULL,
	"citizenship" text NOT NULL,
	"topics" jsonb NOT NULL,
	"walked_flows" text[] NOT NULL,
	"users" integer NOT NULL
);
--> statement-breakpoint
-- The alert audience's counts (schema/audience-counts.ts): +1 when a user an alert can reach enters a group, -1 when they leave it.
CREATE FUNCTION "users_audience_counts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD."consented_at" IS NOT NULL AND OLD."blocked_at" IS NULL AND NOT OLD."alerts_off" THEN
    INSERT INTO "audience_counts" ("language", "citizenship", "topics", "walked_flows", "users")
    VALUES (OLD."language", coalesce(OLD."citizenship", ''), OLD."topics", OLD."walked_flows", -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW."consented_at" IS NOT NULL AND NEW."blocked_at" IS NULL AND NOT NEW."alerts_off" THEN
    INSERT INTO "audience_counts" ("language", "citizenship", "topics", "walked_flows", "users")
    VALUES (NEW."language", coalesce(NEW."citizenship", ''), NEW."topics", NEW."walked_flows", 1);
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "users_audience_counts_insert_delete" AFTER INSERT OR DELETE ON "users" FOR EACH ROW EXECUTE FUNCTION "users_audience_counts"();--> statement-breakpoint
CREATE TRIGGER "users_audience_counts_update" AFTER UPDATE ON "users" FOR EACH ROW WHEN (
  OLD."language" IS DISTINCT FROM NEW."language" OR OLD."citizenship" IS DISTINCT FROM NEW."citizenship"
  OR OLD."topics" IS DISTINCT FROM NEW."topics" OR OLD."walked_flows" IS DISTINCT FROM NEW."walked_flows"
  OR (OLD."consented_at" IS NULL) <> (NEW."consented_at" IS NULL) OR (OLD."blocked_at" IS NULL) <> (NEW."blocked_at" IS NULL)
  OR OLD."alerts_off" <> NEW."alerts_off"
) EXECUTE FUNCTION "users_audience_counts"();--> statement-breakpoint
CREATE FUNCTION "users_audience_counts_truncate"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE "audience_counts";
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "users_audience_counts_truncate" AFTER TRUNCATE ON "users" FOR EACH STATEMENT EXECUTE FUNCTION "users_audience_counts_truncate"();--> statement-breakpoint
INSERT INTO "audience_counts" ("language", "citizenship", "topics", "walked_flows", "users")
SELECT "language", coalesce("citizenship", ''), "topics", "walked_flows", count(*)::int FROM "users"
WHERE "consented_at" IS NOT NULL AND "blocked_at" IS NULL AND NOT "alerts_off"
GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
-- Vacuumed after every thousand dead rows, not after a fifth of the table: the table is small and read whole by each count.
ALTER TABLE "audience_counts" SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
