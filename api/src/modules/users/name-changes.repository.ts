import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';

export type NameChangeStatus = 'pending' | 'approved' | 'refused' | 'cancelled';

export interface NameChangeRequest {
  id: string;
  userId: string;
  currentName: string;
  requestedName: string;
  reason: string;
  status: NameChangeStatus;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  createdAt: Date;
}

/** A request with the requester's current address, for the administrators' queue. */
export type NameChangeWithRequester = NameChangeRequest & { email: string };

const COLUMNS = [
  'r.id',
  'r.userId',
  'r.currentName',
  'r.requestedName',
  'r.reason',
  'r.status',
  'r.decidedBy',
  'r.decidedAt',
  'r.decisionNote',
  'r.createdAt',
] as const;

const RETURNED = [
  'id',
  'userId',
  'currentName',
  'requestedName',
  'reason',
  'status',
  'decidedBy',
  'decidedAt',
  'decisionNote',
  'createdAt',
] as const;

const narrow = <T extends { status: string }>(row: T) => ({ ...row, status: row.status as NameChangeStatus });

/** name_change_requests, and the one write to users a decision makes (the name). */
@Injectable()
export class NameChangesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Null when the person has a pending request already (the partial unique index decides, not a prior read). */
  async insertPending(
    tx: EntityManager,
    r: Pick<NameChangeRequest, 'userId' | 'currentName' | 'requestedName' | 'reason'>,
  ): Promise<NameChangeRequest | null> {
    const row = await typed(tx)
      .insertInto('nameChangeRequests')
      .values(r)
      .onConflict((oc) => oc.column('userId').where('status', '=', 'pending').doNothing())
      .returning(RETURNED)
      .executeTakeFirst();
    return row ? narrow(row) : null;
  }

  async latestForUser(userId: string): Promise<NameChangeRequest | null> {
    const row = await typed(this.dataSource)
      .selectFrom('nameChangeRequests as r')
      .select(COLUMNS)
      .where('r.userId', '=', userId)
      .orderBy('r.createdAt', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? narrow(row) : null;
  }

  async findWithRequester(id: string): Promise<NameChangeWithRequester | null> {
    const row = await this.withRequester().where('r.id', '=', id).executeTakeFirst();
    return row ? narrow(row) : null;
  }

  /** Locked for the caller's transaction: two administrators deciding at once are decided one after the other. */
  async lockById(tx: EntityManager, id: string): Promise<NameChangeRequest | null> {
    const row = await typed(tx).selectFrom('nameChangeRequests as r').select(COLUMNS).where('r.id', '=', id).forUpdate().executeTakeFirst();
    return row ? narrow(row) : null;
  }

  async lockPendingForUser(tx: EntityManager, userId: string): Promise<NameChangeRequest | null> {
    const row = await typed(tx)
      .selectFrom('nameChangeRequests as r')
      .select(COLUMNS)
      .where('r.userId', '=', userId)
      .where('r.status', '=', 'pending')
      .forUpdate()
      .executeTakeFirst();
    return row ? narrow(row) : null;
  }

  async list(status: NameChangeStatus | undefined, limit: number): Promise<NameChangeWithRequester[]> {
    let query = this.withRequester()
      .orderBy('r.createdAt', status === 'pending' ? 'asc' : 'desc')
      .limit(limit);
    if (status) query = query.where('r.status', '=', status);
    return (await query.execute()).map(narrow);
  }

  private withRequester() {
    return typed(this.dataSource)
      .selectFrom('nameChangeRequests as r')
      .innerJoin('users as u', 'u.id', 'r.userId')
      .select([...COLUMNS, 'u.email']);
  }

  async decide(
    tx: EntityManager,
    id: string,
    d: { status: 'approved' | 'refused'; decidedBy: string; decisionNote: string | null },
  ): Promise<void> {
    await typed(tx)
      .updateTable('nameChangeRequests')
      .set({ ...d, decidedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
  }

  async cancel(tx: EntityManager, id: string): Promise<void> {
    await typed(tx).updateTable('nameChangeRequests').set({ status: 'cancelled' }).where('id', '=', id).execute();
  }

  /** The name as it appears on certificates (users.full_name); the row is locked so a concurrent change waits. */
  async lockFullName(tx: EntityManager, userId: string): Promise<string | null> {
    const row = await typed(tx).selectFrom('users').select('fullName').where('id', '=', userId).forUpdate().executeTakeFirst();
    return row?.fullName ?? null;
  }

  async setFullName(tx: EntityManager, userId: string, fullName: string): Promise<void> {
    await typed(tx)
      .updateTable('users')
      .set({ fullName, updatedAt: sql<Date>`now()` })
      .where('id', '=', userId)
      .execute();
  }
}
