CREATE TABLE "user_facts" (
	"user_id" bigint NOT NULL,
	"fact" text NOT NULL,
	"value" jsonb NOT NULL,
	"source" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_facts_user_id_fact_pk" PRIMARY KEY("user_id","fact")
);
--> statement-breakpoint
ALTER TABLE "pending_inputs" ADD COLUMN "fact" jsonb;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "remind_deadlines" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "user_facts" ADD CONSTRAINT "user_facts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
-- The citizenship users gave for alerts (or in a flow) becomes their citizenship fact, where it is one
-- of the countries the facts vocabulary names (flows/facts.yaml); users.citizenship stays as the
-- alert audience's column and follows the fact from now on.
INSERT INTO "user_facts" ("user_id", "fact", "value", "source", "updated_at")
SELECT "id", 'citizenship', to_jsonb("citizenship"), 'migration', now() FROM "users"
WHERE "consented_at" IS NOT NULL AND "citizenship" IN ('uz', 'tj', 'kg', 'kz', 'am', 'by', 'az', 'md')
ON CONFLICT DO NOTHING;
