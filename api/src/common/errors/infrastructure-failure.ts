/**
 * Whether an error means "a service the platform depends on could not be reached or asked the
 * request to be repeated", as opposed to a fault in the request or in our code. Such a request
 * changed nothing that was not rolled back and can simply be sent again, so it is answered 503
 * with Retry-After — never 401 (which a client reads as "signed out") nor 500.
 */
export const RETRY_AFTER_SECONDS = 5;

export const SERVICE_UNAVAILABLE_MESSAGE = 'The service is briefly unavailable; your work is safe. Try again in a few seconds.';

/** Socket and DNS failures (Node's `code`), from the PostgreSQL or Redis connection. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception); 57P01–57P03 (terminated by an administrator,
 * crash of another backend, cannot connect now — starting up, shutting down, in recovery); 53300 (too
 * many connections). 40001 and 40P01 (serialization failure, deadlock) are included too: PostgreSQL
 * rolled the transaction back and asks for it to be retried, which is exactly what 503 tells a client.
 */
const SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300|40001|40P01)$/;

/**
 * What node-postgres, pg-pool and ioredis say, without a code, when a connection is lost, cannot be
 * had in time, or is refused because the client is closing or has no connection to queue on.
 */
const MESSAGES = [
  /^Connection terminated\b/,
  /^timeout exceeded when trying to connect$/,
  /is not queryable$/,
  /^Cannot use a pool after calling end on the pool$/,
  /^Connection is closed\.?$/,
  /^Stream isn't writeable and enableOfflineQueue options is false$/,
];

/**
 * ioredis's error when its retries ran out; TypeORM's when the transaction's connection was terminated under
 * it (the query runner is released with the dead connection, and the transaction's next query finds it so).
 */
const NAMED_ERRORS = new Set(['MaxRetriesPerRequestError', 'QueryRunnerAlreadyReleasedError']);

export function isInfrastructureFailure(error: unknown): boolean {
  return rootCause(error) !== null;
}

/** One log line naming what failed ("57P01 terminating connection due to administrator command"). */
export function describeInfrastructureFailure(error: unknown): string {
  const cause = rootCause(error) ?? error;
  const { code, message } = (cause ?? {}) as { code?: unknown; message?: unknown };
  return [typeof code === 'string' ? code : null, typeof message === 'string' ? message : String(cause)].filter(Boolean).join(' ');
}

/**
 * The error (or the one it wraps: TypeORM's `driverError`, a `cause`, the attempts of an
 * AggregateError when a host name resolves to several addresses) that marks an infrastructure
 * failure; null when there is none.
 */
function rootCause(error: unknown, depth = 0): object | null {
  if (!error || typeof error !== 'object' || depth > 4) return null;
  const { code, message, name, driverError, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    name?: unknown;
    driverError?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATE.test(code))) return error;
  if (typeof message === 'string' && MESSAGES.some((m) => m.test(message))) return error;
  if (typeof name === 'string' && NAMED_ERRORS.has(name)) return error;
  for (const inner of [driverError, cause, ...(Array.isArray(errors) ? errors : [])]) {
    const found = rootCause(inner, depth + 1);
    if (found) return found;
  }
  return null;
}
