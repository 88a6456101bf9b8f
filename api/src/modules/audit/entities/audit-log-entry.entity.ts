import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('audit_log')
export class AuditLogEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt: Date;

  @Column('uuid', { name: 'actor_id', nullable: true })
  actorId: string | null;

  @Column('text')
  action: string;

  @Column('text', { name: 'subject_type' })
  subjectType: string;

  @Column('text', { name: 'subject_id', nullable: true })
  subjectId: string | null;

  @Column('jsonb')
  data: Record<string, unknown>;

  @Column('char', { name: 'prev_hash', length: 64 })
  prevHash: string;

  @Column('char', { length: 64 })
  hash: string;

  /** 1: plain SHA-256 (before issue #14); 2: HMAC-SHA-256 under the audit key. */
  @Column('smallint', { name: 'hash_version' })
  hashVersion: number;
}
