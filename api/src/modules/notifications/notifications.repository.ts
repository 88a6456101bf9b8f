import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Insertable, sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import { containsPattern } from '../../common/lists/list-query';

/** The administrators' mail list: recipient or subject text, template, sent or waiting, and a half-open range of recording instants. */
export interface MailFilter {
  query?: string;
  template?: string;
  state?: 'sent' | 'waiting';
  createdFrom?: Date;
  createdBefore?: Date;
  order: 'asc' | 'desc';
}
import type { Notifications } from '../../infrastructure/database/schema.generated';

/** What a message is recorded with before it is sent; `dedupeKey` identifies it across redeliveries. */
export type NewNotification = Pick<Insertable<Notifications>, 'dedupeKey' | 'template' | 'recipient' | 'subject'>;

/** A recorded message as the sender sees it: sent already (`sentAt`) or still to send. */
export interface NotificationClaim {
  id: string;
  sentAt: Date | null;
}

/** The record of e-mail sent (the `notifications` table). */
@Injectable()
export class NotificationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  /** The newest messages to an address, newest first: what its owner sees of them in the app (never the body). */
  async latestTo(
    address: string,
    limit: number,
  ): Promise<Array<{ id: string; template: string; subject: string; createdAt: Date; sentAt: Date | null }>> {
    return this.db()
      .selectFrom('notifications')
      .select(['id', 'template', 'subject', 'createdAt', 'sentAt'])
      .where('recipient', '=', address)
      .orderBy('createdAt', 'desc')
      .limit(limit)
      .execute();
  }

  /** One page of the mail for administrators, newest first, and the number of matches in all pages. */
  async search(filter: MailFilter, window: { limit: number; offset: number }) {
    let matching = this.db().selectFrom('notifications as n');
    if (filter.query) {
      const pattern = containsPattern(filter.query);
      matching = matching.where((eb) => eb.or([eb('n.recipient', 'ilike', pattern), eb('n.subject', 'ilike', pattern)]));
    }
    if (filter.template) matching = matching.where('n.template', '=', filter.template);
    if (filter.state === 'sent') matching = matching.where('n.sentAt', 'is not', null);
    if (filter.state === 'waiting') matching = matching.where('n.sentAt', 'is', null);
    if (filter.createdFrom) matching = matching.where('n.createdAt', '>=', filter.createdFrom);
    if (filter.createdBefore) matching = matching.where('n.createdAt', '<', filter.createdBefore);
    const [rows, count] = await Promise.all([
      matching
        .select(['n.id', 'n.template', 'n.recipient', 'n.subject', 'n.transport', 'n.createdAt', 'n.sentAt'])
        .orderBy('n.createdAt', filter.order)
        .orderBy('n.id', filter.order)
        .limit(window.limit)
        .offset(window.offset)
        .execute(),
      matching.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.total) };
  }

  /** Records the message unless a message with the same dedupe key is recorded already. */
  async insertIfNew(tx: EntityManager, n: NewNotification): Promise<void> {
    await this.db(tx)
      .insertInto('notifications')
      .values(n)
      .onConflict((oc) => oc.column('dedupeKey').doNothing())
      .execute();
  }

  /** The message with this dedupe key, its row locked for the rest of the caller's transaction. */
  async lockByDedupeKey(tx: EntityManager, dedupeKey: string): Promise<NotificationClaim | null> {
    return (
      (await this.db(tx)
        .selectFrom('notifications')
        .select(['id', 'sentAt'])
        .where('dedupeKey', '=', dedupeKey)
        .forUpdate()
        .executeTakeFirst()) ?? null
    );
  }

  async markSent(tx: EntityManager, id: string, transport: string, storedFile: string | null): Promise<void> {
    await this.db(tx)
      .updateTable('notifications')
      .set({ sentAt: sql<Date>`now()`, transport, storedFile })
      .where('id', '=', id)
      .execute();
  }
}
