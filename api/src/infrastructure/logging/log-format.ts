import { destination, type DestinationStream } from 'pino';
import { build as prettyStream } from 'pino-pretty';

/** `json`: one JSON object per line, for log collectors; `pretty`: one readable line per event, for a person at a terminal. */
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** LOG_FORMAT unset: pretty for a person running the platform in a terminal, JSON in production and whenever output is piped. */
export function resolveLogFormat(setting: LogFormat | undefined, production: boolean, stdoutIsTty: boolean): LogFormat {
  return setting ?? (!production && stdoutIsTty ? 'pretty' : 'json');
}

/**
 * The text after the time and level of a pretty line: `[Context] message`, then the request's id and user when the
 * event belongs to a request (`GET /api/framework 200 3ms req=… user=…`). An error's stack follows on its own lines:
 * in a terminal it is what the person is looking for.
 */
export function prettyMessage(log: Record<string, unknown>): string {
  const err = log.err as { message?: unknown; stack?: unknown } | undefined;
  const parts: string[] = [];
  if (typeof log.context === 'string') parts.push(`[${log.context}]`);
  const msg = typeof log.msg === 'string' ? log.msg : typeof err?.message === 'string' ? err.message : '';
  if (msg) parts.push(msg);
  if (log.requestId !== undefined) parts.push(`req=${String(log.requestId)}`);
  if ('userId' in log) parts.push(`user=${typeof log.userId === 'string' ? log.userId : '-'}`);
  const stack = typeof err?.stack === 'string' ? `\n${err.stack}` : '';
  return parts.join(' ') + stack;
}

/**
 * Where this process' logs go: standard output, as JSON or through pino-pretty (`14:03:22 INFO: GET /api/… 200 3ms req=… user=…`).
 * JSON is written asynchronously: a line goes out at once when nothing is being written, and lines that come while a write
 * is in progress go out together in the next one (under load, one write per batch instead of one per request line). Pino
 * flushes what is left when the process exits.
 */
export function logDestination(format: LogFormat): DestinationStream {
  if (format === 'json') return destination({ dest: 1, sync: false });
  return prettyStream({
    destination: 1,
    sync: true,
    translateTime: 'SYS:HH:MM:ss',
    customPrettifiers: { time: (time) => String(time) },
    ignore: 'pid,hostname',
    messageFormat: (log) => prettyMessage(log),
    // Everything worth reading is in the message; the rest (pid, hostname, the fields already shown) stays in JSON.
    hideObject: true,
  });
}
