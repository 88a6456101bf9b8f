import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ItemContent } from '../item-content';

/** One immutable version of an item's content; attempts point here. */
@Entity('item_versions')
export class ItemVersion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text', { name: 'item_id' })
  itemId: string;

  @Column('integer')
  version: number;

  @Column('char', { name: 'content_hash', length: 64 })
  contentHash: string;

  @Column('jsonb')
  content: ItemContent;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;
}
