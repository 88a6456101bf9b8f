import { Inject, Injectable } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AuthUser } from '../../common/auth/auth-user';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import type { AccessTokenPayload } from './auth.service';
import { SessionsRepository } from './sessions.repository';

/** Bearer tokens are checked against the database on every request: role changes and logouts apply at once. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionsRepository,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A key object, not the string: given a string, jsonwebtoken first tries (and fails) to parse it as a public key on every request.
      secretOrKey: createSecretKey(Buffer.from(config.jwtSecret)) as unknown as string,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(payload: AccessTokenPayload): Promise<AuthUser | null> {
    if (typeof payload?.sub !== 'string' || typeof payload?.fam !== 'string') return null;
    const user = await this.sessions.liveSessionUser(payload.sub, payload.fam, this.config.sessions.staffIdleSeconds);
    return user && { ...user, sessionFamilyId: payload.fam };
  }
}
