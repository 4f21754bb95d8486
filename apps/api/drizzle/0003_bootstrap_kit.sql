CREATE TABLE "deployment_components" (
	"deployment_id" uuid NOT NULL,
	"component_id" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"message" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deployment_components_deployment_id_component_id_pk" PRIMARY KEY("deployment_id","component_id")
);
--> statement-breakpoint
ALTER TABLE "deployment_components" ADD CONSTRAINT "deployment_components_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Runs recorded before these phases existed: a finished run skipped them, any other gets them pending.
INSERT INTO "deployment_phases" ("deployment_id", "name", "position", "status")
SELECT d."id", p."name", p."position", CASE WHEN d."status" IN ('ready', 'wiped') THEN 'skipped' ELSE 'pending' END
FROM "deployments" d
CROSS JOIN (VALUES ('bootstrap-kit', 7), ('handover', 8)) AS p("name", "position")
ON CONFLICT DO NOTHING;
