import { useCallback, useEffect, useRef, useState } from 'react';

export type AutosaveStatus = 'idle' | 'saving' | 'saved' | 'failed';

const RETRY_MS = 10_000;

/**
 * Keeps a form's work in progress on the server: `touch()` marks a change of `value` as the user's own (loading a
 * draft is not), and the value is saved `delayMs` after the last change. Saves go one after another, so an older one
 * can never land after a newer one; a failed save is tried again with the next change or after 10 s. `stop()` ends
 * autosaving (the form was submitted: the server discards the draft and would refuse another).
 */
export function useAutosave<T>(value: T, save: (value: T) => Promise<{ updatedAt: string }>, savedAt?: string, delayMs = 800) {
  const [state, setState] = useState<{ status: AutosaveStatus; at?: string }>({ status: savedAt ? 'saved' : 'idle', at: savedAt });
  const [retries, setRetries] = useState(0);
  const dirty = useRef(false);
  const stopped = useRef(false);
  const timer = useRef<number | undefined>(undefined);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const saveRef = useRef(save);
  useEffect(() => {
    saveRef.current = save;
  }, [save]);

  useEffect(() => {
    if (!dirty.current || stopped.current) return;
    window.clearTimeout(timer.current);
    const run = async () => {
      if (stopped.current) return;
      setState((s) => ({ ...s, status: 'saving' }));
      try {
        const saved = await saveRef.current(value);
        if (!stopped.current) setState({ status: 'saved', at: saved.updatedAt });
      } catch {
        if (stopped.current) return;
        setState((s) => ({ ...s, status: 'failed' }));
        timer.current = window.setTimeout(() => setRetries((n) => n + 1), RETRY_MS);
      }
    };
    timer.current = window.setTimeout(() => {
      queue.current = queue.current.then(run);
    }, delayMs);
    return () => window.clearTimeout(timer.current);
  }, [value, retries, delayMs]);

  useEffect(() => () => window.clearTimeout(timer.current), []);

  const touch = useCallback(() => {
    dirty.current = true;
  }, []);
  const stop = useCallback(() => {
    stopped.current = true;
    window.clearTimeout(timer.current);
  }, []);
  const resume = useCallback(() => {
    stopped.current = false;
  }, []);
  return { ...state, touch, stop, resume };
}

/** "Draft saved at 10:42", or what is happening to the draft, in words. */
export function describeDraft(status: AutosaveStatus, at: string | undefined, nothingYet = 'Nothing scored yet'): string {
  if (status === 'saving') return 'Saving the draft…';
  if (status === 'failed') return 'The draft is not saved: it stays in this page and is tried again';
  if (at) return `Draft saved at ${new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}`;
  return nothingYet;
}
