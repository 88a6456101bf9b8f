import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../../components/alert';
import { ErrorSummary, focusControl, type Problem } from '../../../components/error-summary';
import { usePublicFramework } from '../../../lib/programme';
import { type Credential, type Portfolio, portfolioKey, sendDraftChange, submitPortfolio } from '../api/portfolio';
import { DraftQueue } from '../lib/draft-queue';
import {
  completeness,
  CONTEXT_FIELDS,
  contextControlId,
  evidenceControlId,
  guidanceFor,
  missingForSubmission,
  NARRATIVE_MAX,
  RISK_LEVELS,
  wordCount,
} from '../lib/portfolio-fields';
import { AttachmentsField } from './attachments-field';
import { ConflictsSection } from './conflicts-section';

/** The server's copy of every field, with what this browser kept and has not sent yet laid over it. */
function initialValues(portfolio: Portfolio, queue: DraftQueue): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(portfolio.context as Record<string, string>)) values[`context.${k}`] = v ?? '';
  for (const e of portfolio.evidence) values[`evidence.${e.criterion}`] = e.narrative;
  for (const c of queue.pending()) values[c.field] = c.value;
  return values;
}

/**
 * The portfolio editor: every field autosaves (kept in this browser first, so a reload or an offline spell loses
 * nothing), completeness per domain with jump links, word counts and guidance per criterion, errors at their
 * controls and in a summary that takes the focus, and read-only with the reason while the portfolio cannot change.
 */
