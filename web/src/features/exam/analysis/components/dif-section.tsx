import { useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { Alert } from '../../../../components/alert';
import { FormField } from '../../../../components/form-field';
import type { CandidateAttribute, ItemAnalysis, WindowKey } from '../api/analysis';
import { type DifAnalysis, type DifItem, type DifQuery, downloadDifCsv, useDif } from '../api/dif';
import { decimal, DASH } from '../lib/format';
import { LazyDetails } from './lazy-details';

type Comparison = Omit<DifQuery, 'window'>;
type DifForm = { attribute: string; reference: string; focal: string; minGroup: number };

const CATEGORY_WORDS: Record<string, string> = {
  C: 'C: large, review the item before it is used again',
  B: 'B: moderate, review the item',
  A: 'A: negligible',
};
const CATEGORY_ORDER: Record<string, number> = { C: 0, B: 1, A: 2 };

const pValue = (p: number | null) => (p === null ? DASH : p < 0.001 ? '< 0.001' : p.toFixed(3));

/** Differential item functioning: do candidates of equal ability in two declared groups find an item equally hard? */
export function DifSection({
  windowKey,
  attributes,
  items,
  itemHref,
}: {
  windowKey: WindowKey;
  attributes: CandidateAttribute[];
  items: ItemAnalysis[];
  itemHref: (versionId: string) => string;
}) {
  const id = useId();
  const first = attributes[0];
  const valuesOf = (name: string) => Object.keys(attributes.find((a) => a.name === name)?.values ?? {});
  const form = useForm<DifForm>({
    defaultValues: {
      attribute: first?.name ?? '',
      reference: valuesOf(first?.name)[0] ?? '',
      focal: valuesOf(first?.name)[1] ?? '',
      minGroup: 100,
    },
  });
  const attribute = form.watch('attribute');
  // A new attribute has other values: start from its first two groups (the group selects remount, keyed by attribute).
  const resetGroups = (name: string) => {
    const values = valuesOf(name);
    form.setValue('reference', values[0] ?? '');
    form.setValue('focal', values[1] ?? '');
  };

  const [comparison, setComparison] = useState<Comparison | null>(null);
  const query = comparison && { ...comparison, window: windowKey };
  const dif = useDif(query);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const chosen = attributes.find((a) => a.name === attribute);
  // The results are labelled by the attribute they were computed for, not by the form as it is being edited.
  const compared = attributes.find((a) => a.name === dif.data?.attribute);
  const errors = form.formState.errors;

  return (
    <section aria-labelledby="analysis-dif-heading">
      <h2 id="analysis-dif-heading">Fairness: differential item functioning (DIF)</h2>
      <p>
        Candidates may declare a few things about themselves, optionally. Mantel–Haenszel compares candidates of the same total score in two
        groups, so a difference on an item points at the item, not at the groups' ability. ETS category C items need review first, then B.
      </p>
      <form
        className="analysis-dif-form"
        noValidate
        onSubmit={form.handleSubmit((v) =>
          setComparison({
            attribute: v.attribute as Comparison['attribute'],
            reference: v.reference,
            focal: v.focal,
            minGroup: v.minGroup,
          }),
        )}
      >
        <div className="field">
          <label htmlFor={`${id}-attribute`}>Candidate attribute</label>
          <select id={`${id}-attribute`} {...form.register('attribute', { onChange: (e) => resetGroups(e.target.value) })}>
            {attributes.map((a) => (
              <option key={a.name} value={a.name}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-reference`}>Reference group</label>
          <select key={attribute} id={`${id}-reference`} {...form.register('reference')}>
            {Object.entries(chosen?.values ?? {}).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-focal`}>Focal group</label>
          <select
            key={attribute}
            id={`${id}-focal`}
            aria-invalid={errors.focal ? true : undefined}
            aria-describedby={errors.focal ? `${id}-focal-error` : undefined}
            {...form.register('focal', {
              validate: (v, all) => v !== all.reference || 'Choose a focal group different from the reference group',
            })}
          >
            {Object.entries(chosen?.values ?? {}).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          {errors.focal && (
            <p className="field-error" id={`${id}-focal-error`}>
              {errors.focal.message}
            </p>
          )}
        </div>
        <FormField
          label="Candidates needed per group"
          hint="On each item, in each group, before it is compared (20 to 10000; 100 is the usual minimum)."
          type="number"
          inputMode="numeric"
          error={errors.minGroup?.message}
          {...form.register('minGroup', {
            valueAsNumber: true,
            required: 'Enter a number of candidates',
            min: { value: 20, message: 'At least 20' },
            max: { value: 10_000, message: 'At most 10000' },
          })}
        />
        <div>
          <button type="submit">Compare the groups</button>
        </div>
      </form>
      <p role="status">{dif.isFetching ? 'Comparing the groups…' : ''}</p>
      {dif.error && <Alert>{dif.error.message}</Alert>}
      {dif.data && query && compared && (
        <>
          <DifResults dif={dif.data} attribute={compared} items={items} itemHref={itemHref} />
          {downloadError && <Alert>{downloadError}</Alert>}
          <p>
            <button
              type="button"
              className="button-secondary"
              onClick={() =>
                downloadDifCsv(query).then(
                  () => setDownloadError(null),
                  (e: Error) => setDownloadError(e.message),
                )
              }
            >
              Download the DIF table (CSV)
            </button>
          </p>
        </>
      )}
    </section>
  );
}

function DifResults({
  dif,
  attribute,
  items,
  itemHref,
}: {
  dif: DifAnalysis;
  attribute: CandidateAttribute;
  items: ItemAnalysis[];
  itemHref: (versionId: string) => string;
}) {
  const reference = attribute.values[dif.reference] ?? dif.reference;
  const focal = attribute.values[dif.focal] ?? dif.focal;
  const domainOf = new Map(items.map((i) => [i.versionId, i.domain]));
  const compared = dif.items
    .filter((i) => i.category !== null)
    .sort((a, b) => CATEGORY_ORDER[a.category!] - CATEGORY_ORDER[b.category!] || Math.abs(b.deltaMH ?? 0) - Math.abs(a.deltaMH ?? 0));
  const notCompared = dif.items.filter((i) => i.category === null);
  const needs = `needs at least ${dif.minGroup} candidates per group`;
  const favours = (i: DifItem) => (i.deltaMH === null || i.deltaMH === 0 ? DASH : i.deltaMH < 0 ? reference : focal);
  const count = (c: string) => compared.filter((i) => i.category === c).length;

  return (
    <div className="analysis-dif-results">
      <h3>
        {attribute.label}: {reference} (reference) and {focal} (focal)
      </h3>
      <ul>
        <li>
          Reference group, {reference}: {dif.referenceCandidates} {dif.referenceCandidates === 1 ? 'attempt' : 'attempts'}
        </li>
        <li>
          Focal group, {focal}: {dif.focalCandidates} {dif.focalCandidates === 1 ? 'attempt' : 'attempts'}
        </li>
        <li>
          {dif.analysedItems} of {dif.items.length} items compared: {count('C')} in category C, {count('B')} in B, {count('A')} in A.
        </li>
      </ul>
      {dif.analysedItems === 0 ? (
        <Alert kind="info">
          No item could be compared yet: Mantel–Haenszel {needs} on the item (here at most{' '}
          {Math.max(0, ...dif.items.map((i) => i.nReference))} {reference} and {Math.max(0, ...dif.items.map((i) => i.nFocal))} {focal}{' '}
          candidates sat any one item). Lower the number needed only for a first look; small groups give unstable results.
        </Alert>
      ) : (
        <div className="analysis-table-scroll">
          <table>
            <caption>
              Items compared, category C and B first. A negative MH D-DIF means the item is harder for the focal group ({focal}).
            </caption>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Domain</th>
                <th scope="col">ETS category</th>
                <th scope="col">MH D-DIF</th>
                <th scope="col">Favours</th>
                <th scope="col">
                  Candidates ({reference} / {focal})
                </th>
                <th scope="col">p-value</th>
              </tr>
            </thead>
            <tbody>
              {compared.map((i) => (
                <tr key={i.versionId}>
                  <th scope="row">
                    <Link to={itemHref(i.versionId)}>{i.itemId}</Link>
                  </th>
                  <td>{domainOf.get(i.versionId) ?? DASH}</td>
                  <td>
                    <span className={`analysis-dif-${i.category}`}>{CATEGORY_WORDS[i.category!]}</span>
                  </td>
                  <td>{decimal(i.deltaMH)}</td>
                  <td>{favours(i)}</td>
                  <td>
                    {i.nReference} / {i.nFocal}
                  </td>
                  <td>{pValue(i.pValue)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {notCompared.length > 0 && (
        <LazyDetails
          summary={
            <>
              Items not compared ({notCompared.length}): each {needs}
            </>
          }
        >
          <div className="analysis-table-scroll">
            <table className="analysis-compact">
              <caption>Items not compared, with the candidates each group had on them</caption>
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">{reference}</th>
                  <th scope="col">{focal}</th>
                  <th scope="col">Why not</th>
                </tr>
              </thead>
              <tbody>
                {notCompared.map((i) => (
                  <tr key={i.versionId}>
                    <th scope="row">{i.itemId}</th>
                    <td>{i.nReference}</td>
                    <td>{i.nFocal}</td>
                    <td>{needs}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </LazyDetails>
      )}
    </div>
  );
}
