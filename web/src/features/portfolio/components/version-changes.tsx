import { Alert } from '../../../components/alert';
import { useSubmissionContent } from '../api/portfolio';
import { CONTEXT_FIELDS } from '../lib/portfolio-fields';
import { type DiffPart, wordDiff } from '../lib/word-diff';

/** The words changed, marked as deleted and inserted in text as well as in style (a screen reader hears which). */
function Diff({ parts }: { parts: DiffPart[] }) {
  return (
    <p className="diff">
      {parts.map((p, i) =>
        p.kind === 'same' ? (
          <span key={i}>{p.text}</span>
        ) : p.kind === 'removed' ? (
          <del key={i}>
            <span className="visually-hidden">[removed: </span>
            {p.text}
            <span className="visually-hidden">]</span>
          </del>
        ) : (
          <ins key={i}>
            <span className="visually-hidden">[added: </span>
            {p.text}
            <span className="visually-hidden">]</span>
          </ins>
        ),
      )}
    </p>
  );
}

/** What changed in this version against the one before it: context fields, narratives word by word, files. */
export function VersionChanges({ submissionId }: { submissionId: string }) {
  const current = useSubmissionContent(submissionId);
  const previous = useSubmissionContent(current.data?.previousSubmissionId ?? null);
  if (current.error) return <Alert>{current.error.message}</Alert>;
  if (!current.data) return null;
  const now = current.data;
  if (!now.previousSubmissionId) {
    return (
      <section aria-labelledby="changes-h">
        <h2 id="changes-h">Changes from the previous version</h2>
        <p>This is version {now.version}, the first you submitted: there is nothing to compare it with.</p>
      </section>
    );
  }
  if (previous.error) return <Alert>{previous.error.message}</Alert>;
  if (!previous.data) return <p role="status">Loading version {now.version - 1}…</p>;
  const before = previous.data;
  const contextChanges = CONTEXT_FIELDS.map((f) => ({
    label: f.label,
    from: (before.context as Record<string, string>)[f.key] ?? '',
    to: (now.context as Record<string, string>)[f.key] ?? '',
  })).filter((c) => c.from !== c.to);
  const beforeByCriterion = new Map(before.evidence.map((e) => [e.criterion, e]));
  const evidenceChanges = now.evidence
    .map((e) => {
      const old = beforeByCriterion.get(e.criterion);
      const oldFiles = new Set((old?.attachments ?? []).map((a) => a.fileName));
      const newFiles = new Set(e.attachments.map((a) => a.fileName));
      return {
        criterion: e.criterion,
        text: e.text,
        narrative: old?.narrative === e.narrative ? null : wordDiff(old?.narrative ?? '', e.narrative),
        added: [...newFiles].filter((f) => !oldFiles.has(f)),
        removed: [...oldFiles].filter((f) => !newFiles.has(f)),
      };
    })
    .filter((c) => c.narrative || c.added.length || c.removed.length);
  return (
    <section aria-labelledby="changes-h" className="version-changes">
      <h2 id="changes-h">
        Changes from version {before.version} to version {now.version}
      </h2>
      <p>
        {evidenceChanges.length} of {now.evidence.length} criteria changed
        {contextChanges.length ? `, and ${contextChanges.length} context field${contextChanges.length === 1 ? '' : 's'}` : ''}. Removed
        words are struck through, added words underlined.
      </p>
      {contextChanges.map((c) => (
        <div key={c.label}>
          <h3>{c.label}</h3>
          <Diff parts={wordDiff(c.from, c.to)} />
        </div>
      ))}
      {evidenceChanges.map((c) => (
        <div key={c.criterion}>
          <h3>
            {c.criterion} {c.text}
          </h3>
          {c.narrative && <Diff parts={c.narrative} />}
          {c.added.length > 0 && <p>Files added: {c.added.join(', ')}</p>}
          {c.removed.length > 0 && <p>Files removed: {c.removed.join(', ')}</p>}
        </div>
      ))}
    </section>
  );
}
