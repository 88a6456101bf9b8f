import { type FormEvent, useState } from 'react';
import type { Period } from '../lib/period';

/** The dashboard's period: two labelled date inputs and Apply; the page keeps the period in its address. */
export function PeriodForm({ period, onApply }: { period: Period; onApply: (p: Period) => void }) {
  const [from, setFrom] = useState(period.from);
  const [to, setTo] = useState(period.to);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply({ from, to });
  };
  return (
    <form className="dash-period" aria-label="Period" onSubmit={submit}>
      <div className="field">
        <label htmlFor="dash-from">From</label>
        <input id="dash-from" type="date" required value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="dash-to">To (included)</label>
        <input id="dash-to" type="date" required value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} />
      </div>
      <button type="submit">Apply</button>
      <p className="hint dash-period-hint">Whole days in UTC, both ends included, at most 366 days.</p>
    </form>
  );
}
