import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';

export interface HolderPage {
  userId: string;
  slug: string;
  createdAt: Date;
}

/** holder_pages: one row per person while their public holder page is on. */
@Injectable()
export class HolderPagesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  findFor(userId: string, tx?: EntityManager): Promise<HolderPage | undefined> {
    return this.db(tx).selectFrom('holderPages').selectAll().where('userId', '=', userId).executeTakeFirst();
  }

  findBySlug(slug: string): Promise<HolderPage | undefined> {
    return this.db().selectFrom('holderPages').selectAll().where('slug', '=', slug).executeTakeFirst();
  }

  /** Keeps the page already on (two clicks at once turn it on once, with one slug): null when there was one. */
  insertUnlessOn(tx: EntityManager, userId: string, slug: string): Promise<HolderPage | undefined> {
    return this.db(tx)
      .insertInto('holderPages')
      .values({ userId, slug })
      .onConflict((oc) => oc.column('userId').doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  /** True when a page was on (and is now off). */
  async delete(tx: EntityManager, userId: string): Promise<boolean> {
    const result = await this.db(tx).deleteFrom('holderPages').where('userId', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Account deletion (GDPR Art. 17), in the erasure's transaction: the users row stays, pseudonymised. */
  async eraseFor(tx: EntityManager, userId: string): Promise<void> {
    await this.delete(tx, userId);
  }
}
