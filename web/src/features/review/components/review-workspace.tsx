import { useState } from 'react';
import { AttachmentPreview } from '../../../components/attachment-preview';
import { Alert } from '../../../components/alert';
import { ErrorSummary } from '../../../components/error-summary';
import { DraftProgress, RubricLevels, RubricNote, RubricScale } from '../../../components/rubric';
import { downloadAttachment } from '../../../lib/attachments';
import { usePublicFramework } from '../../../lib/programme';
import { useAutosave } from '../../../lib/use-autosave';
import { type ReviewDraft, type ReviewForm, saveDraft, useSubmitReview } from '../api/review';
import { COMMENT_BELOW, fromDraft, type Problem, problemsOf, type ReviewState, RUBRIC, toDraft } from '../lib/rubric';

type Evidence = {
  criterion: string;
  text: string;
  narrative: string;
  attachments: Array<{ id: string; fileName: string; mediaType: string }>;
};

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
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const send = useSubmitReview(assignmentId);
  const draftSave = useAutosave(state, (s: ReviewState) => saveDraft(assignmentId, toDraft(s, criteria, domains)), draft?.updatedAt);

  const change = (next: ReviewState, clears: string[]) => {
    draftSave.touch();
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
    draftSave.stop();
    const body: ReviewForm = {
      criterionScores: criteria.map((c) => ({
        criterion: c,
        score: state.scores[c]!.score!,
        comment: state.scores[c]?.comment.trim() || undefined,
      })),
      domainJudgements: domains.map((d) => ({ domain: d, met: state.domains[d]! })),
      recommendation: state.recommendation!,
    };
    send.mutate(body, { onError: draftSave.resume });
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
      <DraftProgress done={scored} total={criteria.length} status={draftSave.status} at={draftSave.at} />
      <RubricScale levels={RUBRIC}>
        <p>A comment is needed for any score below {COMMENT_BELOW}.</p>
      </RubricScale>
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
                  <RubricLevels
                    code={e.criterion}
                    levels={RUBRIC}
                    value={row?.score}
                    onChange={(score) => setScore(e.criterion, { score })}
                    error={scoreError}
                  />
                  <RubricNote
                    code={e.criterion}
                    label={`Comment on ${e.criterion}${needsComment ? ' (needed for a score below 2)' : ' (optional)'}`}
                    value={row?.comment ?? ''}
                    onChange={(comment) => setScore(e.criterion, { comment })}
                    error={noteError}
                    maxLength={5000}
                  />
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
