import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditContent, chainHash, GENESIS_HASH, newPersonalDataSalt, personalDataDigest } from './audit-chain';
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
  /**
   * Personal data about a person that the entry needs (an address, a name, a free-text reason they gave):
   * stored beside the chain and erased with their account; the chained data gets `personalData: <digest>`.
   */
  personal?: { userId: string; data: Record<string, unknown> };
}

/** What the log holds about a person: entries about them in full, entries by them without another's details. */
export interface AuditEntryAbout {
  occurredAt: string;
  action: string;
  subjectType: string;
  subjectId: string | null;
  byThem: boolean;
  data: Record<string, unknown> | null;
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
    const personal = event.personal && {
      userId: event.personal.userId,
      salt: newPersonalDataSalt(),
      data: JSON.parse(JSON.stringify(event.personal.data)) as Record<string, unknown>,
    };
    if (personal) data.personalData = personalDataDigest(personal.salt, personal.data);
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
    const saved = await manager.save(entry);
    if (personal) await this.log.insertPersonalData(manager, { entryId: saved.id, ...personal });
    return saved;
  }

  /** Erases the personal data audit entries refer to (Art. 17); the chain keeps only digests of it, so it still verifies. */
  erasePersonalData(manager: EntityManager, userId: string): Promise<number> {
    return this.log.deletePersonalData(manager, userId);
  }

  /** For the person's data export: entries about them (with their personal data), and what they did (action and time only). */
  async about(userId: string): Promise<AuditEntryAbout[]> {
    const rows = await this.log.rowsAbout(userId);
    return rows.map((r) => {
      const aboutThem = r.subjectType === 'user' && r.subjectId === userId;
      return {
        occurredAt: r.occurredAt.toISOString(),
        action: r.action,
        subjectType: r.subjectType,
        subjectId: aboutThem ? r.subjectId : null,
        byThem: r.actorId === userId,
        // What they did to others' records can carry others' data: the export names the action only.
        data: aboutThem ? { ...(r.data as Record<string, unknown>), ...((r.personal as Record<string, unknown> | null) ?? {}) } : null,
      };
    });
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
