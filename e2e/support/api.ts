import { readState } from './platform';

/** Direct API calls for test set-up (the browser does the part under test). */
export async function apiCall<T = unknown>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const res = await fetch(`${readState().baseUrl}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

export async function apiLogin(email: string, password: string): Promise<string> {
  return (await apiCall<{ accessToken: string }>('POST', '/api/auth/login', undefined, { email, password })).accessToken;
}

export async function newCandidate(
  label: string,
  domain = 'example.org',
): Promise<{ email: string; password: string; fullName: string; token: string }> {
  const person = {
    email: `${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@${domain}`,
    password: 'candidate passphrase 1',
    fullName: `${label} Candidate`,
  };
  await apiCall('POST', '/api/auth/register', undefined, person);
  return { ...person, token: await apiLogin(person.email, person.password) };
}

export async function adminToken(): Promise<string> {
  const { admin } = readState();
  return apiLogin(admin.email, admin.password);
}
