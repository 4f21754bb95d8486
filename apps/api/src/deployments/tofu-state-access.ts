import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Db, Executor } from '../database/database.js';

/**
 * OpenTofu's `pg` backend keeps one state table per schema, keyed by ids from this sequence, which
 * it hard-codes in `public` (so the ids, and the advisory locks taken on them, never collide
 * across schemas).
 */
const STATES_ID_SEQUENCE = sql`public.global_states_id_seq`;

export interface TofuDbRole {
  name: string;
  password: string;
}

/** The api's database user may not create roles, so tofu cannot get one of its own. */
export class TofuRoleNotPermitted extends Error {
  constructor(user: string) {
    super(
      `The database user "${user}" may not create roles, so OpenTofu cannot get a role limited to its ` +
        `own state schema. Grant it CREATEROLE (ALTER ROLE "${user}" CREATEROLE), or set ` +
        "CATALYST_TOFU_DB_ROLE=shared to let OpenTofu use the api's own database role.",
    );
  }
}

/** The schema holding one deployment's tofu state; its role has the same name (37 characters). */
export function tofuStateSchema(deploymentId: string): string {
  const name = `tofu_${deploymentId.replace(/-/g, '').toLowerCase()}`;
  // Interpolated into DDL as an identifier; the id is a UUID, so this only guards against misuse.
  if (!/^tofu_[0-9a-f]{32}$/.test(name)) throw new Error(`not a deployment id: ${deploymentId}`);
  return name;
}

/**
 * The `pg` backend settings tofu gets through its environment. The api has already created the
 * schema, table and index (see prepareTofuState), so tofu is told to create nothing: its role
 * may not create in `public`, where the backend would put the id sequence.
 */
export function tofuBackendEnv(
  apiDatabaseUrl: string,
  schema: string,
  role?: TofuDbRole,
): Record<string, string> {
  return {
    PG_CONN_STR: tofuConnectionString(apiDatabaseUrl, role),
    PG_SCHEMA_NAME: schema,
    PG_SKIP_SCHEMA_CREATION: 'true',
    PG_SKIP_TABLE_CREATION: 'true',
    PG_SKIP_INDEX_CREATION: 'true',
  };
}

/** The api's URL with the role's credentials, connecting as the api does. */
export function tofuConnectionString(apiDatabaseUrl: string, role?: TofuDbRole): string {
  const url = new URL(apiDatabaseUrl);
  if (role) {
    url.username = encodeURIComponent(role.name);
    url.password = encodeURIComponent(role.password);
    url.searchParams.delete('user');
    url.searchParams.delete('password');
  }
  // The api (node-postgres) connects without TLS unless the URL asks for it; tofu's driver (lib/pq)
  // would insist on TLS instead, which the embedded PostgreSQL does not offer.
  if (!url.searchParams.has('sslmode')) url.searchParams.set('sslmode', 'disable');
  return url.toString();
}

/**
 * Creates (idempotently) the deployment's state schema, table and index, owned by the api, and,
 * given a role, creates or updates that role (LOGIN, nothing else) and grants it exactly what the
 * backend uses: the state table and the id sequence. The password reaches the server only as a
 * SCRAM verifier, so no statement log ever holds it.
 */
export async function prepareTofuState(db: Db, schema: string, role?: TofuDbRole): Promise<void> {
  await db.transaction(async (tx) => {
    // Replicas prepare deployments concurrently; CREATE … IF NOT EXISTS is not safe against a twin.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('catalyst:tofu-state-setup'))`);
    if (role) await assertMayCreateRoles(tx);
    const s = sql.identifier(schema);
    await tx.execute(sql`create sequence if not exists ${STATES_ID_SEQUENCE} as bigint`);
    await tx.execute(sql`create schema if not exists ${s}`);
    await tx.execute(
      sql`create table if not exists ${s}.states (id bigint not null default nextval('public.global_states_id_seq') primary key, name text unique, data text)`,
    );
    await tx.execute(sql`create unique index if not exists states_by_name on ${s}.states (name)`);
    if (!role) return;

    const r = sql.identifier(role.name);
    const password = sql.raw(pg.escapeLiteral(scramVerifier(role.password)));
    const existing = await tx.execute(sql`select 1 from pg_roles where rolname = ${role.name}`);
    // Created with no attribute but LOGIN (no superuser, createdb, createrole, inheritance, …).
    if (existing.rows.length === 0)
      await tx.execute(sql`create role ${r} login noinherit password ${password}`);
    else await tx.execute(sql`alter role ${r} login password ${password}`);
    await tx.execute(sql`grant usage on schema ${s} to ${r}`);
    await tx.execute(sql`grant select, insert, update, delete on ${s}.states to ${r}`);
    await tx.execute(sql`grant usage on sequence ${STATES_ID_SEQUENCE} to ${r}`);
    // PostgreSQL before 15 lets everyone create in `public`; withdraw that as the 15+ default does.
    // (Only the schema's owner can: for anyone else it is a no-op with a warning.)
    const publicCreate = await tx.execute(
      sql`select has_schema_privilege(${role.name}, 'public', 'CREATE') as granted`,
    );
    if (publicCreate.rows[0]?.granted) await tx.execute(sql`revoke create on schema public from public`);
  });
}

/** Drops a deployment's state schema and the role named after it (if any), in the caller's transaction. */
export async function dropTofuState(tx: Executor, schema: string): Promise<void> {
  await tx.execute(sql`drop schema if exists ${sql.identifier(schema)} cascade`);
  const role = await tx.execute(sql`select 1 from pg_roles where rolname = ${schema}`);
  if (role.rows.length === 0) return;
  const r = sql.identifier(schema);
  const sequence = await tx.execute(sql`select to_regclass('public.global_states_id_seq') as oid`);
  // Its last privilege outside the dropped schema; a role with privileges cannot be dropped.
  if (sequence.rows[0]?.oid) await tx.execute(sql`revoke all on sequence ${STATES_ID_SEQUENCE} from ${r}`);
  await tx.execute(sql`drop role ${r}`);
}

async function assertMayCreateRoles(tx: Executor): Promise<void> {
  const { rows } = await tx.execute(
    sql`select current_user as name, rolsuper or rolcreaterole as allowed from pg_roles where rolname = current_user`,
  );
  const me = rows[0] as { name: string; allowed: boolean } | undefined;
  if (!me?.allowed) throw new TofuRoleNotPermitted(me?.name ?? 'unknown');
}

/** `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, as PostgreSQL stores passwords (RFC 5802). */
function scramVerifier(password: string, iterations = 4096): string {
  const salt = randomBytes(16);
  // The derived passwords are base64url, which SASLprep leaves as they are.
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  const b64 = (b: Buffer) => b.toString('base64');
  return `SCRAM-SHA-256$${iterations}:${b64(salt)}$${b64(storedKey)}:${b64(serverKey)}`;
}
