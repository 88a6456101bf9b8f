import type { Role } from '../api/people';

// Type-only import above: the API client needs a browser, and this is pure logic (tested without one).
const ROLE_ORDER: readonly Role[] = ['candidate', 'reviewer', 'admin'];

export interface RoleChange {
  added: Role[];
  removed: Role[];
}

/** What a change of roles adds and removes (candidate, reviewer, admin order). */
export function roleChange(from: readonly Role[], to: readonly Role[]): RoleChange {
  return {
    added: ROLE_ORDER.filter((r) => to.includes(r) && !from.includes(r)),
    removed: ROLE_ORDER.filter((r) => from.includes(r) && !to.includes(r)),
  };
}

/** "added reviewer; removed admin" */
export function describeRoleChange({ added, removed }: RoleChange): string {
  return [added.length ? `added ${added.join(', ')}` : '', removed.length ? `removed ${removed.join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
}
