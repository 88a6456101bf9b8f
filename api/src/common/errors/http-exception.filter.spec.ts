import { type ArgumentsHost, BadRequestException, ConflictException, Logger, NotFoundException } from '@nestjs/common';
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { HttpExceptionFilter, toErrorBody } from './http-exception.filter';

/** The session check's query after an administrator terminated the connection, as TypeORM throws it. */
const terminated = () =>
  new QueryFailedError(
    'SELECT 1',
    [],
    Object.assign(new DatabaseError('terminating connection due to administrator command', 100, 'error'), { code: '57P01' }),
  );

/** What the filter did with the response: status, headers and body. */
function answer(exception: unknown) {
  const sent = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
  const res = {
    headersSent: false,
    setHeader: (name: string, value: string) => (sent.headers[name] = value),
    removeHeader: (name: string) => delete sent.headers[name],
    status: (code: number) => ((sent.status = code), res),
    json: (body: unknown) => (sent.body = body),
  };
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  new HttpExceptionFilter().catch(exception, host);
  return sent;
}

describe('toErrorBody', () => {
  it('keeps the contract shape for HTTP errors', () => {
    expect(toErrorBody(new NotFoundException('No such user'))).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'No such user',
    });
  });

  it('joins validation messages into one readable sentence', () => {
    const body = toErrorBody(new BadRequestException(['email must be a valid email address', 'fullName is required']));
    expect(body.message).toBe('email must be a valid email address; fullName is required');
  });

  it('keeps extra fields a caller needs, such as the attempt in progress', () => {
    const body = toErrorBody(new ConflictException({ message: 'An attempt is in progress', attemptId: 'a1' }));
    expect(body).toMatchObject({ statusCode: 409, error: 'Conflict', attemptId: 'a1' });
  });

  it('maps malformed JSON from the body parser to 400 without internals', () => {
    const parseError = Object.assign(new SyntaxError('Unexpected token } in JSON at position 12'), {
      status: 400,
      type: 'entity.parse.failed',
    });
    expect(toErrorBody(parseError)).toEqual({ statusCode: 400, error: 'Bad Request', message: 'The request body is not valid JSON' });
  });

  it('never reveals an unexpected error', () => {
    const body = toErrorBody(new Error('connection to 10.0.0.3 refused'));
    expect(body.statusCode).toBe(500);
    expect(JSON.stringify(body)).not.toContain('10.0.0.3');
  });

  it('answers a database outage with 503 and when to retry, never its internals', () => {
    const body = toErrorBody(terminated());
    expect(body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'The service is briefly unavailable; your work is safe. Try again in a few seconds.',
      retryAfter: 5,
    });
    expect(JSON.stringify(body)).not.toContain('administrator');
  });
});

describe('HttpExceptionFilter', () => {
  afterEach(() => jest.restoreAllMocks());

  it('sends Retry-After with a 503 for an outage and logs one warning line, no stack trace', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

    const sent = answer(terminated());

    expect(sent.status).toBe(503);
    expect(sent.headers['Retry-After']).toBe('5');
    expect(error).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
    const line = String(warn.mock.calls[0][0]);
    expect(line).toContain('57P01 terminating connection due to administrator command');
    expect(line).not.toContain('\n');
  });

  it('still answers 500 and logs the stack of an unexpected error', () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

    const sent = answer(new TypeError("Cannot read properties of undefined (reading 'id')"));

    expect(sent.status).toBe(500);
    expect(sent.headers['Retry-After']).toBeUndefined();
    expect(String(error.mock.calls[0][0])).toContain('TypeError');
  });
});
