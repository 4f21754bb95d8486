-- Tenant organizations' names are held as domain allocations from now on, so no Sovereign and no
-- other organization can take one. Organizations created before get theirs here; a lapsed
-- reservation of such a name gives way, a live holder (a deployment) keeps it.
DELETE FROM "domain_allocations" AS "d"
USING "organizations" AS "o"
WHERE "d"."fqdn" = "o"."fqdn" AND "d"."state" = 'reserved' AND "d"."expires_at" <= now();
--> statement-breakpoint
INSERT INTO "domain_allocations" ("fqdn", "mode", "pool_domain", "subdomain", "state", "created_by", "created_at", "committed_at")
SELECT "fqdn", 'pool', "pool_domain", "slug", 'active', "owner_id", "created_at", "created_at"
FROM "organizations"
ON CONFLICT ("fqdn") DO NOTHING;
