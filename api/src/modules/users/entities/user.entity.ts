import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const ROLES = ['candidate', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Staff roles: their accounts must sign in with a second factor and cannot turn it off (issue #13). */
export const STAFF_ROLES: readonly Role[] = ['admin', 'reviewer'];
export const needsSecondFactor = (roles: readonly Role[]): boolean => roles.some((role) => STAFF_ROLES.includes(role));

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  email: string;

  @Column('text', { name: 'full_name' })
  fullName: string;

  @Column('text', { name: 'password_hash', select: false })
  passwordHash: string;

  @Column('text', { array: true })
  roles: Role[];

  /** The TOTP seed sealed by TotpSecretBox (context: the user id); set when an enrolment starts. */
  @Column('text', { name: 'totp_secret', nullable: true, select: false })
  totpSecret: string | null;

  /** Set when the enrolment was confirmed with a code: from then on sign-in needs a second factor. */
  @Column('timestamptz', { name: 'totp_enabled_at', nullable: true })
  totpEnabledAt: Date | null;

  /** The last RFC 6238 time step accepted, so that a code cannot be used twice. */
  @Column('bigint', { name: 'totp_last_step', nullable: true, select: false })
  totpLastStep: string | null;

  /** null until the person proves they read mail at this address (self-registration); set at creation for CLI and seed accounts. */
  @Column('timestamptz', { name: 'email_verified_at', nullable: true })
  emailVerifiedAt: Date | null;

  @Column('timestamptz', { name: 'password_changed_at', default: () => 'now()' })
  passwordChangedAt: Date;

  /** Set while an administrator has deactivated the account: it cannot sign in and no session of it works. */
  @Column('timestamptz', { name: 'deactivated_at', nullable: true })
  deactivatedAt: Date | null;

  @Column('text', { name: 'deactivated_reason', nullable: true })
  deactivatedReason: string | null;

  /** Set by an administrator's forced reset (the password was replaced by an unusable one); cleared by a new password. */
  @Column('timestamptz', { name: 'password_reset_required_at', nullable: true })
  passwordResetRequiredAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
