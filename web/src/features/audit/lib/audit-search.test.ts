import { describe, expect, it } from 'vitest';
import { actionPrefixes, auditParamsOf, auditSearchOf, exportFileName } from './audit-search';

describe('the audit viewer’s filters in the address', () => {
  it('reads the filters that are set and well formed, and drops the rest', () => {
    const params = new URLSearchParams('actor=%20ada%20&action=certificate.&from=2026-01-01&to=1st+May&kind=reads&page=3&colour=blue');
    expect(auditSearchOf(params)).toEqual({ actor: 'ada', action: 'certificate.', from: '2026-01-01', kind: 'reads', page: 3 });
    expect(auditSearchOf(new URLSearchParams('kind=all&page=1&kind=other'))).toEqual({});
  });

  it('writes only what differs from the defaults, so the same view has one address', () => {
    expect(auditParamsOf({ actor: 'ada', kind: 'all', page: 1, to: undefined })).toEqual({ actor: 'ada' });
    expect(auditParamsOf({ person: 'p', page: 2, kind: 'decisions' })).toEqual({ person: 'p', page: '2', kind: 'decisions' });
  });

  it('round-trips', () => {
    const search = { subjectType: 'user', subjectId: 'u-1', from: '2026-02-01', to: '2026-02-28', page: 4 };
    expect(auditSearchOf(new URLSearchParams(auditParamsOf(search)))).toEqual(search);
  });
});

describe('action groups and export file names', () => {
  it('offers one group per action prefix, sorted', () => {
    expect(actionPrefixes(['user.created', 'auth.login', 'user.viewed', 'odd'])).toEqual(['auth.', 'user.']);
  });

  it('names the export after its action and dates', () => {
    expect(exportFileName({})).toBe('audit-log.csv');
    expect(exportFileName({ action: 'certificate.', from: '2026-01-01' })).toBe('audit-log_action-certificate_2026-01-01_now.csv');
  });
});
