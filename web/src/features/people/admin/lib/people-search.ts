import type { PeopleSearch, Role } from '../api/people';

const ROLES: readonly string[] = ['candidate', 'reviewer', 'admin'];
const STATUSES: readonly string[] = ['active', 'deactivated'];

/** The People search lives in the address (so a person's page can link back to the same results); unknown values are dropped. */
export function searchOf(params: URLSearchParams): PeopleSearch {
  const role = params.get('role') ?? '';
  const status = params.get('status') ?? '';
  const page = Number(params.get('page'));
  return {
    query: params.get('query')?.trim() || undefined,
    role: ROLES.includes(role) ? (role as Role) : undefined,
    status: STATUSES.includes(status) ? (status as PeopleSearch['status']) : undefined,
    page: Number.isInteger(page) && page > 1 ? page : undefined,
  };
}

/** The address parameters of a search: only the parts that are set, page 1 left out. */
export function paramsOf(s: PeopleSearch): Record<string, string> {
  return Object.fromEntries(
    Object.entries(s)
      .filter(([k, v]) => v !== undefined && v !== '' && !(k === 'page' && v === 1))
      .map(([k, v]) => [k, String(v)]),
  );
}
