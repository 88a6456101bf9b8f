/** An assignment as the reviewer's list gives it (the fields the workload reads). */
export interface WorkloadAssignment {
  id: string;
  credential: string;
  version: number;
  status: string;
  respondBy: string;
  dueAt: string | null;
  candidateName: string | null;
}

/** A panel the assessor sits on (the fields the workload reads). */
export interface WorkloadPanel {
  bookingId: string;
  start: string;
  end: string;
  status: string;
  candidateName: string;
  isChair: boolean;
  scored: boolean;
}

/** One piece of open work: what it is, what is expected next, by when, and whether that is already past. */
export interface WorkItem {
  key: string;
  kind: 'offer' | 'review' | 'panel';
  title: string;
  href: string;
  next: string;
  /** ISO time the next step is due; null when the server gives none (listed last). */
  due: string | null;
  /** Said in words, not colour alone: "Overdue", or null. */
  flag: string | null;
  assignment?: WorkloadAssignment;
}

const DAY = 86_400_000;

const overdueBy = (due: string, now: number) => {
  const days = Math.floor((now - Date.parse(due)) / DAY);
  return days >= 1 ? `Overdue by ${days} ${days === 1 ? 'day' : 'days'}` : 'Overdue';
};

/**
 * A reviewer's open work, soonest due first: offers to answer (by their expiry), reviews in progress (by their due
 * date, late ones flagged), and the panels they sit on that still need them (the interview ahead, or their scores).
 * Closed assignments and panels whose scores are in are not work any more.
 */
export function workload(assignments: readonly WorkloadAssignment[], panels: readonly WorkloadPanel[], now = Date.now()): WorkItem[] {
  const items: WorkItem[] = [];
  for (const a of assignments) {
    const title = `${a.credential} portfolio, version ${a.version}${a.candidateName ? ` — ${a.candidateName}` : ' (blind review)'}`;
    const href = `/reviewer/assignments/${a.id}`;
    if (a.status === 'offered') {
      const late = Date.parse(a.respondBy) < now;
      items.push({
        key: a.id,
        kind: 'offer',
        title,
        href,
        next: 'Offer: accept or decline',
        due: a.respondBy,
        flag: late ? 'Answer date passed' : null,
        assignment: a,
      });
    } else if (a.status === 'accepted') {
      const late = a.dueAt !== null && Date.parse(a.dueAt) < now;
      items.push({
        key: a.id,
        kind: 'review',
        title,
        href,
        next: 'Review in progress',
        due: a.dueAt,
        flag: late ? overdueBy(a.dueAt!, now) : null,
        assignment: a,
      });
    }
  }
  for (const p of panels) {
    if (p.status !== 'booked' || p.scored) continue;
    const started = Date.parse(p.start) <= now;
    items.push({
      key: p.bookingId,
      kind: 'panel',
      title: `CPAA panel — ${p.candidateName}${p.isChair ? ' (you chair)' : ''}`,
      href: `/reviewer/panels/${p.bookingId}`,
      next: started ? 'Interview started: submit your scores' : 'Panel interview',
      due: p.start,
      flag: started && Date.parse(p.end) < now ? 'Scores not yet submitted' : null,
    });
  }
  const at = (i: WorkItem) => (i.due === null ? Infinity : Date.parse(i.due));
  return items.sort((x, y) => at(x) - at(y));
}
