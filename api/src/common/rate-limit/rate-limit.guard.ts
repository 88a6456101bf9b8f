import { applyDecorators, type CanActivate, type ExecutionContext, Inject, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import type { AuthUser } from '../auth/auth-user';
import { BatchedRateLimiter } from './batched-rate-limiter';
import { RateLimiter } from './rate-limiter';

/** Which limit of `config.rateLimits` applies, and whom it counts: the client address or the signed-in user. */
export interface RateLimitSpec {
  limit: keyof AppConfig['rateLimits'];
  /** Counters are kept per bucket, so that two endpoints sharing a limit do not share a count. */
  bucket: string;
  per: 'address' | 'user';
  /** "requests for certificate checks" → "Too many requests for certificate checks; try again in N seconds". */
  what: string;
}

const RATE_LIMIT = 'psf:rate-limit';
const COUNTED_BY = Symbol('psf:rate-limit-counted-by');

type CountedRequest = Request & { user?: AuthUser; [COUNTED_BY]?: RateLimitSpec };

/** The limit a request was counted against, once RateLimitGuard has let it through (the response cache repeats it). */
export function rateLimitOf(req: Request): RateLimitSpec | undefined {
  return (req as CountedRequest)[COUNTED_BY];
}

/** The counter a request counts on: its bucket, and the user or the client address. */
export function rateLimitKey(spec: RateLimitSpec, req: Request): string {
  const user = (req as CountedRequest).user;
  const who = spec.per === 'user' && user ? `user:${user.id}` : `ip:${req.ip ?? 'unknown'}`;
  return `${spec.bucket}:${who}`;
}

/**
 * Counts each request against a limit shared by every API replica (PostgreSQL counters) before the
 * handler runs — before a multipart body is read, too — and answers 429 with Retry-After beyond it.
 * Per user runs after the global AuthGuard, which put the user on the request. The public limit is counted by
 * the BatchedRateLimiter (in memory, written every 200 ms): it is checked on every public read.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limiter: RateLimiter;
  private readonly batched: BatchedRateLimiter;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() dataSource: DataSource,
    private readonly reflector: Reflector,
  ) {
    this.limiter = new RateLimiter(dataSource);
    this.batched = BatchedRateLimiter.of(dataSource);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const spec = this.reflector.get<RateLimitSpec | undefined>(RATE_LIMIT, context.getHandler());
    if (!spec) return true;
    const req = context.switchToHttp().getRequest<CountedRequest>();
    const { max, windowSeconds } = this.config.rateLimits[spec.limit];
    const limiter = spec.limit === 'public' ? this.batched : this.limiter;
    await limiter.consume(rateLimitKey(spec, req), max, windowSeconds, spec.what);
    req[COUNTED_BY] = spec;
    return true;
  }
}

/** Rate-limits the route (see RateLimitGuard) and documents its 429. */
export function RateLimit(spec: RateLimitSpec) {
  const setting = {
    public: 'RATE_LIMIT_PUBLIC_PER_MINUTE',
    uploads: 'RATE_LIMIT_UPLOADS_PER_HOUR',
    resetPassword: 'RATE_LIMIT_RESET_PASSWORD_PER_HOUR',
  }[spec.limit];
  return applyDecorators(
    SetMetadata(RATE_LIMIT, spec),
    UseGuards(RateLimitGuard),
    ApiTooManyRequestsResponse({
      description: `more than ${setting} requests per ${spec.per === 'user' ? 'user' : 'client address'}; \`Retry-After\` says how many seconds to wait`,
    }),
  );
}
