import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
import { toErrorBody } from './http-exception.filter';

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
});
