import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import { DataSource, EntityManager } from 'typeorm';
import { JobName } from '../../infrastructure/queue/job-names';
import type { StandingLoss } from '../../infrastructure/queue/job-payloads';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { TotpSecretBox } from '../../common/auth/secret-box';
import { base32Decode, base32Encode, isUsableTotpSecret } from '../../common/auth/totp';
import { AuditService } from '../audit/audit.service';
import { IndependenceService } from '../independence/independence.service';
import { SessionsRepository } from '../auth/sessions.repository';
import { Role, ROLES, User } from './entities/user.entity';
import { UsersRepository } from './users.repository';

export interface NewUser {
  email: string;
  password: string;
  fullName: string;
  roles?: Role[];
  /** A base32 TOTP secret the account signs in with from the start (operators only: 'cli', e.g. for automation). */
  totpSecret?: string;
}

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane).
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly totpBox: TotpSecretBox,
    private readonly independence: IndependenceService,
    private readonly sessions: SessionsRepository,
  ) {}

  findById(id: string): Promise<User | null> {
    return this.users.findById(id);
  }

  /**
   * Creates the account, its audit entry and its first e-mail job in one transaction. Accounts made by
   * an operator ('cli', 'seed') are verified and welcomed; a 'register' account is unverified and gets
   * the verification mail instead.
   */
  async create(input: NewUser, actorId: string | null, via: 'register' | 'cli' | 'seed'): Promise<User> {
    const email = normaliseEmail(input.email);
    if (input.totpSecret !== undefined && via !== 'cli') throw new BadRequestException('Only an operator can set a TOTP secret');
    if (input.totpSecret !== undefined && !isUsableTotpSecret(input.totpSecret)) {
      throw new BadRequestException('The TOTP secret must be base32 (A–Z, 2–7) of at least 16 characters (80 bits)');
    }
    const passwordHash = await argon2.hash(input.password, ARGON2_OPTIONS);
    const roles = input.roles?.length ? input.roles : (['candidate'] as Role[]);
    try {
      return await this.dataSource.transaction(async (tx) => {
        const user = await this.insertAccount(tx, { email, fullName: input.fullName, roles }, passwordHash, actorId, via);
        return input.totpSecret === undefined ? user : this.enableTotpWithSecret(tx, user, input.totpSecret, actorId);
      });
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new ConflictException('An account with this email already exists');
      }
      throw error;
    }
  }

  /**
   * Creates many accounts sharing one password, hashed once (argon2 per account would dominate a
   * simulation or a benchmark set-up). Each account gets its audit entry and welcome e-mail as usual.
   */
  async createMany(inputs: Array<Omit<NewUser, 'password'>>, password: string, actorId: string | null): Promise<User[]> {
    return this.createManyWithHash(inputs, await hashPassword(password), actorId);
  }

  /** createMany with a hash the caller made once (`hashPassword`), so that batches of accounts in turn share it. */
  async createManyWithHash(inputs: Array<Omit<NewUser, 'password'>>, passwordHash: string, actorId: string | null): Promise<User[]> {
    return this.dataSource.transaction(async (tx) => {
      const created: User[] = [];
      for (const input of inputs) {
        const roles = input.roles?.length ? input.roles : (['candidate'] as Role[]);
        created.push(
          await this.insertAccount(
            tx,
            { email: normaliseEmail(input.email), fullName: input.fullName, roles },
            passwordHash,
            actorId,
            'cli',
          ),
        );
      }
      return created;
    });
  }

  /** TOTP on from the start with the operator's secret (stored sealed, in its canonical base32 form). */
  private async enableTotpWithSecret(tx: EntityManager, user: User, secret: string, actorId: string | null): Promise<User> {
    const sealed = this.totpBox.seal(base32Encode(base32Decode(secret)), user.id);
    await this.users.enableTotpWithSecret(tx, user.id, sealed);
    await this.audit.append(tx, {
      actorId: actorId ?? user.id,
      action: 'auth.totp_enabled',
      subjectType: 'user',
      subjectId: user.id,
      data: { via: 'cli' },
    });
    return { ...user, totpEnabledAt: new Date() };
  }

  /** The account row, its audit entry and its welcome e-mail job, in the caller's transaction. */
  private async insertAccount(
    tx: EntityManager,
    a: { email: string; fullName: string; roles: Role[] },
    passwordHash: string,
    actorId: string | null,
    via: 'register' | 'cli' | 'seed',
  ): Promise<User> {
    const emailVerifiedAt = via === 'register' ? null : new Date();
    const user = await this.users.insert(tx, {
      email: a.email,
      fullName: a.fullName.trim(),
      passwordHash,
      roles: a.roles,
      emailVerifiedAt,
    });
    await this.audit.append(tx, {
      actorId: actorId ?? user.id,
      action: 'user.created',
      subjectType: 'user',
      subjectId: user.id,
      data: { roles: a.roles, via },
    });
    await this.outbox.enqueue(tx, via === 'register' ? JobName.SendVerificationEmail : JobName.SendWelcomeEmail, { userId: user.id });
    return user;
  }

  /**
   * Self-registration that reveals nothing: a new address gets an unverified account (audited, with its
   * verification mail); an address with an account already is left untouched and null comes back, so
   * the caller can notify its owner instead. The same statements run either way.
   */
  async registerIfNew(tx: EntityManager, a: { email: string; fullName: string; passwordHash: string }): Promise<string | null> {
    const userId = await this.users.insertIfNew(tx, { ...a, email: normaliseEmail(a.email), fullName: a.fullName.trim() });
    if (!userId) return null;
    await this.audit.append(tx, {
      actorId: userId,
      action: 'user.created',
      subjectType: 'user',
      subjectId: userId,
      data: { roles: ['candidate'], via: 'register' },
    });
    await this.outbox.enqueue(tx, JobName.SendVerificationEmail, { userId });
    return userId;
  }

  async setRoles(actorId: string, userId: string, roles: Role[]): Promise<User> {
    const unique = ROLES.filter((r) => roles.includes(r));
    return this.dataSource.transaction(async (tx) => {
      const user = await this.users.findById(userId, tx);
      if (!user) throw new NotFoundException('No such user');
      // Invariant 11: nobody changes their own roles (becoming their own reviewer, or their own last admin's keeper),
      // nor those of a person whose case they are party to.
      await this.independence.assertIndependent(tx, actorId, userId);
      await this.users.updateRoles(tx, userId, unique);
      this.sessions.checkAgain(userId);
      await this.audit.append(tx, {
        actorId,
        action: 'user.roles_changed',
        subjectType: 'user',
        subjectId: userId,
        data: { from: user.roles, to: unique },
      });
      // Access ends with the role on the next request (roles are read per request); the open work goes back too.
      if (user.roles.includes('reviewer') && !unique.includes('reviewer')) {
        await this.releaseOpenWork(tx, userId, actorId, 'reviewer_role_removed');
      }
      return { ...user, roles: unique };
    });
  }

  /**
   * Hands a person's open work back to the modules that own it, in the caller's transaction (the one
   * that changed their standing): the reviews module withdraws their open assignments, the panels
   * module their seats on panels not yet sat (and cancels a deactivated candidate's booking).
   */
  async releaseOpenWork(tx: EntityManager, userId: string, actorId: string, cause: StandingLoss): Promise<void> {
    await this.outbox.enqueue(tx, JobName.ReleaseReviewerAssignments, { userId, actorId, cause });
    await this.outbox.enqueue(tx, JobName.ReleasePanelSeats, { userId, actorId, cause });
  }
}
