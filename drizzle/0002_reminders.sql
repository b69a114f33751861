CREATE TABLE "reminder_jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_date_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	"days_before" bigint NOT NULL,
	"for_date" date NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"lease_until" timestamp with time zone,
	"note" text,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "user_dates" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"flow_id" text,
	"node" text,
	"date_id" text,
	"answers" jsonb,
	"document" text,
	"date" date NOT NULL,
	"provisional" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "pending_inputs" ADD COLUMN "target_id" bigint;--> statement-breakpoint
ALTER TABLE "reminder_jobs" ADD CONSTRAINT "reminder_jobs_user_date_id_user_dates_id_fk" FOREIGN KEY ("user_date_id") REFERENCES "public"."user_dates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_dates" ADD CONSTRAINT "user_dates_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reminder_jobs_status_due_at_index" ON "reminder_jobs" USING btree ("status","due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "reminder_jobs_user_date_id_for_date_days_before_due_at_index" ON "reminder_jobs" USING btree ("user_date_id","for_date","days_before","due_at");--> statement-breakpoint
CREATE INDEX "user_dates_user_id_date_index" ON "user_dates" USING btree ("user_id","date");