import type { Db } from '../../infrastructure/database/kysely';

/**
 * What other modules may read of the users module's data (architecture invariant 13): people by id,
 * for names, contact and role checks. Each read is a query over the caller's executor (`typed(tx)` or
 * `typed(dataSource)`), so it runs in the caller's transaction and can be joined as a subquery
 * (`.innerJoin(usersReader.people(db).as('u'), 'u.id', 'a.userId')`) or interpolated into `sql`.
 * Password hashes and timestamps (but deactivatedAt and deletedAt) stay private to the module.
 */
export const usersReader = {
  people: (db: Db) =>
    db
      .selectFrom('users')
      .select(['id', 'fullName', 'email', 'roles'])
      // Whether sign-in needs a second factor (the staff guard reads it on every request); never the secret.
      .select((eb) => eb('totpEnabledAt', 'is not', null).$castTo<boolean>().as('totpEnabled'))
      // Whether the address is confirmed: exams, submissions, bookings and certificates wait for it.
      .select((eb) => eb('emailVerifiedAt', 'is not', null).$castTo<boolean>().as('emailVerified'))
      // Set while an administrator has deactivated the account: no sign-in, no session, no new work (reviews, panels).
      .select('deactivatedAt')
      // Set once the person deleted the account (pseudonymised, final): their open work is let go as for a deactivation.
      .select('deletedAt'),
  /** When each account was created, with its roles: the administrator dashboard's registrations (no personal data). */
  registrations: (db: Db) => db.selectFrom('users').select(['id', 'roles', 'createdAt']),
};
