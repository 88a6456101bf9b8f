import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { saveDownload, saveTextFile } from './download';

interface FakeLink {
  href: string;
  download: string;
  clicked: boolean;
  attached: boolean;
  click(): void;
  remove(): void;
}

describe('saveDownload', () => {
  let links: FakeLink[];

  beforeEach(() => {
    vi.useFakeTimers();
    links = [];
    vi.stubGlobal('document', {
      createElement: (tag: string) => {
        expect(tag).toBe('a');
        const link: FakeLink = {
          href: '',
          download: '',
          clicked: false,
          attached: false,
          click() {
            expect(this.attached).toBe(true);
            this.clicked = true;
          },
          remove() {
            this.attached = false;
          },
        };
        links.push(link);
        return link;
      },
      body: { append: (link: FakeLink) => (link.attached = true) },
    });
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:http://localhost/file-1');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('hands the fetched file to the browser under the given name', () => {
    const pdf = new Blob(['%PDF-1.7'], { type: 'application/pdf' });
    saveDownload({ data: pdf, response: new Response(null, { status: 200 }) }, 'AIDA-0001.pdf', 'failed');

    expect(URL.createObjectURL).toHaveBeenCalledWith(pdf);
    expect(links).toEqual([
      expect.objectContaining({ href: 'blob:http://localhost/file-1', download: 'AIDA-0001.pdf', clicked: true, attached: false }),
    ]);
  });

  it('releases the file only after the browser has had time to start the download', () => {
    saveDownload({ data: new Blob(['a,b']), response: new Response(null, { status: 200 }) }, 'scores.csv', 'failed');

    vi.advanceTimersByTime(9_999);
    expect(URL.revokeObjectURL).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:http://localhost/file-1');
  });

  it('throws the given message when the server refused the download', () => {
    const refused = { data: new Blob(['{}']), response: new Response(null, { status: 403 }) };

    const message = 'The PDF could not be downloaded; try again';
    expect(() => saveDownload(refused, 'x.pdf', message)).toThrow(message);
    expect(links).toEqual([]);
  });

  it('throws the given message when the answer carried no file', () => {
    expect(() => saveDownload({ response: new Response(null, { status: 200 }) }, 'x.csv', 'No file')).toThrow('No file');
    expect(URL.createObjectURL).not.toHaveBeenCalled();
  });

  it('saves text made in the page as a plain-text file', async () => {
    saveTextFile('abcde-fghij\nklmno-pqrst\n', 'recovery-codes.txt');

    const blob = vi.mocked(URL.createObjectURL).mock.calls[0][0] as Blob;
    expect(blob.type).toBe('text/plain;charset=utf-8');
    expect(await blob.text()).toBe('abcde-fghij\nklmno-pqrst\n');
    expect(links).toEqual([expect.objectContaining({ download: 'recovery-codes.txt', clicked: true, attached: false })]);
  });

  it('gives the file the media type asked for (a CSV as text/csv)', async () => {
    saveTextFile('criterion,rating\r\n', 'answers.csv', 'text/csv;charset=utf-8');

    const blob = vi.mocked(URL.createObjectURL).mock.calls[0][0] as Blob;
    expect(blob.type).toBe('text/csv;charset=utf-8');
    expect(links).toEqual([expect.objectContaining({ download: 'answers.csv', clicked: true })]);
  });
});
