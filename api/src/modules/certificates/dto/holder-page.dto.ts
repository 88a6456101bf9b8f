import { ApiProperty } from '@nestjs/swagger';
import { CredentialRefDto } from './certificate.dto';

/** The holder's own view of their public page setting. */
export class HolderPageSettingDto {
  @ApiProperty({ description: 'whether the public holder page is on' }) enabled: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the public page (SPA path /holders/<slug>) while it is on; a new one each time it is turned on again',
  })
  url: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'when it was turned on' }) enabledAt: string | null;
}

export class HolderCertificateDto {
  @ApiProperty({ example: 'PSF-7K2QM-X9D4T-R' }) number: string;
  @ApiProperty({ type: CredentialRefDto }) credential: CredentialRefDto;
  @ApiProperty() issuedAt: string;
  @ApiProperty() expiresAt: string;
  @ApiProperty({ description: "the certificate's public verification page" }) verifyUrl: string;
}

/** A holder's public page: their valid certificates only, under the name printed on them. */
export class PublicHolderDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the name on the newest valid certificate; null while the holder has none valid',
  })
  holderName: string | null;
  @ApiProperty({ type: [HolderCertificateDto], description: 'active certificates only (never suspended, revoked, expired or superseded)' })
  certificates: HolderCertificateDto[];
}
