CREATE TABLE "chat_turns" (
	"chat_id" bigint PRIMARY KEY NOT NULL,
	"instance" text NOT NULL,
	"previous" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "chat_turns_at_index" ON "chat_turns" USING btree ("at");