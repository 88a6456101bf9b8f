import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditContent, chainHash, GENESIS_HASH } from './audit-chain';
import { AuditRepository } from './audit.repository';
import { AuditLogEntry } from './entities/audit-log-entry.entity';

// Appends are serialised by a transaction-scoped advisory lock so that two writers can never
// chain onto the same previous row.
const AUDIT_APPEND_LOCK = 7_346_002;
const VERIFY_BATCH = 1000;

export interface AuditEvent {
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId?: string | null;
  data?: Record<string, unknown>;
}

export interface AuditChainReport {
  valid: boolean;
  checkedRows: number;
  firstBrokenId: string | null;
  reason: string | null;
}

@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: AuditRepository,
  ) {}

  /** Appends inside the caller's transaction: the audit row commits or rolls back with the change it records. */
  async append(manager: EntityManager, event: AuditEvent): Promise<AuditLogEntry> {
    if (!manager.queryRunner?.isTransactionActive) {
      return this.dataSource.transaction((tx) => this.append(tx, event));
    }
    await this.log.lock(manager, AUDIT_APPEND_LOCK);
    const prevHash = (await this.log.lastHash(manager)) ?? GENESIS_HASH;
    // Hash exactly what the jsonb column will hold: a Date, an undefined or a class instance in the
    // caller's data would otherwise hash one way here and another when read back (a broken chain).
    const data = JSON.parse(JSON.stringify(event.data ?? {})) as Record<string, unknown>;
    const content: AuditContent = {
      occurredAt: new Date().toISOString(),
      actorId: event.actorId,
      action: event.action,
      subjectType: event.subjectType,
      subjectId: event.subjectId ?? null,
      data,
    };
    const entry = manager.create(AuditLogEntry, {
      ...content,
      occurredAt: new Date(content.occurredAt),
      data,
      prevHash,
      hash: chainHash(prevHash, content),
    });
    return manager.save(entry);
  }

  async recent(limit: number): Promise<AuditLogEntry[]> {
    return this.dataSource.getRepository(AuditLogEntry).find({ order: { id: 'DESC' }, take: limit });
  }

  /** Recomputes every link from the first row; reports the first row whose stored hashes do not hold. */
  async verifyChain(): Promise<AuditChainReport> {
    let prevHash = GENESIS_HASH;
    let lastId = '0';
    let checked = 0;
    for (;;) {
      const rows = await this.log.rowsAfter(lastId, VERIFY_BATCH);
      if (rows.length === 0) break;
      for (const row of rows) {
        if (row.prevHash !== prevHash) {
          return { valid: false, checkedRows: checked, firstBrokenId: row.id, reason: 'prev_hash does not match the previous row' };
        }
        const expected = chainHash(prevHash, {
          occurredAt: row.occurredAt.toISOString(),
          actorId: row.actorId,
          action: row.action,
          subjectType: row.subjectType,
          subjectId: row.subjectId,
          data: row.data,
        });
        if (row.hash !== expected) {
          return { valid: false, checkedRows: checked, firstBrokenId: row.id, reason: 'content does not match its hash' };
        }
        prevHash = row.hash;
        lastId = row.id;
        checked += 1;
      }
    }
    return { valid: true, checkedRows: checked, firstBrokenId: null, reason: null };
  }
}
