import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { RateLimiter } from '../../common/rate-limit/rate-limiter';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { UsersModule } from '../users/users.module';
import { AccountsModule } from './accounts.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtStrategy } from './jwt.strategy';
import { PasskeySignInController, PasskeyStepUpController, PasskeysController } from './passkeys.controller';
import { PasskeySignInService } from './passkey-sign-in.service';
import { PasskeysRepository } from './passkeys.repository';
import { PasskeysService } from './passkeys.service';
import { RecoveryCodesRepository } from './recovery-codes.repository';
import { SecondFactorController } from './second-factor.controller';
import { SecondFactorService } from './second-factor.service';
import { SessionsController, StepUpController } from './sessions.controller';
import { SessionsModule } from './sessions.module';
import { SessionsService } from './sessions.service';
import { SignInThrottle } from './sign-in-throttle';

@Module({
  imports: [
    UsersModule,
    AccountsModule,
    SessionsModule,
    PassportModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ secret: config.jwtSecret, signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  controllers: [
    AuthController,
    SecondFactorController,
    SessionsController,
    StepUpController,
    PasskeysController,
    PasskeySignInController,
    PasskeyStepUpController,
  ],
  providers: [
    AuthService,
    JwtStrategy,
    RateLimiter,
    SessionsService,
    SecondFactorService,
    RecoveryCodesRepository,
    PasskeysService,
    PasskeySignInService,
    PasskeysRepository,
    SignInThrottle,
  ],
})
export class AuthModule {}
