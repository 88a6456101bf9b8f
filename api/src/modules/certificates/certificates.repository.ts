import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CertificateState } from './certificate-lifecycle';

export interface CertificateRow {
  id: string;
  number: string;
  user_id: string;
  credential: string;
  source_type: string;
  source_id: string;
  holder_name: string;
  psf_version: string;
  issued_at: Date;
  expires_at: Date;
  status: CertificateState;
  status_reason: string | null;
  status_list_id: number;
  status_list_index: number;
  pdf_file: string | null;
  pdf_hash: string | null;
  credential_jwt: string | null;
}

export const CURRENT_STATUS_LIST = 1;

@Injectable()
export class CertificatesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private m(manager?: EntityManager) {
    return manager ?? this.dataSource.manager;
  }

  async findById(id: string, manager?: EntityManager): Promise<CertificateRow | null> {
    const [row] = await this.m(manager).query(`SELECT * FROM certificates WHERE id = $1`, [id]);
    return row ?? null;
  }

  async findByNumber(number: string, manager?: EntityManager, lock = ''): Promise<CertificateRow | null> {
    const [row] = await this.m(manager).query(`SELECT * FROM certificates WHERE number = $1 ${lock}`, [number]);
    return row ?? null;
  }

  async findBySource(sourceType: string, sourceId: string, manager?: EntityManager): Promise<CertificateRow | null> {
    const [row] = await this.m(manager).query(`SELECT * FROM certificates WHERE source_type = $1 AND source_id = $2`, [
      sourceType,
      sourceId,
    ]);
    return row ?? null;
  }

  listForUser(userId: string): Promise<CertificateRow[]> {
    return this.dataSource.query(`SELECT * FROM certificates WHERE user_id = $1 ORDER BY issued_at DESC`, [userId]);
  }

  /** Takes the next free slot of the current status list (creating the list on first use). */
  async allocateStatusSlot(tx: EntityManager, sizeBits: number): Promise<{ listId: number; index: number }> {
    await tx.query(
      `INSERT INTO status_lists (id, size, bits) VALUES ($1, $2, decode(repeat('00', $2 / 8), 'hex')) ON CONFLICT (id) DO NOTHING`,
      [CURRENT_STATUS_LIST, sizeBits],
    );
    // TypeORM answers an UPDATE … RETURNING with [rows, affectedCount].
    const [[row]] = await tx.query(
      `UPDATE status_lists SET next_index = next_index + 1 WHERE id = $1 AND next_index < size RETURNING next_index - 1 AS index`,
      [CURRENT_STATUS_LIST],
    );
    if (!row) throw new Error('the status list is full; add a new list');
    return { listId: CURRENT_STATUS_LIST, index: row.index };
  }

  async insert(
    tx: EntityManager,
    c: Pick<
      CertificateRow,
      | 'number'
      | 'user_id'
      | 'credential'
      | 'source_type'
      | 'source_id'
      | 'holder_name'
      | 'psf_version'
      | 'status_list_id'
      | 'status_list_index'
    > & {
      validityDays: number;
    },
  ): Promise<CertificateRow | null> {
    const [row] = await tx.query(
      `INSERT INTO certificates (number, user_id, credential, source_type, source_id, holder_name, psf_version, expires_at, status_list_id, status_list_index)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(days => $8::int), $9, $10)
       ON CONFLICT (source_type, source_id) DO NOTHING
       RETURNING *`,
      [
        c.number,
        c.user_id,
        c.credential,
        c.source_type,
        c.source_id,
        c.holder_name,
        c.psf_version,
        c.validityDays,
        c.status_list_id,
        c.status_list_index,
      ],
    );
    return row ?? null;
  }

  async saveArtifacts(id: string, a: { pdfFile?: string; pdfHash?: string; credentialJwt?: string }): Promise<void> {
    await this.dataSource.query(
      `UPDATE certificates SET pdf_file = coalesce($2, pdf_file), pdf_hash = coalesce($3, pdf_hash), credential_jwt = coalesce($4, credential_jwt) WHERE id = $1`,
      [id, a.pdfFile ?? null, a.pdfHash ?? null, a.credentialJwt ?? null],
    );
  }

  async setStatus(tx: EntityManager, id: string, status: CertificateState, reason: string | null): Promise<void> {
    await tx.query(`UPDATE certificates SET status = $2, status_reason = $3, status_changed_at = now() WHERE id = $1`, [
      id,
      status,
      reason,
    ]);
  }

  async lockStatusList(tx: EntityManager, listId: number): Promise<{ bits: Buffer } | null> {
    const [row] = await tx.query(`SELECT bits FROM status_lists WHERE id = $1 FOR UPDATE`, [listId]);
    return row ?? null;
  }

  async saveStatusList(tx: EntityManager, listId: number, bits: Buffer, jwt: string): Promise<void> {
    await tx.query(`UPDATE status_lists SET bits = $2, credential_jwt = $3, updated_at = now() WHERE id = $1`, [listId, bits, jwt]);
  }

  async statusListJwt(listId: number): Promise<{ jwt: string | null; bits: Buffer } | null> {
    const [row] = await this.dataSource.query(`SELECT credential_jwt AS jwt, bits FROM status_lists WHERE id = $1`, [listId]);
    return row ?? null;
  }

  async credentialEvent(
    id: string,
  ): Promise<{ id: string; user_id: string; credential: string; source_type: string; source_id: string } | null> {
    const [row] = await this.dataSource.query(
      `SELECT id, user_id, credential, source_type, source_id FROM credential_events WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  async holder(userId: string): Promise<{ email: string; full_name: string } | null> {
    const [row] = await this.dataSource.query(`SELECT email, full_name FROM users WHERE id = $1`, [userId]);
    return row ?? null;
  }

  /** True when the holder has a newer certificate for the same credential (a renewal). */
  async renewed(c: CertificateRow): Promise<boolean> {
    const [row] = await this.dataSource.query(
      `SELECT 1 FROM certificates
       WHERE user_id = $1 AND credential = $2 AND id <> $3 AND status = 'active'
         AND issued_at > (SELECT issued_at FROM certificates WHERE id = $3) LIMIT 1`,
      [c.user_id, c.credential, c.id],
    );
    return Boolean(row);
  }
}
