import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import { eventually, TestContext, type TestUser } from '../../../test/test-app';

const BOUNDARY = 'psf-upload-test-boundary';
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const MB = 1_048_576;
/** A real PDF header followed by `size` bytes of noise. */
const pdfOf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.7\n%âãÏÓ\n'), randomBytes(size)]);

interface Answer {
  status: number;
  body: { statusCode?: number; message?: string; sha256?: string; id?: string };
}

/**
 * An upload sent by hand, so a test controls the body: the multipart head of the one file part, then the
 * file in pieces, written only when the test says so, and the answer as soon as the server gives it
 * (possibly before the body has ended).
 */
class HandUpload {
  readonly answer: Promise<Answer>;
  private readonly req: http.ClientRequest;

  constructor(port: number, user: TestUser, url: string, options: { fileName: string; declaredLength?: number }) {
    const headers: http.OutgoingHttpHeaders = {
      Authorization: `Bearer ${user.accessToken}`,
      'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
    };
    if (options.declaredLength !== undefined) headers['Content-Length'] = options.declaredLength;
    this.req = http.request({ port, path: url, method: 'POST', headers, agent: false });
    this.answer = new Promise((resolve, reject) => {
      this.req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') }));
      });
      this.req.on('error', reject);
    });
    this.req.write(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${options.fileName}"\r\n` +
        `Content-Type: application/octet-stream\r\n\r\n`,
    );
  }

  send(data: Buffer): this {
    this.req.write(data);
    return this;
  }

  end(): this {
    this.req.end(`\r\n--${BOUNDARY}--\r\n`);
    return this;
  }

  /** The client goes away mid-body. */
  abort(): void {
    this.req.destroy();
  }
}

