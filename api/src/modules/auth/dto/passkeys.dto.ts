import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

// What a browser hands back from navigator.credentials (WebAuthn Level 3 JSON, as @simplewebauthn/browser sends it).
// Binary fields are base64url; each is capped so that a request cannot make the server parse megabytes.
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const Base64url = (max: number) =>
  applyDecorators(IsString(), Matches(BASE64URL, { message: '$property must be base64url' }), MaxLength(max));

class AttestationResponseDto {
  @ApiProperty() @Base64url(4096) clientDataJSON: string;
  @ApiProperty() @Base64url(32768) attestationObject: string;
  @ApiPropertyOptional() @IsOptional() @Base64url(32768) authenticatorData?: string;
  @ApiPropertyOptional() @IsOptional() @Base64url(4096) publicKey?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() publicKeyAlgorithm?: number;
  @ApiPropertyOptional({ type: [String], example: ['internal', 'hybrid'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  transports?: string[];
}

class AssertionResponseDto {
  @ApiProperty() @Base64url(4096) clientDataJSON: string;
  @ApiProperty() @Base64url(4096) authenticatorData: string;
  @ApiProperty() @Base64url(1024) signature: string;
  @ApiPropertyOptional({ description: 'the user handle the passkey was created with' })
  @IsOptional()
  @Base64url(256)
  userHandle?: string;
}

abstract class CredentialDto {
  @ApiProperty({ description: 'the credential id, base64url' }) @Base64url(1024) id: string;
  @ApiProperty() @Base64url(1024) rawId: string;
  @ApiProperty({ enum: ['public-key'] }) @IsIn(['public-key']) type: 'public-key';
  @ApiPropertyOptional({ enum: ['platform', 'cross-platform'] })
  @IsOptional()
  @IsIn(['platform', 'cross-platform'])
  authenticatorAttachment?: 'platform' | 'cross-platform';
  @ApiProperty({ type: 'object', additionalProperties: true }) @IsObject() clientExtensionResults: Record<string, unknown>;
}

export class RegistrationCredentialDto extends CredentialDto {
  @ApiProperty({ type: AttestationResponseDto })
  @ValidateNested()
  @Type(() => AttestationResponseDto)
  response: AttestationResponseDto;
}

export class AuthenticationCredentialDto extends CredentialDto {
  @ApiProperty({ type: AssertionResponseDto })
  @ValidateNested()
  @Type(() => AssertionResponseDto)
  response: AssertionResponseDto;
}

export class EnrolPasskeyDto {
  @ApiProperty({ example: 'Work laptop', description: 'a name to tell this passkey from the others' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty({ message: 'name is required' })
  @MaxLength(60)
  name: string;

  @ApiProperty({ type: RegistrationCredentialDto, description: 'what navigator.credentials.create() answered, as JSON' })
  @IsObject()
  @ValidateNested()
  @Type(() => RegistrationCredentialDto)
  response: RegistrationCredentialDto;
}

export class PasskeyAssertionDto {
  @ApiProperty({ format: 'uuid', description: 'from the options call' })
  @IsUUID()
  challengeId: string;

  @ApiProperty({ type: AuthenticationCredentialDto, description: 'what navigator.credentials.get() answered, as JSON' })
  @IsObject()
  @ValidateNested()
  @Type(() => AuthenticationCredentialDto)
  response: AuthenticationCredentialDto;
}

export class PasskeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Work laptop' }) name: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String, description: 'the last sign-in or step-up with it' }) lastUsedAt: string | null;
}

export class PasskeyEnrolledDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({
    type: [String],
    description: 'when this passkey is the first second factor of the account: its recovery codes, shown only now (stored hashed)',
  })
  recoveryCodes?: string[];
}

export class PasskeyCreationOptionsDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'PublicKeyCredentialCreationOptionsJSON, for navigator.credentials.create() (e.g. @simplewebauthn/browser startRegistration)',
  })
  options: Record<string, unknown>;
}

export class PasskeyRequestOptionsDto {
  @ApiProperty({ format: 'uuid', description: 'send it back with the answer; single use, valid for 5 minutes' })
  challengeId: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'PublicKeyCredentialRequestOptionsJSON, for navigator.credentials.get() (e.g. @simplewebauthn/browser startAuthentication)',
  })
  options: Record<string, unknown>;
}
