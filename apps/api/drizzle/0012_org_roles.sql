-- Organisation roles are named as issue #15 names them: owner, org-admin, member.
UPDATE "org_members" SET "role" = 'org-admin' WHERE "role" = 'admin';
