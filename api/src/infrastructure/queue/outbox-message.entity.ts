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

  /** The job's handler returned: the promise is kept. Published but not completed is work still owed. */
  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt: Date | null;

  /** The job exhausted its attempts (or stalled too often); cleared when it is retried. */
  @Column('timestamptz', { name: 'failed_at', nullable: true })
  failedAt: Date | null;

  @Column('integer', { default: 0 })
  failures: number;

  @Column('text', { name: 'job_error', nullable: true })
  jobError: string | null;
}
