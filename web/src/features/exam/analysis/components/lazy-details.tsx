import { type ReactNode, useState } from 'react';

/**
 * A disclosure whose content is only rendered while it is open: the analysis has long data tables
 * behind every chart, and keeping hundreds of hidden rows in the page slows every interaction.
 */
export function LazyDetails({ summary, children }: { summary: ReactNode; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{summary}</summary>
      {open && children}
    </details>
  );
}
