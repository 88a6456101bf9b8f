import { Injectable } from '@nestjs/common';
import { Reconciler, type ReconcilerInstance } from '../../infrastructure/queue/reconciler';
import { CredentialKeyRetirementService } from './credential-key-retirement.service';

/** Credentials signed again per reconciliation pass; the rest wait for the next one. */
const BATCH = 200;

/**
 * Contract v1.1 signs credentials with ES256 (OB 3.0's JSON Web Token Proof Format). After an upgrade, each
 * pass signs the live credentials an earlier Ed25519 key signed again with the current key, a batch at a
 * time, until none is left; their verify pages and PDFs are unchanged, the credential download is new.
 */
@Injectable()
@Reconciler()
export class LegacySignaturesReconciler implements ReconcilerInstance {
  readonly name = 'certificates.legacy-signatures';

  constructor(private readonly retirement: CredentialKeyRetirementService) {}

  reconcile(): Promise<number> {
    return this.retirement.resignLegacy(BATCH);
  }
}
