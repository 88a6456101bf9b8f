import type { OpenAPIObject, OperationObject, ParameterObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

const MALFORMED = {
  description:
    'the request is malformed: a body that is not valid JSON or fails validation (unknown fields included), ' +
    'or a parameter that is not of the expected form',
};
const NOT_FOUND = { description: "no such object, or it is another user's (the API answers 404 for both)" };
const SERVICE_UNAVAILABLE_SCHEMA = 'ServiceUnavailableError';
const SERVICE_UNAVAILABLE = {
  description:
    'the database (or another service the platform depends on) is briefly unreachable; the session stays valid: ' +
    'repeat the request after `Retry-After` seconds',
  headers: { 'Retry-After': { description: 'seconds to wait before repeating the request', schema: { type: 'integer' } } },
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${SERVICE_UNAVAILABLE_SCHEMA}` } } },
};

/**
 * Documents the answers every operation gets from the application's own plumbing rather than from its
 * handler, so each operation need not repeat them: 400 from the body parser and the global
 * ValidationPipe (and ParseUUIDPipe) wherever the request has a body or parameters, 404 — the
 * contract's answer for an unknown object or another user's — wherever the path names an object, and
 * 503 from the exception filter whenever the database cannot be reached (common/errors/infrastructure-failure).
 * An operation's own description of any of them is kept.
 */
export function documentCommonResponses(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas[SERVICE_UNAVAILABLE_SCHEMA] = {
    type: 'object',
    required: ['statusCode', 'error', 'message', 'retryAfter'],
    properties: {
      statusCode: { type: 'number', enum: [503] },
      error: { type: 'string', example: 'Service Unavailable' },
      message: { type: 'string' },
      retryAfter: { type: 'number', description: 'seconds, as in the Retry-After header' },
    },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as OperationObject | undefined;
      if (!operation) continue;
      const parameters = (operation.parameters ?? []) as ParameterObject[];
      const hasPathParameter = parameters.some((p) => p.in === 'path');
      if (operation.requestBody || parameters.length) operation.responses['400'] ??= MALFORMED;
      if (hasPathParameter) operation.responses['404'] ??= NOT_FOUND;
      operation.responses['503'] ??= SERVICE_UNAVAILABLE;
    }
  }
  return document;
}
