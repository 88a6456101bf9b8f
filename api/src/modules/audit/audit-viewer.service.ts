import { BadRequestException, Injectable } from '@nestjs/common';
import { toCsv } from '../../common/lists/csv';
import { AUDIT_READ_ACTIONS } from './audit-read-actions';
import { type AuditFilter, AuditRepository } from './audit.repository';
import {
  AUDIT_DEFAULT_PAGE_SIZE,
  AUDIT_EXPORT_MAX_ROWS,
  type AuditEntriesPageDto,
  type AuditEntriesQueryDto,
  AuditEntryDto,
  type AuditFilterDto,
} from './dto/audit-entries.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_MS = 86_400_000;

export const AUDIT_CSV_HEADER = [
  'id',
  'occurred_at',
  'actor_id',
  'actor_name',
  'action',
  'subject_type',
  'subject_id',
  'data',
  'hash',
  'hash_version',
] as const;

/** A CSV export: the text, and how many entries matched (the text holds at most AUDIT_EXPORT_MAX_ROWS of them). */
export interface AuditCsvExport {
  csv: string;
  matched: number;
  rows: number;
}

/**
 * The administrators' audit viewer (issue #18): the log filtered by actor, subject, action, day and kind, a page
 * at a time or as CSV. It shows the chained entries as they are: personal data kept beside the chain
 * (audit_personal_data) is not shown or exported, so erasing it (Art. 17) leaves no copy in the viewer's files.
 */
@Injectable()
export class AuditViewerService {
  constructor(private readonly log: AuditRepository) {}

  async list(q: AuditEntriesQueryDto): Promise<AuditEntriesPageDto> {
    const filter = this.filterOf(q);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? AUDIT_DEFAULT_PAGE_SIZE;
    const [rows, total] = await Promise.all([this.log.page(filter, (page - 1) * pageSize, pageSize), this.log.count(filter)]);
    return { items: rows.map(AuditEntryDto.from), total, page, pageSize };
  }

  /** The newest AUDIT_EXPORT_MAX_ROWS matching entries as CSV; `data` is the entry's JSON. */
  async exportCsv(q: AuditFilterDto): Promise<AuditCsvExport> {
    const filter = this.filterOf(q);
    const [rows, matched] = await Promise.all([this.log.page(filter, 0, AUDIT_EXPORT_MAX_ROWS), this.log.count(filter)]);
    const csv = toCsv([
      AUDIT_CSV_HEADER,
      ...rows.map((r) => [
        r.id,
        r.occurredAt.toISOString(),
        r.actorId,
        r.actorName,
        r.action,
        r.subjectType,
        r.subjectId,
        JSON.stringify(r.data),
        r.hash,
        r.hashVersion,
      ]),
    ]);
    return { csv, matched, rows: rows.length };
  }

  actions(): Promise<string[]> {
    return this.log.distinctActions();
  }

  /** The newest entries by the person or about their account, and how many there are in all. */
  async trail(userId: string, limit: number): Promise<{ items: AuditEntryDto[]; total: number }> {
    const filter: AuditFilter = { personId: userId };
    const [rows, total] = await Promise.all([this.log.page(filter, 0, limit), this.log.count(filter)]);
    return { items: rows.map(AuditEntryDto.from), total };
  }

  private filterOf(q: AuditFilterDto): AuditFilter {
    const since = q.from ? new Date(`${q.from}T00:00:00Z`) : undefined;
    const lastDay = q.to ? new Date(`${q.to}T00:00:00Z`) : undefined;
    if (since && lastDay && since > lastDay) throw new BadRequestException('from must not be after to');
    const reads = [...AUDIT_READ_ACTIONS];
    const action = q.action?.endsWith('.') ? { prefix: q.action } : q.action ? { exact: q.action } : undefined;
    return {
      ...(q.actor ? (UUID.test(q.actor) ? { actorId: q.actor.toLowerCase() } : { actorText: q.actor }) : {}),
      personId: q.person,
      subjectType: q.subjectType,
      subjectId: q.subjectId,
      action,
      since,
      until: lastDay && new Date(lastDay.getTime() + DAY_MS),
      ...(q.kind === 'reads' ? { onlyActions: reads } : q.kind === 'decisions' ? { exceptActions: reads } : {}),
    };
  }
}
