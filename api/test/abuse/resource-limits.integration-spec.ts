import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import type request from 'supertest';
import { APP_CONFIG, type AppConfig } from '../../src/infrastructure/config/app-config';
import { TestContext, type TestUser } from '../test-app';

const PDF = (marker: string, padding = 0) =>
  Buffer.from(`%PDF-1.7\n% ${marker}${' '.repeat(padding)}\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n`);

describe('ABUSE: resource limits (multipart bodies, attachments per portfolio, uploads per user, names)', () => {
  let ctx: TestContext;
  let config: AppConfig;
  let saved: string;

  beforeAll(async () => {
    ctx = await TestContext.create();
    config = ctx.app.get<AppConfig>(APP_CONFIG);
    saved = JSON.stringify({
      portfolioLimits: config.portfolioLimits,
      rateLimits: config.rateLimits,
      maxAttachmentBytes: config.maxAttachmentBytes,
    });
  });

  afterEach(() => {
    Object.assign(config, JSON.parse(saved));
  });

  afterAll(async () => {
    await ctx.close();
  });

  /** A candidate with a CPAP draft (AIDA passed), and the id of that portfolio. */
  async function candidateWithDraft(): Promise<TestUser & { portfolioId: string }> {
    const user = await ctx.newCandidate();
    await ctx.passAida(user);
    await ctx.as(user).get('/api/portfolios/CPAP').expect(200);
    const [p] = await ctx.dataSource.query(`SELECT id FROM portfolios WHERE user_id = $1 AND credential = 'CPAP'`, [user.id]);
    return Object.assign(user, { portfolioId: p.id as string });
  }

  const upload = (u: TestUser) => ctx.as(u).post('/api/portfolios/CPAP/evidence/D04.2/attachments');

  /** What the portfolio holds: attachment rows and files in storage. */
  async function stored(portfolioId: string): Promise<{ rows: number; files: number }> {
    const [{ rows }] = await ctx.dataSource.query(`SELECT count(*)::int AS rows FROM portfolio_attachments WHERE portfolio_id = $1`, [
      portfolioId,
    ]);
    const dir = path.join(config.dataDir, 'files', 'portfolios', portfolioId);
    return { rows, files: existsSync(dir) ? readdirSync(dir).length : 0 };
  }

  const expectRefused = (res: request.Response, status: number, message: RegExp) => {
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ statusCode: status, message: expect.stringMatching(message) });
  };

  describe('multipart bodies are bounded while they stream in; nothing is stored', () => {
    let ada: TestUser & { portfolioId: string };
    beforeAll(async () => {
      ada = await candidateWithDraft();
    });

    it('thousands of fields', async () => {
      const req = upload(ada);
      for (let i = 0; i < 3000; i++) req.field(`f${i}`, 'x');
      expectRefused(await req.attach('file', PDF('fields'), 'fields.pdf'), 400, /too many fields/i);
      expect(await stored(ada.portfolioId)).toEqual({ rows: 0, files: 0 });
    });

    it('many file parts', async () => {
      const req = upload(ada);
      for (let i = 0; i < 50; i++) req.attach('file', PDF(`part-${i}`), `part-${i}.pdf`);
      const res = await req;
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/too many (files|parts)/i);
      expect(await stored(ada.portfolioId)).toEqual({ rows: 0, files: 0 });
    });

    it('an oversized field', async () => {
      const res = await upload(ada).field('note', 'x'.repeat(100_000)).attach('file', PDF('big-field'), 'big-field.pdf');
      expectRefused(res, 400, /field value too long/i);
      expect(await stored(ada.portfolioId)).toEqual({ rows: 0, files: 0 });
    });

    it('a file over MAX_ATTACHMENT_MB (413)', async () => {
      config.maxAttachmentBytes = 200;
      const res = await upload(ada).attach('file', PDF('too-big', 500), 'too-big.pdf');
      expectRefused(res, 413, /Attachments are limited to/);
      expect(await stored(ada.portfolioId)).toEqual({ rows: 0, files: 0 });
    });

    it('a well-formed upload still works', async () => {
      await upload(ada).attach('file', PDF('fine'), 'fine.pdf').expect(201);
      expect(await stored(ada.portfolioId)).toEqual({ rows: 1, files: 1 });
    });
  });

  it('MAX_ATTACHMENTS_PER_PORTFOLIO: a full portfolio refuses another attachment until one is removed', async () => {
    config.portfolioLimits.maxAttachments = 2;
    const bea = await candidateWithDraft();
    const first = await upload(bea).attach('file', PDF('one'), 'one.pdf').expect(201);
    await upload(bea).attach('file', PDF('two'), 'two.pdf').expect(201);
    expectRefused(await upload(bea).attach('file', PDF('three'), 'three.pdf'), 400, /at most 2 attachments/);
    expect(await stored(bea.portfolioId)).toEqual({ rows: 2, files: 2 });
    await ctx.as(bea).delete(`/api/attachments/${first.body.id}`).expect(204);
    await upload(bea).attach('file', PDF('three'), 'three.pdf').expect(201);
  });

  it('MAX_PORTFOLIO_MB: the attachments of a portfolio are limited in total size (413)', async () => {
    const one = PDF('size-1').length;
    config.portfolioLimits.maxBytes = one * 2 + 10;
    const cy = await candidateWithDraft();
    await upload(cy).attach('file', PDF('size-1'), 'size-1.pdf').expect(201);
    await upload(cy).attach('file', PDF('size-2'), 'size-2.pdf').expect(201);
    expectRefused(await upload(cy).attach('file', PDF('size-3', 20), 'size-3.pdf'), 413, /limited to .* MB together/);
    expect(await stored(cy.portfolioId)).toEqual({ rows: 2, files: 2 });
  });

  it('RATE_LIMIT_UPLOADS_PER_HOUR: uploads per user (429, Retry-After), other users unaffected', async () => {
    config.rateLimits.uploads.max = 2;
    const dee = await candidateWithDraft();
    await upload(dee).attach('file', PDF('r1'), 'r1.pdf').expect(201);
    await upload(dee).attach('file', PDF('r2'), 'r2.pdf').expect(201);
    const refused = await upload(dee).attach('file', PDF('r3'), 'r3.pdf');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await stored(dee.portfolioId)).toEqual({ rows: 2, files: 2 });
    const eve = await candidateWithDraft();
    await upload(eve).attach('file', PDF('e1'), 'e1.pdf').expect(201);
  });

  describe('names carry no control or text-direction characters', () => {
    const bad = [
      ['a right-to-left override', 'Ada \u202eecalevoL', '202E'],
      ['an escape sequence', 'Ada\u001b[2J Lovelace', '001B'],
      ['a C1 control', 'Ada\u0085Lovelace', '0085'],
      ['DEL', 'Ada\u007fLovelace', '007F'],
      ['an isolate', 'Ada \u2067Lovelace\u2069', '2067'],
    ];

    it.each(bad)('registration refuses %s (400) and creates no account', async (_what, fullName, code) => {
      const email = ctx.uniqueEmail('badname');
      const res = await ctx.http.post('/api/auth/register').send({ email, password: 'a long enough passphrase 42', fullName });
      expectRefused(res, 400, new RegExp(`fullName must not contain control or text-direction characters \\(found U\\+${code}\\)`));
      expect(await ctx.dataSource.query(`SELECT 1 FROM users WHERE email = $1`, [email])).toHaveLength(0);
    });

    it('a name-change request refuses them (400) and records nothing', async () => {
      const fay = await ctx.newCandidate();
      for (const [, name, code] of bad) {
        const res = await ctx.as(fay).post('/api/me/name-change', { name, reason: 'Testing the name rules' });
        expectRefused(res, 400, new RegExp(`name must not contain control or text-direction characters \\(found U\\+${code}\\)`));
      }
      expect(await ctx.dataSource.query(`SELECT 1 FROM name_change_requests WHERE user_id = $1`, [fay.id])).toHaveLength(0);
      // Letters of every script are names.
      await ctx.as(fay).post('/api/me/name-change', { name: 'Zoë Ångström-Łukasiewicz محمد', reason: 'Marriage' }).expect(201);
    });
  });
});
