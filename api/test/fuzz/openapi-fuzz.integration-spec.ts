import { RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject, OperationObject, ParameterObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import fc from 'fast-check';
import * as path from 'node:path';
import { buildOpenApiDocument } from '../../src/http-app';
import { IssueCertificateJob } from '../../src/modules/certificates/jobs/issue-certificate.job';
import { BankSyncService } from '../../src/modules/question-bank/bank-sync.service';
import { TestContext, type TestUser } from '../test-app';
import { type ObservedResponse, ResponseChecker } from './response-check';
import { type Schema, SchemaArbitraries } from './schema-arbitraries';

/**
 * Fuzzes every operation of the OpenAPI document the server serves at /api/docs-json: valid and invalid
 * bodies, parameters and headers, as each role and signed out. Every answer must be a status the
 * operation documents, with a body of the documented schema, and never a 5xx.
 *
 * Reproducible: the seed is fixed (FUZZ_SEED, default 1414) and each operation draws RUNS requests per role.
 *
 * Operations treated apart (none is left out):
 * - the multipart upload (POST /api/portfolios/{credential}/evidence/{criterion}/attachments) is fuzzed
 *   with everything but a file, and has a dedicated check with a real file;
 * - operations that would end the fuzz's own sessions or second factor (RUN_LAST) run after all the
 *   others, so they cannot turn the rest of the run into 401s;
 * - throttled public auth operations (/api/auth/*) draw THROTTLED_RUNS requests, so throttling does not
 *   hide the rest of their behaviour (a 429 still has to be documented).
 */
const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 1414);
const RUNS = 6;
const SIGNED_OUT_RUNS_ON_SECURED = 3;
const THROTTLED_RUNS = 3;
const REAL_BANK = path.resolve(__dirname, '../../../question-bank');

const RUN_LAST = new Set([
  'DELETE /api/me/sessions',
  'DELETE /api/me/sessions/{id}',
  'DELETE /api/me/second-factor/totp',
  'PUT /api/me/password',
  'POST /api/me/deletion',
  'POST /api/auth/logout',
]);

type Role = 'signed-out' | 'candidate' | 'reviewer' | 'admin';
const ROLES: Role[] = ['signed-out', 'candidate', 'reviewer', 'admin'];
type Variant = 'valid' | 'invalid-body' | 'odd-params' | 'odd-headers';

interface Operation {
  key: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  spec: OperationObject;
  pathParams: ParameterObject[];
  queryParams: ParameterObject[];
  jsonBody?: Schema;
  /** The operation takes a body that is not JSON (multipart). */
  otherBody: boolean;
  secured: boolean;
}

interface FuzzRequest {
  variant: Variant;
  params: Record<string, string>;
  query: Record<string, string>;
  /** Replaces the role's Authorization header when set ('' sends none). */
  authorization?: string;
  contentType?: string;
  body?: string;
}