export function PortfolioEditor({ credential, portfolio }: { credential: Credential; portfolio: Portfolio }) {
  const qc = useQueryClient();
  const queue = useMemo(() => new DraftQueue(portfolio.id, (c) => sendDraftChange(credential, c)), [portfolio.id, credential]);
  const status = useSyncExternalStore(queue.subscribe, () => queue.snapshot());
  const [values, setValues] = useState(() => initialValues(portfolio, queue));
  const [problems, setProblems] = useState<Problem[]>([]);
  const [submitted, setSubmitted] = useState<string | null>(null);
  const framework = usePublicFramework();
  const titles = new Map((framework.data?.domains ?? []).map((d) => [d.code, d.title]));
  const locked = status.locked ?? portfolio.lockedReason;
  const editable = portfolio.editable && !status.locked;
  const refresh = () => qc.invalidateQueries({ queryKey: portfolioKey(credential) });

  // What was kept offline or before a reload is sent now; and again whenever the connection returns.
  useEffect(() => {
    void queue.flush();
    const retry = () => void queue.flush();
    window.addEventListener('online', retry);
    const timer = window.setInterval(() => queue.snapshot().offline && retry(), 10_000);
    return () => {
      window.removeEventListener('online', retry);
      window.clearInterval(timer);
      queue.dispose();
    };
  }, [queue]);

  const change = (field: string, value: string, delayMs?: number) => {
    setValues((v) => ({ ...v, [field]: value }));
    setProblems((p) => p.filter((x) => x.controlId !== controlIdOf(field)));
    queue.change(field, value, delayMs);
  };
  const done = completeness(values, portfolio);
  const problemAt = (controlId: string) => problems.find((p) => p.controlId === controlId)?.message ?? status.refused[fieldOf(controlId)];

  const submit = async () => {
    setSubmitted(null);
    const missing = missingForSubmission(values, portfolio);
    if (missing.length) return setProblems(missing);
    await queue.flush();
    if (queue.snapshot().pending) {
      return setProblems([
        { controlId: 'save-state', message: 'Some changes are not saved yet (you seem to be offline): submit when they are' },
      ]);
    }
    try {
      const result = await submitPortfolio(credential);
      setProblems([]);
      setSubmitted(`Version ${result.version} submitted for review. The portfolio is read-only until the reviewers decide.`);
      await refresh();
    } catch (e) {
      setProblems([{ controlId: 'submit', message: (e as Error).message }]);
    }
  };

  return (
    <>
      {locked && (
        <Alert kind="info">
          <strong>Read-only.</strong> {locked}.
        </Alert>
      )}
      {submitted && <Alert kind="success">{submitted}</Alert>}
      <ErrorSummary problems={problems} title={(n) => (n === 1 ? 'There is a problem' : `There are ${n} problems`)} />
      <p>
        Document one real production deployment against every criterion.{' '}
        {editable &&
          'Everything you type is saved as you go: kept in this browser at once, and sent a moment after you stop typing, or when you are back online. '}
        Submitting freezes a version for review.
      </p>
      <SaveState status={status} />
      <nav aria-labelledby="portfolio-contents" className="portfolio-contents">
        <h2 id="portfolio-contents">
          {done.written} of {done.total} criteria written
        </h2>
        <ul>
          <li>
            <a href="#context" onClick={(e) => (e.preventDefault(), focusControl('context'))}>
              Deployment context
            </a>
          </li>
          {done.domains.map((d) => (
            <li key={d.code}>
              <a href={`#domain-${d.code}`} onClick={(e) => (e.preventDefault(), focusControl(`domain-${d.code}`))}>
                {d.code} {titles.get(d.code) ?? ''}
              </a>{' '}
              <span className="hint">
                {d.written} of {d.total}
              </span>
            </li>
          ))}
        </ul>
      </nav>

      <section id="context" tabIndex={-1} aria-labelledby="context-title">
        <h2 id="context-title">Deployment context</h2>
        <div className="form">
          {CONTEXT_FIELDS.map((f) => {
            const id = contextControlId(f.key);
            const error = problemAt(id);
            return (
              <div className={`field${error ? ' field-invalid' : ''}`} key={f.key}>
                <label htmlFor={id}>{f.label}</label>
                {error && <FieldError id={`${id}-error`} message={error} />}
                <textarea
                  id={id}
                  rows={2}
                  maxLength={f.max}
                  readOnly={!editable}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `${id}-error` : undefined}
                  value={values[`context.${f.key}`] ?? ''}
                  onChange={(e) => change(`context.${f.key}`, e.target.value)}
                />
              </div>
            );
          })}
          <div className={`field${problemAt('ctx-riskLevel') ? ' field-invalid' : ''}`}>
            <label htmlFor="ctx-riskLevel">Risk level</label>
            {problemAt('ctx-riskLevel') && <FieldError id="ctx-riskLevel-error" message={problemAt('ctx-riskLevel')!} />}
            <select
              id="ctx-riskLevel"
              disabled={!editable}
              aria-invalid={problemAt('ctx-riskLevel') ? true : undefined}
              aria-describedby={problemAt('ctx-riskLevel') ? 'ctx-riskLevel-error' : undefined}
              value={values['context.riskLevel'] ?? ''}
              onChange={(e) => e.target.value && change('context.riskLevel', e.target.value, 0)}
            >
              <option value="">Choose…</option>
              {RISK_LEVELS.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </div>
        </div>
      </section>

      <h2>Evidence</h2>
      {done.domains.map((d) => (
        <section key={d.code} id={`domain-${d.code}`} tabIndex={-1} aria-labelledby={`domain-${d.code}-title`}>
          <h3 id={`domain-${d.code}-title`}>
            {d.code} {titles.get(d.code) ?? ''}{' '}
            <span className="hint">
              ({d.written} of {d.total} written)
            </span>
          </h3>
          {portfolio.evidence
            .filter((e) => e.criterion.startsWith(d.code))
            .map((e) => {
              const id = evidenceControlId(e.criterion);
              const text = values[`evidence.${e.criterion}`] ?? '';
              const error = problemAt(id);
              return (
                <div key={e.criterion} className={`criterion${error ? ' field-invalid' : ''}`}>
                  <label htmlFor={id}>
                    <strong>{e.criterion}</strong> {e.text}
                  </label>
                  <p className="hint" id={`${id}-guidance`}>
                    {guidanceFor(e.text)}
                  </p>
                  {error && <FieldError id={`${id}-error`} message={error} />}
                  <textarea
                    id={id}
                    rows={5}
                    maxLength={NARRATIVE_MAX}
                    readOnly={!editable}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={`${id}-guidance ${id}-count${error ? ` ${id}-error` : ''}`}
                    value={text}
                    onChange={(ev) => change(`evidence.${e.criterion}`, ev.target.value)}
                  />
                  <p className="hint" id={`${id}-count`}>
                    {wordCount(text)} words
                  </p>
                  <AttachmentsField
                    credential={credential}
                    criterion={e.criterion}
                    attachments={e.attachments}
                    limits={portfolio.limits}
                    editable={editable}
                    onChanged={refresh}
                  />
                </div>
              );
            })}
        </section>
      ))}
      <ConflictsSection credential={credential} />
      <h2>Submit</h2>
      {editable ? (
        <>
          <p>
            {done.written} of {done.total} criteria written. Reviewers score the version you submit; you cannot change it once it is
            submitted.
          </p>
          {problemAt('submit') && <FieldError id="submit-error" message={problemAt('submit')!} />}
          <button
            id="submit"
            type="button"
            onClick={() => void submit()}
            aria-describedby={problemAt('submit') ? 'submit-error' : undefined}
          >
            Submit this version for review
          </button>
        </>
      ) : (
        <p>Nothing to submit now: {locked}.</p>
      )}
      {portfolio.submissions.length > 0 && (
        <>
          <h2>Submitted versions</h2>
          <ul>
            {portfolio.submissions.map((s) => (
              <li key={s.id}>
                Version {s.version}, {new Date(s.submittedAt).toLocaleDateString()}: {s.status.replace('_', ' ')} —{' '}
                <Link to={`/candidate/portfolio/submissions/${s.id}`}>status and feedback for version {s.version}</Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

const controlIdOf = (field: string) =>
  field.startsWith('context.') ? contextControlId(field.slice(8)) : evidenceControlId(field.slice(9));
const fieldOf = (controlId: string) => (controlId.startsWith('ctx-') ? `context.${controlId.slice(4)}` : `evidence.${controlId.slice(3)}`);

function FieldError({ id, message }: { id: string; message: string }) {
  return (
    <p className="field-error" id={id}>
      <span className="visually-hidden">Error: </span>
      {message}
    </p>
  );
}

/** One live line for the whole page: saving, all saved, or kept in this browser while offline. */
function SaveState({ status }: { status: ReturnType<DraftQueue['snapshot']> }) {
  const text = status.offline
    ? `Offline: ${status.pending} change${status.pending === 1 ? '' : 's'} kept in this browser, sent when you are back online`
    : status.pending > 0 || status.busy
      ? 'Saving…'
      : 'All changes saved';
  return (
    <p
      id="save-state"
      role="status"
      tabIndex={-1}
      className={`save-status${status.offline ? ' save-offline' : ''}`}
      data-testid="portfolio-save-state"
    >
      {text}
    </p>
  );
}
