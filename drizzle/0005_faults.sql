CREATE TABLE "processed_updates" (
	"source" text NOT NULL,
	"update_id" bigint NOT NULL,
	"handled_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processed_updates_source_update_id_pk" PRIMARY KEY("source","update_id")
);
--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "case_id" bigint;--> statement-breakpoint
CREATE INDEX "processed_updates_handled_at_index" ON "processed_updates" USING btree ("handled_at");--> statement-breakpoint
CREATE INDEX "outbox_case_id_index" ON "outbox" USING btree ("case_id");