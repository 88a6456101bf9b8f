import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Account administration (issue #13). A deactivated account keeps its row, roles and history (its
 * decisions and certificates still name it) but cannot sign in, and no session of it works:
 * deactivated_at is null for every active account. The reason an administrator gave is kept with
 * the account (and in the audit log) so a later reactivation can be judged against it.
 *
 * password_reset_required_at marks a forced password reset: the password was replaced by an unusable
 * one and a reset link mailed; it clears when the owner sets a new password.
 */
export class AccountStatus1765670400000 implements MigrationInterface {
  name = 'AccountStatus1765670400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN deactivated_at timestamptz`);
    await q.query(`ALTER TABLE users ADD COLUMN deactivated_reason text`);
    await q.query(`ALTER TABLE users ADD COLUMN password_reset_required_at timestamptz`);
    await q.query(
      `ALTER TABLE users ADD CONSTRAINT users_deactivation_has_reason CHECK ((deactivated_at IS NULL) = (deactivated_reason IS NULL))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP CONSTRAINT users_deactivation_has_reason`);
    await q.query(`ALTER TABLE users DROP COLUMN password_reset_required_at`);
    await q.query(`ALTER TABLE users DROP COLUMN deactivated_reason`);
    await q.query(`ALTER TABLE users DROP COLUMN deactivated_at`);
  }
}
