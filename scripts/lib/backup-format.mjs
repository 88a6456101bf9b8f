// The `.psfbackup` file `npm run backup` writes and `npm run restore` reads: gzip of one stream of records.
//
//   {"format":"psf-backup","version":1,…}              header: migrations applied, tables and their columns
//   {"table":"users"}  <chunks>  {"end":"table",…}     per table, in foreign-key order: its COPY text
//   {"file":"mail/x.eml","mode":384}  <chunks>  {"end":"file",…}   per DATA_DIR file
//   {"trailer":true,…}                                 row counts, sequences, file totals: the file is whole
//
// Each record is one JSON line. Data follows as chunks "<length>\n<bytes>", ended by "0\n", so no byte of a
// table or file is ever parsed; every section ends with its length and SHA-256, and the trailer must be there:
// a truncated or altered file is told apart from a whole one before anything is restored.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';

export const FORMAT = 'psf-backup';
export const VERSION = 1;
const CHUNK_BYTES = 64 * 1024;
const MAX_LINE = 4 * 1024 * 1024;
const MAX_CHUNK = 16 * 1024 * 1024;
const NEWLINE = 0x0a;

/** The file is not a whole backup of this format (truncated, altered, or something else). */
export class BackupFormatError extends Error {}

/** A backup or restore refused before it changed anything (exit 2; failures exit 1). */
export class Refusal extends Error {}

const countNewlines = (buf) => {
  let n = 0;
  for (let i = buf.indexOf(NEWLINE); i !== -1; i = buf.indexOf(NEWLINE, i + 1)) n++;
  return n;
};

/** Writes a backup to `file` (which must not exist) through gzip, with back-pressure all the way to the disk. */
export class BackupWriter {
  constructor(file) {
    this.file = file;
    this.gzip = createGzip({ level: 6 });
    this.out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
    this.written = pipeline(this.gzip, this.out);
    this.written.catch(() => undefined);
    this.failure = null;
    this.written.catch((error) => (this.failure = error));
  }

  async write(data) {
    if (this.failure) throw this.failure;
    if (!this.gzip.write(data)) await Promise.race([once(this.gzip, 'drain'), this.written]);
    if (this.failure) throw this.failure;
  }

  json(record) {
    return this.write(`${JSON.stringify(record)}\n`);
  }

  /**
   * One section: the record, the data from `chunks` (batched into frames of about 64 KiB), then its end record
   * with the byte count, SHA-256, line count (a table's rows) and whatever `endFields()` adds once the data is through.
   */
  async section(record, chunks, endFields = () => ({})) {
    await this.json(record);
    const hash = createHash('sha256');
    let bytes = 0;
    let lines = 0;
    let pending = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (!pendingBytes) return;
      const frame = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
      await this.write(`${frame.length}\n`);
      await this.write(frame);
      pending = [];
      pendingBytes = 0;
    };
    for await (const chunk of chunks) {
      if (!chunk.length) continue;
      hash.update(chunk);
      bytes += chunk.length;
      lines += countNewlines(chunk);
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= CHUNK_BYTES) await flush();
    }
    await flush();
    await this.write('0\n');
    const end = { end: record.table !== undefined ? 'table' : 'file', bytes, sha256: hash.digest('hex'), lines, ...endFields() };
    await this.json(end);
    return end;
  }

  /** Ends the gzip stream and puts the file on disk (fsync) before returning. */
  async finish() {
    this.gzip.end();
    await this.written;
    const handle = await fs.open(this.file, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  abort() {
    this.gzip.destroy();
    this.out.destroy();
  }
}

/** Pulls lines and exact byte counts out of the decompressed stream. */
class FrameReader {
  constructor(iterator) {
    this.iterator = iterator;
    this.buffer = Buffer.alloc(0);
  }

  async fill() {
    const { value, done } = await this.iterator.next();
    if (done) return false;
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, value]) : value;
    return true;
  }

  /** The next line, or null at the very end of the stream. */
  async line() {
    for (;;) {
      const at = this.buffer.indexOf(NEWLINE);
      if (at !== -1) {
        const line = this.buffer.subarray(0, at).toString('utf8');
        this.buffer = this.buffer.subarray(at + 1);
        return line;
      }
      if (this.buffer.length > MAX_LINE) throw new BackupFormatError('a record line is implausibly long');
      if (!(await this.fill())) {
        if (this.buffer.length) throw new BackupFormatError('the file ends in the middle of a record (truncated)');
        return null;
      }
    }
  }

  async record(what) {
    const line = await this.line();
    if (line === null) throw new BackupFormatError(`the file ends where ${what} should be (truncated)`);
    try {
      const record = JSON.parse(line);
      if (record && typeof record === 'object') return record;
    } catch {
      // reported below
    }
    throw new BackupFormatError(`${what} is not a record (the file is altered or not a backup)`);
  }

  /** The data frames of one section, up to its "0" frame. */
  async *frames() {
    for (;;) {
      const header = await this.line();
      if (header === null) throw new BackupFormatError('the file ends inside a section (truncated)');
      if (!/^\d{1,9}$/.test(header)) throw new BackupFormatError('a data frame has no valid length (the file is altered)');
      let length = Number(header);
      if (length === 0) return;
      if (length > MAX_CHUNK) throw new BackupFormatError('a data frame is implausibly long (the file is altered)');
      while (length > 0) {
        if (!this.buffer.length && !(await this.fill())) throw new BackupFormatError('the file ends inside a section (truncated)');
        const piece = this.buffer.subarray(0, length);
        this.buffer = this.buffer.subarray(piece.length);
        length -= piece.length;
        yield piece;
      }
    }
  }
}

