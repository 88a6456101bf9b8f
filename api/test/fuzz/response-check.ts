import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenAPIObject, OperationObject, ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { Schema } from './schema-arbitraries';

export interface ObservedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON when the response is JSON, else undefined. */
  json: unknown;
  text: string;
}

/** OpenAPI 3.0's `nullable` as JSON Schema: ajv only honours it beside a `type`, swagger also writes it beside `$ref`/`allOf`. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === '$ref' && typeof v === 'string' ? v.replace('#/components/', 'openapi.json#/components/') : toJsonSchema(v);
  }
  if (out.nullable === true) {
    const { nullable: _n, description, ...rest } = out;
    return { description, anyOf: [rest, { type: 'null' }] };
  }
  return out;
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** Checks a response against the operation that answered it: a documented status, a body of the documented schema. */
export class ResponseChecker {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  private readonly compiled = new Map<unknown, ValidateFunction>();

  constructor(document: OpenAPIObject) {
    // ajv-formats brings its own copy of ajv 8; the instance is the same API.
    addFormats(this.ajv as unknown as Parameters<typeof addFormats>[0]);
    this.ajv.addSchema(toJsonSchema({ components: document.components ?? {} }) as object, 'openapi.json');
  }

  /** What is wrong with the response, or null when it is one the document describes. */
  problem(operation: OperationObject, res: ObservedResponse): string | null {
    if (res.status >= 500) return `server error ${res.status}`;
    const responses = operation.responses as Record<string, ResponseObject>;
    const documented = responses[String(res.status)] ?? responses.default;
    if (!documented) return `status ${res.status} is not documented (documented: ${Object.keys(responses).join(', ')})`;
    if (res.status === 429 && !res.headers['retry-after']) return '429 without a Retry-After header';
    if (res.status === 204 && res.text) return '204 with a body';
    const received = mediaType(res.headers['content-type'] as string | undefined);
    if (res.status >= 400 && received === 'application/json') {
      const body = res.json as { statusCode?: unknown; error?: unknown; message?: unknown } | null;
      if (!body || body.statusCode !== res.status || typeof body.error !== 'string' || typeof body.message !== 'string') {
        return 'error body is not {statusCode, error, message}';
      }
    }
    const content = documented.content;
    if (!content || !received) return null;
    const entry = Object.entries(content).find(([type]) => mediaType(type) === received);
    if (!entry) return `content type ${received} is not documented for ${res.status} (documented: ${Object.keys(content).join(', ')})`;
    const schema = entry[1].schema as Schema | undefined;
    if (!schema || received !== 'application/json') return null;
    const validate = this.validator(schema);
    if (!validate(res.json)) {
      return `body breaks the documented schema: ${this.ajv.errorsText(validate.errors, { separator: '; ' })}`;
    }
    return null;
  }

  private validator(schema: Schema): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema) as object);
      this.compiled.set(schema, validate);
    }
    return validate;
  }
}
