import { Inject, Injectable } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AuthUser } from '../../common/auth/auth-user';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import type { AccessTokenPayload } from './auth.service';
import { SessionCheckCache } from './session-check-cache';
import { SessionsRepository } from './sessions.repository';

/**
 * Who an access token is from and for: the platform at PUBLIC_URL, for its API. A token signed with the same
 * secret for anything else (another deployment, another audience) is refused (401), as is one without them.
 */
export const accessTokenIssuer = (config: AppConfig) => config.publicUrl;
export const accessTokenAudience = (config: AppConfig) => `${config.publicUrl}/api`;

/**
 * Bearer tokens are checked against the database: on every request for staff, and for everyone else at
 * most once per SESSION_CHECK_CACHE_SECONDS per API process (SessionCheckCache). A sign-out, role change or
 * deactivation applies at once on the process that made it and within those seconds on the others.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionsRepository,
    private readonly checks: SessionCheckCache,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A key object, not the string: given a string, jsonwebtoken first tries (and fails) to parse it as a public key on every request.
      secretOrKey: createSecretKey(Buffer.from(config.jwtSecret)) as unknown as string,
      algorithms: ['HS256'],
      issuer: accessTokenIssuer(config),
      audience: accessTokenAudience(config),
      ignoreExpiration: false,
    });
  }

  async validate(payload: AccessTokenPayload): Promise<AuthUser | null> {
    if (typeof payload?.sub !== 'string' || typeof payload?.fam !== 'string') return null;
    const remembered = this.checks.lookup(payload.fam, payload.sub);
    if (remembered) return remembered;
    const live = await this.sessions.liveSessionUser(payload.sub, payload.fam, this.config.sessions.staffIdleSeconds);
    if (!live) return null;
    const user: AuthUser = { ...live.user, sessionFamilyId: payload.fam };
    this.checks.remember(user, live.expiresAt);
    return user;
  }
}
