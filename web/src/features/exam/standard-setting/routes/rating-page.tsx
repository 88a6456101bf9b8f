import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Alert } from '../../../../components/alert';
import { Page } from '../../../../components/page';
import { MY_STUDIES_KEY, RATER_STUDIES_KEY, type RatedItem, type RaterStudy, useRaterStudy } from '../api/rater-studies';
import { SaveStatus } from '../components/save-status';
import { formatProbability } from '../lib/format';
import { useRatingAutosave } from '../lib/rating-autosave';

const PAGE_SIZE = 10;
const LETTERS = 'ABCDEFGHIJ';

export function RatingPage() {
  const { studyId = '' } = useParams();
  const study = useRaterStudy(studyId);
  return (
    <Page title={study.data ? `Rate the items: ${study.data.title}` : 'Rate the items'}>
      <p>
        <Link to="/reviewer">Reviews</Link>
      </p>
      {study.error && <Alert>{study.error.message}</Alert>}
      {study.isPending && <p role="status">Loading the items…</p>}
      {/* A new round starts from fresh figures, so the ratings being edited start again from the server's. */}
      {study.data && <Rating key={`${study.data.id}-${study.data.round}`} study={study.data} />}
    </Page>
  );
}

/** Whole or one-decimal percentages from 0 to 100 (the API keeps three decimals of the probability). */
function parsePercent(text: string): number | null {
  if (!/^\d{1,3}([.,]\d)?$/.test(text.trim())) return null;
  const value = Number(text.trim().replace(',', '.'));
  return value <= 100 ? value : null;
}
const toText = (probability: number | null | undefined) =>
  probability === null || probability === undefined ? '' : String(Math.round(probability * 1000) / 10);

function Rating({ study }: { study: RaterStudy }) {
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [values, setValues] = useState(() => new Map(study.itemsToRate.map((i) => [i.itemVersionId, toText(i.rating)])));
  const [rated, setRated] = useState(study.rated);
  const [refused, setRefused] = useState(false);
  const autosave = useRatingAutosave(study.id, {
    onSaved: (summary) => {
      setRated(summary.rated);
      void qc.invalidateQueries({ queryKey: MY_STUDIES_KEY });
    },
    onRefused: () => {
      setRefused(true);
      void qc.invalidateQueries({ queryKey: RATER_STUDIES_KEY });
    },
  });

  const domains = useMemo(() => [...new Set(study.itemsToRate.map((i) => i.domain))].sort(), [study.itemsToRate]);
  const domain = params.get('domain') ?? '';
  const shown = domain ? study.itemsToRate.filter((i) => i.domain === domain) : study.itemsToRate;
  const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
  const page = Math.min(Math.max(Number(params.get('page')) || 1, 1), pages);
  const onPage = shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);

  // After choosing another page or domain, the keyboard continues at the top of the new list.
  const listHeading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);
  useEffect(() => {
    if (moved.current) listHeading.current?.focus();
    moved.current = false;
  }, [page, domain]);
  const go = (next: { page?: number; domain?: string }) => {
    moved.current = true;
    const p = new URLSearchParams(params);
    if (next.domain !== undefined) {
      if (next.domain) p.set('domain', next.domain);
      else p.delete('domain');
      p.delete('page');
    }
    if (next.page !== undefined) p.set('page', String(next.page));
    void autosave.flush();
    setParams(p);
  };

  const readOnly = study.round === null;
  const onChange = (item: RatedItem, text: string) => {
    setValues((v) => new Map(v).set(item.itemVersionId, text));
    const percent = parsePercent(text);
    if (percent !== null) autosave.change(item.itemVersionId, Math.round(percent * 10) / 1000);
  };

  return (
    <>
      {readOnly ? (
        <Alert kind="info">{closedMessage(study.status)}</Alert>
      ) : (
        <>
          <p>
            For every item, estimate the percentage of <strong>minimally competent candidates</strong> (those who only just deserve to pass)
            who would answer it correctly. Your ratings are saved as you go.
          </p>
          {study.round === 2 && (
            <p>
              Round 2 is open. Your round-1 ratings are carried over: compare each with the panel’s round-1 mean and with how candidates
              did, and change the ones you now judge differently.
            </p>
          )}
        </>
      )}
      {refused && <Alert>{autosave.error}</Alert>}

      {!readOnly && (
        <div className="angoff-bar">
          <p className="angoff-progress">
            Round {study.round}: <strong>{rated}</strong> of {study.items} rated
          </p>
          <SaveStatus status={autosave.status} />
          {autosave.status === 'failed' && !refused && (
            <button type="button" className="button-secondary" onClick={() => void autosave.flush()}>
              Retry saving
            </button>
          )}
        </div>
      )}

      <div className="filters">
        <div className="field">
          <label htmlFor="angoff-domain">Domain</label>
          <select id="angoff-domain" value={domain} onChange={(e) => go({ domain: e.target.value })}>
            <option value="">All domains ({study.itemsToRate.length} items)</option>
            {domains.map((d) => (
              <option key={d} value={d}>
                {d} ({study.itemsToRate.filter((i) => i.domain === d).length} items)
              </option>
            ))}
          </select>
        </div>
      </div>

      <h2 ref={listHeading} tabIndex={-1}>
        Items {shown.length ? (page - 1) * PAGE_SIZE + 1 : 0}–{Math.min(page * PAGE_SIZE, shown.length)} of {shown.length}
        {domain ? ` in ${domain}` : ''}
      </h2>
      <ol className="angoff-items">
        {onPage.map((item) => (
          <ItemCard
            key={item.itemVersionId}
            item={item}
            round={study.round}
            value={values.get(item.itemVersionId) ?? ''}
            onChange={(text) => onChange(item, text)}
            onBlur={() => void autosave.flush()}
          />
        ))}
      </ol>
      <nav className="angoff-pager" aria-label="Pages of items">
        <button type="button" className="button-secondary" disabled={page <= 1} onClick={() => go({ page: page - 1 })}>
          Previous page
        </button>
        <span>
          Page {page} of {pages}
        </span>
        <button type="button" className="button-secondary" disabled={page >= pages} onClick={() => go({ page: page + 1 })}>
          Next page
        </button>
      </nav>
    </>
  );
}

