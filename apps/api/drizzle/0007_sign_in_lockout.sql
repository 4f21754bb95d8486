CREATE TABLE "sign_in_failures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"failed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sign_in_guards" (
	"email" text PRIMARY KEY NOT NULL,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
-- Several codes per e-mail: the e-mail is no longer the key (Postgres named the old key login_pins_pkey).
ALTER TABLE "login_pins" DROP CONSTRAINT "login_pins_pkey";--> statement-breakpoint
ALTER TABLE "login_pins" ADD COLUMN "id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
CREATE INDEX "sign_in_failures_email_idx" ON "sign_in_failures" USING btree ("email","failed_at");--> statement-breakpoint
CREATE INDEX "login_pins_email_idx" ON "login_pins" USING btree ("email");