import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { AuditService } from '../audit/audit.service';
import { AccountTokensRepository } from '../auth/account-tokens.repository';
import { SessionsRepository } from '../auth/sessions.repository';
import { IndependenceService } from '../independence/independence.service';
import { type PeopleQueryDto, PeoplePageDto, PersonDetailDto, PersonDto } from './dto/account-admin.dto';
import type { User } from './entities/user.entity';
import { type PeopleFilter, UsersRepository } from './users.repository';
import { CSV_EXPORT_CAP, toCsv } from '../../common/lists/csv';
import { dayRange, pageRequest } from '../../common/lists/list-query';
import { ARGON2_OPTIONS, UsersService } from './users.service';

/** A refusal the People page explains: `reason` lets a client tell them apart. */
function refuse(message: string, reason: 'last_admin' | 'already_deactivated' | 'not_deactivated'): never {
  throw new ConflictException({ message, reason });
}

/**
 * Account administration (issue #13): the People list, deactivation and reactivation, and forced
 * password resets. A change of standing ends the person's sessions in the same transaction, so it
 * holds from the next request; the open work they leave behind is released by the modules that own it
 * (reviews, panels) through the outbox, exactly as their own withdrawal workflows do.
 */
@Injectable()
export class AccountAdminService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly accounts: UsersService,
    private readonly sessions: SessionsRepository,
    private readonly tokens: AccountTokensRepository,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly independence: IndependenceService,
  ) {}

  async search(q: PeopleQueryDto): Promise<PeoplePageDto> {
    const { page, pageSize, offset } = pageRequest(q);
    const { rows, total } = await this.users.search(this.filterOf(q), { limit: pageSize, offset });
    return { items: rows.map(PersonDto.from), total, page, pageSize };
  }

  /** The filtered people as CSV (every page, up to CSV_EXPORT_CAP rows), in the list's order. */
  async exportCsv(q: PeopleQueryDto): Promise<string> {
    const { rows } = await this.users.search(this.filterOf(q), { limit: CSV_EXPORT_CAP, offset: 0 });
    const header = ['id', 'name', 'email', 'roles', 'status', 'email_verified', 'second_factor', 'password_reset_required', 'created_at'];
    return toCsv([
      header,
      ...rows
        .map(PersonDto.from)
        .map((p) => [
          p.id,
          p.fullName,
          p.email,
          p.roles.join(' '),
          p.deactivatedAt ? 'deactivated' : 'active',
          p.emailVerified ? 'yes' : 'no',
          p.secondFactorEnabled ? 'yes' : 'no',
          p.passwordResetRequired ? 'yes' : 'no',
          p.createdAt,
        ]),
    ]);
  }

  private filterOf(q: PeopleQueryDto): PeopleFilter {
    const created = dayRange(q.createdFrom, q.createdTo, ['createdFrom', 'createdTo']);
    const sort = q.sort ?? 'createdAt';
    return {
      query: q.query,
      role: q.role,
      status: q.status,
      createdFrom: created.start,
      createdBefore: created.end,
      sort,
      order: q.order ?? (sort === 'createdAt' ? 'desc' : 'asc'),
    };
  }

  async detail(userId: string): Promise<PersonDetailDto> {
    const person = await this.users.person(userId);
    if (!person) throw new NotFoundException('No such person');
    return PersonDetailDto.from(person);
  }

  /**
   * Deactivates the account: every session ends now, sign-in answers as for a wrong password, and
   * their open reviews and panel seats are released. Nobody acts on their own account or on a case they
   * are party to (403 not_independent), and the last active administrator stays (else nobody could reactivate anyone).
   */
  async deactivate(actor: AuthUser, userId: string, reason: string): Promise<PersonDetailDto> {
    await this.dataSource.transaction(async (tx) => {
      // The administrators' rows first, in one order, then the target's: concurrent changes cannot deadlock.
      const activeAdmins = await this.users.lockActiveAdmins(tx);
      const user = await this.lockTarget(tx, userId);
      await this.independence.assertIndependent(tx, actor.id, user.id);
      if (user.deactivatedAt) refuse('This account is already deactivated', 'already_deactivated');
      if (user.roles.includes('admin') && !activeAdmins.some((id) => id !== user.id))
        refuse('This is the last active administrator; give someone else the admin role first', 'last_admin');
      await this.users.setDeactivated(tx, user.id, reason.trim());
      const sessionsEnded = await this.sessions.endAllForUser(tx, user.id, 'deactivated');
      await this.audit.append(tx, {
        actorId: actor.id,
        action: 'user.deactivated',
        subjectType: 'user',
        subjectId: user.id,
        data: { reason: reason.trim(), sessionsEnded },
      });
      await this.accounts.releaseOpenWork(tx, user.id, actor.id, 'deactivated');
    });
    return this.detail(userId);
  }

  /** The account can sign in again (with its password as it was); work released at deactivation stays released. */
  async reactivate(actor: AuthUser, userId: string, reason: string): Promise<PersonDetailDto> {
    await this.dataSource.transaction(async (tx) => {
      const user = await this.lockTarget(tx, userId);
      await this.independence.assertIndependent(tx, actor.id, user.id);
      if (!user.deactivatedAt) refuse('This account is not deactivated', 'not_deactivated');
      await this.users.clearDeactivated(tx, user.id);
      // Certificates withheld while the account was deactivated follow now (the certificates module decides which).
      await this.outbox.enqueue(tx, JobName.IssueWithheldCertificates, { userId: user.id });
      await this.audit.append(tx, {
        actorId: actor.id,
        action: 'user.reactivated',
        subjectType: 'user',
        subjectId: user.id,
        data: { reason: reason.trim(), deactivatedFor: user.deactivatedReason },
      });
    });
    return this.detail(userId);
  }

  /**
   * The current password stops working at once (replaced by the hash of a random secret nobody holds,
   * so a sign-in attempt costs the same as before and reveals nothing), every session ends, every reset
   * link mailed before stops working (the account may be compromised, its mailbox with it), and the
   * owner is mailed a new reset link through the forgot-password machinery.
   */
  async forcePasswordReset(actor: AuthUser, userId: string, reason: string): Promise<{ message: string }> {
    const unusable = await argon2.hash(randomBytes(32).toString('base64url'), ARGON2_OPTIONS);
    await this.dataSource.transaction(async (tx) => {
      const user = await this.lockTarget(tx, userId);
      // Your own password is changed from your account page (PUT /api/me/password), not by force.
      await this.independence.assertIndependent(tx, actor.id, user.id);
      await this.users.requirePasswordReset(tx, user.id, unusable);
      const sessionsEnded = await this.sessions.endAllForUser(tx, user.id, 'password_reset_forced');
      // The new link is made by the mail job after this commits, so only the earlier ones are spent here.
      const resetLinksSpent = await this.tokens.useAll(tx, user.id, 'reset_password');
      await this.audit.append(tx, {
        actorId: actor.id,
        action: 'user.password_reset_forced',
        subjectType: 'user',
        subjectId: user.id,
        data: { reason: reason.trim(), sessionsEnded, resetLinksSpent },
      });
      await this.outbox.enqueue(tx, JobName.SendPasswordResetEmail, { userId: user.id, forced: true });
    });
    return {
      message:
        "The password no longer works, every session has ended, earlier reset links no longer work, and a new one is on its way to the account's address.",
    };
  }

  private async lockTarget(tx: EntityManager, userId: string): Promise<User> {
    const user = await this.users.lockForStanding(tx, userId);
    if (!user) throw new NotFoundException('No such person');
    return user;
  }
}
