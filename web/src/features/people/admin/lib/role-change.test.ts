import { describe, expect, it } from 'vitest';
import { describeRoleChange, roleChange } from './role-change';

describe('a change of roles, as the confirmation states it', () => {
  it('names what is added and what is removed', () => {
    const change = roleChange(['candidate', 'admin'], ['candidate', 'reviewer']);
    expect(change).toEqual({ added: ['reviewer'], removed: ['admin'] });
    expect(describeRoleChange(change)).toBe('added reviewer; removed admin');
  });

  it('is empty when nothing changes, whatever the order', () => {
    expect(roleChange(['reviewer', 'candidate'], ['candidate', 'reviewer'])).toEqual({ added: [], removed: [] });
    expect(describeRoleChange({ added: [], removed: ['candidate'] })).toBe('removed candidate');
  });
});
