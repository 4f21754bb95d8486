CREATE TABLE "deployment_regions" (
	"deployment_id" uuid NOT NULL,
	"region" text NOT NULL,
	"position" integer NOT NULL,
	"provider" text NOT NULL,
	"infrastructure_status" text DEFAULT 'pending' NOT NULL,
	"kubeconfig_status" text DEFAULT 'pending' NOT NULL,
	"bootstrap_kit_status" text DEFAULT 'pending' NOT NULL,
	"error" text,
	"control_plane_ip" text,
	"load_balancer_ip" text,
	"kubeconfig_token_hash" text,
	"kubeconfig_token_expires_at" timestamp with time zone,
	"sealed_kubeconfig" text,
	CONSTRAINT "deployment_regions_deployment_id_region_pk" PRIMARY KEY("deployment_id","region")
);
--> statement-breakpoint
ALTER TABLE "deployment_regions" ADD CONSTRAINT "deployment_regions_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deployment_regions_token_idx" ON "deployment_regions" USING btree ("kubeconfig_token_hash");--> statement-breakpoint
-- Every region of every request gets its row. Runs before this migration built the first region only: it takes
-- the deployment's kubeconfig, addresses and phase outcomes; the others stay pending (never built).
INSERT INTO "deployment_regions" ("deployment_id", "region", "position", "provider", "infrastructure_status",
	"kubeconfig_status", "bootstrap_kit_status", "control_plane_ip", "load_balancer_ip", "kubeconfig_token_hash",
	"kubeconfig_token_expires_at", "sealed_kubeconfig")
SELECT d."id", r.value->>'cloudRegion', (r.ord - 1)::int, r.value->>'provider',
	CASE WHEN r.ord = 1 THEN coalesce((SELECT p."status" FROM "deployment_phases" p WHERE p."deployment_id" = d."id" AND p."name" = 'tofu-output'), 'pending') ELSE 'pending' END,
	CASE WHEN r.ord = 1 THEN coalesce((SELECT p."status" FROM "deployment_phases" p WHERE p."deployment_id" = d."id" AND p."name" = 'flux-bootstrap'), 'pending') ELSE 'pending' END,
	CASE WHEN r.ord = 1 THEN coalesce((SELECT p."status" FROM "deployment_phases" p WHERE p."deployment_id" = d."id" AND p."name" = 'bootstrap-kit'), 'pending') ELSE 'pending' END,
	CASE WHEN r.ord = 1 THEN d."result"->>'controlPlaneIP' END,
	CASE WHEN r.ord = 1 THEN d."result"->>'loadBalancerIP' END,
	CASE WHEN r.ord = 1 THEN d."kubeconfig_token_hash" END,
	CASE WHEN r.ord = 1 THEN d."kubeconfig_token_expires_at" END,
	CASE WHEN r.ord = 1 THEN d."sealed_kubeconfig" END
FROM "deployments" d
CROSS JOIN LATERAL jsonb_array_elements(d."request"->'topology'->'regions') WITH ORDINALITY AS r(value, ord)
ON CONFLICT DO NOTHING;--> statement-breakpoint
ALTER TABLE "deployment_components" ADD COLUMN "region" text;--> statement-breakpoint
UPDATE "deployment_components" c SET "region" = d."request"->'topology'->'regions'->0->>'cloudRegion'
FROM "deployments" d WHERE d."id" = c."deployment_id";--> statement-breakpoint
ALTER TABLE "deployment_components" ALTER COLUMN "region" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "deployment_components" DROP CONSTRAINT "deployment_components_deployment_id_component_id_pk";--> statement-breakpoint
ALTER TABLE "deployment_components" ADD CONSTRAINT "deployment_components_deployment_id_region_component_id_pk" PRIMARY KEY("deployment_id","region","component_id");--> statement-breakpoint
ALTER TABLE "deployments" DROP COLUMN "kubeconfig_token_hash";--> statement-breakpoint
ALTER TABLE "deployments" DROP COLUMN "kubeconfig_token_expires_at";--> statement-breakpoint
ALTER TABLE "deployments" DROP COLUMN "sealed_kubeconfig";
