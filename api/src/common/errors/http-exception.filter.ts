import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';
import {
  describeInfrastructureFailure,
  isInfrastructureFailure,
  RETRY_AFTER_SECONDS,
  SERVICE_UNAVAILABLE_MESSAGE,
} from './infrastructure-failure';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  [extra: string]: unknown;
}

/** Turns anything thrown into the contract's error shape; unexpected errors are logged, never shown. */
export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const body = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
    const raw = typeof response === 'string' ? response : body.message;
    const message = Array.isArray(raw) ? raw.join('; ') : typeof raw === 'string' ? raw : exception.message;
    const { statusCode: _s, error: _e, message: _m, ...extra } = body;
    return { ...extra, statusCode: status, error: STATUS_CODES[status] ?? 'Error', message };
  }
  // Errors raised by body parsing (malformed JSON, payload too large) carry their own 4xx status.
  const status = (exception as { status?: number; statusCode?: number } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const type = (exception as { type?: string }).type;
    const message =
      type === 'entity.parse.failed'
        ? 'The request body is not valid JSON'
        : type === 'entity.too.large'
          ? 'The request body is too large'
          : (STATUS_CODES[status] ?? 'Bad request');
    return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message };
  }
  // The database (or Redis) could not be reached: a client should wait and repeat, not sign out or give up.
  if (isInfrastructureFailure(exception)) {
    return { statusCode: 503, error: 'Service Unavailable', message: SERVICE_UNAVAILABLE_MESSAGE, retryAfter: RETRY_AFTER_SECONDS };
  }
  return { statusCode: 500, error: 'Internal Server Error', message: 'Something went wrong on our side; it has been logged' };
}

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = toErrorBody(exception);
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE && isInfrastructureFailure(exception)) {
      // An outage fails every request at once: one line each, not a stack trace each.
      this.logger.warn(`answered 503, a dependency is unavailable: ${describeInfrastructureFailure(exception)}`);
    } else if (body.statusCode >= 500) {
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    }
    const waitable = body.statusCode === HttpStatus.TOO_MANY_REQUESTS || body.statusCode === HttpStatus.SERVICE_UNAVAILABLE;
    if (waitable && typeof body.retryAfter === 'number') {
      res.setHeader('Retry-After', String(body.retryAfter));
    }
    if (res.headersSent) return;
    // A route's own headers were set before its pipes ran (e.g. a CSV download's type and file name): an error is JSON, shown, not saved.
    res.removeHeader('Content-Disposition');
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.status(body.statusCode).json(body);
  }
}
