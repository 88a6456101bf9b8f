import { type FormEvent, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useAuditActions } from '../api/audit-actions';
import { actionPrefixes, AUDIT_KINDS, type AuditKind, type AuditSearch } from '../lib/audit-search';

const KIND_LABELS: Record<AuditKind, string> = {
  all: 'Everything',
  decisions: 'Decisions and changes',
  reads: 'Reads of sensitive data',
};

type Fields = Required<Record<Exclude<keyof AuditSearch, 'page'>, string>>;
const fieldsOf = (s: AuditSearch): Fields => ({
  actor: s.actor ?? '',
  person: s.person ?? '',
  subjectType: s.subjectType ?? '',
  subjectId: s.subjectId ?? '',
  action: s.action ?? '',
  from: s.from ?? '',
  to: s.to ?? '',
  kind: s.kind ?? 'all',
});

/** The viewer's filters: every field labelled; applying them starts again at page 1. */
export function AuditFilterForm({ search, onApply }: { search: AuditSearch; onApply: (s: AuditSearch) => void }) {
  const [fields, setFields] = useState<Fields>(() => fieldsOf(search));
  const actions = useAuditActions();
  // Back/forward and links change the address: the form follows.
  useEffect(() => setFields(fieldsOf(search)), [search]);
  const set = (key: keyof Fields) => (e: { target: { value: string } }) => setFields((f) => ({ ...f, [key]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const trimmed = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.trim() || undefined]));
    onApply({ ...trimmed, kind: fields.kind as AuditKind });
  };
  // An action or group in the address that the log does not hold (yet) still shows as chosen.
  const chosen = fields.action;
  const prefixes = actionPrefixes(actions.data ?? []);
  if (chosen.endsWith('.') && !prefixes.includes(chosen)) prefixes.push(chosen);
  const known = [...(actions.data ?? [])];
  if (chosen && !chosen.endsWith('.') && !known.includes(chosen)) known.push(chosen);

  return (
    <form className="form audit-filters" role="search" aria-label="Filter the audit log" onSubmit={submit}>
      <div className="field">
        <label htmlFor="audit-actor">Actor</label>
        <input id="audit-actor" type="search" aria-describedby="audit-actor-hint" value={fields.actor} onChange={set('actor')} />
        <p className="hint" id="audit-actor-hint">
          Account id, or part of a name or e-mail address
        </p>
      </div>
      <div className="field">
        <label htmlFor="audit-action">Action</label>
        <select id="audit-action" value={fields.action} onChange={set('action')}>
          <option value="">Any action</option>
          <optgroup label="Every action of a kind">
            {prefixes.map((p) => (
              <option key={p} value={p}>
                {p}*
              </option>
            ))}
          </optgroup>
          <optgroup label="One action">
            {known.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </optgroup>
        </select>
      </div>
      <div className="field">
        <label htmlFor="audit-subject-type">Subject type</label>
        <input id="audit-subject-type" value={fields.subjectType} onChange={set('subjectType')} placeholder="e.g. user, certificate" />
      </div>
      <div className="field">
        <label htmlFor="audit-subject-id">Subject id</label>
        <input id="audit-subject-id" value={fields.subjectId} onChange={set('subjectId')} />
      </div>
      <div className="field">
        <label htmlFor="audit-person">Person (account id)</label>
        <input id="audit-person" aria-describedby="audit-person-hint" value={fields.person} onChange={set('person')} />
        <p className="hint" id="audit-person-hint">
          Entries by them or about their account
        </p>
      </div>
      <div className="field">
        <label htmlFor="audit-from">From (UTC day)</label>
        <input id="audit-from" type="date" value={fields.from} onChange={set('from')} />
      </div>
      <div className="field">
        <label htmlFor="audit-to">To (UTC day, included)</label>
        <input id="audit-to" type="date" value={fields.to} min={fields.from || undefined} onChange={set('to')} />
      </div>
      <div className="field">
        <label htmlFor="audit-kind">Kind</label>
        <select id="audit-kind" value={fields.kind} onChange={set('kind')}>
          {AUDIT_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </div>
      <div className="actions">
        <button type="submit">Filter</button>
        <Link to="/admin/audit">Clear filters</Link>
      </div>
    </form>
  );
}
