import { describe, expect, it } from 'vitest';
import { paramsOf, searchOf } from './people-search';

describe('the People search in the address', () => {
  it('reads a search back from its parameters', () => {
    const s = { query: 'ada', role: 'reviewer', status: 'deactivated', page: 3 } as const;
    expect(searchOf(new URLSearchParams(paramsOf(s)))).toEqual(s);
  });

  it('drops unknown roles and statuses and pages below 2, and trims the query', () => {
    expect(searchOf(new URLSearchParams('query=%20%20&role=superuser&status=gone&page=1'))).toEqual({
      query: undefined,
      role: undefined,
      status: undefined,
      page: undefined,
    });
    expect(searchOf(new URLSearchParams('page=2.5')).page).toBeUndefined();
    expect(searchOf(new URLSearchParams('query=%20grace%20')).query).toBe('grace');
  });

  it('writes only the parts that are set', () => {
    expect(paramsOf({ query: 'x', role: undefined, page: 1 })).toEqual({ query: 'x' });
    expect(paramsOf({})).toEqual({});
  });
});
