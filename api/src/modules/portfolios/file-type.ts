/** What an uploaded file really is, judged from its bytes, never from its name or the browser's claim. */
export type EvidenceType = 'application/pdf' | 'image/png' | 'image/jpeg' | 'text/markdown' | 'text/plain';

export const ALLOWED_EXTENSIONS: Record<EvidenceType, string[]> = {
  'application/pdf': ['.pdf'],
  'image/png': ['.png'],
  'image/jpeg': ['.jpg', '.jpeg'],
  'text/markdown': ['.md', '.markdown'],
  'text/plain': ['.txt', '.log', '.csv'],
};

const startsWith = (data: Buffer, bytes: number[]) => bytes.every((b, i) => data[i] === b);

/** How much of a file detectEvidenceType needs: signatures are at most 8 bytes, markup is looked for in the first 512. */
export const SNIFF_BYTES = 512;

const NOT_EVIDENCE = 'is not a PDF, PNG, JPEG, Markdown or plain-text file';

/** A file refused for what its bytes are; the message completes a sentence that starts with the file's name. */
export class RefusedEvidenceError extends Error {}

/**
 * Checks that bytes are text as they arrive: UTF-8 without NULs, where a character may be split
 * between two chunks but not left unfinished at the end.
 */
class TextCheck {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  push(chunk: Buffer): boolean {
    if (chunk.includes(0)) return false;
    try {
      this.decoder.decode(chunk, { stream: true });
      return true;
    } catch {
      return false;
    }
  }

  end(): boolean {
    try {
      this.decoder.decode();
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * Returns the evidence type, or a reason it is refused, from the first SNIFF_BYTES of a file (or all
 * of a shorter one). Text is accepted as Markdown or plain text by its extension only when the bytes
 * are UTF-8 without NULs (the rest of the file must be too: EvidenceTypeCheck checks it as it streams);
 * anything that looks like HTML or a script is refused, since it could be rendered by a browser.
 */
export function detectEvidenceType(head: Buffer, fileName: string): { type: EvidenceType } | { refused: string } {
  const data = head.subarray(0, SNIFF_BYTES);
  const extension = (/\.[^.]+$/.exec(fileName.toLowerCase()) ?? [''])[0];
  let type: EvidenceType | null = null;
  if (startsWith(data, [0x25, 0x50, 0x44, 0x46, 0x2d])) type = 'application/pdf';
  else if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) type = 'image/png';
  else if (startsWith(data, [0xff, 0xd8, 0xff])) type = 'image/jpeg';
  else if (startsWith(data, [0x4d, 0x5a]) || startsWith(data, [0x7f, 0x45, 0x4c, 0x46])) {
    return { refused: 'is an executable program; evidence must be PDF, PNG, JPEG, Markdown or plain text' };
  } else if (data.length > 0 && new TextCheck().push(data)) {
    if (/^\s*(<!doctype html|<html|<script|<svg|<\?xml)/i.test(data.toString('utf8'))) {
      return { refused: 'contains HTML, SVG or XML markup; upload it as PDF or plain text' };
    }
    type = extension === '.md' || extension === '.markdown' ? 'text/markdown' : 'text/plain';
  }
  if (!type) return { refused: NOT_EVIDENCE };
  if (!ALLOWED_EXTENSIONS[type].includes(extension)) {
    return { refused: `is a ${type} file but is named "${fileName}"; use one of ${ALLOWED_EXTENSIONS[type].join(', ')}` };
  }
  return { type };
}

/**
 * Passes a file through while judging it, so an upload is typed without being held: the type comes from
 * the first SNIFF_BYTES, and a refused file fails there, before the rest is read; a text file is checked
 * to its last byte. Failures are RefusedEvidenceError.
 */
export class EvidenceTypeCheck {
  private judged: EvidenceType | null = null;
  private text: TextCheck | null = null;

  constructor(private readonly fileName: string) {}

  /** The type, once the file has passed. */
  get type(): EvidenceType {
    if (!this.judged) throw new Error('the file has not been checked yet');
    return this.judged;
  }

  async *pass(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    let head: Buffer[] = [];
    let headBytes = 0;
    for await (const chunk of source) {
      if (this.judged) {
        yield this.checked(chunk);
        continue;
      }
      head.push(chunk);
      headBytes += chunk.length;
      if (headBytes >= SNIFF_BYTES) {
        yield this.checked(this.judge(Buffer.concat(head)));
        head = [];
      }
    }
    if (!this.judged) yield this.checked(this.judge(Buffer.concat(head)));
    if (this.text && !this.text.end()) throw new RefusedEvidenceError(NOT_EVIDENCE);
  }

  private judge(head: Buffer): Buffer {
    const detected = detectEvidenceType(head, this.fileName);
    if ('refused' in detected) throw new RefusedEvidenceError(detected.refused);
    this.judged = detected.type;
    if (detected.type.startsWith('text/')) this.text = new TextCheck();
    return head;
  }

  private checked(chunk: Buffer): Buffer {
    if (this.text && !this.text.push(chunk)) throw new RefusedEvidenceError(NOT_EVIDENCE);
    return chunk;
  }
}
