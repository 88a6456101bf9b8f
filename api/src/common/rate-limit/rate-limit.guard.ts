import { applyDecorators, type CanActivate, type ExecutionContext, Inject, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import type { AuthUser } from '../auth/auth-user';
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

/**
 * Counts each request against a limit shared by every API replica (PostgreSQL counters) before the
 * handler runs — before a multipart body is read, too — and answers 429 with Retry-After beyond it.
 * Per user runs after the global AuthGuard, which put the user on the request.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limiter: RateLimiter;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() dataSource: DataSource,
    private readonly reflector: Reflector,
  ) {
    this.limiter = new RateLimiter(dataSource);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const spec = this.reflector.get<RateLimitSpec | undefined>(RATE_LIMIT, context.getHandler());
    if (!spec) return true;
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const who = spec.per === 'user' && req.user ? `user:${req.user.id}` : `ip:${req.ip ?? 'unknown'}`;
    const { max, windowSeconds } = this.config.rateLimits[spec.limit];
    await this.limiter.consume(`${spec.bucket}:${who}`, max, windowSeconds, spec.what);
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
