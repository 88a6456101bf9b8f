import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { AuditService } from '../audit/audit.service';
import { IndependenceService } from '../independence/independence.service';
import { SessionsRepository } from '../auth/sessions.repository';
import { AdminNameChangeDto, MyNameChangeDto, NameChangeDto, type RequestNameChangeDto } from './dto/name-change.dto';
import { NameChangesRepository, type NameChangeStatus } from './name-changes.repository';

const PENDING_ALREADY = 'You already have a name change waiting for a decision; cancel it first to ask for a different name';

/**
 * The name on certificates (issue #13): a person asks, with a reason; an administrator other than
 * that person approves or refuses. An approval changes the account's name and has the certificates
 * module re-issue every active certificate under it (ReissueForNameChange, through the outbox).
 */
@Injectable()
export class NameChangesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly requests: NameChangesRepository,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly independence: IndependenceService,
    private readonly sessions: SessionsRepository,
  ) {}

  async mine(user: AuthUser): Promise<MyNameChangeDto> {
    const latest = await this.requests.latestForUser(user.id);
    return { currentName: user.fullName, latest: latest ? NameChangeDto.from(latest) : null };
  }

  async request(user: AuthUser, dto: RequestNameChangeDto): Promise<NameChangeDto> {
    const created = await this.dataSource.transaction(async (tx) => {
      const currentName = await this.requests.lockFullName(tx, user.id);
      if (currentName === null) throw new NotFoundException('No such account');
      if (dto.name === currentName) throw new BadRequestException('name is already the name on your certificates');
      const row = await this.requests.insertPending(tx, { userId: user.id, currentName, requestedName: dto.name, reason: dto.reason });
      if (!row) throw new ConflictException({ message: PENDING_ALREADY, reason: 'name_change_pending' });
      await this.audit.append(tx, {
        actorId: user.id,
        action: 'user.name_change_requested',
        subjectType: 'name_change_request',
        subjectId: row.id,
        data: { userId: user.id },
      });
      return row;
    });
    return NameChangeDto.from(created);
  }

  async cancel(user: AuthUser): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const pending = await this.requests.lockPendingForUser(tx, user.id);
      if (!pending) throw new NotFoundException('You have no name change waiting for a decision');
      await this.requests.cancel(tx, pending.id);
      await this.audit.append(tx, {
        actorId: user.id,
        action: 'user.name_change_cancelled',
        subjectType: 'name_change_request',
        subjectId: pending.id,
        data: { userId: user.id },
      });
    });
  }

  async list(status: NameChangeStatus | undefined): Promise<AdminNameChangeDto[]> {
    return (await this.requests.list(status, 500)).map((r) => AdminNameChangeDto.fromAdmin(r));
  }

  /** The account's name changes with the decision; its active certificates follow through the outbox. */
  async approve(actor: AuthUser, id: string, note: string | undefined): Promise<AdminNameChangeDto> {
    return this.decide(actor, id, 'approved', note?.length ? note : null);
  }

  async refuse(actor: AuthUser, id: string, note: string): Promise<AdminNameChangeDto> {
    return this.decide(actor, id, 'refused', note);
  }

  private async decide(actor: AuthUser, id: string, outcome: 'approved' | 'refused', note: string | null): Promise<AdminNameChangeDto> {
    await this.dataSource.transaction(async (tx) => {
      const request = await this.requests.lockById(tx, id);
      if (!request) throw new NotFoundException('No such name change request');
      // Architecture invariant 11: nobody decides a case they are party to, not even an administrator's own name.
      await this.independence.assertIndependent(tx, actor.id, request.userId);
      if (request.status !== 'pending') throw new ConflictException(`This request was ${request.status} already`);
      await this.requests.decide(tx, id, { status: outcome, decidedBy: actor.id, decisionNote: note });
      if (outcome === 'approved') {
        await this.requests.lockFullName(tx, request.userId);
        await this.requests.setFullName(tx, request.userId, request.requestedName);
        this.sessions.checkAgain(request.userId);
        await this.outbox.enqueue(tx, JobName.ReissueForNameChange, { userId: request.userId, nameChangeRequestId: id });
      }
      await this.audit.append(tx, {
        actorId: actor.id,
        action: `user.name_change_${outcome}`,
        subjectType: 'name_change_request',
        subjectId: id,
        data: { userId: request.userId, note },
      });
      await this.outbox.enqueue(tx, JobName.SendNameChangeOutcome, { nameChangeRequestId: id });
    });
    return AdminNameChangeDto.fromAdmin((await this.requests.findWithRequester(id))!);
  }
}
