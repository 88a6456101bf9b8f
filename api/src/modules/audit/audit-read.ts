import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { from, mergeMap, type Observable } from 'rxjs';
import type { AuthUser } from '../../common/auth/auth-user';
import { AUDIT_READ_ACTIONS } from './audit-read-actions';
import { AuditService } from './audit.service';

export interface AuditReadOptions {
  /** e.g. 'attachment.viewed' */
  action: string;
  subjectType: string;
  /** The route parameter naming the subject (none for a list). */
  subjectParam?: string;
}

const AUDIT_READ = 'psf:audit-read';

/**
 * Records a read of sensitive data in the audit log (issue #14): who (the signed-in user) read what
 * (the route's subject). The entry is appended once the handler has succeeded and before the response
 * is sent; if it cannot be written, the data is not served. Only the route pattern is kept, never the
 * query string (it may hold a search term or a link token).
 */
export function AuditRead(options: AuditReadOptions): MethodDecorator {
  AUDIT_READ_ACTIONS.add(options.action);
  return applyDecorators(SetMetadata(AUDIT_READ, options), UseInterceptors(AuditReadInterceptor));
}

@Injectable()
export class AuditReadInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const options = this.reflector.get<AuditReadOptions | undefined>(AUDIT_READ, context.getHandler());
    if (!options) return next.handle();
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { user?: AuthUser }>();
    const res = http.getResponse<Response>();
    return next.handle().pipe(
      mergeMap((body) =>
        from(
          (async () => {
            if (res.statusCode >= 200 && res.statusCode < 300) {
              const route = (req.route as { path?: string } | undefined)?.path ?? req.path;
              await this.audit.appendAlone({
                actorId: req.user?.id ?? null,
                action: options.action,
                subjectType: options.subjectType,
                subjectId: options.subjectParam ? String(req.params[options.subjectParam] ?? '') || null : null,
                data: { route: `${req.method} ${route}` },
              });
            }
            return body;
          })(),
        ),
      ),
    );
  }
}
