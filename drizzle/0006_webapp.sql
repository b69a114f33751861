CREATE SEQUENCE "public"."web_chat_id_seq" INCREMENT BY 1 MINVALUE 4503599627370496 MAXVALUE 9223372036854775807 START WITH 4503599627370496 CACHE 1;--> statement-breakpoint
CREATE SEQUENCE "public"."web_message_rev_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "web_chats" (
	"chat_id" bigint PRIMARY KEY NOT NULL,
	"recovery_hash" text NOT NULL,
	"language" text DEFAULT 'ru' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "web_chats_recoveryHash_unique" UNIQUE("recovery_hash")
);
--> statement-breakpoint
CREATE TABLE "web_devices" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"chat_id" bigint NOT NULL,
	"push" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "web_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"chat_id" bigint NOT NULL,
	"from" text NOT NULL,
	"html" text NOT NULL,
	"buttons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"edited" boolean DEFAULT false NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	"rev" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "web_devices" ADD CONSTRAINT "web_devices_chat_id_web_chats_chat_id_fk" FOREIGN KEY ("chat_id") REFERENCES "public"."web_chats"("chat_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "web_messages" ADD CONSTRAINT "web_messages_chat_id_web_chats_chat_id_fk" FOREIGN KEY ("chat_id") REFERENCES "public"."web_chats"("chat_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "web_chats_last_seen_at_index" ON "web_chats" USING btree ("last_seen_at");--> statement-breakpoint
CREATE INDEX "web_devices_chat_id_index" ON "web_devices" USING btree ("chat_id");--> statement-breakpoint
CREATE INDEX "web_messages_chat_id_rev_index" ON "web_messages" USING btree ("chat_id","rev");--> statement-breakpoint
CREATE INDEX "web_messages_created_at_index" ON "web_messages" USING btree ("created_at");