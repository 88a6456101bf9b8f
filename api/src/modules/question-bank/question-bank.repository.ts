import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
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

  /**
   * One more exposure for each item shown on a form. Rows are locked in id order first (NO KEY
   * UPDATE, which the FK key-share locks of concurrent starts do not conflict with), so concurrent
   * increments of overlapping items queue, not deadlock.
   */
  async incrementExposure(itemIds: string[]): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.query(`SELECT id FROM items WHERE id = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE`, [itemIds]);
      await tx.query(`UPDATE items SET exposure_count = exposure_count + 1 WHERE id = ANY($1::text[])`, [itemIds]);
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
