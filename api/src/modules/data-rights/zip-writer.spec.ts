import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { crc32, safeEntryName, zip } from './zip-writer';

/** Reads the archive back through its central directory, as any unzip tool does. */
function entriesOf(archive: Buffer): Map<string, Buffer> {
  const end = archive.length - 22;
  expect(archive.readUInt32LE(end)).toBe(0x06054b50);
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(archive.readUInt32LE(at)).toBe(0x02014b50);
    const method = archive.readUInt16LE(at + 10);
    const crc = archive.readUInt32LE(at + 16);
    const size = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const local = archive.readUInt32LE(at + 42);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataAt = local + 30 + archive.readUInt16LE(local + 26);
    const body = archive.subarray(dataAt, dataAt + size);
    const data = method === 8 ? inflateRawSync(body) : Buffer.from(body);
    expect(crc32(data)).toBe(crc);
    out.set(name, data);
    at += 46 + nameLength;
  }
  return out;
}

describe('zip writer', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it('writes an archive whose entries read back byte for byte (deflated text, stored random bytes, UTF-8 names)', () => {
    const text = Buffer.from(JSON.stringify({ hello: 'world', list: Array(200).fill('repeat') }));
    const random = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7919) % 251));
    const archive = zip([
      { name: 'data.json', data: text },
      { name: 'attachments/CPAP/D01.1/Übersicht.bin', data: random },
      { name: 'empty.txt', data: Buffer.alloc(0) },
    ]);
    const entries = entriesOf(archive);
    expect([...entries.keys()]).toEqual(['data.json', 'attachments/CPAP/D01.1/Übersicht.bin', 'empty.txt']);
    expect(entries.get('data.json')!.equals(text)).toBe(true);
    expect(entries.get('attachments/CPAP/D01.1/Übersicht.bin')!.equals(random)).toBe(true);
    expect(entries.get('empty.txt')!.length).toBe(0);
  });

  it('is accepted by the system unzip tool when one is installed', () => {
    let hasUnzip = true;
    try {
      execFileSync('unzip', ['-v'], { stdio: 'ignore' });
    } catch {
      hasUnzip = false;
    }
    if (!hasUnzip) return;
    const dir = mkdtempSync(path.join(tmpdir(), 'zip-spec-'));
    try {
      writeFileSync(path.join(dir, 'a.zip'), zip([{ name: 'sub/readme.txt', data: Buffer.from('hello '.repeat(50)) }]));
      execFileSync('unzip', ['-tq', 'a.zip'], { cwd: dir });
      execFileSync('unzip', ['-q', 'a.zip'], { cwd: dir });
      expect(readFileSync(path.join(dir, 'sub/readme.txt'), 'utf8')).toBe('hello '.repeat(50));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses duplicate names and makes file names safe', () => {
    expect(() =>
      zip([
        { name: 'a', data: Buffer.alloc(1) },
        { name: 'a', data: Buffer.alloc(1) },
      ]),
    ).toThrow(/duplicate/);
    expect(safeEntryName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(safeEntryName('report\u0000.pdf')).toBe('report.pdf');
    expect(safeEntryName('...')).toBe('file');
  });
});
