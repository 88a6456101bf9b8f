import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('outbox')
export class OutboxMessage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  queue: string;

  @Column('text', { name: 'job_name' })
  jobName: string;

  @Column('jsonb')
  payload: Record<string, unknown>;

  @Column('timestamptz', { name: 'run_at' })
  runAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'published_at', nullable: true })
  publishedAt: Date | null;

  @Column('integer', { name: 'publish_attempts', default: 0 })
  publishAttempts: number;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;
}
