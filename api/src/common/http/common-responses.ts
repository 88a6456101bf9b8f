import type { OpenAPIObject, OperationObject, ParameterObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

const MALFORMED = {
  description:
    'the request is malformed: a body that is not valid JSON or fails validation (unknown fields included), ' +
    'or a parameter that is not of the expected form',
};
const NOT_FOUND = { description: "no such object, or it is another user's (the API answers 404 for both)" };

/**
 * Documents the answers every operation gets from the application's own plumbing rather than from its
 * handler, so each operation need not repeat them: 400 from the body parser and the global
 * ValidationPipe (and ParseUUIDPipe) wherever the request has a body or parameters, and 404 — the
 * contract's answer for an unknown object or another user's — wherever the path names an object.
 * An operation's own description of either code is kept.
 */
export function documentCommonResponses(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as OperationObject | undefined;
      if (!operation) continue;
      const parameters = (operation.parameters ?? []) as ParameterObject[];
      const hasPathParameter = parameters.some((p) => p.in === 'path');
      if (operation.requestBody || parameters.length) operation.responses['400'] ??= MALFORMED;
      if (hasPathParameter) operation.responses['404'] ??= NOT_FOUND;
    }
  }
  return document;
}
