ALTER TABLE "org_members" ADD COLUMN "joined_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- Until now only owners were members, each since their organization was created.
UPDATE "org_members" SET "joined_at" = "organizations"."created_at" FROM "organizations" WHERE "organizations"."id" = "org_members"."org_id";--> statement-breakpoint
ALTER TABLE "org_members" ADD CONSTRAINT "org_members_role" CHECK ("org_members"."role" in ('owner', 'org-admin', 'member'));
