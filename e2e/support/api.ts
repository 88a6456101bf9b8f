import { readState } from './platform';
import { totpCode } from './totp';

/** Direct API calls for test set-up (the browser does the part under test). */
export async function apiCall<T = unknown>(
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(`${readState().baseUrl}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  const text = res.status === 204 ? '' : await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Signs in through the API; an account with a TOTP secret sends a fresh code with the password. */
export async function apiLogin(email: string, password: string, totpSecret?: string): Promise<string> {
  const body = { email, password, ...(totpSecret ? { otp: await totpCode(totpSecret) } : {}) };
  return (await apiCall<{ accessToken: string }>('POST', '/api/auth/login', undefined, body)).accessToken;
}

export interface Account {
  email: string;
  password: string;
  fullName: string;
  token: string;
  /** Set once the account has enrolled TOTP (staff must). */
  totpSecret?: string;
}

type MailLinkKind = 'verify-email' | 'reset-password' | 'confirm-email-change';

export interface StoredMail {
  id: string;
  recipient: string;
  subject: string;
}

/** The stored mail to an address, newest first, as an administrator finds it (the mail list searched by address). */
export async function mailTo(adminToken: string, email: string): Promise<StoredMail[]> {
  const page = await apiCall<{ items: StoredMail[] }>('GET', `/api/admin/mail?query=${encodeURIComponent(email)}&pageSize=500`, adminToken);
  return page.items.filter((m) => m.recipient.toLowerCase() === email.toLowerCase());
}

/**
 * Waits for the e-mail with a `/verify-email?token=` or `/reset-password?token=` link sent to the
 * address, as an administrator reads it in the platform's stored mail, and returns the newest link.
 * `after`: how many such messages the address had already been sent (to wait for a new one).
 */
export async function mailLink(email: string, kind: MailLinkKind, after = 0): Promise<{ url: string; token: string; count: number }> {
  const pattern = new RegExp(`https?://\\S+/${kind}\\?token=([A-Za-z0-9_-]+)`);
  for (let i = 0; i < 120; i++) {
    const admin = await adminToken();
    const messages = await mailTo(admin, email);
    const links: Array<{ url: string; token: string }> = [];
    for (const m of messages) {
      const { body } = await apiCall<{ body: string | null }>('GET', `/api/admin/mail/${m.id}`, admin);
      const match = body?.match(pattern);
      if (match) links.push({ url: match[0], token: match[1] });
    }
    // Newest first, as the mail list is.
    if (links.length > after) return { ...links[0], count: links.length };
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no ${kind} e-mail reached ${email}`);
}

/** Confirms the address with the link from the verification e-mail, as the person would. */
export async function verifyThroughMail(email: string): Promise<void> {
  const { token } = await mailLink(email, 'verify-email');
  await apiCall('POST', '/api/auth/verify-email', undefined, { token });
}

/**
 * Registers through the API (202) and, unless `verified: false`, confirms the address with the link
 * from the stored verification e-mail. (The whole run registers from one address: the test platform
 * raises REGISTER_MAX_PER_IP_PER_HOUR.)
 */
export async function registerAccount(
  person: { email: string; password: string; fullName: string },
  options: { verified?: boolean } = {},
): Promise<Account> {
  await apiCall('POST', '/api/auth/register', undefined, person);
  if (options.verified !== false) await verifyThroughMail(person.email);
  return { ...person, token: await apiLogin(person.email, person.password) };
}

export async function newCandidate(label: string, domain = 'example.org', options: { verified?: boolean } = {}): Promise<Account> {
  const person = {
    email: `${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@${domain}`,
    password: 'candidate passphrase 1',
    fullName: `${label} Candidate`,
  };
  return registerAccount(person, options);
}

/**
 * Gives the account staff roles (as the administrator) and enrols TOTP through the API, as a staff
 * account must before it can use anything else; returns it with its id and secret.
 */
export async function promote(person: Account, roles: Array<'candidate' | 'reviewer' | 'admin'>): Promise<Account & { id: string }> {
  const { id } = await apiCall<{ id: string }>('GET', '/api/me', person.token);
  await apiCall('PUT', `/api/admin/users/${id}/roles`, await adminToken(), { roles });
  const totpSecret = person.totpSecret ?? (roles.some((r) => r !== 'candidate') ? await enrolTotp(person.token) : undefined);
  // Roles and the second factor are read from the database on every request: the session goes on as it is.
  return { ...person, id, totpSecret };
}

/** Starts and confirms a TOTP enrolment for the signed-in account; returns the secret. */
export async function enrolTotp(token: string): Promise<string> {
  const { secret } = await apiCall<{ secret: string }>('POST', '/api/me/second-factor/totp', token);
  await apiCall('POST', '/api/me/second-factor/totp/confirm', token, { code: await totpCode(secret) });
  return secret;
}

// An access token lives 15 minutes; reusing one for a few saves an admin sign-in (and a TOTP step) per call.
const ADMIN_TOKEN_REUSE_MS = 5 * 60_000;
let adminSession: { token: string; at: number } | null = null;

export async function adminToken(): Promise<string> {
  if (adminSession && Date.now() - adminSession.at < ADMIN_TOKEN_REUSE_MS) return adminSession.token;
  const { admin } = readState();
  const token = await apiLogin(admin.email, admin.password, admin.totpSecret);
  adminSession = { token, at: Date.now() };
  return token;
}
