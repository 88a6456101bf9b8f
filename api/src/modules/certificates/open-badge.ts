import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const STATUS_LIST_BITS = 131_072; // 16 KiB: the minimum size the Bitstring Status List spec asks for (herd privacy)

/** The holder is identified by a salted SHA-256 of their e-mail (OB 3.0 IdentityObject), never the e-mail itself. */
export function hashedEmailIdentity(email: string, salt = randomBytes(16).toString('hex')) {
  const hash = createHash('sha256')
    .update(email.trim().toLowerCase() + salt)
    .digest('hex');
  return { type: 'IdentityObject', identityType: 'emailAddress', hashed: true, identityHash: `sha256$${hash}`, salt };
}

/**
 * The holder's subject id in every credential (the JWT's sub): a stable, pseudonymous urn:uuid derived from
 * their account id (SHA-256, laid out as a version-8 UUID). Stable, so a wallet sees one holder across
 * credentials; pseudonymous, because the account id is random and never published.
 */
export function holderSubjectId(holderId: string): string {
  const b = createHash('sha256').update(`psf holder ${holderId}`).digest().subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x80;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const credentialUrl = (publicUrl: string, number: string) => `${publicUrl}/api/public/certificates/${number}/credential`;
export const verifyUrl = (publicUrl: string, number: string) => `${publicUrl}/verify/${number}`;
export const statusListPath = (listId: number) => `/api/public/status-lists/${listId}`;
export const statusListUrl = (publicUrl: string, listId: number) => `${publicUrl}${statusListPath(listId)}`;
export const issuerId = (publicUrl: string) => `${publicUrl}/api/public/issuer`;
export const achievementId = (publicUrl: string, code: string) => `${publicUrl}/api/public/achievements/${code}`;
export const badgeImageUrl = (publicUrl: string, code: string) => `${achievementId(publicUrl, code)}/image.svg`;

export function issuerProfile(publicUrl: string, issuerName: string) {
  return { id: issuerId(publicUrl), type: ['Profile'], name: issuerName, url: publicUrl };
}

export interface AchievementInput {
  publicUrl: string;
  issuerName: string;
  credentialCode: string;
  credentialName: string;
  credentialSummary: string;
  domains: Array<{ code: string; title: string }>;
  psfVersion: string;
  attribution: string;
}

/** A credential: its achievement, and the certificate and holder it is issued for. */
export interface BadgeInput extends AchievementInput {
  number: string;
  holderEmail: string;
  /** The holder's account id: never shown, only the pseudonymous subject id derived from it (holderSubjectId). */
  holderId: string;
  issuedAt: Date;
  expiresAt: Date;
  statusListId: number;
  statusListIndex: number;
}

/**
 * An OB 3.0 Achievement: what the credential attests, with the PSF criteria narrative, the badge image and
 * one alignment per PSF domain it covers. Embedded in each credential and served at its id.
 */
export function achievement(a: AchievementInput): Record<string, unknown> {
  const domains = a.domains.map((d) => `${d.code} ${d.title}`).join('; ');
  return {
    id: achievementId(a.publicUrl, a.credentialCode),
    type: ['Achievement'],
    achievementType: 'Certificate',
    name: a.credentialName,
    description: a.credentialSummary,
    criteria: {
      narrative:
        `Awarded for meeting the ${a.credentialCode} requirements of the Production Safety Framework (PSF) v${a.psfVersion}, ` +
        `covering the domains ${domains}. ${a.attribution}`,
    },
    image: { id: badgeImageUrl(a.publicUrl, a.credentialCode), type: 'Image', caption: `${a.credentialName} badge` },
    alignment: a.domains.map((d) => ({
      type: ['Alignment'],
      targetName: `${d.code} ${d.title}`,
      // The framework page, open at the domain: people follow alignments, and it shows the criteria and attribution.
      targetUrl: `${a.publicUrl}/framework#${d.code}`,
      targetFramework: `Production Safety Framework (PSF) v${a.psfVersion}`,
      targetCode: d.code,
    })),
    creator: issuerProfile(a.publicUrl, a.issuerName),
  };
}

/** An instant as VC 2.0 dateTimeStamp in whole seconds, so that the JWT's nbf/exp (seconds) match it exactly. */
export function wholeSeconds(at: Date): string {
  return new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** An Open Badges 3.0 OpenBadgeCredential (W3C VC Data Model 2.0), unsigned. */
export function openBadgeCredential(b: BadgeInput): Record<string, unknown> {
  return {
    '@context': [VC_CONTEXT, OB_CONTEXT],
    id: credentialUrl(b.publicUrl, b.number),
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: issuerProfile(b.publicUrl, b.issuerName),
    name: b.credentialName,
    image: { id: badgeImageUrl(b.publicUrl, b.credentialCode), type: 'Image', caption: `${b.credentialName} badge` },
    validFrom: wholeSeconds(b.issuedAt),
    validUntil: wholeSeconds(b.expiresAt),
    credentialSubject: {
      id: holderSubjectId(b.holderId),
      type: ['AchievementSubject'],
      identifier: [hashedEmailIdentity(b.holderEmail)],
      achievement: achievement(b),
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

/** Multibase base64url (leading "u", no padding) of the GZIP-compressed bitstring (Bitstring Status List v1.0, contract v1.1). */
export function encodeStatusList(bits: Buffer): string {
  return `u${gzipSync(bits).toString('base64url')}`;
}

/**
 * The status list credential. It is valid for a short time only (`validity`, see StatusListService): a
 * list fetched before a revocation cannot be replayed as current once its validUntil has passed. Without
 * `validity` it has no validUntil and is never served as it is (the next request signs a fresh one).
 */
export function statusListCredential(
  publicUrl: string,
  listId: number,
  bits: Buffer,
  validity?: { from: Date; until: Date },
): Record<string, unknown> {
  const url = statusListUrl(publicUrl, listId);
  return {
    '@context': [VC_CONTEXT],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    // The issuer by its URL: a Profile object's terms are OB 3.0's, which this credential's context (VC 2.0 only) does not define.
    issuer: issuerId(publicUrl),
    validFrom: wholeSeconds(validity?.from ?? new Date()),
    ...(validity && { validUntil: wholeSeconds(validity.until) }),
    credentialSubject: { id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: encodeStatusList(bits) },
  };
}
