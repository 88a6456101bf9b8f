import { useId } from 'react';
import type { ExamWindow, WindowKey } from '../api/analysis';
import { windowLabel } from '../lib/format';

/** Which attempts the analysis covers: the window in force, all of them together, or one window. */
export function WindowPicker({
  value,
  windows,
  onChange,
}: {
  value: WindowKey;
  windows: ExamWindow[];
  onChange: (window: WindowKey) => void;
}) {
  const id = useId();
  const current = windows.find((w) => w.current);
  return (
    <div className="field analysis-window">
      <label htmlFor={id}>Exam window</label>
      <p className="hint" id={`${id}-hint`}>
        A new window starts whenever the pass mark changes; attempts are judged against their own window's pass mark.
      </p>
      <select id={id} aria-describedby={`${id}-hint`} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="current">Current window{current ? ` — ${windowLabel(current)}` : ''}</option>
        <option value="all">All windows together</option>
        {windows.map((w) => (
          <option key={w.id} value={w.id}>
            {windowLabel(w)}
            {w.current ? ' (current)' : ''}
          </option>
        ))}
      </select>
    </div>
  );
}
