import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import { ItemVersion } from './entities/item-version.entity';
import { Item } from './entities/item.entity';

export interface ItemFilter {
  domain?: string;
  criterion?: string;
  status?: string;
}

export interface ItemWithCurrentVersion {
  item: Item;
  current: ItemVersion | null;
}

@Injectable()
export class QuestionBankRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  /**
   * One more exposure for each item shown on a form. Rows are locked in id order first (NO KEY
   * UPDATE, which the FK key-share locks of concurrent starts do not conflict with), so concurrent
   * increments of overlapping items queue, not deadlock. `counts`: how many forms showed each item.
   */
  async incrementExposure(counts: ReadonlyMap<string, number>): Promise<void> {
    const ids = [...counts.keys()].sort();
    await this.dataSource.transaction(async (tx) => {
      await this.db(tx)
        .selectFrom('items')
        .select('id')
        .where((eb) => eb('id', '=', eb.fn.any(sql<string[]>`${ids}::text[]`)))
        .orderBy('id')
        .forNoKeyUpdate()
        .execute();
      await sql`
        UPDATE items AS i SET exposure_count = i.exposure_count + u.n
          FROM unnest(${ids}::text[], ${ids.map((id) => counts.get(id)!)}::int[]) AS u(id, n)
         WHERE i.id = u.id`.execute(this.db(tx));
    });
  }

  async listWithCurrentVersion(filter: ItemFilter): Promise<ItemWithCurrentVersion[]> {
    const qb = this.dataSource
      .getRepository(Item)
      .createQueryBuilder('i')
      .leftJoinAndMapOne('i.current', ItemVersion, 'v', 'v.id = i.currentVersionId')
      .orderBy('i.id', 'ASC');
    if (filter.domain) qb.andWhere('i.domain = :domain', { domain: filter.domain });
    if (filter.criterion) qb.andWhere('i.criterion = :criterion', { criterion: filter.criterion });
    if (filter.status) qb.andWhere('i.status = :status', { status: filter.status });
    const rows = (await qb.getMany()) as Array<Item & { current?: ItemVersion }>;
    return rows.map(({ current, ...item }) => ({ item: item as Item, current: current ?? null }));
  }

  findItem(id: string): Promise<Item | null> {
    return this.dataSource.getRepository(Item).findOneBy({ id });
  }

  versionsOf(itemId: string): Promise<ItemVersion[]> {
    return this.dataSource.getRepository(ItemVersion).find({ where: { itemId }, order: { version: 'DESC' } });
  }
}
