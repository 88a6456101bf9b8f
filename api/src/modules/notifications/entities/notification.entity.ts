import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One e-mail the platform sent (or is sending); `dedupeKey` makes a redelivered job send it once. */
@Entity('notifications')
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text', { name: 'dedupe_key' })
  dedupeKey: string;

  @Column('text')
  template: string;

  @Column('text')
  recipient: string;

  @Column('text')
  subject: string;

  @Column('text', { nullable: true })
  transport: string | null;

  @Column('text', { name: 'stored_file', nullable: true })
  storedFile: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'sent_at', nullable: true })
  sentAt: Date | null;
}
