import { Module } from '@nestjs/common';
import { SigningKeys } from './signing-keys';
import { SigningKeysRepository } from './signing-keys.repository';

/** The certificate-signing keys (one store in PostgreSQL, shared by every replica). */
@Module({
  providers: [SigningKeys, SigningKeysRepository],
  exports: [SigningKeys],
})
export class SigningModule {}
