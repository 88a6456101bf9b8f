import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  type AuditContent,
  type ChainProblem,
  ChainVerifier,
  chainHmac,
  CURRENT_HASH_VERSION,
  GENESIS_HASH,
  newPersonalDataSalt,
  personalDataDigest,
} from './audit-chain';
import { AuditCheckpointStore } from './audit-checkpoint-file';
import { AuditKeys } from './audit-keys';
import { AUDIT_READ_ACTIONS } from './audit-read-actions';
import { AuditRepository, type AuditRow } from './audit.repository';
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
  /** Checkpoints of the head found outside the database (AUDIT_CHECKPOINT_FILE) and checked against the log. */
  checkpoints: number;
  lastCheckpointAt: string | null;
}

/** Which entries the admin view lists: all, decisions and changes only, or reads of sensitive data only. */
export type AuditListKind = 'all' | 'decisions' | 'reads';

/** Rows as the chain covers them (the verifier's view of a stored row). */
export function chainRowOf(row: AuditRow) {
  return {
    id: row.id,
    prevHash: row.prevHash,
    hash: row.hash,
    hashVersion: row.hashVersion,
    occurredAt: row.occurredAt.toISOString(),
    actorId: row.actorId,
    action: row.action,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    data: row.data,
  };
}

@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: AuditRepository,
    private readonly keys: AuditKeys,
    private readonly checkpointFile: AuditCheckpointStore,
  ) {}

  /** Appends inside the caller's transaction: the audit row commits or rolls back with the change it records. */
  async append(manager: EntityManager, event: AuditEvent): Promise<AuditLogEntry> {
    if (!manager.queryRunner?.isTransactionActive) {
      return this.dataSource.transaction((tx) => this.append(tx, event));
    }
    const prevHash = (await this.log.lockAndLastHash(manager, AUDIT_APPEND_LOCK)) ?? GENESIS_HASH;
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
    const saved = await this.log.insertEntry(manager, {
      ...content,
      occurredAt: new Date(content.occurredAt),
      data,
      prevHash,
      hash: chainHmac(this.keys.chain, prevHash, content),
      hashVersion: CURRENT_HASH_VERSION,
    });
    if (personal) await this.log.insertPersonalData(manager, { entryId: saved.id, ...personal });
    return { ...saved, data: saved.data as Record<string, unknown> };
  }

  /** Appends in a transaction of its own: for events that change nothing else, such as a read of sensitive data. */
  appendAlone(event: AuditEvent): Promise<AuditLogEntry> {
    return this.dataSource.transaction((tx) => this.append(tx, event));
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

  /** The newest entries; reads of sensitive data (`@AuditRead`) can be listed apart so they do not drown decisions. */
  async recent(limit: number, kind: AuditListKind = 'all'): Promise<AuditRow[]> {
    const reads = [...AUDIT_READ_ACTIONS];
    return this.log.newest(limit, kind === 'reads' ? { only: reads } : kind === 'decisions' ? { except: reads } : {});
  }

  /**
   * Recomputes every link from the first row (plain SHA-256 for version-1 rows, HMAC for version 2,
   * and no version 1 after a version 2) and checks every checkpoint written outside the database:
   * an edited row, a removed one and removed newest rows are each reported, naming the first bad row.
   */
  async verifyChain(): Promise<AuditChainReport> {
    const { checkpoints, badLine } = this.checkpointFile.read();
    const summary = { checkpoints: checkpoints.length, lastCheckpointAt: checkpoints.at(-1)?.at ?? null };
    const verifier = new ChainVerifier(this.keys.chain, checkpoints);
    const fail = (problem: ChainProblem): AuditChainReport => ({ valid: false, checkedRows: verifier.rowCount, ...problem, ...summary });
    let lastId = '0';
    for (;;) {
      const rows = await this.log.rowsAfter(lastId, VERIFY_BATCH);
      if (rows.length === 0) break;
      for (const row of rows) {
        const problem = verifier.check(chainRowOf(row));
        if (problem) return fail(problem);
        lastId = row.id;
      }
    }
    const truncated = verifier.finish();
    if (truncated) return fail(truncated);
    if (badLine !== null) {
      return fail({
        firstBrokenId: null,
        reason: `line ${badLine} of ${this.checkpointFile.file} is not a valid checkpoint (edited, or written under another key)`,
      });
    }
    return { valid: true, checkedRows: verifier.rowCount, firstBrokenId: null, reason: null, ...summary };
  }
}
