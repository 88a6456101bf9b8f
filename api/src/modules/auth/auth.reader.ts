import type { Db } from '../../infrastructure/database/kysely';

/**
 * What other modules may read of the auth module's data (architecture invariant 13), composable
 * into the caller's query as subqueries over the caller's executor. Never a key, counter or token.
 */
export const authReader = {
  /** Who has at least one passkey (a second factor, like TOTP): the People page shows it. */
  passkeyOwners: (db: Db) => db.selectFrom('passkeys').select('userId').distinct(),
};
