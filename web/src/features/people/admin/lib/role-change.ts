import { ROLES, type Role } from '../api/people';

export interface RoleChange {
  added: Role[];
  removed: Role[];
}

/** What a change of roles adds and removes (in the order of ROLES). */
export function roleChange(from: readonly Role[], to: readonly Role[]): RoleChange {
  return {
    added: ROLES.filter((r) => to.includes(r) && !from.includes(r)),
    removed: ROLES.filter((r) => from.includes(r) && !to.includes(r)),
  };
}

/** "added reviewer; removed admin" */
export function describeRoleChange({ added, removed }: RoleChange): string {
  return [added.length ? `added ${added.join(', ')}` : '', removed.length ? `removed ${removed.join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
}
