CREATE TABLE "domain_allocations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"fqdn" text NOT NULL,
	"mode" text NOT NULL,
	"pool_domain" text,
	"subdomain" text,
	"state" text NOT NULL,
	"expires_at" timestamp with time zone,
	"load_balancer_ip" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"committed_at" timestamp with time zone,
	CONSTRAINT "domain_allocations_fqdn_unique" UNIQUE("fqdn"),
	CONSTRAINT "domain_allocations_mode_check" CHECK ("domain_allocations"."mode" in ('pool', 'byo-manual', 'byo-api')),
	CONSTRAINT "domain_allocations_state_check" CHECK ("domain_allocations"."state" in ('reserved', 'active')),
	CONSTRAINT "domain_allocations_expiry_check" CHECK (("domain_allocations"."state" = 'reserved') = ("domain_allocations"."expires_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "domain_allocations" ADD CONSTRAINT "domain_allocations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "domain_allocations_pool_idx" ON "domain_allocations" USING btree ("pool_domain","state");--> statement-breakpoint
CREATE INDEX "domain_allocations_expiry_idx" ON "domain_allocations" USING btree ("expires_at") WHERE state = 'reserved';