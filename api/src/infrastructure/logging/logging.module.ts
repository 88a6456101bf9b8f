import { RequestMethod } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';
import { type HttpLogger, pinoHttp } from 'pino-http';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { logDestination } from './log-format';
import { type RequestLogFields, requestLogFields, requestLogMessage, routeTemplate } from './request-log-line';
import { requestLogLevel, type RouteOverride, shouldLogRequest } from './request-log-policy';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;
// Probes (/api/health, /live, /ready) run every few seconds: logging each would drown the real requests.
const PROBE = /^\/api\/health(?:[/?]|$)/;
// Prometheus scrapes /metrics every few seconds too: only a refused or failed scrape is worth a line, unless
// LOG_REQUEST_ROUTES says otherwise (the operator's overrides are looked at first).
const BUILT_IN_ROUTES: RouteOverride[] = [{ method: 'GET', route: '/metrics', prefix: false, rule: 'errors' }];

let destinationOverride: DestinationStream | undefined;

/**
 * Tests only: the next application built writes its logs to this stream instead of standard output (undefined puts
 * standard output back). Set it before the application is created: the stream is chosen when the logger is built.
 */
export function setLogDestination(stream: DestinationStream | undefined): void {
  destinationOverride = stream;
}

/** A request's id: the caller's X-Request-Id when it is a sane one, else a new UUID; echoed in the answer. */
export function assignRequestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/** The level of a request's line by LOG_REQUESTS and its overrides, read now (the config object may change). */
function lineLevel(config: AppConfig, method: string, route: string, status: number): LevelWithSilent {
  const { mode, sampleRate, routes } = config.requestLogging;
  const policy = { mode, sampleRate, routes: [...routes, ...BUILT_IN_ROUTES] };
  return shouldLogRequest(policy, { method, route, status }) ? requestLogLevel(status) : 'silent';
}

/**
 * The line of a request answered before the request logger (the shared response cache): the same rules, fields and
 * message as the request logger's lines, its request id included.
 */
export function logAnsweredRequest(
  config: AppConfig,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
  requestId: string,
  durationMs: number,
): void {
  const level = lineLevel(config, req.method ?? '', route, res.statusCode);
  if (level === 'silent') return;
  const fields: RequestLogFields = { method: req.method ?? '', route, status: res.statusCode, durationMs, userId: null };
  logging(config).logger[level]({ requestId, ...fields }, requestLogMessage(fields, res));
}

const fieldsOfLine = new WeakMap<ServerResponse, RequestLogFields>();

function lineFields(req: IncomingMessage, res: ServerResponse, durationMs: number): RequestLogFields {
  const fields = requestLogFields(req, res, durationMs);
  fieldsOfLine.set(res, fields);
  return fields;
}

/**
 * The request logger: one line per request when it finishes — method, route template, status, duration, request id
 * and user id (request-log-line.ts) — if LOG_REQUESTS and its overrides say so (request-log-policy.ts). Headers,
 * bodies, URLs and client addresses are never logged. It also gives every request its id (echoed as X-Request-Id),
 * which every other line logged while the request is handled carries.
 */
function buildRequestLogger(config: AppConfig, logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId: assignRequestId,
    // Lines logged during a request are bound to its id only, never to the request object (headers, URL, address).
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    autoLogging: { ignore: (req: IncomingMessage) => PROBE.test(req.url ?? '') },
    // Read on every request, so that the policy is the config object's as it is now.
    customLogLevel: (req, res) => lineLevel(config, req.method ?? '', routeTemplate(req, res.statusCode), res.statusCode),
    // The line is these fields alone: pino-http's default adds the whole request and response with their headers.
    // pino-http builds a line's object, then its message: the message reuses the object's fields.
    customSuccessObject: (req, res, val: { responseTime: number }) => lineFields(req, res, val.responseTime),
    customErrorObject: (req, res, _err, val: { responseTime: number }) => lineFields(req, res, val.responseTime),
    customSuccessMessage: (req, res, responseTime) => requestLogMessage(fieldsOfLine.get(res) ?? lineFields(req, res, responseTime), res),
    customErrorMessage: (req, res) => requestLogMessage(fieldsOfLine.get(res) ?? lineFields(req, res, 0), res),
  });
}

interface Logging {
  logger: Logger;
  requestLogger: HttpLogger;
}

// One root logger per application (each has its own config object): Nest's logger and the request logger share it.
const loggingOf = new WeakMap<AppConfig, Logging>();

function logging(config: AppConfig): Logging {
  let built = loggingOf.get(config);
  if (!built) {
    const logger = pino(
      {
        level: config.logLevel,
        // Belt and braces: nothing logs a request or response object any more, but if something did, no credentials.
        redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      },
      destinationOverride ?? logDestination(config.logFormat),
    );
    built = { logger, requestLogger: buildRequestLogger(config, logger) };
    loggingOf.set(config, built);
  }
  return built;
}

/**
 * The request logger's Express middleware. The HTTP app mounts it first, so that every answer gets its line and its
 * X-Request-Id: the SPA's pages and files and refused bodies (bad JSON, too large) never reach Nest's middleware.
 */
export function requestLoggingMiddleware(config: AppConfig): HttpLogger {
  return logging(config).requestLogger;
}

/** Logs of the API and the worker: JSON or pretty (LOG_FORMAT), one line per event, to standard output. */
export const LoggingModule = LoggerModule.forRootAsync({
  inject: [APP_CONFIG],
  // useExisting: Nest's logger takes each request's logger from the request (set by the middleware above).
  useFactory: (config: AppConfig) => ({
    pinoHttp: { logger: logging(config).logger },
    useExisting: true as const,
    // Named wildcard: nestjs-pino's default ('*') is the unnamed form Express 5's router no longer takes, which Nest
    // auto-converted to this very path with a warning on every start.
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
  }),
});
