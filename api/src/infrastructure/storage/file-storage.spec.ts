import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { AppConfig } from '../config/app-config';
import { FileStorage, SizeLimitExceededError } from './file-storage';

describe('FileStorage.putStream (a stream written to a key on a real disk)', () => {
  let dataDir: string;
  let storage: FileStorage;
  const folder = () => readdirSync(path.join(dataDir, 'files', 'evidence'));
  const chunks = async function* (count: number, size: number, failAt?: number) {
    for (let i = 0; i < count; i++) {
      if (i === failAt) throw new Error('the client went away');
      yield Buffer.alloc(size, i);
    }
  };

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'psf-storage-'));
    storage = new FileStorage({ dataDir } as AppConfig);
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('stores the whole stream under the key and counts its size and SHA-256 on the way', async () => {
    const stored = await storage.putStream('evidence/a', chunks(10, 1000), { maxBytes: 10_000 });
    const bytes = readFileSync(path.join(dataDir, 'files', 'evidence', 'a'));
    expect(stored).toEqual({ sizeBytes: 10_000, sha256: createHash('sha256').update(bytes).digest('hex') });
    expect(await storage.get('evidence/a')).toEqual(bytes);
    expect(folder()).toEqual(['a']);
  });

  it('stops as soon as the stream passes maxBytes, leaving nothing', async () => {
    let pulled = 0;
    const counted = async function* () {
      for await (const chunk of chunks(1000, 1000)) {
        pulled++;
        yield chunk;
      }
    };
    await expect(storage.putStream('evidence/b', counted(), { maxBytes: 4_500 })).rejects.toBeInstanceOf(SizeLimitExceededError);
    // No further than the write buffer (16 KiB) past the limit: a 1 MB stream is not read to its end.
    expect(pulled * 1000).toBeLessThan(4_500 + 16_384 + 1000);
    expect(folder()).toEqual([]);
  });

  it('leaves nothing when the source fails part-way', async () => {
    await expect(storage.putStream('evidence/c', chunks(10, 1000, 5), { maxBytes: 1e6 })).rejects.toThrow('the client went away');
    expect(folder()).toEqual([]);
  });
});
