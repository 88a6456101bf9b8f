import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/** A stream passed the size its writer allowed; nothing was stored. */
export class SizeLimitExceededError extends Error {
  constructor(readonly maxBytes: number) {
    super(`more than ${maxBytes} bytes`);
  }
}

/** What a streamed write stored: counted on the way through, so the file is never read back. */
export interface StoredFile {
  sizeBytes: number;
  sha256: string;
}

async function writeAll(file: FileHandle, chunk: Buffer): Promise<void> {
  for (let written = 0; written < chunk.length;) written += (await file.write(chunk, written)).bytesWritten;
}

/**
 * Where generated and uploaded files live. Local disk under DATA_DIR by default; the interface is
 * kept to put/get by key so an S3-compatible implementation can replace it.
 */
@Injectable()
export class FileStorage {
  private readonly root: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.root = path.join(config.dataDir, 'files');
  }

  private pathOf(key: string): string {
    const resolved = path.resolve(this.root, key);
    if (!resolved.startsWith(this.root + path.sep)) throw new Error(`invalid storage key ${key}`);
    return resolved;
  }

  /** A temporary name of this write's own beside the target: two writers of the same key never rename each other's file. */
  private async tempFor(key: string): Promise<{ target: string; temp: string }> {
    const target = this.pathOf(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    return { target, temp: `${target}.${process.pid}.${randomUUID()}.tmp` };
  }

  async put(key: string, data: Buffer): Promise<void> {
    const { target, temp } = await this.tempFor(key);
    await fs.writeFile(temp, data);
    await fs.rename(temp, target);
  }

  /**
   * Writes a stream under the key without holding it in memory. It goes to a temporary file that is renamed
   * only once whole and on disk, so the key never names half a file; past `maxBytes` the write stops at once
   * with SizeLimitExceededError, and on any failure (that, the source's own error, a client gone) the
   * temporary file is deleted.
   */
  async putStream(key: string, source: AsyncIterable<Buffer>, { maxBytes }: { maxBytes: number }): Promise<StoredFile> {
    const { target, temp } = await this.tempFor(key);
    // Opened before anything streams, so the deletion below can never run ahead of the file's creation.
    const file = await fs.open(temp, 'wx');
    const hash = createHash('sha256');
    let sizeBytes = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        sizeBytes += chunk.length;
        if (sizeBytes > maxBytes) return done(new SizeLimitExceededError(maxBytes));
        hash.update(chunk);
        writeAll(file, chunk).then(() => done(), done);
      },
      // The answer promises the file is kept: it reaches the disk before its name does.
      final(done) {
        file.sync().then(() => done(), done);
      },
    });
    try {
      await pipeline(source, sink);
      await file.close();
      await fs.rename(temp, target);
    } catch (err) {
      await file.close();
      await fs.rm(temp, { force: true });
      throw err;
    }
    return { sizeBytes, sha256: hash.digest('hex') };
  }

  async get(key: string): Promise<Buffer | null> {
    return fs.readFile(this.pathOf(key)).catch(() => null);
  }

  /** Deletes the file; a missing one counts as deleted (erasure and retention may run twice). */
  async remove(key: string): Promise<void> {
    await fs.rm(this.pathOf(key), { force: true });
  }
}
