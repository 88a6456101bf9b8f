import { sql } from 'kysely';
import { type DataSource } from 'typeorm';
import { typed } from './kysely';

/** What the connection's role may do to audit_log beyond appending and reading. */
export interface AuditLogExposure {
  role: string;
  superuser: boolean;
  /** Member of the role that owns audit_log: could drop or disable its append-only triggers. */
  ownsAuditLog: boolean;
  /** Holds UPDATE, DELETE or TRUNCATE on audit_log. */
  mayRewrite: boolean;
}

export async function auditLogExposure(dataSource: DataSource): Promise<AuditLogExposure> {
  const { rows } = await sql<{ role: string; superuser: boolean; owns: boolean; rewrite: boolean }>`
    SELECT current_user AS role,
           r.rolsuper AS superuser,
           pg_has_role(current_user, c.relowner, 'MEMBER') AS owns,
           has_table_privilege(current_user, c.oid, 'UPDATE, DELETE, TRUNCATE') AS rewrite
      FROM pg_roles r, pg_class c
     WHERE r.rolname = current_user AND c.oid = 'public.audit_log'::regclass`.execute(typed(dataSource));
  const [row] = rows;
  return { role: row.role, superuser: row.superuser, ownsAuditLog: row.owns, mayRewrite: row.rewrite };
}

/** True when the connection can change audit history (a single-role deployment). */
export function auditLogUnprotected(e: AuditLogExposure): boolean {
  return e.superuser || e.ownsAuditLog || e.mayRewrite;
}
