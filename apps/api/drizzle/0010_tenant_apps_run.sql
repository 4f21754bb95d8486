CREATE TABLE "app_charges" (
	"install_id" uuid NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"amount_baisa" bigint NOT NULL,
	"charged_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "app_charges_install_id_period_start_pk" PRIMARY KEY("install_id","period_start")
);
--> statement-breakpoint
ALTER TABLE "app_installs" ADD COLUMN "namespace" text;--> statement-breakpoint
UPDATE "app_installs" SET "namespace" = o."slug" || '-' || e."name" FROM "organizations" o, "environments" e WHERE o."id" = "app_installs"."org_id" AND e."id" = "app_installs"."environment_id";--> statement-breakpoint
ALTER TABLE "app_installs" ALTER COLUMN "namespace" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "app_installs" ADD COLUMN "message" text;--> statement-breakpoint
ALTER TABLE "app_installs" ADD COLUMN "paid_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "app_installs" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "environments" ADD COLUMN "deleting_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "plan_id" text DEFAULT 'starter' NOT NULL;--> statement-breakpoint
ALTER TABLE "app_charges" ADD CONSTRAINT "app_charges_install_id_app_installs_id_fk" FOREIGN KEY ("install_id") REFERENCES "public"."app_installs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
UPDATE "app_installs" SET "status" = 'removed' WHERE "status" = 'uninstalled';--> statement-breakpoint
-- Installs made before apps ran were charged their first month when clicked.
UPDATE "app_installs" SET "paid_until" = "created_at" + interval '1 month' WHERE "status" <> 'removed';--> statement-breakpoint
CREATE UNIQUE INDEX "app_installs_one_per_environment" ON "app_installs" USING btree ("environment_id","app_id") WHERE "app_installs"."status" <> 'removed';