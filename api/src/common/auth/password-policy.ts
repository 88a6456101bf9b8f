import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

const LIST_FILE = 'common-passwords.txt';
// api/src/common/auth (ts-jest, ts-node) and api/dist/api/src/common/auth (the build): the list is api/assets in both.
const LIST_CANDIDATES = [
  path.resolve(__dirname, '../../../assets', LIST_FILE),
  path.resolve(__dirname, '../../../../../assets', LIST_FILE),
];

export const BREACHED_PASSWORD_MESSAGE =
  'This password appears in lists of breached passwords that attackers try first; choose another one ' +
  '(a few unrelated words make a strong, memorable password)';

/** Who the password is for: a password made of the person's own address or name is among the first an attacker tries. */
export interface PasswordOwner {
  email: string;
  fullName: string;
}

let commonPasswords: Set<string> | null = null;

/** The shipped breached/common-password list (OWASP SecLists, see api/assets/common-passwords.NOTICE.md), read once. */
export function loadCommonPasswords(): Set<string> {
  if (commonPasswords) return commonPasswords;
  const file = LIST_CANDIDATES.find((candidate) => existsSync(candidate));
  // Refusing to start beats silently accepting breached passwords.
  if (!file) throw new Error(`the common-password list is missing (looked for ${LIST_CANDIDATES.join(', ')})`);
  commonPasswords = new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => line.trim().toLowerCase())
      .filter(Boolean),
  );
  return commonPasswords;
}

/** Why the password is refused, in words for the person choosing it; null when it is acceptable. */
export function passwordProblem(password: string, owner: PasswordOwner): string | null {
  if (typeof password !== 'string' || password.length < PASSWORD_MIN_LENGTH) {
    return `password must be at least ${PASSWORD_MIN_LENGTH} characters long`;
  }
  if (password.length > PASSWORD_MAX_LENGTH) return `password must be at most ${PASSWORD_MAX_LENGTH} characters long`;
  const lowered = password.toLowerCase();
  if (loadCommonPasswords().has(lowered.trim())) return BREACHED_PASSWORD_MESSAGE;
  const localPart = owner.email.trim().toLowerCase().split('@')[0] ?? '';
  // Very short local parts ("a@…") would refuse half the dictionary; three characters is where a match means something.
  if (localPart.length >= 3 && lowered.includes(localPart)) {
    return 'password must not contain your e-mail address; choose something a person who knows your address cannot guess';
  }
  const name = owner.fullName.trim().toLowerCase();
  if (name && (lowered.trim() === name || lowered.replace(/\s+/g, '') === name.replace(/\s+/g, ''))) {
    return 'password must not be your name; choose something a person who knows you cannot guess';
  }
  return null;
}
