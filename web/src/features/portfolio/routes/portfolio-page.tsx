import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { Page } from '../../../components/page';
import {
  type Credential,
  type Portfolio,
  portfolioKey,
  saveContext,
  saveNarrative,
  submitPortfolio,
  uploadAttachment,
  usePortfolio,
} from '../api/portfolio';
import { ConflictsSection } from '../components/conflicts-section';

const CONTEXT_FIELDS: Array<{ key: 'system' | 'organisation' | 'modelsUsed' | 'usersAffected'; label: string }> = [
  { key: 'system', label: 'The production AI system' },
  { key: 'organisation', label: 'Organisation' },
  { key: 'modelsUsed', label: 'Models used' },
  { key: 'usersAffected', label: 'Users affected' },
];

export function PortfolioPage() {
  const credential = (useParams().credential?.toUpperCase() ?? 'CPAP') as Credential;
  const portfolio = usePortfolio(credential);
  return (
    <Page title={`${credential} portfolio`}>
      {portfolio.error && (portfolio.error as Error & { statusCode?: number }).statusCode === 409 ? (
        // Locked until a prerequisite is passed: say why and how to unlock it, not an error.
        <>
          <Alert kind="info">{portfolio.error.message}.</Alert>
          <p className="actions">
            <Link className="button" to="/candidate/aida">
              Take the AIDA exam
            </Link>
            <Link className="button button-secondary" to={`/credentials/${credential.toLowerCase()}`}>
              What the {credential} asks of you
            </Link>
          </p>
        </>
      ) : (
        portfolio.error && <Alert>{portfolio.error.message}</Alert>
      )}
      {portfolio.isPending && <p role="status">Loading your portfolio…</p>}
      {portfolio.data && <Editor credential={credential} portfolio={portfolio.data} />}
    </Page>
  );
}

function useSaveState() {
  const [state, setState] = useState<'idle' | 'saving' | 'saved' | 'error'>('idle');
  return {
    state,
    setState,
    text: state === 'saving' ? 'Saving…' : state === 'saved' ? 'Saved' : state === 'error' ? 'Not saved — try again' : '',
  };
}

function Editor({ credential, portfolio }: { credential: Credential; portfolio: Portfolio }) {
  const qc = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState<string | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: portfolioKey(credential) });
  const domains = [...new Set(portfolio.evidence.map((e) => e.criterion.slice(0, 3)))];

  return (
    <>
      <p>
        Document one real production deployment against every criterion. Everything saves as you type; submitting freezes a version for
        review, and later edits go into a new version.
      </p>
      {error && <Alert>{error}</Alert>}
      {submitted && <Alert kind="success">{submitted}</Alert>}
      <h2>Deployment context</h2>
      <ContextForm credential={credential} portfolio={portfolio} />
      <h2>Evidence</h2>
      {domains.map((d) => (
        <section key={d} aria-labelledby={`domain-${d}`}>
          <h3 id={`domain-${d}`}>Domain {d}</h3>
          {portfolio.evidence
            .filter((e) => e.criterion.startsWith(d))
            .map((e) => (
              <CriterionEditor key={e.criterion} credential={credential} evidence={e} onUploaded={refresh} onError={setError} />
            ))}
        </section>
      ))}
      <ConflictsSection credential={credential} />
      <h2>Submit</h2>
      <button
        type="button"
        onClick={async () => {
          setError(null);
          const result = await submitPortfolio(credential).catch((e: Error) => setError(e.message));
          if (result) {
            setSubmitted(`Version ${result.version} submitted for review.`);
            await refresh();
          }
        }}
      >
        Submit this version for review
      </button>
      {portfolio.submissions.length > 0 && (
        <>
          <h2>Submitted versions</h2>
          <ul>
            {portfolio.submissions.map((s) => (
              <li key={s.id}>
                Version {s.version}, {new Date(s.submittedAt).toLocaleDateString()}: {s.status.replace('_', ' ')} —{' '}
                <Link to={`/candidate/portfolio/submissions/${s.id}`}>status and feedback</Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function ContextForm({ credential, portfolio }: { credential: Credential; portfolio: Portfolio }) {
  const save = useSaveState();
  const [values, setValues] = useState<Record<string, string>>(portfolio.context as Record<string, string>);
  const persist = async (patch: Record<string, string>) => {
    save.setState('saving');
    await saveContext(credential, patch).then(
      () => save.setState('saved'),
      () => save.setState('error'),
    );
  };
  return (
    <div className="form">
      {CONTEXT_FIELDS.map((f) => (
        <div className="field" key={f.key}>
          <label htmlFor={`ctx-${f.key}`}>{f.label}</label>
          <textarea
            id={`ctx-${f.key}`}
            rows={2}
            value={values[f.key] ?? ''}
            onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
            onBlur={(e) => persist({ [f.key]: e.target.value })}
          />
        </div>
      ))}
      <div className="field">
        <label htmlFor="ctx-risk">Risk level</label>
        <select
          id="ctx-risk"
          value={values.riskLevel ?? ''}
          onChange={(e) => {
            setValues({ ...values, riskLevel: e.target.value });
            void persist({ riskLevel: e.target.value });
          }}
        >
          <option value="">Choose…</option>
          {['low', 'medium', 'high', 'critical'].map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </div>
      <p role="status" className="hint">
        {save.text}
      </p>
    </div>
  );
}

function CriterionEditor({
  credential,
  evidence,
  onUploaded,
  onError,
}: {
  credential: Credential;
  evidence: Portfolio['evidence'][number];
  onUploaded: () => void;
  onError: (message: string) => void;
}) {
  const [text, setText] = useState(evidence.narrative);
  const save = useSaveState();
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const id = `ev-${evidence.criterion}`;
  return (
    <div className="criterion">
      <label htmlFor={id}>
        <strong>{evidence.criterion}</strong> {evidence.text}
      </label>
      <textarea
        id={id}
        rows={4}
        value={text}
        onChange={(e) => {
          const value = e.target.value;
          setText(value);
          save.setState('saving');
          window.clearTimeout(timer.current);
          // Autosave a moment after typing stops.
          timer.current = window.setTimeout(() => {
            saveNarrative(credential, evidence.criterion, value).then(
              () => save.setState('saved'),
              () => save.setState('error'),
            );
          }, 800);
        }}
      />
      <p role="status" className="hint">
        {save.text}
      </p>
      {evidence.attachments.length > 0 && (
        <ul className="attachments">
          {evidence.attachments.map((a) => (
            <li key={a.id}>
              {a.fileName} ({a.mediaType}, {Math.ceil(a.sizeBytes / 1024)} KB)
            </li>
          ))}
        </ul>
      )}
      <label htmlFor={`${id}-file`} className="hint">
        Add evidence for {evidence.criterion} (PDF, PNG, JPEG, Markdown or text, up to 20 MB)
      </label>
      <input
        id={`${id}-file`}
        type="file"
        accept=".pdf,.png,.jpg,.jpeg,.md,.txt"
        onChange={async (e) => {
          const file = e.target.files?.[0];
          if (!file) return;
          await uploadAttachment(credential, evidence.criterion, file).then(onUploaded, (err: Error) => onError(err.message));
          e.target.value = '';
        }}
      />
    </div>
  );
}
