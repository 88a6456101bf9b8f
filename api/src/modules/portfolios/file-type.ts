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

function isText(data: Buffer): boolean {
  if (data.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data);
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns the evidence type, or a reason it is refused. Text is accepted as Markdown or plain text
 * by its extension only once the bytes are valid UTF-8 without NULs; anything that looks like HTML
 * or a script is refused, since it could be rendered by a browser.
 */
export function detectEvidenceType(data: Buffer, fileName: string): { type: EvidenceType } | { refused: string } {
  const extension = (/\.[^.]+$/.exec(fileName.toLowerCase()) ?? [''])[0];
  let type: EvidenceType | null = null;
  if (startsWith(data, [0x25, 0x50, 0x44, 0x46, 0x2d])) type = 'application/pdf';
  else if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) type = 'image/png';
  else if (startsWith(data, [0xff, 0xd8, 0xff])) type = 'image/jpeg';
  else if (startsWith(data, [0x4d, 0x5a]) || startsWith(data, [0x7f, 0x45, 0x4c, 0x46])) {
    return { refused: 'is an executable program; evidence must be PDF, PNG, JPEG, Markdown or plain text' };
  } else if (data.length > 0 && isText(data)) {
    if (/^\s*(<!doctype html|<html|<script|<svg|<\?xml)/i.test(data.subarray(0, 512).toString('utf8'))) {
      return { refused: 'contains HTML, SVG or XML markup; upload it as PDF or plain text' };
    }
    type = extension === '.md' || extension === '.markdown' ? 'text/markdown' : 'text/plain';
  }
  if (!type) return { refused: 'is not a PDF, PNG, JPEG, Markdown or plain-text file' };
  if (!ALLOWED_EXTENSIONS[type].includes(extension)) {
    return { refused: `is a ${type} file but is named "${fileName}"; use one of ${ALLOWED_EXTENSIONS[type].join(', ')}` };
  }
  return { type };
}
