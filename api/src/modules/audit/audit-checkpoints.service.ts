import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import { type AuditCheckpoint, type ChainProblem, ChainVerifier } from './audit-chain';
import { AuditCheckpointStore } from './audit-checkpoint-file';
import { AuditKeys } from './audit-keys';
import { AuditRepository } from './audit.repository';
import { chainRowOf } from './audit.service';

// Checkpoint writers (any number of workers, the CLI) take turns: the file gets one line per head.
const AUDIT_CHECKPOINT_LOCK = 7_346_004; // its own key: 7_346_003 is the bank sync's
const BATCH = 1000;

export type CheckpointOutcome =
  | { written: true; checkpoint: AuditCheckpoint }
  | { written: false; why: 'not_due' | 'unchanged' | 'empty' }
  | { written: false; why: 'broken'; problem: ChainProblem };

/**
 * Anchors the chain outside the database: every AUDIT_CHECKPOINT_MINUTES the head (id, hash, row count,
 * time) is appended, MACed, to AUDIT_CHECKPOINT_FILE. Someone who rewrites or cuts the log in the
 * database cannot make it agree with the file. A checkpoint is written only after the rows since the
 * previous one verify and the previous head is still there as it was, so a tampered log is never
 * checkpointed as good.
 */
@Injectable()
export class AuditCheckpoints {
  private readonly logger = new Logger('AuditCheckpoints');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly log: AuditRepository,
    private readonly keys: AuditKeys,
    private readonly file: AuditCheckpointStore,
  ) {}

  get location(): string {
    return this.file.file;
  }

  /** Writes a checkpoint when one is due (the periodic job), or now (`force`, the CLI). */
  async write(options: { force?: boolean } = {}): Promise<CheckpointOutcome> {
    const outcome = await this.dataSource.transaction(async (tx) => {
      await this.log.lock(tx, AUDIT_CHECKPOINT_LOCK);
      const { checkpoints, badLine } = this.file.read();
      if (badLine !== null) {
        return broken({ firstBrokenId: null, reason: `line ${badLine} of ${this.file.file} is not a valid checkpoint` });
      }
      const last = checkpoints.at(-1);
      // A little slack so that a job running every minute is not one tick late.
      const dueMs = this.config.audit.checkpointMinutes * 60_000 - 5_000;
      if (!options.force && last && Date.now() - Date.parse(last.at) < dueMs) return { written: false as const, why: 'not_due' as const };

      let verifier = new ChainVerifier(this.keys.chain);
      if (last) {
        const head = await this.log.rowById(last.headId, tx);
        if (!head || head.hash !== last.headHash) {
          return broken({ firstBrokenId: last.headId, reason: `row ${last.headId}, checkpointed at ${last.at}, is missing or changed` });
        }
        const count = await this.log.countUpTo(last.headId, tx);
        if (count !== last.rowCount) {
          return broken({
            firstBrokenId: last.headId,
            reason: `${count} rows up to row ${last.headId}, its checkpoint counted ${last.rowCount}`,
          });
        }
        verifier = new ChainVerifier(this.keys.chain, [], {
          prevHash: head.hash,
          rowCount: last.rowCount,
          lastId: head.id,
          keyed: head.hashVersion === 2,
        });
      }
      for (;;) {
        const rows = await this.log.rowsAfter(verifier.head.id ?? '0', BATCH, tx);
        if (!rows.length) break;
        for (const row of rows) {
          const problem = verifier.check(chainRowOf(row));
          if (problem) return broken(problem);
        }
      }
      const { id, hash } = verifier.head;
      if (id === null) return { written: false as const, why: 'empty' as const };
      if (last && last.headId === id) return { written: false as const, why: 'unchanged' as const };
      const checkpoint: AuditCheckpoint = { headId: id, headHash: hash, rowCount: verifier.rowCount, at: new Date().toISOString() };
      this.file.append(checkpoint);
      return { written: true as const, checkpoint };
    });
    if (outcome.written === false && outcome.why === 'broken') {
      this.logger.error(`audit log checkpoint refused: ${outcome.problem.reason} (row ${outcome.problem.firstBrokenId ?? '-'})`);
    }
    return outcome;
  }
}

function broken(problem: ChainProblem): CheckpointOutcome {
  return { written: false, why: 'broken', problem };
}