function closedMessage(status: RaterStudy['status']): string {
  if (status === 'cancelled') return 'This study was cancelled. Thank you for your ratings; they can no longer change.';
  if (status === 'adopted') return 'This study is over and its cut has been adopted. Thank you; the ratings can no longer change.';
  return 'This study is closed and its cut has been computed. Thank you; the ratings can no longer change.';
}

function ItemCard({
  item,
  round,
  value,
  onChange,
  onBlur,
}: {
  item: RatedItem;
  round: number | null;
  value: string;
  onChange: (text: string) => void;
  onBlur: () => void;
}) {
  const id = `angoff-item-${item.position}`;
  const invalid = value.trim() !== '' && parsePercent(value) === null;
  return (
    <li className="angoff-item">
      <article aria-labelledby={`${id}-title`}>
        <h3 id={`${id}-title`}>Item {item.position}</h3>
        <p className="angoff-criterion">
          <span className="domain-tag">
            {item.domain} · difficulty: {item.difficulty}
          </span>
          <strong>{item.criterion}</strong> {item.criterionText}
        </p>
        <p className="stem">{item.stem}</p>
        <ol className="angoff-options">
          {item.options.map((o, n) => (
            <li key={n} className={o.key ? 'angoff-key' : undefined}>
              <span className="option-letter">{LETTERS[n]}</span>
              {o.text}
              {o.key && (
                <strong className="angoff-key-tag">
                  {' '}
                  <span aria-hidden="true">✓ </span>(key)
                </strong>
              )}
            </li>
          ))}
        </ol>
        {round === 2 && (
          <dl className="meta angoff-feedback">
            <dt>Your round-1 rating</dt>
            <dd>{formatProbability(item.round1Rating)}</dd>
            <dt>Panel’s round-1 mean</dt>
            <dd>{formatProbability(item.panelRound1Mean)}</dd>
            <dt>Candidates answering correctly (p)</dt>
            <dd>
              {item.statistics?.facility === null || item.statistics?.facility === undefined
                ? 'no data yet'
                : `${formatProbability(item.statistics.facility)} of ${item.statistics.n} candidates`}
            </dd>
            <dt>Discrimination (r)</dt>
            <dd>
              {item.statistics?.pointBiserial === null || item.statistics?.pointBiserial === undefined
                ? 'no data yet'
                : item.statistics.pointBiserial.toFixed(2)}
            </dd>
          </dl>
        )}
        {round !== null && (
          <div className="field angoff-rating">
            <label htmlFor={`${id}-rating`}>
              Minimally competent candidates who answer correctly (%)<span className="visually-hidden">, item {item.position}</span>
            </label>
            <input
              id={`${id}-rating`}
              type="number"
              inputMode="decimal"
              min={0}
              max={100}
              step={5}
              value={value}
              aria-invalid={invalid ? true : undefined}
              aria-describedby={invalid ? `${id}-error` : undefined}
              onChange={(e) => onChange(e.target.value)}
              onBlur={onBlur}
            />
            {invalid && (
              <p className="field-error" id={`${id}-error`}>
                Enter a number from 0 to 100 (at most one decimal). This rating is not saved.
              </p>
            )}
          </div>
        )}
      </article>
    </li>
  );
}
