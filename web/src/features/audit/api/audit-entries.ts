import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';
import type { components } from '../../../lib/api/schema';
import { saveDownload } from '../../../lib/download';
import { type AuditSearch, exportFileName, filtersOf } from '../lib/audit-search';

export type AuditEntry = components['schemas']['AuditEntryDto'];

export const AUDIT_PAGE_SIZE = 50;
/** The most rows the server puts in one CSV export (the newest that match). */
export const AUDIT_EXPORT_MAX_ROWS = 50_000;

export const getAuditEntries = async (search: AuditSearch) =>
  unwrap(await api.GET('/api/admin/audit/entries', { params: { query: { ...search, pageSize: AUDIT_PAGE_SIZE } } }));

/** The last page stays on screen while the next loads, so the table does not vanish under the keyboard focus. */
export const useAuditEntries = (search: AuditSearch) =>
  useQuery({ queryKey: ['admin', 'audit', 'entries', search], queryFn: () => getAuditEntries(search), placeholderData: keepPreviousData });

/** The filtered entries as CSV, fetched with the session's token and handed to the browser as a file. */
export async function downloadAuditCsv(search: AuditSearch): Promise<void> {
  const result = await api.GET('/api/admin/audit/entries/export.csv', { params: { query: filtersOf(search) }, parseAs: 'blob' });
  saveDownload(result, exportFileName(search), 'The audit log could not be exported; try again');
}
