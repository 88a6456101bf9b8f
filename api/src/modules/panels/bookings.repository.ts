import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import { containsPattern } from '../../common/lists/list-query';
import { usersReader } from '../users/users.reader';
import { bookingLifecycle, type BookingState } from './booking-lifecycle';

/** A booking: a panel at a slot for one interview, its status narrowed to the booking lifecycle. */
export interface Booking {
  id: string;
  interviewId: string;
  startsAt: Date;
  endsAt: Date;
  status: BookingState;
  sequence: number;
  meetingUrl: string;
}

export type NewBooking = Pick<Booking, 'id' | 'interviewId' | 'startsAt' | 'endsAt' | 'meetingUrl'>;

/** A member of a booking's panel, with what invitations and the panel page show of them. */
export interface PanelMember {
  assessorId: string;
  isChair: boolean;
  active: boolean;
  noShow: boolean;
  fullName: string;
  email: string;
  timeZone: string;
}

/** A panel in an assessor's own calendar. */
export interface CalendarBooking {
  id: string;
  startsAt: Date;
  endsAt: Date;
}

/** A booking as the certification body lists it: the candidate and the active panel, the chair first. */
/** The administrators' booking list: candidate name text, status, and a half-open range of start instants. */
export interface BookingFilter {
  /** One booking (what a cancellation answers with). */
  id?: string;
  query?: string;
  status?: BookingState;
  startsFrom?: Date;
  startsBefore?: Date;
  order: 'asc' | 'desc';
}

export interface AdminBooking {
  id: string;
  startsAt: Date;
  endsAt: Date;
  status: BookingState;
  closeReason: string | null;
  candidate: string;
  panel: string[];
}

const BOOKING_COLUMNS = ['id', 'interviewId', 'startsAt', 'endsAt', 'status', 'sequence', 'meetingUrl'] as const;

const toBooking = (row: Omit<Booking, 'status'> & { status: string }): Booking => ({ ...row, status: bookingLifecycle.parse(row.status) });
const orNull = (row: (Omit<Booking, 'status'> & { status: string }) | undefined): Booking | null => (row ? toBooking(row) : null);

