import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { type RetiredKey, SIGNING_ALG, SigningKeys } from '../../infrastructure/signing/signing-keys';
import { AuditService } from '../audit/audit.service';
import { CertificatesRepository } from './certificates.repository';
import { CertificatesService } from './certificates.service';

/**
 * Retiring a compromised signing key (`npm run keys:retire -- --kid KID`). In one transaction: the key
 * leaves the JWK Set (nothing it signed verifies any more), a new key signs if it was the current one,
 * the signed status lists are dropped (the next request signs them with the current key), the re-signing
 * of the live credentials it signed is queued, and the retirement is audited.
 * The holders' active and suspended credentials are then signed again, same content, with the current
 * key (a job, idempotent: a credential no longer signed by a retired key is left alone).
 */
@Injectable()
export class CredentialKeyRetirementService {
  private readonly logger = new Logger(CredentialKeyRetirementService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: SigningKeys,
    private readonly certificates: CertificatesRepository,
    private readonly certificatesService: CertificatesService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  async retire(kid: string): Promise<RetiredKey & { credentials: number }> {
    return this.dataSource.transaction(async (tx) => {
      const retired = await this.keys.retire(tx, kid);
      const credentials = (await this.certificates.liveSignedBy(kid, tx)).length;
      await this.certificates.forgetStatusListSignatures(tx);
      await this.outbox.enqueue(tx, JobName.ResignRetiredKeyCredentials, { kid });
      await this.audit.append(tx, {
        actorId: null,
        action: 'signing_key.retired',
        subjectType: 'signing_key',
        subjectId: kid,
        data: { wasCurrent: retired.wasCurrent, currentKid: retired.currentKid, credentialsToResign: credentials },
      });
      return { ...retired, credentials };
    });
  }

  /** Signs again, with the current key, every live credential the retired key signed; returns how many. */
  async resignCredentials(kid: string): Promise<number> {
    if (!(await this.keys.isRetired(kid))) return 0;
    const resigned = await this.resign(await this.certificates.liveSignedBy(kid));
    if (resigned) this.logger.log(`signed ${resigned} credential(s) again after retiring key ${kid}`);
    return resigned;
  }

  /**
   * Signs again, with the current (ES256) key, up to `limit` live credentials signed with another algorithm:
   * the Ed25519 credentials of contract v1.0, which 1EdTech's validator rejects. Their old key stays in the
   * JWK Set, so a copy a holder saved before keeps verifying. Returns how many.
   */
  async resignLegacy(limit: number): Promise<number> {
    await this.keys.ensureKey();
    const resigned = await this.resign(await this.certificates.liveSignedWithout(SIGNING_ALG, limit));
    if (resigned) this.logger.log(`signed ${resigned} credential(s) again with ${SIGNING_ALG}`);
    return resigned;
  }

  private async resign(credentials: Array<{ id: string; credentialJwt: string }>): Promise<number> {
    let resigned = 0;
    for (const signed of credentials) {
      // Only the credential still as the retired key signed it is dropped: a concurrent run's new one stays.
      if (!(await this.certificates.forgetCredential(signed.id, signed.credentialJwt))) continue;
      const certificate = await this.certificates.findById(signed.id);
      if (certificate) await this.certificatesService.ensureArtifacts(certificate);
      resigned += 1;
    }
    return resigned;
  }
}
