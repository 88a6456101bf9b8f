import type { Key, ReactNode } from 'react';
import { DataTable } from './data-table';

/** One point of a scoring scale, e.g. `{ score: 2, label: 'Met' }`. */
export interface ScalePoint {
  score: number;
  label: string;
}

/** What a scorer has entered for one row: nothing yet, a score, a note, or both. */
export interface RowScore {
  score?: number;
  note?: string;
}

export type ScoreSheetValue<K extends string> = Partial<Record<K, RowScore>>;

export interface ScoreSheetRow<K extends string> {
  /** The criterion or domain code: the row's legend and the stem of its controls' ids. */
  key: K;
  /** Shown inside the row's group above the scale, e.g. the candidate's evidence for the criterion. */
  content?: ReactNode;
}

/** One scorer's submitted sheet, shown as a column of the read-only table. */
export interface ScoreSheetColumn<K extends string> {
  key: Key;
  header: ReactNode;
  value: ScoreSheetValue<K>;
}

interface EditableProps<K extends string> {
  readOnly?: false;
  rows: ReadonlyArray<ScoreSheetRow<K>>;
  scale: readonly ScalePoint[];
  /** `select` for a long list of rows scored at a glance; `radio` shows every point of the scale with its label. */
  control: 'select' | 'radio';
  /** The note's label, in the caller's words ("Comment on D04.2", "Notes on D04"). */
  noteLabel: (key: K) => string;
  value: ScoreSheetValue<K>;
  onChange: (value: ScoreSheetValue<K>) => void;
}

interface ReadOnlyProps<K extends string> {
  readOnly: true;
  rows: ReadonlyArray<ScoreSheetRow<K>>;
  caption: ReactNode;
  /** Heading of the column that names the rows ("Domain", "Criterion"). */
  rowHeader: ReactNode;
  columns: ReadonlyArray<ScoreSheetColumn<K>>;
}

export type ScoreSheetProps<K extends string> = EditableProps<K> | ReadOnlyProps<K>;

/**
 * Scoring a set of criteria or domains against a scale, with a note per row: a group per row, named by its code,
 * whose score control is labelled "Score for <code>". Read-only, it is a table with one column per scorer.
 * Ids are `score-<code>`, `score-<code>-<score>` (radio) and `note-<code>`, so a page holds one editable sheet.
 */
export function ScoreSheet<K extends string>(props: ScoreSheetProps<K>) {
  if (props.readOnly) return <ScoreTable {...props} />;
  const { rows, value, onChange } = props;
  const update = (key: K, change: RowScore) => onChange({ ...value, [key]: { ...value[key], ...change } });
  return (
    <>
      {rows.map((row) => (
        <fieldset key={row.key} className="criterion">
          <legend>{row.key}</legend>
          {row.content}
          <ScaleControl
            rowKey={row.key}
            scale={props.scale}
            control={props.control}
            score={value[row.key]?.score}
            onScore={(score) => update(row.key, { score })}
          />
          <label htmlFor={`note-${row.key}`}>{props.noteLabel(row.key)}</label>
          <textarea
            id={`note-${row.key}`}
            rows={2}
            value={value[row.key]?.note ?? ''}
            onChange={(e) => update(row.key, { note: e.target.value })}
          />
        </fieldset>
      ))}
    </>
  );
}

interface ScaleControlProps {
  rowKey: string;
  scale: readonly ScalePoint[];
  control: 'select' | 'radio';
  score: number | undefined;
  onScore: (score: number | undefined) => void;
}

function ScaleControl({ rowKey, scale, control, score, onScore }: ScaleControlProps) {
  const id = `score-${rowKey}`;
  if (control === 'select') {
    return (
      <>
        <label htmlFor={id}>Score for {rowKey}</label>
        <select id={id} value={score ?? ''} onChange={(e) => onScore(e.target.value === '' ? undefined : Number(e.target.value))}>
          <option value="">Choose…</option>
          {scale.map((point) => (
            <option key={point.score} value={point.score}>
              {point.label ? `${point.score} — ${point.label}` : point.score}
            </option>
          ))}
        </select>
      </>
    );
  }
  // One name per row: the browser moves the choice with the arrow keys within the row and Tab leaves it.
  return (
    <div role="radiogroup" aria-labelledby={`${id}-label`}>
      <span id={`${id}-label`} className="visually-hidden">
        Score for {rowKey}
      </span>
      {scale.map((point) => (
        <div className="checkbox" key={point.score}>
          <input type="radio" name={id} id={`${id}-${point.score}`} checked={score === point.score} onChange={() => onScore(point.score)} />
          <label htmlFor={`${id}-${point.score}`}>{point.label ? `${point.score} ${point.label}` : point.score}</label>
        </div>
      ))}
    </div>
  );
}

function ScoreTable<K extends string>({ rows, caption, rowHeader, columns }: ReadOnlyProps<K>) {
  return (
    <DataTable
      caption={caption}
      rows={rows}
      rowKey={(row) => row.key}
      empty="No scores yet."
      columns={[
        { header: rowHeader, rowHeader: true, cell: (row) => row.key },
        ...columns.map((column) => ({
          header: column.header,
          cell: (row: ScoreSheetRow<K>) => formatScore(column.value[row.key]),
        })),
      ]}
    />
  );
}

function formatScore(entry: RowScore | undefined) {
  if (!entry) return '—';
  return `${entry.score ?? '—'}${entry.note ? ` — ${entry.note}` : ''}`;
}
