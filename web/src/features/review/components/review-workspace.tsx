import { useEffect, useRef, useState } from 'react';
import { AttachmentPreview } from '../../../components/attachment-preview';
import { Alert } from '../../../components/alert';
import { ErrorSummary } from '../../../components/error-summary';
import { downloadAttachment } from '../../../lib/attachments';
import { usePublicFramework } from '../../../lib/programme';
import { type ReviewDraft, type ReviewForm, saveDraft, useSubmitReview } from '../api/review';
import { COMMENT_BELOW, fromDraft, type Problem, problemsOf, type ReviewState, RUBRIC, toDraft } from '../lib/rubric';

type Evidence = {
  criterion: string;
  text: string;
  narrative: string;
  attachments: Array<{ id: string; fileName: string; mediaType: string }>;
};
type DraftStatus = 'idle' | 'saving' | 'saved' | 'failed';

/**
 * Scoring one portfolio against the rubric: per criterion its text, the level descriptors, the candidate's narrative
 * and files (previewed in the page), a score and a comment where the rules ask; progress; the draft autosaved on the
 * server; gaps said in plain words at each control and in a summary that takes the focus.
 */
export function ReviewWorkspace({
  assignmentId,
  evidence,
  draft,
}: {
  assignmentId: string;
  evidence: Evidence[];
  draft: (ReviewDraft & { updatedAt: string }) | null;
}) {
  const criteria = evidence.map((e) => e.criterion);
  const domains = [...new Set(criteria.map((c) => c.slice(0, 3)))];
  const framework = usePublicFramework();
  const titles = new Map((framework.data?.domains ?? []).map((d) => [d.code, d.title]));
  const [state, setState] = useState<ReviewState>(() => fromDraft(draft));
  const [problems, setProblems] = useState<Problem[]>([]);
  const [draftStatus, setDraftStatus] = useState<{ status: DraftStatus; at?: string }>({
    status: draft ? 'saved' : 'idle',
    at: draft?.updatedAt,
  });
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const send = useSubmitReview(assignmentId);
  const timer = useRef<number | undefined>(undefined);
  const dirty = useRef(false);

  // Autosave a moment after the last change; a failed save is tried again with the next change or in 10 s.
  useEffect(() => {
    if (!dirty.current) return;
    window.clearTimeout(timer.current);
    const save = async () => {
      setDraftStatus((s) => ({ ...s, status: 'saving' }));
      try {
        const saved = await saveDraft(assignmentId, toDraft(state, criteria, domains));
        setDraftStatus({ status: 'saved', at: saved.updatedAt });
        dirty.current = false;
      } catch {
        setDraftStatus((s) => ({ ...s, status: 'failed' }));
        timer.current = window.setTimeout(() => setState((x) => ({ ...x })), 10_000);
      }
    };
    timer.current = window.setTimeout(() => void save(), 800);
    return () => window.clearTimeout(timer.current);
    // criteria and domains follow from the evidence, which does not change on the page
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state, assignmentId]);

  const change = (next: ReviewState, clears: string[]) => {
    dirty.current = true;
    setState(next);
    setProblems((p) => p.filter((x) => !clears.includes(x.controlId)));
  };
  const setScore = (c: string, patch: Partial<{ score: number | null; comment: string }>) =>
    change({ ...state, scores: { ...state.scores, [c]: { ...(state.scores[c] ?? { score: null, comment: '' }), ...patch } } }, [
      `score-${c}-0`,
      `note-${c}`,
    ]);
  const problemAt = (id: string) => problems.find((p) => p.controlId === id)?.message;
  const scored = criteria.filter((c) => typeof state.scores[c]?.score === 'number').length;

  const submit = () => {
    const found = problemsOf(state, criteria, domains);
    setProblems(found);
    if (found.length) return;
    window.clearTimeout(timer.current);
    const body: ReviewForm = {
      criterionScores: criteria.map((c) => ({
        criterion: c,
        score: state.scores[c]!.score!,
        comment: state.scores[c]?.comment.trim() || undefined,
      })),
      domainJudgements: domains.map((d) => ({ domain: d, met: state.domains[d]! })),
      recommendation: state.recommendation!,
    };
    send.mutate(body);
  };

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h2>Evidence and scores</h2>
      <p className="hint">
        You see the other review after submitting yours. Your scores are kept on the server as you go, so another device or a reload finds
        them.
      </p>
      <p id="draft-state" role="status" className="save-status" tabIndex={-1}>
        {scored} of {criteria.length} scored ·{' '}
        {draftStatus.status === 'saving'
          ? 'Saving the draft…'
          : draftStatus.status === 'failed'
            ? 'The draft is not saved: it stays in this page and is tried again'
            : draftStatus.at
              ? `Draft saved at ${new Date(draftStatus.at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}`
              : 'Nothing scored yet'}
      </p>
      <details className="rubric-scale">
        <summary>What the scores mean</summary>
        <dl>
          {RUBRIC.map((r) => (
            <div key={r.score}>
              <dt>
                {r.score} {r.label}
              </dt>
              <dd>{r.description}</dd>
            </div>
          ))}
        </dl>
        <p>A comment is needed for any score below {COMMENT_BELOW}.</p>
      </details>
      <ErrorSummary problems={problems} title={(n) => (n === 1 ? 'There is 1 thing to finish' : `There are ${n} things to finish`)} />
      {downloadError && <Alert>{downloadError}</Alert>}
      {domains.map((d) => (
        <section key={d} aria-labelledby={`rubric-${d}`}>
          <h3 id={`rubric-${d}`}>
            {d} {titles.get(d) ?? ''}
          </h3>
          {evidence
            .filter((e) => e.criterion.startsWith(d))
            .map((e) => {
              const row = state.scores[e.criterion];
              const scoreError = problemAt(`score-${e.criterion}-0`);
              const noteError = problemAt(`note-${e.criterion}`);
              const needsComment = typeof row?.score === 'number' && row.score < COMMENT_BELOW;
              return (
                <div key={e.criterion} className="criterion rubric-criterion">
                  <h4>
                    {e.criterion} {e.text}
                  </h4>
                  <blockquote className="narrative">{e.narrative || '(no narrative)'}</blockquote>
                  {e.attachments.length > 0 && (
                    <ul className="attachments">
                      {e.attachments.map((a) => (
                        <li key={a.id}>
                          <button
                            type="button"
                            className="link-button"
                            onClick={() => downloadAttachment(a.id, a.fileName).catch((err: Error) => setDownloadError(err.message))}
                          >
                            Download {a.fileName}
                          </button>{' '}
                          <AttachmentPreview attachment={a} />
                        </li>
                      ))}
                    </ul>
                  )}
                  <fieldset
                    className={scoreError ? 'field-invalid' : undefined}
                    aria-describedby={scoreError ? `score-${e.criterion}-error` : undefined}
                  >
                    <legend>Score for {e.criterion}</legend>
                    {scoreError && (
                      <p className="field-error" id={`score-${e.criterion}-error`}>
                        <span className="visually-hidden">Error: </span>
                        {scoreError}
                      </p>
                    )}
                    <div className="rubric-levels">
                      {RUBRIC.map((r) => (
                        <div className="checkbox" key={r.score}>
                          <input
                            type="radio"
                            id={`score-${e.criterion}-${r.score}`}
                            name={`score-${e.criterion}`}
                            checked={row?.score === r.score}
                            onChange={() => setScore(e.criterion, { score: r.score })}
                            aria-describedby={`level-${e.criterion}-${r.score}`}
                          />
                          <label htmlFor={`score-${e.criterion}-${r.score}`}>
                            {r.score} {r.label}
                          </label>
                          <span className="hint" id={`level-${e.criterion}-${r.score}`}>
                            {r.description}
                          </span>
                        </div>
                      ))}
                    </div>
                  </fieldset>
                  <div className={`field${noteError ? ' field-invalid' : ''}`}>
                    <label htmlFor={`note-${e.criterion}`}>
                      Comment on {e.criterion}
                      {needsComment ? ' (needed for a score below 2)' : ' (optional)'}
                    </label>
                    {noteError && (
                      <p className="field-error" id={`note-${e.criterion}-error`}>
                        <span className="visually-hidden">Error: </span>
                        {noteError}
                      </p>
                    )}
                    <textarea
                      id={`note-${e.criterion}`}
                      rows={2}
                      maxLength={5000}
                      aria-invalid={noteError ? true : undefined}
                      aria-describedby={noteError ? `note-${e.criterion}-error` : undefined}
                      value={row?.comment ?? ''}
                      onChange={(ev) => setScore(e.criterion, { comment: ev.target.value })}
                    />
                  </div>
                </div>
              );
            })}
          <fieldset className={problemAt(`met-${d}-yes`) ? 'field-invalid' : undefined}>
            <legend>
              Is {d} {titles.get(d) ?? ''} met as a whole?
            </legend>
            {problemAt(`met-${d}-yes`) && <p className="field-error">{problemAt(`met-${d}-yes`)}</p>}
            {[
              { id: 'yes', value: true, label: `${d} met` },
              { id: 'no', value: false, label: `${d} not met` },
            ].map((o) => (
              <div className="checkbox" key={o.id}>
                <input
                  type="radio"
                  id={`met-${d}-${o.id}`}
                  name={`met-${d}`}
                  checked={state.domains[d] === o.value}
                  onChange={() => change({ ...state, domains: { ...state.domains, [d]: o.value } }, [`met-${d}-yes`])}
                />
                <label htmlFor={`met-${d}-${o.id}`}>{o.label}</label>
              </div>
            ))}
          </fieldset>
        </section>
      ))}
      <fieldset className={problemAt('rec-pass') ? 'field-invalid' : undefined}>
        <legend>Recommendation</legend>
        {problemAt('rec-pass') && <p className="field-error">{problemAt('rec-pass')}</p>}
        {(['pass', 'revise', 'fail'] as const).map((r) => (
          <div className="checkbox" key={r}>
            <input
              type="radio"
              name="recommendation"
              id={`rec-${r}`}
              checked={state.recommendation === r}
              onChange={() => change({ ...state, recommendation: r }, ['rec-pass'])}
            />
            <label htmlFor={`rec-${r}`}>{r}</label>
          </div>
        ))}
      </fieldset>
      {send.error && <Alert>{send.error.message}</Alert>}
      <button type="submit" disabled={send.isPending}>
        Submit review
      </button>
    </form>
  );
}
