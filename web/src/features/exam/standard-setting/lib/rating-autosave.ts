import { useCallback, useEffect, useRef, useState } from 'react';
import { type RaterStudySummary, saveRatings } from '../api/rater-studies';

export type AutosaveStatus = 'idle' | 'saving' | 'saved' | 'failed';
const DEBOUNCE_MS = 1_000;
const BATCH_LIMIT = 1_000;

/**
 * Collects changed ratings and sends them in batches: 1 s after the last change, or at once on
 * flush() (a field losing focus, Retry). Sends run one after another, so a slow save never lands
 * after a newer one; a rating changed while its save was in flight stays pending and goes next.
 */
export function useRatingAutosave(
  studyId: string,
  { onSaved, onRefused }: { onSaved: (summary: RaterStudySummary) => void; onRefused: () => void },
) {
  const pending = useRef(new Map<string, number>());
  const chain = useRef<Promise<void>>(Promise.resolve());
  const timer = useRef<number | undefined>(undefined);
  const callbacks = useRef({ onSaved, onRefused });
  callbacks.current = { onSaved, onRefused };
  const [status, setStatus] = useState<AutosaveStatus>('idle');
  const [error, setError] = useState<string | null>(null);

  const sendPending = useCallback(async () => {
    if (pending.current.size === 0) return;
    const batch = [...pending.current];
    setStatus('saving');
    try {
      let summary: RaterStudySummary | undefined;
      for (let i = 0; i < batch.length; i += BATCH_LIMIT) {
        const ratings = batch.slice(i, i + BATCH_LIMIT).map(([itemVersionId, probability]) => ({ itemVersionId, probability }));
        summary = await saveRatings(studyId, ratings);
      }
      for (const [id, probability] of batch) if (pending.current.get(id) === probability) pending.current.delete(id);
      setError(null);
      setStatus(pending.current.size ? 'saving' : 'saved');
      if (summary) callbacks.current.onSaved(summary);
    } catch (e) {
      setError((e as Error).message);
      setStatus('failed');
      // 409: the round closed while this rater was rating; nothing more can be saved.
      if ((e as { statusCode?: number }).statusCode === 409) {
        pending.current.clear();
        callbacks.current.onRefused();
      }
    }
  }, [studyId]);

  const flush = useCallback(() => {
    window.clearTimeout(timer.current);
    chain.current = chain.current.then(sendPending);
    return chain.current;
  }, [sendPending]);

  const change = useCallback(
    (itemVersionId: string, probability: number) => {
      pending.current.set(itemVersionId, probability);
      setStatus('saving');
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => void flush(), DEBOUNCE_MS);
    },
    [flush],
  );

  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (pending.current.size) event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => {
      window.removeEventListener('beforeunload', warn);
      // Leaving the page (another route) still sends what was typed.
      void flush();
    };
  }, [flush]);

  return { status, error, change, flush };
}
