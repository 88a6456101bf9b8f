import { ConflictException, Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { generateAuthenticationOptions, verifyAuthenticationResponse, type AuthenticationResponseJSON } from '@simplewebauthn/server';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { RateLimiter } from '../../common/rate-limit/rate-limiter';
import { AuditService } from '../audit/audit.service';
import { UsersRepository } from '../users/users.repository';
import { AuthService, type SignedIn, type SignInContext } from './auth.service';
import type { PasskeyAssertionDto, PasskeyRequestOptionsDto } from './dto/passkeys.dto';
import { type ChallengePurpose, PasskeysRepository, type StoredPasskey } from './passkeys.repository';
import { assertReauthAllowed, recordStepUpRefusal } from './reauth-throttle';
import { SessionsRepository } from './sessions.repository';
import { SignInThrottle } from './sign-in-throttle';
import { PASSKEY_CHALLENGE_SECONDS, type RelyingParty, relyingPartyOf, userHandleOf } from './webauthn-relying-party';

// One message for every failed passkey sign-in (unknown passkey, bad signature, used or expired
// challenge, cloned authenticator): which one it was is for the audit log, not for the caller.
const SIGN_IN_FAILED = 'That passkey could not be used to sign in; try again or use your password';
const STEP_UP_FAILED = 'That passkey could not be checked; use one of the passkeys of this account';

/** Why a presented passkey was turned down; the caller answers one message for all of them. */
type Refusal = 'challenge' | 'unknown_passkey' | 'wrong_user' | 'signature' | 'counter_regression' | 'account_closed';
type Refused = { ok: false; refusal: Refusal; passkey?: StoredPasskey };
type Checked<T> = { ok: true; result: T; passkey: StoredPasskey } | Refused;

/**
 * Using a passkey (issue #13): signing in with it alone (possession plus, by user verification, a PIN
 * or biometric: two factors at once) and stepping up with it. Each answer is checked against a
 * stored, single-use challenge, the RP's origin, the passkey's public key and its signature counter.
 */
@Injectable()
export class PasskeySignInService {
  private readonly logger = new Logger(PasskeySignInService.name);
  private readonly rp: RelyingParty;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly passkeys: PasskeysRepository,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly auth: AuthService,
    private readonly throttle: SignInThrottle,
    private readonly audit: AuditService,
    private readonly rateLimiter: RateLimiter,
  ) {
    this.rp = relyingPartyOf(config);
  }

  /** Sign-in options: no allowCredentials, so the browser offers the passkeys it holds for this site. */
  async signInOptions(ip: string): Promise<PasskeyRequestOptionsDto> {
    await this.refuseThrottled(ip);
    const options = await generateAuthenticationOptions({
      rpID: this.rp.id,
      userVerification: 'required',
      timeout: PASSKEY_CHALLENGE_SECONDS * 1000,
    });
    const challengeId = await this.storeChallenge(null, 'sign_in', options.challenge);
    return { challengeId, options: options as unknown as Record<string, unknown> };
  }

  /**
   * Signs in with a passkey alone. Every failure answers the same 401 and counts towards the per-address
   * sign-in limit, as a wrong password does.
   */
  async signIn(dto: PasskeyAssertionDto, client: Omit<SignInContext, 'method'> & { deviceCookie?: string }): Promise<SignedIn> {
    await this.refuseThrottled(client.ip);
    const outcome = await this.check(dto, 'sign_in', null, async (tx, passkey) => {
      const user = await this.users.findById(passkey.userId, tx);
      // A deactivated account gets the same answer as an unknown passkey.
      if (!user || user.deactivatedAt) return null;
      const session = await this.auth.startSession(tx, user, { ...client, method: 'passkey' });
      // The account's answer is built from the entity, which does not know its passkeys: this sign-in shows one.
      Object.assign(session.body.user.secondFactor, { passkey: true, enabled: true });
      // As after a password sign-in: this browser is now a known device of the account.
      return { ...session, deviceCookie: this.throttle.deviceCookieFor(user.id, this.throttle.deviceOf(client.deviceCookie, user.id)) };
    });
    if (outcome.ok && outcome.result) return outcome.result;
    await this.throttle.recordFailure(this.throttle.passkeyCounters(client.ip));
    const failed: Refused = outcome.ok ? { ok: false, refusal: 'account_closed', passkey: outcome.passkey } : outcome;
    if (failed.passkey) {
      await this.append(
        this.dataSource.manager,
        failed.passkey.userId,
        'auth.login_failed',
        { method: 'passkey', reason: failed.refusal, passkeyId: failed.passkey.id },
        null,
        { ip: client.ip },
      );
    }
    throw new UnauthorizedException(SIGN_IN_FAILED);
  }

  /** Step-up options: only the signed-in user's own passkeys are asked for. */
  async stepUpOptions(user: AuthUser): Promise<PasskeyRequestOptionsDto> {
    const mine = await this.passkeys.listFor(this.dataSource.manager, user.id);
    if (!mine.length)
      throw new ConflictException({ message: 'This account has no passkey; confirm with a code instead', reason: 'no_passkey' });
    const options = await generateAuthenticationOptions({
      rpID: this.rp.id,
      userVerification: 'required',
      timeout: PASSKEY_CHALLENGE_SECONDS * 1000,
      allowCredentials: mine.map((p) => ({ id: p.credentialId, transports: p.transports })),
    });
    const challengeId = await this.storeChallenge(user.id, 'step_up', options.challenge);
    return { challengeId, options: options as unknown as Record<string, unknown> };
  }

  /** Proves a second factor again for this session (see RequiresStepUp) with one of the user's own passkeys. */
  async stepUp(user: AuthUser, dto: PasskeyAssertionDto): Promise<void> {
    await assertReauthAllowed(this.rateLimiter, this.config.loginThrottle, user.id, 'failed step-ups');
    const outcome = await this.check(dto, 'step_up', user.id, async (tx, passkey) => {
      await this.sessions.recordSecondFactor(tx, user.sessionFamilyId);
      await this.append(tx, user.id, 'auth.step_up', { method: 'passkey', passkeyId: passkey.id });
      return true;
    });
    if (outcome.ok) return;
    await recordStepUpRefusal(this.rateLimiter, this.config.loginThrottle, user.id);
    if (outcome.passkey) {
      await this.append(this.dataSource.manager, user.id, 'auth.step_up_failed', {
        method: 'passkey',
        reason: outcome.refusal,
        passkeyId: outcome.passkey.id,
      });
    }
    // As a wrong code at POST /api/me/step-up: 401 mfa_invalid (the session itself stays good).
    throw new UnauthorizedException({ message: STEP_UP_FAILED, reason: 'mfa_invalid' });
  }

  /**
   * Checks an assertion: the challenge (used up first, in its own statement), the passkey (the user's own
   * when `userId` is given), the signature, then — with the passkey row locked — the signature counter,
   * which must grow unless the authenticator keeps none (0). A counter that went back means a copy of the
   * authenticator exists: refused and audited. `then` runs in the same transaction as the counter update.
   */
  private async check<T>(
    dto: PasskeyAssertionDto,
    purpose: ChallengePurpose,
    userId: string | null,
    then: (tx: EntityManager, passkey: StoredPasskey) => Promise<T | null>,
  ): Promise<Checked<T | null>> {
    const response = dto.response as unknown as AuthenticationResponseJSON;
    const expected = await this.passkeys.consumeChallenge(this.dataSource.manager, { purpose, userId, id: dto.challengeId });
    if (!expected) return { ok: false, refusal: 'challenge' };
    const found = await this.passkeys.findByCredentialId(this.dataSource.manager, response.id);
    if (!found) return { ok: false, refusal: 'unknown_passkey' };
    if (userId !== null && found.userId !== userId) return { ok: false, refusal: 'wrong_user' };
    // The user handle, when the authenticator gives one, must be the one the passkey was made for.
    if (response.response.userHandle && response.response.userHandle !== Buffer.from(userHandleOf(found.userId)).toString('base64url')) {
      return { ok: false, refusal: 'wrong_user', passkey: found };
    }
    const verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: expected,
      expectedOrigin: this.rp.origin,
      expectedRPID: this.rp.id,
      // The counter is judged below, after the signature, with the row locked.
      credential: { id: found.credentialId, publicKey: new Uint8Array(found.publicKey), counter: 0, transports: found.transports },
      requireUserVerification: true,
    }).catch((error: unknown) => {
      this.logger.warn(`passkey ${found.id} refused: ${(error as Error).message}`);
      return null;
    });
    if (!verified?.verified) return { ok: false, refusal: 'signature', passkey: found };
    const { newCounter } = verified.authenticationInfo;

    return this.dataSource.transaction(async (tx): Promise<Checked<T | null>> => {
      const passkey = await this.passkeys.lockByCredentialId(tx, found.credentialId);
      if (!passkey) return { ok: false, refusal: 'unknown_passkey' } satisfies Refused;
      if ((newCounter > 0 || passkey.counter > 0) && newCounter <= passkey.counter) {
        await this.append(tx, passkey.userId, 'auth.passkey_counter_regression', {
          passkeyId: passkey.id,
          storedCounter: passkey.counter,
          presentedCounter: newCounter,
        });
        return { ok: false, refusal: 'counter_regression', passkey } satisfies Refused;
      }
      await this.passkeys.recordUse(tx, passkey.id, newCounter);
      return { ok: true as const, result: await then(tx, passkey), passkey };
    });
  }

  /** Refuses before any work while the address must wait (the progressive delay of password sign-in, same counter). */
  private refuseThrottled(ip: string): Promise<void> {
    return this.throttle.refuseWhileWaiting(this.throttle.passkeyCounters(ip));
  }

  private storeChallenge(userId: string | null, purpose: ChallengePurpose, challenge: string): Promise<string> {
    return this.passkeys.insertChallenge(this.dataSource.manager, { userId, purpose, challenge, ttlSeconds: PASSKEY_CHALLENGE_SECONDS });
  }

  private append(
    manager: EntityManager,
    userId: string,
    action: string,
    data: Record<string, unknown>,
    actorId: string | null = userId,
    personal?: Record<string, unknown>,
  ): Promise<unknown> {
    return this.audit.append(manager, {
      actorId,
      action,
      subjectType: 'user',
      subjectId: userId,
      data,
      ...(personal && { personal: { userId, data: personal } }),
    });
  }
}