/** Bookings and their panel members. */
@Injectable()
export class BookingsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  /**
   * Every booking change takes this lock first: bookings are rare, and serialising them makes the
   * availability check and the insert one atomic step across all API replicas.
   */
  async lock(tx: EntityManager): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(hashtext('psf:panel-booking'))`.execute(this.db(tx));
  }

  // ---- bookings ----

  async booking(bookingId: string, tx?: EntityManager, lock = false): Promise<Booking | null> {
    const query = this.db(tx).selectFrom('panelBookings').select(BOOKING_COLUMNS).where('id', '=', bookingId);
    return orNull(await (lock ? query.forUpdate() : query).executeTakeFirst());
  }

  async liveBooking(interviewId: string, tx?: EntityManager, lock = false): Promise<Booking | null> {
    const query = this.db(tx)
      .selectFrom('panelBookings')
      .select(BOOKING_COLUMNS)
      .where('interviewId', '=', interviewId)
      .where('status', '=', 'booked');
    return orNull(await (lock ? query.forUpdate() : query).executeTakeFirst());
  }

  async latestBooking(interviewId: string, tx?: EntityManager): Promise<Booking | null> {
    return orNull(
      await this.db(tx)
        .selectFrom('panelBookings')
        .select(BOOKING_COLUMNS)
        .where('interviewId', '=', interviewId)
        .orderBy('createdAt', 'desc')
        .limit(1)
        .executeTakeFirst(),
    );
  }

  /** The stored status as it is now, not narrowed (for the message of a refused move). */
  async currentStatus(tx: EntityManager, bookingId: string): Promise<string | null> {
    return (await this.db(tx).selectFrom('panelBookings').select('status').where('id', '=', bookingId).executeTakeFirst())?.status ?? null;
  }

  async insert(tx: EntityManager, b: NewBooking): Promise<void> {
    await this.db(tx).insertInto('panelBookings').values(b).execute();
  }

  /** Moves the booking in time; the next invitations carry a higher SEQUENCE. */
  async move(tx: EntityManager, bookingId: string, startsAt: Date, endsAt: Date): Promise<void> {
    await this.db(tx)
      .updateTable('panelBookings')
      .set((eb) => ({ startsAt, endsAt, sequence: eb('sequence', '+', 1), updatedAt: sql<Date>`now()` }))
      .where('id', '=', bookingId)
      .execute();
  }

  async bumpSequence(tx: EntityManager, bookingId: string): Promise<void> {
    await this.db(tx)
      .updateTable('panelBookings')
      .set((eb) => ({ sequence: eb('sequence', '+', 1), updatedAt: sql<Date>`now()` }))
      .where('id', '=', bookingId)
      .execute();
  }

  /**
   * Ends the booking with a higher SEQUENCE (for the CANCEL), only from `onlyFrom` (a conditional
   * UPDATE); false when the booking was no longer in one of those states.
   */
  async close(
    tx: EntityManager,
    bookingId: string,
    status: BookingState,
    reason: string,
    onlyFrom: readonly BookingState[],
  ): Promise<boolean> {
    if (!onlyFrom.length) return false;
    const result = await this.db(tx)
      .updateTable('panelBookings')
      .set((eb) => ({ status, closeReason: reason, sequence: eb('sequence', '+', 1), updatedAt: sql<Date>`now()` }))
      .where('id', '=', bookingId)
      .where('status', 'in', [...onlyFrom])
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Sets the status (and, when given, the close reason) without a new SEQUENCE. */
  async setStatus(tx: EntityManager, bookingId: string, status: BookingState, closeReason?: string): Promise<void> {
    await this.db(tx)
      .updateTable('panelBookings')
      .set({ status, ...(closeReason === undefined ? {} : { closeReason }), updatedAt: sql<Date>`now()` })
      .where('id', '=', bookingId)
      .execute();
  }

  /** An assessor's active panels that end after yesterday, soonest first. */
  async assessorBookings(assessorId: string): Promise<CalendarBooking[]> {
    return this.db()
      .selectFrom('panelMembers as mb')
      .innerJoin('panelBookings as b', 'b.id', 'mb.bookingId')
      .select(['b.id', 'b.startsAt', 'b.endsAt'])
      .where('mb.assessorId', '=', assessorId)
      .where('mb.active', '=', true)
      .where('b.status', '=', 'booked')
      .where('b.endsAt', '>', sql<Date>`now() - interval '1 day'`)
      .orderBy('b.startsAt')
      .execute();
  }

  /** The bookings not yet started on which the assessor has a seat, soonest first. */
  async upcomingSeatsOf(assessorId: string): Promise<string[]> {
    const rows = await this.db()
      .selectFrom('panelMembers as mb')
      .innerJoin('panelBookings as b', 'b.id', 'mb.bookingId')
      .select('b.id')
      .where('mb.assessorId', '=', assessorId)
      .where('mb.active', '=', true)
      .where('b.status', '=', 'booked')
      .where('b.startsAt', '>', sql<Date>`now()`)
      .orderBy('b.startsAt')
      .execute();
    return rows.map((r) => r.id);
  }

  /**
   * One page of the administrators' booking list with each booking's candidate and active panel, and the
   * number of matches in all pages. The page's bookings are chosen first; only they are joined to their panels.
   */
  async adminSearch(filter: BookingFilter, window: { limit: number; offset: number }): Promise<{ rows: AdminBooking[]; total: number }> {
    const db = this.db();
    const conditions = [sql<boolean>`true`];
    if (filter.id) conditions.push(sql<boolean>`b.id = ${filter.id}`);
    if (filter.status) conditions.push(sql<boolean>`b.status = ${filter.status}`);
    if (filter.startsFrom) conditions.push(sql<boolean>`b.starts_at >= ${filter.startsFrom}`);
    if (filter.startsBefore) conditions.push(sql<boolean>`b.starts_at < ${filter.startsBefore}`);
    if (filter.query) conditions.push(sql<boolean>`u.full_name ILIKE ${containsPattern(filter.query)}`);
    const where = sql.join(conditions, sql` AND `);
    const order = sql.raw(filter.order === 'asc' ? 'ASC' : 'DESC');
    const from = sql`panel_bookings b JOIN panel_interviews iv ON iv.id = b.interview_id JOIN ${usersReader.people(db)} u ON u.id = iv.candidate_id`;
    const [{ rows }, { rows: counted }] = await Promise.all([
      sql<Omit<AdminBooking, 'status'> & { status: string }>`
        WITH page AS (
          SELECT b.id, b.starts_at, b.ends_at, b.status, b.close_reason, u.full_name AS candidate
          FROM ${from} WHERE ${where}
          ORDER BY b.starts_at ${order}, b.id ${order} LIMIT ${window.limit} OFFSET ${window.offset})
        SELECT p.id, p.starts_at, p.ends_at, p.status, p.close_reason, p.candidate,
               coalesce(array_agg(a.full_name ORDER BY mb.is_chair DESC, a.full_name) FILTER (WHERE mb.active), ARRAY[]::text[]) AS panel
        FROM page p LEFT JOIN panel_members mb ON mb.booking_id = p.id LEFT JOIN ${usersReader.people(db)} a ON a.id = mb.assessor_id
        GROUP BY p.id, p.starts_at, p.ends_at, p.status, p.close_reason, p.candidate
        ORDER BY p.starts_at ${order}, p.id ${order}`.execute(db),
      sql<{ total: string }>`SELECT count(*) AS total FROM ${from} WHERE ${where}`.execute(db),
    ]);
    return { rows: rows.map((r) => ({ ...r, status: bookingLifecycle.parse(r.status) })), total: Number(counted[0].total) };
  }

  // ---- members ----

  async members(bookingId: string, tx?: EntityManager, activeOnly = true): Promise<PanelMember[]> {
    let query = this.db(tx)
      .selectFrom('panelMembers as mb')
      .innerJoin(usersReader.people(this.db(tx)).as('u'), 'u.id', 'mb.assessorId')
      .leftJoin('assessorProfiles as p', 'p.userId', 'mb.assessorId')
      .select((eb) => [
        'mb.assessorId',
        'mb.isChair',
        'mb.active',
        'mb.noShow',
        'u.fullName',
        'u.email',
        eb.fn.coalesce('p.timeZone', sql<string>`'UTC'`).as('timeZone'),
      ])
      .where('mb.bookingId', '=', bookingId);
    if (activeOnly) query = query.where('mb.active', '=', true);
    return query.orderBy('mb.isChair', 'desc').orderBy('u.fullName').execute();
  }

  async isActiveMember(tx: EntityManager, bookingId: string, assessorId: string): Promise<boolean> {
    const row = await this.db(tx)
      .selectFrom('panelMembers')
      .select('assessorId')
      .where('bookingId', '=', bookingId)
      .where('assessorId', '=', assessorId)
      .where('active', '=', true)
      .executeTakeFirst();
    return Boolean(row);
  }

  /** Adds or re-activates a member; they are busy for the interview plus the buffer. */
  async upsertMember(
    tx: EntityManager,
    bookingId: string,
    assessorId: string,
    isChair: boolean,
    start: Date,
    end: Date,
    bufferMinutes: number,
  ): Promise<void> {
    await this.db(tx)
      .insertInto('panelMembers')
      .values({
        bookingId,
        assessorId,
        isChair,
        busy: sql<string>`tstzrange(${start}, ${end}::timestamptz + make_interval(mins => ${bufferMinutes}::int), '[)')`,
      })
      .onConflict((oc) =>
        oc.columns(['bookingId', 'assessorId']).doUpdateSet((eb) => ({
          active: true,
          isChair,
          busy: eb.ref('excluded.busy'),
          leftAt: null,
          leftReason: null,
        })),
      )
      .execute();
  }

  async deactivateMembers(tx: EntityManager, bookingId: string, assessorIds: string[] | 'all', reason: string): Promise<void> {
    if (assessorIds !== 'all' && !assessorIds.length) return;
    let query = this.db(tx)
      .updateTable('panelMembers')
      .set({ active: false, leftAt: sql<Date>`now()`, leftReason: reason })
      .where('bookingId', '=', bookingId)
      .where('active', '=', true);
    if (assessorIds !== 'all') query = query.where('assessorId', 'in', assessorIds);
    await query.execute();
  }

  async makeChair(tx: EntityManager, bookingId: string, assessorId: string): Promise<void> {
    await this.db(tx)
      .updateTable('panelMembers')
      .set({ isChair: true })
      .where('bookingId', '=', bookingId)
      .where('assessorId', '=', assessorId)
      .execute();
  }

  async markNoShow(tx: EntityManager, bookingId: string, assessorId: string): Promise<void> {
    await this.db(tx)
      .updateTable('panelMembers')
      .set({ noShow: true })
      .where('bookingId', '=', bookingId)
      .where('assessorId', '=', assessorId)
      .execute();
  }
}
