import { detectEvidenceType, EvidenceTypeCheck, RefusedEvidenceError } from './file-type';

const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64)]);
const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);

describe('detectEvidenceType (from the bytes)', () => {
  it('accepts PDF, PNG, JPEG, Markdown and text with matching names', () => {
    expect(detectEvidenceType(PDF, 'runbook.pdf')).toEqual({ type: 'application/pdf' });
    expect(detectEvidenceType(PNG, 'dashboard.PNG')).toEqual({ type: 'image/png' });
    expect(detectEvidenceType(JPEG, 'photo.jpeg')).toEqual({ type: 'image/jpeg' });
    expect(detectEvidenceType(Buffer.from('# Incident review\n\nRoot cause…'), 'review.md')).toEqual({ type: 'text/markdown' });
    expect(detectEvidenceType(Buffer.from('latency p95 420ms'), 'metrics.txt')).toEqual({ type: 'text/plain' });
  });

  it('refuses a renamed executable whatever its name says', () => {
    expect(detectEvidenceType(EXE, 'evidence.pdf')).toEqual({ refused: expect.stringContaining('executable') });
    expect(detectEvidenceType(ELF, 'notes.txt')).toEqual({ refused: expect.stringContaining('executable') });
  });

  it('refuses a real type under a wrong name, HTML, binary junk and empty files', () => {
    expect(detectEvidenceType(PNG, 'chart.pdf')).toEqual({ refused: expect.stringContaining('is a image/png file') });
    expect(detectEvidenceType(Buffer.from('<!DOCTYPE html><script>alert(1)</script>'), 'page.txt')).toEqual({
      refused: expect.stringContaining('HTML'),
    });
    expect(detectEvidenceType(Buffer.from([0, 1, 2, 3, 0xfe]), 'data.txt')).toEqual({ refused: expect.stringContaining('is not a PDF') });
    expect(detectEvidenceType(Buffer.alloc(0), 'empty.txt')).toEqual({ refused: expect.stringContaining('is not a PDF') });
  });
});

describe('EvidenceTypeCheck (a file judged as it streams through)', () => {
  const chunked = async function* (...chunks: Buffer[]) {
    yield* chunks;
  };
  const pass = async (fileName: string, ...chunks: Buffer[]) => {
    const check = new EvidenceTypeCheck(fileName);
    const out: Buffer[] = [];
    for await (const chunk of check.pass(chunked(...chunks))) out.push(chunk);
    return { type: check.type, bytes: Buffer.concat(out) };
  };

  it('passes every byte on unchanged and names the type, however the file is cut into chunks', async () => {
    const pdf = Buffer.concat([PDF, Buffer.alloc(2000, 0xff)]);
    for (const cut of [1, 7, 511, 512, 513, 4096]) {
      const chunks = Array.from({ length: Math.ceil(pdf.length / cut) }, (_, i) => pdf.subarray(i * cut, (i + 1) * cut));
      expect(await pass('runbook.pdf', ...chunks)).toEqual({ type: 'application/pdf', bytes: pdf });
    }
  });

  it('accepts a character split between two chunks', async () => {
    const text = Buffer.from(`${'a'.repeat(511)}€ and more`);
    expect((await pass('notes.txt', text.subarray(0, 512), text.subarray(512))).type).toBe('text/plain');
  });

  it('refuses at the first bytes, before the rest of the file is read', async () => {
    let read = 0;
    const source = async function* () {
      for (let i = 0; i < 100; i++) {
        read++;
        yield i === 0 ? Buffer.concat([Buffer.from('MZ'), Buffer.alloc(1022)]) : Buffer.alloc(1024);
      }
    };
    const check = new EvidenceTypeCheck('evidence.pdf');
    await expect(async () => {
      for await (const _ of check.pass(source()));
    }).rejects.toThrow(new RefusedEvidenceError('is an executable program; evidence must be PDF, PNG, JPEG, Markdown or plain text'));
    expect(read).toBe(1);
  });

  it('refuses text that stops being text after its first bytes: a NUL, invalid UTF-8, an unfinished character at the end', async () => {
    const head = Buffer.from('# Review\n'.repeat(100));
    for (const tail of [Buffer.from([0x41, 0]), Buffer.from([0xc3, 0x28]), Buffer.from([0xe2, 0x82])]) {
      await expect(pass('review.md', head, tail)).rejects.toThrow(RefusedEvidenceError);
    }
  });

  it('refuses an empty file', async () => {
    await expect(pass('empty.txt')).rejects.toThrow('is not a PDF, PNG, JPEG, Markdown or plain-text file');
  });
});
