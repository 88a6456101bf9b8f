import { prettyMessage, resolveLogFormat } from './log-format';

describe('log format', () => {
  it('is pretty only for a terminal outside production unless LOG_FORMAT says', () => {
    expect(resolveLogFormat(undefined, false, true)).toBe('pretty');
    expect(resolveLogFormat(undefined, false, false)).toBe('json');
    expect(resolveLogFormat(undefined, true, true)).toBe('json');
    expect(resolveLogFormat('json', false, true)).toBe('json');
    expect(resolveLogFormat('pretty', true, false)).toBe('pretty');
  });

  it('puts a request line on one line with its request and user ids', () => {
    const line = { msg: 'GET /api/framework 200 3ms', requestId: 'r-1', userId: null, method: 'GET', route: '/api/framework' };
    expect(prettyMessage(line)).toBe('GET /api/framework 200 3ms req=r-1 user=-');
    expect(prettyMessage({ ...line, userId: 'u-1' })).toBe('GET /api/framework 200 3ms req=r-1 user=u-1');
  });

  it("prefixes other events with their context and shows an error's stack after its line", () => {
    expect(prettyMessage({ msg: 'processing queues: mail', context: 'JobWorker', pid: 1, hostname: 'h' })).toBe(
      '[JobWorker] processing queues: mail',
    );
    const err = { message: 'boom', stack: 'Error: boom\n    at x (y.ts:1:1)' };
    expect(prettyMessage({ context: 'ExceptionsHandler', err, requestId: 'r-2' })).toBe(
      '[ExceptionsHandler] boom req=r-2\nError: boom\n    at x (y.ts:1:1)',
    );
  });
});
