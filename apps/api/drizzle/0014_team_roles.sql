-- Empty for every existing user on purpose: until now every admin role came from CATALYST_ADMIN_EMAILS (which grants
-- it again at the next sign-in) or from a handover, whose subject is the kit's admin e-mail, also in that list.
ALTER TABLE "users" ADD COLUMN "assigned_roles" text[] DEFAULT '{}'::text[] NOT NULL;