describe('uploads stream to storage; what needs no body is checked before it is read (real PostgreSQL, real files)', () => {
  let ctx: TestContext;
  let config: AppConfig;
  let port: number;
  let saved: string;

  beforeAll(async () => {
    ctx = await TestContext.create();
    config = ctx.app.get<AppConfig>(APP_CONFIG);
    saved = JSON.stringify({ portfolioLimits: config.portfolioLimits, maxAttachmentBytes: config.maxAttachmentBytes });
    await ctx.app.listen(0, '127.0.0.1');
    port = (ctx.app.getHttpServer().address() as AddressInfo).port;
  });
  afterEach(() => Object.assign(config, JSON.parse(saved)));
  afterAll(() => ctx.close());

  const url = '/api/portfolios/CPAP/evidence/D04.2/attachments';

  async function candidateWithDraft(): Promise<TestUser & { portfolioId: string }> {
    const user = await ctx.newCandidate();
    await ctx.passAida(user);
    const draft = await ctx.as(user).get('/api/portfolios/CPAP').expect(200);
    return Object.assign(user, { portfolioId: draft.body.id as string });
  }

  /** Every file under the portfolio's storage folder, temporary ones included. */
  const filesOf = (portfolioId: string): string[] => {
    const dir = path.join(config.dataDir, 'files', 'portfolios', portfolioId);
    return existsSync(dir) ? readdirSync(dir) : [];
  };
  const rowsOf = async (portfolioId: string): Promise<number> =>
    (await ctx.dataSource.query(`SELECT count(*)::int AS n FROM portfolio_attachments WHERE portfolio_id = $1`, [portfolioId]))[0].n;
  const handUpload = (u: TestUser, options: { fileName: string; declaredLength?: number }, to = url) =>
    new HandUpload(port, u, to, options);

  it('stores the file it was sent, byte for byte (sha256 of the body, of the stored file and of the download agree)', async () => {
    const ada = await candidateWithDraft();
    const file = pdfOf(3 * MB);
    const res = await ctx.as(ada).post(url).attach('file', file, 'load-test-report.pdf').expect(201);
    expect(res.body).toMatchObject({ mediaType: 'application/pdf', sizeBytes: file.length, sha256: sha256(file) });
    expect(filesOf(ada.portfolioId)).toEqual([res.body.id]);
    const onDisk = readFileSync(path.join(config.dataDir, 'files', 'portfolios', ada.portfolioId, res.body.id));
    expect(sha256(onDisk)).toBe(sha256(file));
    const download = await ctx.as(ada).get(`/api/attachments/${res.body.id}`).buffer(true).expect(200);
    expect(sha256(download.body as Buffer)).toBe(sha256(file));
  });

  it('a file passing MAX_ATTACHMENT_MB is refused (413) as soon as the limit is passed, while the client is still sending; nothing is stored', async () => {
    config.maxAttachmentBytes = MB;
    const bea = await candidateWithDraft();
    // No declared length: only the streamed count can tell. The body never ends, so the answer proves it came early.
    const upload = handUpload(bea, { fileName: 'too-big.pdf' }).send(pdfOf(MB + 1024));
    const answer = await upload.answer;
    upload.abort();
    expect(answer).toMatchObject({ status: 413, body: { message: 'Attachments are limited to 1 MB' } });
    await eventually(async () => filesOf(bea.portfolioId).length === 0, 'the temporary file to be deleted');
    expect(await rowsOf(bea.portfolioId)).toBe(0);
  });

  it('a declared length over MAX_ATTACHMENT_MB is refused (413) before the body is read', async () => {
    config.maxAttachmentBytes = MB;
    const cy = await candidateWithDraft();
    const upload = handUpload(cy, { fileName: 'huge.pdf', declaredLength: 50 * MB }).send(pdfOf(1024));
    const answer = await upload.answer;
    upload.abort();
    expect(answer).toMatchObject({ status: 413, body: { message: 'Attachments are limited to 1 MB' } });
    expect(filesOf(cy.portfolioId)).toEqual([]);
  });

  it('refusals that need no body (no portfolio, unknown criterion, a full portfolio, no room) are answered while the body is still unsent', async () => {
    const noAida = await ctx.newCandidate();
    const dee = await candidateWithDraft();
    const refusedEarly = async (u: TestUser, to: string, declaredLength = 20 * MB) => {
      const upload = handUpload(u, { fileName: 'evidence.pdf', declaredLength }, to).send(pdfOf(64 * 1024));
      const answer = await upload.answer;
      upload.abort();
      return answer;
    };

    expect(await refusedEarly(noAida, url)).toMatchObject({ status: 404, body: { message: 'You have no CPAP portfolio yet' } });
    expect(await refusedEarly(dee, '/api/portfolios/CPAP/evidence/D08.1/attachments')).toMatchObject({
      status: 404,
      body: { message: 'D08.1 is not a criterion of the CPAP portfolio' },
    });
    config.portfolioLimits.maxBytes = 5 * MB;
    expect(await refusedEarly(dee, url, 10 * MB)).toMatchObject({ status: 413, body: { message: expect.stringMatching(/5 MB together/) } });
    config.portfolioLimits.maxAttachments = 1;
    await ctx.as(dee).post(url).attach('file', pdfOf(100), 'one.pdf').expect(201);
    expect(await refusedEarly(dee, url)).toMatchObject({ status: 400, body: { message: expect.stringMatching(/at most 1 attachments/) } });
    expect(filesOf(dee.portfolioId)).toHaveLength(1);
  });

  it('a type refused by its first bytes is answered before the rest of the file is sent', async () => {
    const eve = await candidateWithDraft();
    const upload = handUpload(eve, { fileName: 'evidence.pdf', declaredLength: 5 * MB }).send(
      Buffer.concat([Buffer.from('MZ'), randomBytes(4096)]),
    );
    const answer = await upload.answer;
    upload.abort();
    expect(answer).toMatchObject({ status: 400, body: { message: expect.stringMatching(/"evidence.pdf" is an executable program/) } });
    await eventually(async () => filesOf(eve.portfolioId).length === 0, 'the temporary file to be deleted');
  });

  it('a text file that stops being text after its first bytes is refused whole (400), storing nothing', async () => {
    const fay = await candidateWithDraft();
    const notText = Buffer.concat([Buffer.from('# Runbook\n'.repeat(200)), Buffer.from([0, 1, 2])]);
    const res = await ctx.as(fay).post(url).attach('file', notText, 'runbook.md').expect(400);
    expect(res.body.message).toBe('"runbook.md" is not a PDF, PNG, JPEG, Markdown or plain-text file');
    const cut = Buffer.concat([Buffer.from('notes '.repeat(200)), Buffer.from([0xe2, 0x82])]);
    await ctx.as(fay).post(url).attach('file', cut, 'notes.txt').expect(400);
    const text = Buffer.from('p95 latency 420 ms — within budget\n'.repeat(100));
    expect((await ctx.as(fay).post(url).attach('file', text, 'metrics.txt').expect(201)).body.mediaType).toBe('text/plain');
    expect(filesOf(fay.portfolioId)).toHaveLength(1);
  });

  it('an upload the client abandons mid-body leaves no temporary file and no row', async () => {
    const gus = await candidateWithDraft();
    const upload = handUpload(gus, { fileName: 'evidence.pdf' }).send(pdfOf(MB));
    // The file goes to disk while it arrives: its temporary file exists before the body ends.
    await eventually(async () => filesOf(gus.portfolioId).some((f) => f.endsWith('.tmp')), 'the upload to reach the disk');
    upload.abort();
    await upload.answer.catch(() => undefined);
    await eventually(async () => filesOf(gus.portfolioId).length === 0, 'the temporary file to be deleted');
    expect(await rowsOf(gus.portfolioId)).toBe(0);
    // The server is still serving the same candidate.
    await ctx.as(gus).post(url).attach('file', pdfOf(100), 'after.pdf').expect(201);
  });

  it('MAX_PORTFOLIO_MB is enforced with the real size after streaming: of two uploads that fit only one at a time, one is stored', async () => {
    const hal = await candidateWithDraft();
    const size = 2 * MB;
    config.portfolioLimits.maxBytes = 3 * MB;
    // No declared length, so both pass the early check and the transaction that inserts the row decides.
    const send = (name: string) => handUpload(hal, { fileName: name }).send(pdfOf(size)).end().answer;
    const answers = await Promise.all([send('first.pdf'), send('second.pdf')]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 413]);
    expect(answers.find((a) => a.status === 413)!.body.message).toMatch(/limited to 3 MB together/);
    expect(await rowsOf(hal.portfolioId)).toBe(1);
    expect(filesOf(hal.portfolioId)).toEqual([answers.find((a) => a.status === 201)!.body.id]);
  });

  it('a malformed multipart body is a clear 400 with nothing stored', async () => {
    const ida = await candidateWithDraft();
    const cut = handUpload(ida, { fileName: 'cut.pdf' }).send(pdfOf(1000));
    // The body ends without its closing boundary.
    (cut as unknown as { req: http.ClientRequest }).req.end();
    expect(await cut.answer).toMatchObject({
      status: 400,
      body: { message: expect.stringMatching(/^Multipart: Unexpected end of (form|file)/) },
    });
    const wrongField = await ctx.as(ida).post(url).attach('evidence', pdfOf(100), 'x.pdf');
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.message).toMatch(/Unexpected file field - evidence/);
    const noBoundary = await ctx.as(ida).post(url).set('Content-Type', 'multipart/form-data').send('x');
    expect(noBoundary.status).toBe(400);
    await eventually(async () => filesOf(ida.portfolioId).length === 0, 'no file to be left');
    expect(await rowsOf(ida.portfolioId)).toBe(0);
  });
});
