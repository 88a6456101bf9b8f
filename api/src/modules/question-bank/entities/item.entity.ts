import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ItemStatus } from '../bank-files';

@Entity('items')
export class Item {
  @PrimaryColumn('text')
  id: string;

  @Column('text')
  domain: string;

  @Column('text')
  criterion: string;

  @Column('text')
  status: ItemStatus;

  @Column('uuid', { name: 'current_version_id', nullable: true })
  currentVersionId: string | null;

  @Column('text', { name: 'source_file', nullable: true })
  sourceFile: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;

  @Column('timestamptz', { name: 'retired_at', nullable: true })
  retiredAt: Date | null;
}
