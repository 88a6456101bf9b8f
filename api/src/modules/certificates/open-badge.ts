import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const STATUS_LIST_BITS = 131_072; // 16 KiB: the minimum size the Bitstring Status List spec asks for (herd privacy)

export interface BadgeInput {
  publicUrl: string;
  issuerName: string;
  number: string;
  credentialCode: string;
  credentialName: string;
  credentialSummary: string;
  domains: Array<{ code: string; title: string }>;
  psfVersion: string;
  attribution: string;
  holderEmail: string;
  issuedAt: Date;
  expiresAt: Date;
  statusListId: number;
  statusListIndex: number;
}

/** The holder is identified by a salted SHA-256 of their e-mail (OB 3.0 IdentityObject), never the e-mail itself. */
export function hashedEmailIdentity(email: string, salt = randomBytes(16).toString('hex')) {
  const hash = createHash('sha256')
    .update(email.trim().toLowerCase() + salt)
    .digest('hex');
  return { type: 'IdentityObject', identityType: 'emailAddress', hashed: true, identityHash: `sha256$${hash}`, salt };
}

export const credentialUrl = (publicUrl: string, number: string) => `${publicUrl}/api/public/certificates/${number}/credential`;
export const verifyUrl = (publicUrl: string, number: string) => `${publicUrl}/verify/${number}`;
export const statusListPath = (listId: number) => `/api/public/status-lists/${listId}`;
export const statusListUrl = (publicUrl: string, listId: number) => `${publicUrl}${statusListPath(listId)}`;
export const issuerId = (publicUrl: string) => `${publicUrl}/api/public/issuer`;

export function issuerProfile(publicUrl: string, issuerName: string) {
  return { id: issuerId(publicUrl), type: ['Profile'], name: issuerName, url: publicUrl };
}

/** An instant as VC 2.0 dateTimeStamp in whole seconds, so that the JWT's nbf/exp (seconds) match it exactly. */
export function wholeSeconds(at: Date): string {
  return new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** An Open Badges 3.0 OpenBadgeCredential (W3C VC Data Model 2.0), unsigned. */
export function openBadgeCredential(b: BadgeInput): Record<string, unknown> {
  const domains = b.domains.map((d) => `${d.code} ${d.title}`).join('; ');
  return {
    '@context': [VC_CONTEXT, OB_CONTEXT],
    id: credentialUrl(b.publicUrl, b.number),
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: issuerProfile(b.publicUrl, b.issuerName),
    name: b.credentialName,
    validFrom: wholeSeconds(b.issuedAt),
    validUntil: wholeSeconds(b.expiresAt),
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [hashedEmailIdentity(b.holderEmail)],
      achievement: {
        id: `${b.publicUrl}/api/public/achievements/${b.credentialCode}`,
        type: ['Achievement'],
        achievementType: 'Certificate',
        name: b.credentialName,
        description: b.credentialSummary,
        criteria: {
          narrative:
            `Awarded for meeting the ${b.credentialCode} requirements of the Production Safety Framework (PSF) v${b.psfVersion}, ` +
            `covering the domains ${domains}. ${b.attribution}`,
        },
        creator: issuerProfile(b.publicUrl, b.issuerName),
      },
    },
    credentialStatus: {
      id: `${statusListUrl(b.publicUrl, b.statusListId)}#${b.statusListIndex}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(b.statusListIndex),
      statusListCredential: statusListUrl(b.publicUrl, b.statusListId),
    },
  };
}

/** Bit 0 is the left-most bit of the first byte (Bitstring Status List v1.0). */
export function setBit(bits: Buffer, index: number, value: boolean): Buffer {
  const out = Buffer.from(bits);
  const mask = 0x80 >> (index % 8);
  out[index >> 3] = value ? out[index >> 3] | mask : out[index >> 3] & ~mask;
  return out;
}

export function getBit(bits: Buffer, index: number): boolean {
  return (bits[index >> 3] & (0x80 >> (index % 8))) !== 0;
}

/**
 * base64url of the GZIP-compressed bitstring, as docs/api-contract.md publishes it. (The W3C
 * Bitstring Status List text writes it as Multibase, i.e. with a leading "u"; the contract wins here.)
 */
export function encodeStatusList(bits: Buffer): string {
  return gzipSync(bits).toString('base64url');
}

/**
 * The status list credential. It is valid for a short time only (`validity`, see StatusListService): a
 * list fetched before a revocation cannot be replayed as current once its validUntil has passed. Without
 * `validity` it has no validUntil and is never served as it is (the next request signs a fresh one).
 */
export function statusListCredential(
  publicUrl: string,
  issuerName: string,
  listId: number,
  bits: Buffer,
  validity?: { from: Date; until: Date },
): Record<string, unknown> {
  const url = statusListUrl(publicUrl, listId);
  return {
    '@context': [VC_CONTEXT],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: issuerProfile(publicUrl, issuerName),
    validFrom: wholeSeconds(validity?.from ?? new Date()),
    ...(validity && { validUntil: wholeSeconds(validity.until) }),
    credentialSubject: { id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: encodeStatusList(bits) },
  };
}
