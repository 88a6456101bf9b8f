import { decodeJwt } from 'jose';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { CredentialEvents } from '../src/modules/certificates/credential-events';
import { IssueCertificateJob } from '../src/modules/certificates/jobs/issue-certificate.job';
import type { TestContext } from './test-app';

/** Where a credential's revocation bit lives, as the credential names it. */
export interface CredentialStatus {
  statusListCredential: string;
  statusListIndex: string;
}

/** A pass recorded through the certificates module's door, then the issuing job: a real certificate and its served credential. */
export async function issueCertificateOn(ctx: TestContext): Promise<{ number: string; jwt: string; status: CredentialStatus }> {
  const holder = await ctx.newCandidate();
  const sourceId = randomUUID();
  await ctx.dataSource.transaction((tx: EntityManager) =>
    ctx.app.get(CredentialEvents).recordPass(tx, { userId: holder.id, credential: 'AIDA', sourceType: 'aida_attempt', sourceId }),
  );
  const [event] = await ctx.dataSource.query(`SELECT id FROM credential_events WHERE source_id = $1`, [sourceId]);
  await ctx.app.get(IssueCertificateJob).handle({ credentialEventId: event.id });
  const [{ number }] = await ctx.dataSource.query(`SELECT number FROM certificates WHERE source_id = $1`, [sourceId]);
  const jwt = (await ctx.http.get(`/api/public/certificates/${number}/credential`).expect(200)).text;
  return { number, jwt, status: decodeJwt(jwt).credentialStatus as CredentialStatus };
}
