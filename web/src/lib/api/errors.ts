/**
 * Reading the contract's error bodies: `unwrap` throws an Error carrying the status code and the
 * body's `reason` (e.g. 'mfa_required', 'email_unverified'), and forms map a 400's message to the
 * field it is about so the error is shown on, and tied to, that field.
 */
export type ErrorReason = 'mfa_required' | 'mfa_invalid' | 'mfa_enrolment_required' | 'email_unverified';

export interface ApiFailure {
  statusCode?: number;
  reason?: string;
  message: string;
}

export function failureOf(error: unknown): ApiFailure {
  if (error instanceof Error) {
    const { statusCode, reason } = error as Error & { statusCode?: unknown; reason?: unknown };
    return {
      message: error.message,
      statusCode: typeof statusCode === 'number' ? statusCode : undefined,
      reason: typeof reason === 'string' ? reason : undefined,
    };
  }
  return { message: 'Something went wrong; try again' };
}

export function hasReason(error: unknown, reason: ErrorReason): boolean {
  return failureOf(error).reason === reason;
}

/**
 * Splits a 400 message (the server joins several validation messages with "; ") into the parts about
 * each field, by the words each part uses; what matches no field is left for the form-level alert.
 * The first matching field wins, so list the most specific pattern first.
 */
export function fieldErrors<F extends string>(
  message: string,
  fields: Array<[F, RegExp]>,
): { byField: Partial<Record<F, string>>; rest: string | null } {
  const byField: Partial<Record<F, string>> = {};
  const rest: string[] = [];
  for (const part of message
    .split(/;\s+/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = fields.find(([, pattern]) => pattern.test(part));
    if (!match) rest.push(part);
    else byField[match[0]] = byField[match[0]] ? `${byField[match[0]]} ${sentence(part)}` : sentence(part);
  }
  return { byField, rest: rest.length ? rest.map(sentence).join(' ') : null };
}

/** "password must be at least 12 characters long" → "Password must be at least 12 characters long." */
function sentence(part: string): string {
  const capital = part.charAt(0).toUpperCase() + part.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}
