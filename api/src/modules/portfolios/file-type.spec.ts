import { detectEvidenceType } from './file-type';

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
