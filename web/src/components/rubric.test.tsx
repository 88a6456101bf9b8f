import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { describeDraft } from '../lib/use-autosave';
import { DraftProgress, RubricLevels, RubricNote } from './rubric';

const LEVELS = [
  { score: 0, label: 'Not met', description: 'No credible evidence.' },
  { score: 1, label: 'Partly met', description: 'Thin evidence.' },
];

describe('the shared rubric pieces', () => {
  it('makes a score one radio group named for its code, each level with its words, the first level the error target', () => {
    const html = renderToStaticMarkup(<RubricLevels code="D01" levels={LEVELS} value={1} onChange={() => {}} />);
    expect(html).toContain('<legend>Score for D01</legend>');
    expect(html.match(/name="score-D01"/g)).toHaveLength(2);
    expect(html).toContain('id="score-D01-0"');
    expect(html).toMatch(/id="score-D01-1"[^>]*checked=""|checked=""[^>]*id="score-D01-1"/);
    expect(html).toContain('aria-describedby="level-D01-0"');
    expect(html).toContain('<span class="hint" id="level-D01-0">No credible evidence.</span>');
    expect(html).not.toContain('field-invalid');
  });

  it('ties an error to its control in words, not colour alone', () => {
    const levels = renderToStaticMarkup(
      <RubricLevels code="D01" levels={LEVELS} value={null} onChange={() => {}} error="Choose a score" />,
    );
    expect(levels).toContain('class="field-invalid" aria-describedby="score-D01-error"');
    expect(levels).toContain('<span class="visually-hidden">Error: </span>Choose a score');
    const note = renderToStaticMarkup(
      <RubricNote code="D01" label="Notes on D01" value="" onChange={() => {}} error="Too long" maxLength={4000} />,
    );
    expect(note).toContain('<label for="note-D01">Notes on D01</label>');
    expect(note).toMatch(/aria-invalid="true"/);
    expect(note).toContain('aria-describedby="note-D01-error"');
    expect(note).toContain('maxLength="4000"');
  });

  it('says progress and the draft in one polite status line', () => {
    const html = renderToStaticMarkup(<DraftProgress done={3} total={8} status="idle" />);
    expect(html).toContain('role="status"');
    expect(html).toContain('aria-live="polite"');
    expect(html).toContain('3 of 8 scored · Nothing scored yet');
    expect(describeDraft('saving', undefined)).toBe('Saving the draft…');
    expect(describeDraft('failed', '2026-12-03T09:00:00Z')).toMatch(/not saved/);
    expect(describeDraft('saved', '2026-12-03T09:05:00Z')).toMatch(/^Draft saved at \d{2}:\d{2}/);
  });
});
