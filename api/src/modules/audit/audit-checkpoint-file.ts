import { Inject, Injectable } from '@nestjs/common';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import { type AuditCheckpoint, checkpointLine, parseCheckpointLine } from './audit-chain';
import { AuditKeys } from './audit-keys';

export interface CheckpointFileContents {
  checkpoints: AuditCheckpoint[];
  /** The first line that is not a checkpoint under the key (edited, or written under another key), 1-based. */
  badLine: number | null;
}

/**
 * The chain's checkpoints, one MACed JSON line each, in a file outside the database (under DATA_DIR by
 * default; an operator can point AUDIT_CHECKPOINT_FILE at storage the database's administrators cannot
 * write, or ship the lines to an object store with retention). Append-only: lines are never rewritten.
 */
export class CheckpointFile {
  constructor(
    readonly file: string,
    private readonly key: Buffer,
  ) {}

  read(): CheckpointFileContents {
    if (!existsSync(this.file)) return { checkpoints: [], badLine: null };
    const lines = readFileSync(this.file, 'utf8').split('\n');
    const checkpoints: AuditCheckpoint[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].trim()) continue;
      const checkpoint = parseCheckpointLine(this.key, lines[i]);
      if (!checkpoint) return { checkpoints, badLine: i + 1 };
      checkpoints.push(checkpoint);
    }
    return { checkpoints, badLine: null };
  }

  /** Appends one line and flushes it to disk before returning. */
  append(checkpoint: AuditCheckpoint): void {
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const fd = openSync(this.file, 'a', 0o600);
    try {
      writeSync(fd, `${checkpointLine(this.key, checkpoint)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

/** The configured checkpoint file (AUDIT_CHECKPOINT_FILE, default DATA_DIR/audit/checkpoints.jsonl), MACed under the checkpoint key. */
@Injectable()
export class AuditCheckpointStore extends CheckpointFile {
  constructor(@Inject(APP_CONFIG) config: AppConfig, keys: AuditKeys) {
    super(config.audit.checkpointFile, keys.checkpoint);
  }
}
