import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../../components/alert';
import { DataTable } from '../../../components/data-table';
import { Page } from '../../../components/page';
import { useAnswerOffer, useAssignments, useProfile, useSaveProfile } from '../api/review';
import { useMyStudies } from '../api/standard-setting-studies';

const DOMAINS = ['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07', 'D08'];

export function ReviewerHome() {
  const assignments = useAssignments();
  const answer = useAnswerOffer();
  const act = (id: string, to: 'accept' | 'decline' | 'conflict') => answer.mutate({ id, answer: to });
  return (
    <Page title="Reviews">
      {answer.error && <Alert>{answer.error.message}</Alert>}
      <p>
        <Link to="/reviewer/items">Item review</Link>: review draft AIDA questions you did not write (key, cueing, criterion and
        difficulty).
      </p>
      <h2>Assignments</h2>
      {assignments.error && <Alert>{assignments.error.message}</Alert>}
      {assignments.data && (
        <DataTable
          caption="Portfolios offered to or assigned to you"
          captionHidden
          rows={assignments.data}
          rowKey={(a) => a.id}
          empty="No portfolio is assigned to you at the moment."
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
            { header: 'Status', cell: (a) => a.status },
            {
              header: 'Dates',
              cell: (a) =>
                a.status === 'offered'
                  ? `answer by ${new Date(a.respondBy).toLocaleDateString()}`
                  : a.dueAt
                    ? `due ${new Date(a.dueAt).toLocaleDateString()}`
                    : '',
            },
            {
              header: 'Actions',
              cell: (a) =>
                a.status === 'offered' && (
                  <div className="actions">
                    <button type="button" onClick={() => act(a.id, 'accept')} disabled={answer.isPending}>
                      Accept
                      <span className="visually-hidden">
                        {' '}
                        {a.credential} version {a.version}
                      </span>
                    </button>
                    <button type="button" className="button-secondary" onClick={() => act(a.id, 'decline')} disabled={answer.isPending}>
                      Decline
                    </button>
                    <button type="button" className="button-secondary" onClick={() => act(a.id, 'conflict')} disabled={answer.isPending}>
                      Declare a conflict
                    </button>
                  </div>
                ),
            },
          ]}
        />
      )}
      <StandardSettingStudies />
      <h2>My reviewer profile</h2>
      <ProfileForm />
    </Page>
  );
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
        setSaved(false);
        save.mutate({ organisation, expertise, maxConcurrent, away: profile.data?.away ?? [] }, { onSuccess: () => setSaved(true) });
      }}
    >
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
      <button type="submit" disabled={save.isPending}>
        Save profile
      </button>
      {saved && <p role="status">Profile saved.</p>}
    </form>
  );
}
