import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { AttachmentPreview } from '../../../components/attachment-preview';
import { ErrorSummary, type Problem } from '../../../components/error-summary';
import { DraftProgress, RubricLevels, RubricNote, RubricScale } from '../../../components/rubric';
import { downloadAttachment } from '../../../lib/attachments';
import { usePublicFramework } from '../../../lib/programme';
import { useAutosave } from '../../../lib/use-autosave';
import { type PanelDetail, type SavedPanelScoreDraft, savePanelDraft, useSubmitScores } from '../api/panels';
import {
  criteriaAssessed,
  type GuideDomain,
  type InterviewGuide,
  NOTES_MAX,
  type PanelSheet,
  scoredCount,
  sheetFromDraft,
  sheetProblems,
  sheetToDraft,
} from '../lib/panel-rubric';

type Evidence = PanelDetail['evidence'][number];

/**
 * One assessor's score sheet for a panel, against the interview guide's rubric: per domain the criteria its questions
 * look for (their text, the candidate's evidence a click away), what to look for and the red flags, a score on the
 * guide's 0–3 scale with what each level means, and notes; progress; the sheet autosaved on the server; gaps said in
 * plain words at each control and in a summary that takes the focus.
 */
export function PanelScoreSheet({
  panel,
  guide,
  draft,
}: {
  panel: PanelDetail;
  guide: InterviewGuide;
  draft: SavedPanelScoreDraft | null;
}) {
  const domains = guide.domains.map((d) => d.domain);
  const framework = usePublicFramework();
  const frameworkDomains = framework.data?.domains ?? [];
  const titles = new Map(frameworkDomains.map((d) => [d.code, d.title]));
  const criterionText = new Map(frameworkDomains.flatMap((d) => d.criteria.map((c) => [c.code, c.text] as const)));
  const [sheet, setSheet] = useState<PanelSheet>(() => sheetFromDraft(draft));
  const [problems, setProblems] = useState<Problem[]>([]);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const send = useSubmitScores(panel.bookingId);
  const bookingId = panel.bookingId;
  const draftSave = useAutosave(sheet, (s: PanelSheet) => savePanelDraft(bookingId, sheetToDraft(s, domains)), draft?.updatedAt);

  const update = (d: string, patch: Partial<PanelSheet[string]>) => {
    draftSave.touch();
    setSheet((s) => ({ ...s, [d]: { ...(s[d] ?? { score: null, notes: '' }), ...patch } }));
    setProblems((p) => p.filter((x) => x.controlId !== (patch.score !== undefined ? `score-${d}-0` : `note-${d}`)));
  };
  const problemAt = (id: string) => problems.find((p) => p.controlId === id)?.message;

  const submit = () => {
    const found = sheetProblems(sheet, domains, titles);
    setProblems(found);
    if (found.length) return;
    draftSave.stop();
    send.mutate(
      domains.map((domain) => ({ domain, score: sheet[domain]!.score!, notes: sheet[domain]!.notes.trim() })),
      { onError: draftSave.resume },
    );
  };

  return (
    <form
      noValidate
      aria-labelledby="sheet-h"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h2 id="sheet-h">Your scores</h2>
      <p className="hint">
        Score each domain on your own, before any panel discussion; you see the other assessors' scores only after you submit. A domain
        passes when {panel.passVotes} of 3 assessors score it {panel.metScore} or higher. Your sheet is kept on the server as you go, so a
        reload or another device finds it.
      </p>
      <DraftProgress done={scoredCount(sheet, domains)} total={domains.length} status={draftSave.status} at={draftSave.at} />
      <RubricScale levels={guide.scale}>
        <p>Every domain needs a score. Notes are optional and are kept with your scores.</p>
      </RubricScale>
      <ErrorSummary problems={problems} title={(n) => (n === 1 ? 'There is 1 thing to finish' : `There are ${n} things to finish`)} />
      {downloadError && <Alert>{downloadError}</Alert>}
      {guide.domains.map((g) => (
        <DomainRubric
          key={g.domain}
          guideDomain={g}
          title={titles.get(g.domain) ?? ''}
          criterionText={criterionText}
          evidence={panel.evidence.filter((e) => e.criterion.startsWith(`${g.domain}.`))}
          levels={guide.scale}
          value={sheet[g.domain]}
          onChange={(patch) => update(g.domain, patch)}
          scoreError={problemAt(`score-${g.domain}-0`)}
          noteError={problemAt(`note-${g.domain}`)}
          onDownloadError={setDownloadError}
        />
      ))}
      {send.error && <Alert>{send.error.message}</Alert>}
      <button type="submit" disabled={send.isPending}>
        Submit my scores
      </button>
    </form>
  );
}

function DomainRubric({
  guideDomain: g,
  title,
  criterionText,
  evidence,
  levels,
  value,
  onChange,
  scoreError,
  noteError,
  onDownloadError,
}: {
  guideDomain: GuideDomain;
  title: string;
  criterionText: ReadonlyMap<string, string>;
  evidence: Evidence[];
  levels: InterviewGuide['scale'];
  value: PanelSheet[string] | undefined;
  onChange: (patch: Partial<PanelSheet[string]>) => void;
  scoreError?: string;
  noteError?: string;
  onDownloadError: (message: string) => void;
}) {
  const criteria = [...new Set([...criteriaAssessed(g), ...evidence.map((e) => e.criterion)])].sort();
  return (
    <section aria-labelledby={`rubric-${g.domain}`} className="criterion rubric-criterion">
      <h3 id={`rubric-${g.domain}`}>
        {g.domain} {title}
      </h3>
      <p>The questions on {g.domain} look for evidence of:</p>
      <ul className="panel-criteria">
        {criteria.map((c) => {
          const e = evidence.find((x) => x.criterion === c);
          return (
            <li key={c}>
              <strong>{c}</strong> {criterionText.get(c) ?? ''}
              <details>
                <summary>Candidate's evidence for {c}</summary>
                {e ? (
                  <>
                    <blockquote className="narrative">{e.narrative || '(no narrative)'}</blockquote>
                    {e.attachments.length > 0 && (
                      <ul className="attachments">
                        {e.attachments.map((a) => (
                          <li key={a.id}>
                            <button
                              type="button"
                              className="link-button"
                              onClick={() => downloadAttachment(a.id, a.fileName).catch((err: Error) => onDownloadError(err.message))}
                            >
                              Download {a.fileName}
                            </button>{' '}
                            <AttachmentPreview attachment={a} />
                          </li>
                        ))}
                      </ul>
                    )}
                  </>
                ) : (
                  <p>The portfolio gives no evidence for {c}.</p>
                )}
              </details>
            </li>
          );
        })}
      </ul>
      <details>
        <summary>What to look for and red flags in {g.domain}</summary>
        <h4>Look for</h4>
        <ul>
          {g.lookFor.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
        <h4>Red flags</h4>
        <ul>
          {g.redFlags.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      </details>
      <RubricLevels code={g.domain} levels={levels} value={value?.score} onChange={(score) => onChange({ score })} error={scoreError} />
      <RubricNote
        code={g.domain}
        label={`Notes on ${g.domain} (optional)`}
        value={value?.notes ?? ''}
        onChange={(notes) => onChange({ notes })}
        error={noteError}
        maxLength={NOTES_MAX}
      />
    </section>
  );
}
