import type { Db } from '../../infrastructure/database/kysely';

/**
 * What other modules may read of the certificates module (architecture invariant 13), composable into
 * the caller's query as subqueries over the caller's executor.
 */
export const certificatesReader = {
  /** Certificate numbers by what issued them (an AIDA attempt, a portfolio decision, a panel interview). */
  numbers: (db: Db) => db.selectFrom('certificates').select(['number', 'sourceType', 'sourceId', 'userId']),
  /**
   * Certificates as an administrator's view of a person lists them, and as the administrator dashboard counts
   * them (never the PDF, the signed credential or the status-list slot).
   */
  held: (db: Db) => db.selectFrom('certificates').select(['id', 'number', 'userId', 'credential', 'status', 'issuedAt', 'expiresAt']),
  /** Credentials each person has earned (credential events of kind `passed`). */
  passes: (db: Db) => db.selectFrom('credentialEvents').select(['userId', 'credential']).where('kind', '=', 'passed'),
};
