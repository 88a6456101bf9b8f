import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../../components/alert';
import { DataTable } from '../../../components/data-table';
import { Page } from '../../../components/page';
import { useMyPanels } from '../../../lib/assessor-panels';
import { useAnswerOffer, useAssignments, useProfile, useSaveProfile } from '../api/review';
import { type WorkItem, workload } from '../lib/workload';
import { useMyStudies } from '../api/standard-setting-studies';

const DOMAINS = ['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07', 'D08'];

export function ReviewerHome() {
  const assignments = useAssignments();
  const panels = useMyPanels();
  const answer = useAnswerOffer();
  const act = (id: string, to: 'accept' | 'decline' | 'conflict') => answer.mutate({ id, answer: to });
  const work = assignments.data && panels.data ? workload(assignments.data, panels.data) : null;
  const past = (assignments.data ?? []).filter((a) => !OPEN.includes(a.status));
  return (
    <Page title="Reviews">
      {answer.error && <Alert>{answer.error.message}</Alert>}
      <p>
        <Link to="/reviewer/items">Item review</Link>: review draft AIDA questions you did not write (key, cueing, criterion and
        difficulty).
      </p>
      <h2>My workload</h2>
      {assignments.error && <Alert>{assignments.error.message}</Alert>}
      {panels.error && <Alert>{panels.error.message}</Alert>}
      {!work && !assignments.error && !panels.error && <p role="status">Loading…</p>}
      {work && (
        <>
          <p>{summary(work)}</p>
          <DataTable
            caption={`Your offers, reviews in progress and panels, soonest due first (times in ${Intl.DateTimeFormat().resolvedOptions().timeZone})`}
            rows={work}
            rowKey={(w) => w.key}
            empty="Nothing is waiting for you: no offer, review in progress or panel."
            columns={[
              { header: 'Work', rowHeader: true, cell: (w) => <Link to={w.href}>{w.title}</Link> },
              { header: 'Next step', cell: (w) => w.next },
              {
                header: 'Due',
                cell: (w) => (
                  <>
                    {w.due
                      ? `${w.kind === 'offer' ? 'Answer by' : w.kind === 'panel' ? 'Starts' : 'Due'} ${dateTime(w.due)}`
                      : 'No due date'}
                    {w.flag && (
                      <>
                        {' '}
                        <strong className="overdue">{w.flag}</strong>
                      </>
                    )}
                  </>
                ),
              },
              {
                header: 'Actions',
                cell: (w) =>
                  w.kind === 'offer' &&
                  w.assignment && (
                    <div className="actions">
                      <button type="button" onClick={() => act(w.key, 'accept')} disabled={answer.isPending}>
                        Accept
                        <span className="visually-hidden">
                          {' '}
                          {w.assignment.credential} version {w.assignment.version}
                        </span>
                      </button>
                      <button type="button" className="button-secondary" onClick={() => act(w.key, 'decline')} disabled={answer.isPending}>
                        Decline
                      </button>
                      <button type="button" className="button-secondary" onClick={() => act(w.key, 'conflict')} disabled={answer.isPending}>
                        Declare a conflict
                      </button>
                    </div>
                  ),
              },
            ]}
          />
        </>
      )}
      {past.length > 0 && (
        <>
          <h2>Past portfolio assignments</h2>
          <DataTable
            caption="Portfolio assignments that are closed"
            captionHidden
            rows={past}
            rowKey={(a) => a.id}
            empty=""
            columns={[
              {
                header: 'Portfolio',
                cell: (a) => (
                  <>
                    <Link to={`/reviewer/assignments/${a.id}`}>
                      {a.credential} portfolio, version {a.version}
                    </Link>
                    {a.candidateName ? ` — ${a.candidateName}` : ' (blind review)'}
                  </>
                ),
              },
              { header: 'Status', cell: (a) => PAST_STATUS[a.status] ?? a.status },
              { header: 'Offered', cell: (a) => new Date(a.offeredAt).toLocaleDateString() },
            ]}
          />
        </>
      )}
      <StandardSettingStudies />
      <h2>My reviewer profile</h2>
      <ProfileForm />
    </Page>
  );
}

const OPEN = ['offered', 'accepted'];
const PAST_STATUS: Record<string, string> = {
  completed: 'Review submitted',
  declined: 'Declined or withdrawn',
  expired: 'Offer lapsed',
  overdue: 'Overdue: reassigned',
};

const dateTime = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function summary(work: WorkItem[]): string {
  const count = (kind: WorkItem['kind']) => work.filter((w) => w.kind === kind).length;
  const late = work.filter((w) => w.flag).length;
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return `${plural(count('offer'), 'offer', 'offers')} to answer, ${plural(count('review'), 'review', 'reviews')} in progress, ${plural(count('panel'), 'panel', 'panels')} ahead or awaiting your scores${late ? `; ${late} past due` : ''}.`;
}

const STUDY_STATUS: Record<string, string> = {
  closed: 'Closed: ratings are final',
  adopted: 'Over: the cut has been adopted',
  cancelled: 'Cancelled',
};

function StandardSettingStudies() {
  const studies = useMyStudies();
  return (
    <>
      <h2>Standard-setting studies</h2>
      {studies.error && <Alert>{studies.error.message}</Alert>}
      {studies.data?.length === 0 && <p>You are not invited to any standard-setting study.</p>}
      {!!studies.data?.length && (
        <ul>
          {studies.data.map((s) => (
            <li key={s.id}>
              <Link to={`/reviewer/standard-setting/${s.id}`}>{s.title}</Link>
              {' — '}
              {s.round ? `round ${s.round} open: ${s.rated} of ${s.items} items rated` : (STUDY_STATUS[s.status] ?? s.status)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function ProfileForm() {
  const profile = useProfile();
  const save = useSaveProfile();
  const [organisation, setOrganisation] = useState('');
  const [expertise, setExpertise] = useState<string[]>([]);
  const [maxConcurrent, setMax] = useState(3);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (profile.data) {
      setOrganisation(profile.data.organisation);
      setExpertise(profile.data.expertise);
      setMax(profile.data.maxConcurrent);
    }
  }, [profile.data]);
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!profile.data) return;
        setSaved(false);
        save.mutate({ organisation, expertise, maxConcurrent, away: profile.data.away }, { onSuccess: () => setSaved(true) });
      }}
    >
      {profile.error && <Alert>{profile.error.message}</Alert>}
      {profile.isPending && <p role="status">Loading your profile…</p>}
      <div className="field">
        <label htmlFor="rp-org">Organisation</label>
        <input id="rp-org" value={organisation} onChange={(e) => setOrganisation(e.target.value)} />
      </div>
      <fieldset>
        <legend>Domains of expertise</legend>
        {DOMAINS.map((d) => (
          <div className="checkbox" key={d}>
            <input
              type="checkbox"
              id={`rp-${d}`}
              checked={expertise.includes(d)}
              onChange={(e) => setExpertise(e.target.checked ? [...expertise, d] : expertise.filter((x) => x !== d))}
            />
            <label htmlFor={`rp-${d}`}>{d}</label>
          </div>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="rp-max">Maximum concurrent reviews</label>
        <input id="rp-max" type="number" min={1} max={50} value={maxConcurrent} onChange={(e) => setMax(Number(e.target.value))} />
      </div>
      {save.error && <Alert>{save.error.message}</Alert>}
      {/* Until the profile is loaded the fields hold defaults: saved, they (and no away periods) would replace it. */}
      <button type="submit" disabled={save.isPending || !profile.data}>
        Save profile
      </button>
      {saved && <p role="status">Profile saved.</p>}
    </form>
  );
}
