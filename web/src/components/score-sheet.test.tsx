import { Fragment, isValidElement, type ReactElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { ScoreSheet, type ScoreSheetProps, type ScoreSheetValue } from './score-sheet';

// The SPA's unit tests run without a DOM, so a sheet is rendered to its tree of host elements (the sheet and its
// parts are hook-free function components) and the handlers a browser would call are called on that tree.
interface HostElement {
  type: string;
  props: Record<string, any>;
  children: TreeNode[];
}
type TreeNode = HostElement | string;

function expand(node: ReactNode): TreeNode[] {
  if (node === null || node === undefined || typeof node === 'boolean') return [];
  if (typeof node === 'string' || typeof node === 'number') return [String(node)];
  if (Array.isArray(node)) return node.flatMap(expand);
  if (!isValidElement(node)) throw new Error(`cannot render ${String(node)}`);
  const { type, props } = node as ReactElement<Record<string, any>>;
  if (type === Fragment) return expand(props.children);
  if (typeof type === 'function') return expand((type as (p: unknown) => ReactNode)(props));
  return [{ type: type as string, props, children: expand(props.children) }];
}

const elements = (nodes: TreeNode[]): HostElement[] => nodes.flatMap((n) => (typeof n === 'string' ? [] : [n, ...elements(n.children)]));
const text = (n: TreeNode): string => (typeof n === 'string' ? n : n.children.map(text).join(''));

function render<K extends string>(props: ScoreSheetProps<K>) {
  const all = elements(expand(<ScoreSheet {...props} />));
  const byId = (id: string) => {
    const found = all.find((e) => e.props.id === id);
    if (!found) throw new Error(`no element #${id}`);
    return found;
  };
  /** The control a label names, as `getByLabelText` finds it. */
  const byLabel = (label: string) => {
    const l = all.find((e) => e.type === 'label' && text(e) === label);
    if (!l) throw new Error(`no label "${label}"`);
    return byId(l.props.htmlFor);
  };
  return { all, byId, byLabel };
}

const SCALE = ['not evidenced', 'partially', 'met', 'exemplary'].map((label, score) => ({ score, label }));
const CRITERIA = [{ key: 'D01.1', content: <p>Our threat model, reviewed quarterly.</p> }, { key: 'D01.2' }];
const DOMAINS = [{ key: 'D01' }, { key: 'D02' }];
const PANEL_SCALE = [
  { score: 2, label: 'Met' },
  { score: 3, label: 'Exceeded' },
];

function selectSheet(value: ScoreSheetValue<string> = {}, onChange = vi.fn()) {
  return {
    control: 'select',
    scale: SCALE,
    rows: CRITERIA,
    noteLabel: (c: string) => `Comment on ${c}`,
    value,
    onChange,
  } as const;
}

function radioSheet(value: ScoreSheetValue<string> = {}, onChange = vi.fn()) {
  return { control: 'radio', scale: PANEL_SCALE, rows: DOMAINS, noteLabel: (d: string) => `Notes on ${d}`, value, onChange } as const;
}

describe('ScoreSheet', () => {
  it('groups each row in a fieldset named by its code, with the caller’s content above a labelled select and note', () => {
    const html = renderToStaticMarkup(<ScoreSheet {...selectSheet()} />);
    expect(html).toContain(
      '<fieldset class="criterion"><legend>D01.1</legend><p>Our threat model, reviewed quarterly.</p>' +
        '<label for="score-D01.1">Score for D01.1</label><select id="score-D01.1">',
    );
    expect(html).toContain('<option value="" selected="">Choose…</option><option value="0">0 — not evidenced</option>');
    expect(html).toContain('<label for="note-D01.2">Comment on D01.2</label><textarea id="note-D01.2" rows="2"></textarea></fieldset>');
    const { byLabel } = render(selectSheet());
    expect(byLabel('Score for D01.2').type).toBe('select');
    expect(byLabel('Comment on D01.1').type).toBe('textarea');
  });

  it('offers the scale as radios labelled "<score> <label>" in a radio group named "Score for <code>"', () => {
    const { all, byLabel } = render(radioSheet({ D02: { score: 3 } }));
    expect(byLabel('2 Met').props).toMatchObject({ type: 'radio', id: 'score-D01-2', checked: false });
    expect(all.find((e) => e.props.id === 'score-D02-3')?.props.checked).toBe(true);
    const group = all.find((e) => e.props.role === 'radiogroup')!;
    expect(text(all.find((e) => e.props.id === group.props['aria-labelledby'])!)).toBe('Score for D01');
    expect(byLabel('Notes on D02').type).toBe('textarea');
    expect(all.filter((e) => e.type === 'legend').map(text)).toEqual(['D01', 'D02']);
  });

  it('reports a chosen score as a number, keeping the row’s note and the other rows', () => {
    const onChange = vi.fn();
    const value = { 'D01.1': { score: 1 }, 'D01.2': { note: 'Thin evidence' } };
    render(selectSheet(value, onChange))
      .byLabel('Score for D01.2')
      .props.onChange({ target: { value: '2' } });
    expect(onChange).toHaveBeenLastCalledWith({ 'D01.1': { score: 1 }, 'D01.2': { note: 'Thin evidence', score: 2 } });
    render(selectSheet(value, onChange))
      .byLabel('Score for D01.1')
      .props.onChange({ target: { value: '' } });
    expect(onChange).toHaveBeenLastCalledWith({ ...value, 'D01.1': { score: undefined } });
  });

  it('reports a radio choice and a typed note for the row they belong to', () => {
    const onChange = vi.fn();
    const sheet = render(radioSheet({ D01: { score: 2 } }, onChange));
    sheet.byId('score-D02-3').props.onChange();
    expect(onChange).toHaveBeenLastCalledWith({ D01: { score: 2 }, D02: { score: 3 } });
    sheet.byLabel('Notes on D01').props.onChange({ target: { value: 'Clear account of the defences.' } });
    expect(onChange).toHaveBeenLastCalledWith({ D01: { score: 2, note: 'Clear account of the defences.' } });
  });

  it('shows submitted scores read-only as a table with a column per scorer, and no controls', () => {
    const html = renderToStaticMarkup(
      <ScoreSheet
        readOnly
        caption="Your scores and the other assessors' scores"
        rowHeader="Domain"
        rows={DOMAINS}
        columns={[
          { key: 'me', header: 'You', value: { D01: { score: 2, note: 'Solid' }, D02: { score: 3, note: '' } } },
          { key: 'a2', header: 'Assessor Two', value: { D01: { score: 1 } } },
        ]}
      />,
    );
    expect(html).toContain('<caption>Your scores and the other assessors&#x27; scores</caption>');
    expect(html).toContain('<th scope="col">Domain</th><th scope="col">You</th><th scope="col">Assessor Two</th>');
    expect(html).toContain('<tr><th scope="row">D01</th><td>2 — Solid</td><td>1</td></tr>');
    expect(html).toContain('<tr><th scope="row">D02</th><td>3</td><td>—</td></tr>');
    expect(html).not.toMatch(/<(input|select|textarea|button)/);
  });

  it('uses only native controls that the keyboard reaches, one radio name per row so arrows stay within the row', () => {
    for (const sheet of [render(selectSheet()), render(radioSheet())]) {
      const controls = sheet.all.filter((e) => ['input', 'select', 'textarea'].includes(e.type));
      expect(controls.length).toBeGreaterThan(0);
      for (const c of controls) {
        expect(c.props.disabled).toBeFalsy();
        expect(c.props.tabIndex === undefined || c.props.tabIndex >= 0).toBe(true);
      }
    }
    const radios = render(radioSheet()).all.filter((e) => e.props.type === 'radio');
    expect(radios.map((r) => r.props.name)).toEqual(['score-D01', 'score-D01', 'score-D02', 'score-D02']);
  });
});
