import { BadRequestException, ConflictException, ForbiddenException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { generateRegistrationOptions, verifyRegistrationResponse, type RegistrationResponseJSON } from '@simplewebauthn/server';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { STEP_UP_REQUIRED, stepUpUntil } from '../../common/auth/step-up';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { AuditService } from '../audit/audit.service';
import { needsSecondFactor } from '../users/entities/user.entity';
import { UsersRepository } from '../users/users.repository';
import type { EnrolPasskeyDto, PasskeyCreationOptionsDto, PasskeyDto, PasskeyEnrolledDto } from './dto/passkeys.dto';
import { PasskeysRepository, type StoredPasskey } from './passkeys.repository';
import { SecondFactorService } from './second-factor.service';
import { SessionCheckCache } from './session-check-cache';
import { PASSKEY_CHALLENGE_SECONDS, type RelyingParty, relyingPartyOf, userHandleOf } from './webauthn-relying-party';

const ENROL_FAILED = 'The passkey could not be added: the request expired or the browser answer could not be checked; try again';

/**
 * A person's passkeys (issue #13): adding one (a second factor; for staff, the one they must have),
 * listing and removing them. Signing in and stepping up with one is PasskeySignInService's. Every
 * challenge is stored, single use and short-lived; attestation is not asked for (the platform does
 * not restrict which authenticators people use).
 */
@Injectable()
export class PasskeysService {
  private readonly logger = new Logger(PasskeysService.name);
  private readonly rp: RelyingParty;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly passkeys: PasskeysRepository,
    private readonly users: UsersRepository,
    private readonly secondFactor: SecondFactorService,
    private readonly audit: AuditService,
    private readonly checks: SessionCheckCache,
  ) {
    this.rp = relyingPartyOf(config);
  }

  async list(user: AuthUser): Promise<PasskeyDto[]> {
    return (await this.passkeys.listFor(this.dataSource.manager, user.id)).map(toDto);
  }

  /** Creation options for a new passkey: discoverable (it names its user at sign-in), user verification required. */
  async registrationOptions(user: AuthUser): Promise<PasskeyCreationOptionsDto> {
    const existing = await this.passkeys.listFor(this.dataSource.manager, user.id);
    // Asked here, before the browser's ceremony: a step-up then a retry of the options call loses nothing.
    this.requireRecentSecondFactor(user, Boolean(user.totpEnabled) || existing.length > 0);
    const options = await generateRegistrationOptions({
      rpName: this.rp.name,
      rpID: this.rp.id,
      userName: user.email,
      userDisplayName: user.fullName,
      userID: userHandleOf(user.id),
      timeout: PASSKEY_CHALLENGE_SECONDS * 1000,
      attestationType: 'none',
      // The same authenticator twice would be one factor counted as two.
      excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    });
    await this.passkeys.insertChallenge(this.dataSource.manager, {
      userId: user.id,
      purpose: 'register',
      challenge: options.challenge,
      ttlSeconds: PASSKEY_CHALLENGE_SECONDS,
    });
    return { options: options as unknown as Record<string, unknown> };
  }

  /**
   * Adds the passkey the browser created. The account's first second factor also gets recovery codes,
   * as a TOTP enrolment does: a lost authenticator must not lock anyone out.
   */
  async enrol(user: AuthUser, dto: EnrolPasskeyDto): Promise<PasskeyEnrolledDto> {
    const response = dto.response as unknown as RegistrationResponseJSON;
    // Used up before it is checked, in its own statement: a failed attempt cannot be retried with it.
    const challenge = challengeOf(response);
    const expected =
      challenge && (await this.passkeys.consumeChallenge(this.dataSource.manager, { purpose: 'register', userId: user.id, challenge }));
    if (!expected) throw new BadRequestException(ENROL_FAILED);
    const verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: expected,
      expectedOrigin: this.rp.origin,
      expectedRPID: this.rp.id,
      requireUserVerification: true,
    }).catch((error: unknown) => {
      this.logger.warn(`passkey enrolment of user ${user.id} refused: ${(error as Error).message}`);
      return null;
    });
    if (!verified?.verified) throw new BadRequestException(ENROL_FAILED);
    const { credential } = verified.registrationInfo;

    return this.dataSource.transaction(async (tx) => {
      const state = await this.users.lockTotpState(tx, user.id);
      if (!state) throw new NotFoundException('No such user');
      const first = !state.totpEnabledAt && !(await this.passkeys.hasAny(tx, user.id));
      this.requireRecentSecondFactor(user, !first);
      const passkey = await this.passkeys.insert(tx, {
        userId: user.id,
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey),
        counter: credential.counter,
        transports: credential.transports ?? [],
        name: dto.name,
      });
      if (!passkey) throw new ConflictException({ message: 'This passkey is already registered', reason: 'passkey_exists' });
      const recoveryCodes = first ? await this.secondFactor.replaceRecoveryCodes(tx, user.id) : undefined;
      await this.append(tx, user.id, 'auth.passkey_added', { passkeyId: passkey.id, name: passkey.name, first });
      return { id: passkey.id, name: passkey.name, createdAt: passkey.createdAt.toISOString(), ...(recoveryCodes && { recoveryCodes }) };
    });
  }

  /**
   * Removes a passkey. A candidate may remove their last second factor (the recovery codes go with it,
   * as when TOTP is turned off); a staff account must keep one.
   */
  async remove(user: AuthUser, passkeyId: string): Promise<void> {
    // Whoever has a passkey has a second factor to prove: a stolen session cannot strip the account's factors.
    this.requireRecentSecondFactor(user, true);
    await this.dataSource.transaction(async (tx) => {
      const state = await this.users.lockTotpState(tx, user.id);
      if (!state) throw new NotFoundException('No such user');
      const removed = await this.passkeys.delete(tx, user.id, passkeyId);
      if (!removed) throw new NotFoundException('No such passkey');
      const remaining = Boolean(state.totpEnabledAt) || (await this.passkeys.hasAny(tx, user.id));
      if (!remaining && needsSecondFactor(state.roles)) {
        throw new ConflictException({
          message: 'Staff accounts must keep a second factor: add another passkey or an authenticator app before removing this one',
          reason: 'last_second_factor',
        });
      }
      if (!remaining) await this.secondFactor.dropRecoveryCodes(tx, user.id);
      await this.append(tx, user.id, 'auth.passkey_removed', { passkeyId, name: removed.name, lastSecondFactor: !remaining });
    });
  }

  /**
   * Changing the account's passkeys when it already has a second factor needs a recent proof of one
   * (step-up), as the actions behind RequiresStepUp do: a stolen session must not be able to add the
   * thief's passkey or remove the owner's. An account without a second factor has nothing to prove.
   */
  private requireRecentSecondFactor(user: AuthUser, hasSecondFactor: boolean): void {
    if (!hasSecondFactor || stepUpUntil(user, this.config)) return;
    throw new ForbiddenException({
      message: 'Confirm it is you: enter a code from your authenticator app (or use a passkey) to continue',
      reason: STEP_UP_REQUIRED,
    });
  }

  private async append(tx: EntityManager, userId: string, action: string, data: Record<string, unknown>): Promise<void> {
    await this.audit.append(tx, { actorId: userId, action, subjectType: 'user', subjectId: userId, data });
    await this.secondFactor.tellOwner(tx, userId);
    // The session check says whether the account has a passkey: it is read afresh on this process's next request.
    this.checks.forgetUser(userId);
  }
}

/** The challenge the browser signed, read from clientDataJSON (checked properly by the verification). */
function challengeOf(response: RegistrationResponseJSON): string | null {
  try {
    const clientData = JSON.parse(Buffer.from(response.response.clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof clientData.challenge === 'string' ? clientData.challenge : null;
  } catch {
    return null;
  }
}

function toDto(p: StoredPasskey): PasskeyDto {
  return { id: p.id, name: p.name, createdAt: p.createdAt.toISOString(), lastUsedAt: p.lastUsedAt?.toISOString() ?? null };
}