/**
 * Reads a backup from start to end, handing each section's data to the visitor as it streams:
 * `header(h)`, `table(name, chunks)`, `file(record, chunks)`, `sectionEnd(kind, record, end)` once a section
 * is checked, `trailer(t)`. A visitor consumes a section's chunks to the end or not at all; every section's
 * length and SHA-256 are checked either way, and a BackupFormatError names the first problem (bad gzip,
 * truncation, a section that does not match its end record, a trailer that is missing or does not add up).
 */
export async function readBackup(file, visitor) {
  const source = createReadStream(file);
  const gunzip = createGunzip();
  source.on('error', (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  const reader = new FrameReader(gunzip[Symbol.asyncIterator]());
  try {
    const header = await reader.record('the header');
    if (header.format !== FORMAT) throw new BackupFormatError('this is not a PSF backup');
    if (header.version !== VERSION)
      throw new BackupFormatError(`backup format version ${header.version} is not supported (only ${VERSION})`);
    if (!Array.isArray(header.tables) || !Array.isArray(header.migrations)) throw new BackupFormatError('the header is incomplete');
    await visitor.header?.(header);
    const seen = { tables: [], rows: {}, files: 0, fileBytes: 0 };
    for (;;) {
      const record = await reader.record('a section or the trailer');
      if (record.trailer === true) {
        if ((await reader.line()) !== null) throw new BackupFormatError('there is data after the trailer (the file is altered)');
        const tablesMatch =
          seen.tables.join() === header.tables.map((t) => t.name).join() &&
          seen.tables.every((name) => record.tables?.[name] === seen.rows[name]);
        if (!tablesMatch || record.files !== seen.files || record.fileBytes !== seen.fileBytes || !Array.isArray(record.sequences)) {
          throw new BackupFormatError('the trailer does not match the sections before it (the file is altered)');
        }
        await visitor.trailer?.(record);
        return { header, trailer: record };
      }
      const kind = typeof record.table === 'string' ? 'table' : typeof record.file === 'string' ? 'file' : null;
      if (!kind) throw new BackupFormatError('an unknown record (the file is altered or from a newer version)');
      const hash = createHash('sha256');
      let bytes = 0;
      let lines = 0;
      const checked = async function* () {
        for await (const piece of reader.frames()) {
          hash.update(piece);
          bytes += piece.length;
          if (kind === 'table') lines += countNewlines(piece);
          yield piece;
        }
      };
      const data = checked();
      await (kind === 'table' ? visitor.table?.(record.table, data) : visitor.file?.(record, data));
      while (!(await data.next()).done); // what the visitor left is still checked
      const end = await reader.record(`the end of ${kind} ${record[kind]}`);
      const sha256 = hash.digest('hex');
      if (
        end.end !== kind ||
        end.bytes !== bytes ||
        end.sha256 !== sha256 ||
        (kind === 'table' && (end.lines !== lines || end.rows !== lines))
      ) {
        throw new BackupFormatError(`${kind} ${record[kind]} does not match its checksum (the file is altered)`);
      }
      if (kind === 'table') {
        seen.tables.push(record.table);
        seen.rows[record.table] = end.rows;
      } else {
        seen.files++;
        seen.fileBytes += bytes;
      }
      await visitor.sectionEnd?.(kind, record, end);
    }
  } catch (error) {
    if (error?.code === 'Z_BUF_ERROR' || error?.code === 'Z_DATA_ERROR' || /unexpected end of file/i.test(error?.message ?? '')) {
      throw new BackupFormatError(`the file is not whole gzip data (${error.message}): truncated or altered`);
    }
    throw error;
  } finally {
    source.destroy();
    gunzip.destroy();
  }
}
