import { ConflictException } from '@nestjs/common';
import { personNameProblem } from '../../common/validation/person-name';
import { hashPassword, type UsersService } from './users.service';

/** Accounts written per transaction: each batch commits (with its audit entries and welcome mails) or none of it does. */
export const BULK_BATCH_SIZE = 500;
export const BULK_MAX_ACCOUNTS = 100_000;
const PLACEHOLDER = '{n}';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** N verified candidate accounts `bench-RUN-{n}@…`, n = first … first + count − 1, all with one password. */
export interface BulkAccountsRequest {
  count: number;
  first: number;
  emailPattern: string;
  namePattern: string;
  password: string;
}

export interface BulkAccountsResult {
  created: number;
  firstEmail: string;
  lastEmail: string;
}

/** The pattern with `{n}` replaced by the account's number. */
export function fromPattern(pattern: string, n: number): string {
  return pattern.replaceAll(PLACEHOLDER, String(n));
}

/** Why the request cannot be carried out (a message naming the option), or null. */
export function bulkAccountsProblem(r: BulkAccountsRequest): string | null {
  if (!Number.isInteger(r.count) || r.count < 1 || r.count > BULK_MAX_ACCOUNTS)
    return `--count must be a whole number 1 … ${BULK_MAX_ACCOUNTS}`;
  if (!Number.isInteger(r.first) || r.first < 0) return '--first must be a whole number ≥ 0';
  // Without the number every account would have the same address: the second would be refused.
  if (!r.emailPattern.includes(PLACEHOLDER))
    return `--email-pattern must contain ${PLACEHOLDER} (the account's number), e.g. bench-{n}@bench.test`;
  for (const n of [r.first, r.first + r.count - 1]) {
    const email = fromPattern(r.emailPattern, n);
    if (!EMAIL.test(email) || email.length > 254) return `--email-pattern must give valid email addresses (${email} is not one)`;
  }
  if (!r.namePattern.trim()) return '--name-pattern must not be empty';
  const nameProblem = personNameProblem(r.namePattern, '--name-pattern');
  if (nameProblem) return nameProblem;
  if (r.password.length < 12) return '--password must be at least 12 characters long';
  return null;
}

/**
 * Creates the accounts as `user:create` does (verified, audited `user.created` via 'cli', a welcome mail each), in
 * batches of BULK_BATCH_SIZE, with the password hashed once: argon2 per account would make 10,000 accounts take
 * minutes. A batch meeting an existing address is refused whole (409) and the batches before it stay.
 */
export async function createBulkAccounts(
  users: UsersService,
  r: BulkAccountsRequest,
  onBatch: (created: number) => void = () => undefined,
): Promise<BulkAccountsResult> {
  const passwordHash = await hashPassword(r.password);
  let created = 0;
  while (created < r.count) {
    const numbers = Array.from({ length: Math.min(BULK_BATCH_SIZE, r.count - created) }, (_, i) => r.first + created + i);
    const inputs = numbers.map((n) => ({
      email: fromPattern(r.emailPattern, n),
      fullName: fromPattern(r.namePattern, n),
      roles: ['candidate' as const],
    }));
    try {
      await users.createManyWithHash(inputs, passwordHash, null);
    } catch (error) {
      if ((error as { code?: string }).code !== '23505') throw error;
      throw new ConflictException(
        `an account with an address among ${inputs[0].email} … ${inputs[inputs.length - 1].email} exists already ` +
          `(${created} account(s) created before that batch)`,
      );
    }
    created += numbers.length;
    onBatch(created);
  }
  return { created, firstEmail: fromPattern(r.emailPattern, r.first), lastEmail: fromPattern(r.emailPattern, r.first + r.count - 1) };
}