interface Finding {
  key: string;
  role: Role;
  seed: number;
  problem: string;
  request: string;
  response: string;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function operationsOf(document: OpenAPIObject): Operation[] {
  const operations: Operation[] = [];
  for (const [route, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const spec = item[method] as OperationObject | undefined;
      if (!spec) continue;
      const parameters = (spec.parameters ?? []) as ParameterObject[];
      const pathParams = parameters.filter((p) => p.in === 'path');
      // A {name} in the path that the operation does not declare is itself a fault of the document (reported by
      // its own test); it is still fuzzed, as a string.
      for (const [, name] of route.matchAll(/\{(\w+)\}/g)) {
        if (!pathParams.some((p) => p.name === name)) pathParams.push({ name, in: 'path', required: true, schema: { type: 'string' } });
      }
      const content = (spec.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)?.content ?? {};
      operations.push({
        key: `${method.toUpperCase()} ${route}`,
        method,
        path: route,
        spec,
        pathParams,
        queryParams: parameters.filter((p) => p.in === 'query'),
        jsonBody: content['application/json']?.schema,
        otherBody: Object.keys(content).some((type) => type !== 'application/json'),
        secured: (spec.security ?? document.security ?? []).length > 0,
      });
    }
  }
  return operations;
}

/** A per-operation, per-role seed derived from the fixed one, so one operation's failure replays alone. */
function seedFor(key: string, role: Role): number {
  let h = FUZZ_SEED;
  for (const ch of `${key} as ${role}`) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

function excerpt(value: string | undefined, max = 300): string {
  if (value === undefined) return '';
  return value.length > max ? `${value.slice(0, max)}… (${value.length} chars)` : value;
}

describe('OpenAPI fuzz: every documented operation, as each role and signed out (fixed seed)', () => {
  let ctx: TestContext;
  let document: OpenAPIObject;
  let operations: Operation[];
  let schemas: SchemaArbitraries;
  let checker: ResponseChecker;
  let users: Record<Exclude<Role, 'signed-out'>, TestUser>;
  /** Real ids by path parameter name, so some requests reach real objects. */
  const realIds: Record<string, string[]> = {};
  const fuzzed = new Set<string>();

  const requestArbitrary = (op: Operation): fc.Arbitrary<FuzzRequest> => {
    // An empty or dot-only segment is not a request for this operation: the client normalises it away.
    const isSegment = (v: string) => v !== '' && !/^\.+$/.test(v);
    const paramValue = (p: ParameterObject, odd: boolean): fc.Arbitrary<string> => {
      if (odd) return schemas.weirdString().filter(isSegment);
      const real = realIds[p.name] ?? [];
      const options: Array<fc.WeightedArbitrary<string>> = [
        { weight: 2, arbitrary: fc.uuid({ version: 4 }) },
        {
          weight: 1,
          arbitrary: schemas
            .valid((p.schema ?? { type: 'string' }) as Schema)
            .map(String)
            .filter(isSegment),
        },
      ];
      if (real.length) options.push({ weight: 4, arbitrary: fc.constantFrom(...real) });
      return fc.oneof(...options);
    };
    const params = (odd: boolean) =>
      fc.record(Object.fromEntries(op.pathParams.map((p) => [p.name, paramValue(p, odd)])) as Record<string, fc.Arbitrary<string>>);
    const query = (odd: boolean): fc.Arbitrary<Record<string, string>> => {
      const model: Record<string, fc.Arbitrary<string>> = {};
      for (const p of op.queryParams) {
        const schema = (p.schema ?? { type: 'string' }) as Schema;
        model[p.name] = odd
          ? fc.oneof(
              schemas.weirdString(),
              schemas.wrongType(schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
            )
          : schemas.valid(schema).map((v) => String(v));
      }
      const required = op.queryParams.filter((p) => p.required).map((p) => p.name);
      return fc.record(model, { requiredKeys: odd ? [] : required });
    };
    const validBody = op.jsonBody ? schemas.valid(op.jsonBody).map((v) => JSON.stringify(v)) : fc.constant(undefined);
    const json = { contentType: 'application/json' };

    const variants: Array<fc.WeightedArbitrary<FuzzRequest>> = [
      {
        weight: 3,
        arbitrary: fc
          .record({ params: params(false), query: query(false), body: validBody })
          .map((r) => ({ variant: 'valid' as const, ...r, ...(r.body === undefined ? {} : json) })),
      },
      {
        weight: 1,
        arbitrary: fc
          .record({ params: params(true), query: query(true), body: validBody })
          .map((r) => ({ variant: 'odd-params' as const, ...r, ...(r.body === undefined ? {} : json) })),
      },
      {
        weight: 1,
        arbitrary: fc
          .record({
            params: params(false),
            query: query(false),
            authorization: fc.constantFrom(
              'Bearer not-a-token',
              'Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4Iiwicm9sZXMiOlsiYWRtaW4iXX0.',
              'Basic YWRtaW46YWRtaW4=',
              'Bearer ' + 'A'.repeat(4_000),
            ),
            body: validBody,
          })
          .map((r) => ({ variant: 'odd-headers' as const, ...r, ...(r.body === undefined ? {} : json) })),
      },
    ];
    if (op.jsonBody || op.otherBody) {
      const invalidBody = op.jsonBody ? schemas.invalid(op.jsonBody).map((v) => JSON.stringify(v)) : fc.constant('{}');
      variants.push(
        {
          weight: 3,
          arbitrary: fc
            .record({ params: params(false), query: query(false), body: invalidBody })
            .map((r) => ({ variant: 'invalid-body' as const, ...r, ...json })),
        },
        {
          weight: 1,
          arbitrary: fc
            .record({
              params: params(false),
              query: query(false),
              odd: fc.constantFrom(
                { contentType: 'application/json', body: '{"truncated": ' },
                { contentType: 'application/json', body: '' },
                { contentType: 'text/plain', body: 'plain words' },
                { contentType: 'application/xml', body: '<a>1</a>' },
                { contentType: 'application/x-www-form-urlencoded', body: 'a=1&b=2' },
              ),
            })
            .map(({ odd, ...r }) => ({ variant: 'odd-headers' as const, ...r, ...odd })),
        },
      );
    }
    return fc.oneof(...variants);
  };

  function urlOf(op: Operation, req: FuzzRequest): string {
    const route = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(req.params[name] ?? ''));
    const search = new URLSearchParams(req.query).toString();
    return search ? `${route}?${search}` : route;
  }

  async function send(op: Operation, role: Role, req: FuzzRequest): Promise<{ url: string; res: ObservedResponse }> {
    const url = urlOf(op, req);
    let call = ctx.http[op.method](url);
    const authorization = req.authorization ?? (role === 'signed-out' ? '' : `Bearer ${users[role].accessToken}`);
    if (authorization) call = call.set('Authorization', authorization);
    if (req.contentType) call = call.set('Content-Type', req.contentType);
    if (req.body !== undefined) call = call.send(req.body);
    const res = await call;
    const text = typeof res.text === 'string' ? res.text : '';
    const isJson = /^application\/json/.test(String(res.headers['content-type'] ?? ''));
    return { url, res: { status: res.status, headers: res.headers, json: isJson ? res.body : undefined, text } };
  }

  async function fuzz(op: Operation, role: Role, findings: Finding[]): Promise<void> {
    const seed = seedFor(op.key, role);
    const runs = op.path.startsWith('/api/auth/')
      ? THROTTLED_RUNS
      : role === 'signed-out' && op.secured
        ? SIGNED_OUT_RUNS_ON_SECURED
        : RUNS;
    for (const req of fc.sample(requestArbitrary(op), { seed, numRuns: runs })) {
      const { url, res } = await send(op, role, req);
      const problem = checker.problem(op.spec, res);
      if (problem) {
        findings.push({
          key: op.key,
          role,
          seed,
          problem,
          request: `${op.method.toUpperCase()} ${excerpt(url, 200)} [${req.variant}]${req.authorization !== undefined ? ` Authorization: ${excerpt(req.authorization, 40)}` : ''}${req.contentType ? ` Content-Type: ${req.contentType}` : ''}${req.body !== undefined ? ` body: ${excerpt(req.body, 200)}` : ''}`,
          response: `${res.status} ${excerpt(res.json !== undefined ? JSON.stringify(res.json) : res.text)}`,
        });
      }
    }
    fuzzed.add(op.key);
  }

  function report(findings: Finding[]): string {
    // One example per operation, role and problem: the same cause repeats across runs.
    const seen = new Set<string>();
    const lines: string[] = [];
    for (const f of findings) {
      const id = `${f.key}|${f.role}|${f.problem.replace(/\d{3}/, 'NNN').slice(0, 60)}`;
      if (seen.has(id)) continue;
      seen.add(id);
      lines.push(
        `${f.key} as ${f.role} (seed ${f.seed}, FUZZ_SEED=${FUZZ_SEED}): ${f.problem}\n    request:  ${f.request}\n    response: ${f.response}`,
      );
    }
    return `${findings.length} fuzzed request(s) broke the OpenAPI document:\n${lines.join('\n')}`;
  }

  /** Passes AIDA through the API (answering the key) and issues the certificate; returns the attempt and certificate. */
  async function passAidaWithCertificate(user: TestUser): Promise<{ attemptId: string; number: string; certificateId: string }> {
    const attemptId = await ctx.passAida(user);
    const [event] = await ctx.dataSource.query(`SELECT id FROM credential_events WHERE source_id = $1`, [attemptId]);
    await ctx.app.get(IssueCertificateJob).handle({ credentialEventId: event.id });
    const [certificate] = await ctx.dataSource.query(`SELECT id, number FROM certificates WHERE user_id = $1`, [user.id]);
    return { attemptId, number: certificate.number, certificateId: certificate.id };
  }

  beforeAll(async () => {
    ctx = await TestContext.create();
    // The document exactly as GET /api/docs-json serves it.
    document = buildOpenApiDocument(ctx.app);
    expect((await ctx.http.get('/api/docs-json').expect(200)).body.paths).toEqual(JSON.parse(JSON.stringify(document.paths)));
    operations = operationsOf(document);
    schemas = new SchemaArbitraries((document.components?.schemas ?? {}) as Record<string, Schema>);
    checker = new ResponseChecker(document);

    await ctx.app.get(BankSyncService).syncFromFiles(REAL_BANK);
    users = { candidate: await ctx.newCandidate(), reviewer: await ctx.newUser('reviewer'), admin: await ctx.newAdmin() };
    // A little real data, so some path ids reach real objects: the candidate's passed attempt and
    // certificate, another candidate's attempt in progress and name-change request, an account for
    // the admin operations to act on (never one of the fuzz's own).
    const passed = await passAidaWithCertificate(users.candidate);
    const sitter = await ctx.newCandidate();
    const inProgress = (await ctx.as(sitter).post('/api/exams/aida/attempts').expect(201)).body;
    const nameChange = (await ctx.as(sitter).post('/api/me/name-change', { name: 'Sitter Renamed', reason: 'deed poll' }).expect(201)).body;
    const bystander = await ctx.newCandidate();
    const ids = async (sql: string) => ((await ctx.dataSource.query(sql)) as Array<{ id: string | number }>).map((r) => String(r.id));
    Object.assign(realIds, {
      userId: [bystander.id],
      number: [passed.number],
      attemptId: [passed.attemptId, inProgress.id],
      questionId: inProgress.questions.slice(0, 2).map((q: { id: string }) => q.id),
      listId: await ids(`SELECT id FROM status_lists LIMIT 2`),
      itemId: await ids(`SELECT id FROM items ORDER BY id LIMIT 2`),
      credential: ['CPAP', 'CPAA', 'AIDA', 'cpap'],
      criterion: ['D01.1', 'D08.5', 'D99.9'],
      id: [
        nameChange.request?.id ?? nameChange.id,
        passed.certificateId,
        ...(await ids(`SELECT id FROM notifications ORDER BY created_at LIMIT 1`)),
      ].filter(Boolean),
    });
  }, 120_000);
  afterAll(() => ctx?.close());

  it('answers every operation with a documented status and body and never a 5xx', async () => {
    const findings: Finding[] = [];
    for (const op of operations.filter((o) => !RUN_LAST.has(o.key))) {
      for (const role of ROLES) await fuzz(op, role, findings);
    }
    if (findings.length) throw new Error(report(findings));
  }, 600_000);

  it('answers a real multipart upload (the one operation the generated bodies cannot reach) as documented', async () => {
    const op = operations.find((o) => o.key === 'POST /api/portfolios/{credential}/evidence/{criterion}/attachments')!;
    expect(op.otherBody).toBe(true);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const upload = (credential: string, criterion: string, file?: Buffer) => {
      const call = ctx.http
        .post(`/api/portfolios/${credential}/evidence/${criterion}/attachments`)
        .set('Authorization', `Bearer ${users.candidate.accessToken}`);
      return file ? call.attach('file', file, { filename: 'evidence.pdf', contentType: 'application/pdf' }) : call.field('note', 'no file');
    };
    const observe = async (call: ReturnType<typeof upload>): Promise<ObservedResponse> => {
      const res = await call;
      return { status: res.status, headers: res.headers, json: res.body, text: res.text ?? '' };
    };
    // Opening the draft creates the portfolio (the candidate passed AIDA above).
    await ctx.as(users.candidate).get('/api/portfolios/CPAP').expect(200);
    const stored = await observe(upload('CPAP', 'D01.1', pdf));
    expect({ status: stored.status, problem: checker.problem(op.spec, stored) }).toEqual({ status: 201, problem: null });
    for (const odd of [upload('CPAP', 'D01.1'), upload('CPAP', 'not-a-criterion', pdf), upload('XYZ', 'D01.1', pdf)]) {
      const res = await observe(odd);
      expect({ status: res.status, problem: checker.problem(op.spec, res) }).toEqual({ status: expect.any(Number), problem: null });
      expect(res.status).toBeGreaterThanOrEqual(400);
    }
  });

  it('answers the operations that end sessions or second factors as documented (run last)', async () => {
    const findings: Finding[] = [];
    for (const op of operations.filter((o) => RUN_LAST.has(o.key))) {
      for (const role of ROLES) await fuzz(op, role, findings);
    }
    if (findings.length) throw new Error(report(findings));
  }, 300_000);

  it('documents the status each handler answers on success (a POST answers 201 unless it says otherwise)', () => {
    const wrong: string[] = [];
    for (const module of ctx.app.get(ModulesContainer).values()) {
      for (const { metatype } of module.controllers.values()) {
        const controller = metatype as unknown as { prototype: Record<string, object> };
        const base = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, controller) ?? '')[0];
        for (const name of Object.getOwnPropertyNames(controller.prototype)) {
          const handler: object = controller.prototype[name];
          const verb: RequestMethod | undefined = typeof handler === 'function' ? Reflect.getMetadata(METHOD_METADATA, handler) : undefined;
          if (verb === undefined || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
          const method = RequestMethod[verb].toLowerCase();
          const sub = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, handler))[0];
          const segments = [base, sub]
            .flatMap((p) => p.split('/'))
            .filter(Boolean)
            .map((seg) => seg.replace(/^:(\w+)$/, '{$1}'));
          const route = [`/api/${segments.join('/')}`, `/${segments.join('/')}`].find((r) => document.paths[r]?.[method as 'get']);
          if (!route) continue;
          const code: number = Reflect.getMetadata(HTTP_CODE_METADATA, handler) ?? (method === 'post' ? 201 : 200);
          const documented = Object.keys((document.paths[route] as Record<string, OperationObject>)[method].responses);
          if (!documented.includes(String(code)))
            wrong.push(`${method.toUpperCase()} ${route} answers ${code}, documents ${documented.join(', ')}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('declares every parameter its paths name', () => {
    const undeclared = operations.flatMap((op) =>
      op.pathParams
        .filter((p) => !((op.spec.parameters ?? []) as ParameterObject[]).some((d) => d.in === 'path' && d.name === p.name))
        .map((p) => `${op.key}: {${p.name}}`),
    );
    expect(undeclared).toEqual([]);
  });

  it('left no documented operation unfuzzed', () => {
    expect(operations.length).toBeGreaterThan(100);
    expect(operations.map((o) => o.key).filter((key) => !fuzzed.has(key))).toEqual([]);
  });
});
