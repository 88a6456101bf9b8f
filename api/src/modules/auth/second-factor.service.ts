import { BadRequestException, ConflictException, ForbiddenException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { TotpSecretBox } from '../../common/auth/secret-box';
import { STEP_UP_REQUIRED, stepUpUntil } from '../../common/auth/step-up';
import { base32Decode, generateTotpSecret, matchTotp, otpauthUri } from '../../common/auth/totp';
import { TooManyRequestsException } from '../../common/errors/too-many-requests.exception';
import { RateLimiter } from '../../common/rate-limit/rate-limiter';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { AuditService } from '../audit/audit.service';
import { needsSecondFactor } from '../users/entities/user.entity';
import { type TotpState, UsersRepository } from '../users/users.repository';
import type { RecoveryCodesDto, TotpEnrolmentDto } from './dto/second-factor.dto';
import { generateRecoveryCodes, hashRecoveryCode, normaliseRecoveryCode } from './recovery-codes';
import { PasskeysRepository } from './passkeys.repository';
import { RecoveryCodesRepository } from './recovery-codes.repository';
import { SessionCheckCache } from './session-check-cache';

export type SecondFactorKind = 'totp' | 'recovery_code';
/** What a sign-in may finish with, as the 401 `methods` lists them: an app code, or a passkey (own endpoints). */
export type SecondFactorMethod = 'totp' | 'passkey';
export type SignInCheck =
  { ok: true; factor: SecondFactorKind | null } | { ok: false; reason: 'mfa_required' | 'mfa_invalid'; methods: SecondFactorMethod[] };

const WRONG_CODE = 'That code is not right; enter the current code from your authenticator app';

/**
 * TOTP (RFC 6238) as a second factor, with one-time recovery codes. The seed is stored sealed
 * (TotpSecretBox), the codes hashed; a code's time step is recorded when it is accepted so that no
 * code works twice. Staff accounts (admin, reviewer) must keep it on.
 */
@Injectable()
export class SecondFactorService {
  private readonly logger = new Logger(SecondFactorService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly recoveryCodes: RecoveryCodesRepository,
    private readonly passkeys: PasskeysRepository,
    private readonly box: TotpSecretBox,
    private readonly rateLimiter: RateLimiter,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly checks: SessionCheckCache,
  ) {}

  /**
   * The second step of a sign-in, after the password, in the caller's transaction (the one that issues
   * the session): an accepted code is used up only if the session is issued. An account whose only
   * second factor is a passkey finishes with the passkey (its own endpoints), or here with a recovery code.
   */
  async checkAtSignIn(tx: EntityManager, user: { id: string; totpEnabledAt: Date | null }, otp: string | undefined): Promise<SignInCheck> {
    const passkey = await this.passkeys.hasAny(tx, user.id);
    if (!user.totpEnabledAt && !passkey) return { ok: true, factor: null };
    const methods: SecondFactorMethod[] = user.totpEnabledAt ? (passkey ? ['totp', 'passkey'] : ['totp']) : ['passkey'];
    if (!otp) return { ok: false, reason: 'mfa_required', methods };
    const state = await this.users.lockTotpState(tx, user.id);
    if (!state?.totpEnabledAt && !passkey) return { ok: true, factor: null }; // turned off since the password was checked
    const factor = state && (await this.useCode(tx, user.id, state, otp));
    return factor ? { ok: true, factor } : { ok: false, reason: 'mfa_invalid', methods };
  }

  /**
   * A step-up in the caller's transaction: the current TOTP code or an unused recovery code (used up).
   * Null for a wrong code; 'totp_not_enabled' for an app code when TOTP is off (a passkey-only account
   * steps up with its passkey or a recovery code; a half-finished enrolment's secret is not in force).
   */
  async checkForStepUp(tx: EntityManager, userId: string, code: string): Promise<SecondFactorKind | 'totp_not_enabled' | null> {
    const state = await this.users.lockTotpState(tx, userId);
    if (!state) return null;
    if (state.totpEnabledAt) return this.useCode(tx, userId, state, code);
    if (/^\d{6}$/.test(code.replace(/\s/g, ''))) return 'totp_not_enabled';
    return this.useCode(tx, userId, { ...state, totpSecret: null }, code);
  }

  /** Starts (or restarts) an enrolment: a new secret, stored sealed, not yet in force. */
  async startTotp(user: AuthUser): Promise<TotpEnrolmentDto> {
    return this.dataSource.transaction(async (tx) => {
      const state = await this.lockedState(tx, user.id);
      if (state.totpEnabledAt) throw new ConflictException('Two-step sign-in is already on for this account');
      // An account with a passkey already has a second factor: adding an app (which also replaces the
      // recovery codes) needs it proven recently, so a stolen session cannot add the thief's app.
      if (!stepUpUntil(user, this.config) && (await this.passkeys.hasAny(tx, user.id))) {
        throw new ForbiddenException({ message: 'Confirm it is you with your passkey to continue', reason: STEP_UP_REQUIRED });
      }
      const secret = generateTotpSecret();
      await this.users.startTotpEnrolment(tx, user.id, this.box.seal(secret, user.id));
      return { secret, otpauthUri: otpauthUri(secret, state.email, this.config.issuerName) };
    });
  }

  /** Turns TOTP on once the user shows a code from the new secret; answers the first recovery codes. */
  async confirmTotp(user: AuthUser, code: string): Promise<RecoveryCodesDto> {
    return this.throttled(user.id, () =>
      this.dataSource.transaction(async (tx) => {
        const state = await this.lockedState(tx, user.id);
        if (state.totpEnabledAt) throw new ConflictException('Two-step sign-in is already on for this account');
        if (!state.totpSecret) throw new BadRequestException('Start the set-up first: no authenticator secret is waiting to be confirmed');
        const secret = this.openSecret(user.id, state.totpSecret);
        const step = secret ? matchTotp(secret, code) : null;
        if (step === null) throw new WrongCodeError();
        await this.users.enableTotp(tx, user.id, step);
        const recoveryCodes = await this.replaceRecoveryCodes(tx, user.id);
        await this.append(tx, user.id, 'auth.totp_enabled', { via: 'enrolment' });
        return { recoveryCodes };
      }),
    );
  }

  /** Turns TOTP off (candidates, or staff who keep a passkey) after a current code or a recovery code; the recovery codes go with it. */
  async disableTotp(user: AuthUser, code: string): Promise<void> {
    await this.throttled(user.id, () =>
      this.dataSource.transaction(async (tx) => {
        const state = await this.lockedState(tx, user.id);
        const passkey = await this.passkeys.hasAny(tx, user.id);
        if (needsSecondFactor(state.roles) && !passkey) throw new ConflictException('Staff accounts must keep a second factor');
        if (!state.totpEnabledAt) throw new ConflictException('Two-step sign-in is not on for this account');
        const factor = await this.useCode(tx, user.id, state, code);
        if (!factor) throw new WrongCodeError();
        await this.users.disableTotp(tx, user.id);
        // The recovery codes stand in for any second factor: they stay while a passkey does.
        if (!passkey) await this.recoveryCodes.deleteAll(tx, user.id);
        await this.append(tx, user.id, 'auth.totp_disabled', { with: factor });
      }),
    );
  }

  /** A new set of recovery codes (after a current code or a recovery code); the old set stops working. */
  async replaceRecoveryCodesFor(user: AuthUser, code: string): Promise<RecoveryCodesDto> {
    return this.throttled(user.id, () =>
      this.dataSource.transaction(async (tx) => {
        const state = await this.lockedState(tx, user.id);
        if (!state.totpEnabledAt) throw new ConflictException('Turn on two-step sign-in first');
        const factor = await this.useCode(tx, user.id, state, code);
        if (!factor) throw new WrongCodeError();
        const recoveryCodes = await this.replaceRecoveryCodes(tx, user.id);
        await this.append(tx, user.id, 'auth.recovery_codes_replaced', { with: factor });
        return { recoveryCodes };
      }),
    );
  }

  /** Accepts a TOTP code of a step later than any used before, or consumes an unused recovery code. */
  private async useCode(tx: EntityManager, userId: string, state: TotpState, code: string): Promise<SecondFactorKind | null> {
    const digits = code.replace(/\s/g, '');
    if (/^\d{6}$/.test(digits)) {
      const secret = state.totpSecret && this.openSecret(userId, state.totpSecret);
      const step = secret ? matchTotp(secret, digits) : null;
      return step !== null && (await this.users.useTotpStep(tx, userId, step)) ? 'totp' : null;
    }
    const recovery = normaliseRecoveryCode(code);
    if (!recovery || !(await this.recoveryCodes.consume(tx, userId, hashRecoveryCode(userId, recovery)))) return null;
    const remaining = await this.recoveryCodes.countUnused(tx, userId);
    await this.audit.append(tx, {
      actorId: userId,
      action: 'auth.recovery_code_used',
      subjectType: 'user',
      subjectId: userId,
      data: { remaining },
    });
    return 'recovery_code';
  }

  /** A new set of recovery codes for the account (also on its first passkey); answers them, to be shown once. */
  async replaceRecoveryCodes(tx: EntityManager, userId: string): Promise<string[]> {
    const codes = generateRecoveryCodes();
    await this.recoveryCodes.replaceAll(
      tx,
      userId,
      codes.map((c) => hashRecoveryCode(userId, c)),
    );
    return codes;
  }

  /** The account's last second factor has gone: its recovery codes go too. */
  async dropRecoveryCodes(tx: EntityManager, userId: string): Promise<void> {
    await this.recoveryCodes.deleteAll(tx, userId);
  }

  /** The seed, or null when it cannot be opened (the key changed: then only a recovery code signs in). */
  private openSecret(userId: string, sealed: string): Buffer | null {
    try {
      return base32Decode(this.box.open(sealed, userId));
    } catch {
      this.logger.error(
        `The TOTP secret of user ${userId} cannot be decrypted: was TOTP_ENCRYPTION_KEY (or JWT_SECRET, without it) changed?`,
      );
      return null;
    }
  }

  private async lockedState(tx: EntityManager, userId: string): Promise<TotpState> {
    const state = await this.users.lockTotpState(tx, userId);
    if (!state) throw new NotFoundException('No such user');
    return state;
  }

  /**
   * Wrong codes on these routes count like failed sign-ins (the same limits, per account), so a stolen
   * session cannot guess its way to turning the second factor off.
   */
  private async throttled<T>(userId: string, work: () => Promise<T>): Promise<T> {
    const key = `second-factor:user:${userId}`;
    const { windowSeconds, maxFailuresPerAccount } = this.config.loginThrottle;
    const window = await this.rateLimiter.peek(key, windowSeconds);
    if (window.hits >= maxFailuresPerAccount) {
      const retryAfter = Math.max(1, Math.ceil((window.resetsAt.getTime() - Date.now()) / 1000));
      throw new TooManyRequestsException(`Too many wrong codes; try again in ${retryAfter} seconds`, retryAfter);
    }
    try {
      const result = await work();
      await this.rateLimiter.reset(key);
      return result;
    } catch (error) {
      if (!(error instanceof WrongCodeError)) throw error;
      await this.rateLimiter.hit(key, windowSeconds);
      throw new BadRequestException(WRONG_CODE);
    }
  }

  private async append(tx: EntityManager, userId: string, action: string, data: Record<string, unknown>): Promise<void> {
    await this.audit.append(tx, { actorId: userId, action, subjectType: 'user', subjectId: userId, data });
    await this.tellOwner(tx, userId);
    // The session check says whether TOTP is on: it is read afresh on this process's next request.
    this.checks.forgetUser(userId);
  }

  /**
   * Mails the owner that a sign-in factor was added, removed or replaced (ASVS 2.5.5), in the transaction
   * of the change: someone holding a stolen session learns nothing, the owner learns at once.
   */
  async tellOwner(tx: EntityManager, userId: string): Promise<void> {
    await this.outbox.enqueue(tx, JobName.SendAccountNotice, { userId, notice: 'second_factor_changed' });
  }
}

/** Thrown inside the transaction so that it rolls back, then answered as a 400 by `throttled`. */
class WrongCodeError extends Error {}
