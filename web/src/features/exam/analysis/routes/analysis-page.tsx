import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert } from '../../../../components/alert';
import { Page } from '../../../../components/page';
import { downloadItemsCsv, downloadScoresCsv, useExamAnalysis } from '../api/analysis';
import { useDomainTitles } from '../api/framework';
import { DifSection } from '../components/dif-section';
import { ItemDetails } from '../components/item-details';
import { ItemScatter } from '../components/item-scatter';
import { ItemsTable } from '../components/items-table';
import { PassMarkSummary } from '../components/pass-mark-summary';
import { ReliabilityFigures } from '../components/reliability-figures';
import { ScoreHistogram } from '../components/score-histogram';
import { WindowPicker } from '../components/window-picker';

/**
 * Item analysis and reliability of AIDA from real responses: the evidence that the exam measures
 * consistently and that each question works (ISO/IEC 17024 §9.3). The window and the item in view
 * live in the address, so a finding can be shared as a link.
 */
export function AnalysisPage() {
  const [params, setParams] = useSearchParams();
  const windowKey = params.get('window') ?? 'current';
  const itemParam = params.get('item');
  const analysis = useExamAnalysis(windowKey);
  const titles = useDomainTitles();
  const [downloadError, setDownloadError] = useState<string | null>(null);

  const search = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    return next;
  };
  const itemHref = (versionId: string) => `?${search({ item: versionId })}`;
  const openItem = (versionId: string) => setParams(search({ item: versionId }));
  const closeItem = () => {
    const versionId = itemParam;
    setParams(search({ item: null }));
    // Back to where the admin came from: the item's link in the table.
    requestAnimationFrame(() =>
      (document.getElementById(`analysis-item-link-${versionId}`) ?? document.getElementById('analysis-items-heading'))?.focus(),
    );
  };
  const download = (fn: () => Promise<void>) =>
    fn().then(
      () => setDownloadError(null),
      (e: Error) => setDownloadError(e.message),
    );

  const data = analysis.data;
  const item = itemParam ? data?.items.find((i) => i.versionId === itemParam) : undefined;

  return (
    <Page title="AIDA item analysis and reliability">
      <p>
        How reliable AIDA scores are, how each question performs, and whether any question works differently for groups of candidates of
        equal ability. Figures come from finished attempts, scored and pretest questions alike.
      </p>
      <ul className="analysis-links">
        <li>
          <Link to="/admin/exam">Exam settings: pass mark, time limit, pretest questions</Link>
        </li>
        <li>
          <Link to="/admin/exam/standard-setting">Standard setting: a cut score from a modified-Angoff study</Link>
        </li>
      </ul>
      {data && (
        <WindowPicker
          value={windowKey}
          windows={data.windows}
          onChange={(w) => setParams(search({ window: w === 'current' ? null : w }))}
        />
      )}
      <p role="status" className="analysis-loading">
        {analysis.isFetching ? 'Loading the analysis…' : ''}
      </p>
      {analysis.error && (
        <Alert>
          {analysis.error.message}. <Link to="/admin/exam/analysis">Show the current window</Link>
        </Alert>
      )}
      {data && (
        <>
          <PassMarkSummary window={data.window} windows={data.windows} />

          <section aria-labelledby="analysis-scores-heading">
            <h2 id="analysis-scores-heading">Scores and reliability</h2>
            {data.scores.n === 0 && (
              <Alert kind="info">No finished attempts in this window yet: the figures appear once candidates have sat the exam.</Alert>
            )}
            <ReliabilityFigures scores={data.scores} reliability={data.reliability} />
            {data.scores.n > 0 && <ScoreHistogram scores={data.scores} />}
          </section>

          <section aria-labelledby="analysis-items-heading">
            <h2 id="analysis-items-heading" tabIndex={-1}>
              Items
            </h2>
            {data.items.length > 0 && <ItemScatter items={data.items} limits={data.flagLimits} onSelect={openItem} />}
            <ItemsTable items={data.items} limits={data.flagLimits} domainTitles={titles} itemHref={itemHref} />
          </section>

          {itemParam && !item && !analysis.isFetching && (
            <Alert kind="info">The item chosen has no responses in this window. Choose another window or another item.</Alert>
          )}
          {item && <ItemDetails item={item} limits={data.flagLimits} domainTitle={titles.get(item.domain)} onClose={closeItem} />}

          <DifSection windowKey={windowKey} attributes={data.attributes} items={data.items} itemHref={itemHref} />

          <section aria-labelledby="analysis-export-heading">
            <h2 id="analysis-export-heading">Export</h2>
            <p>The same figures as CSV files for the window shown, for the certification body's records or further analysis.</p>
            {downloadError && <Alert>{downloadError}</Alert>}
            <div className="actions">
              <button type="button" className="button-secondary" onClick={() => download(() => downloadItemsCsv(windowKey))}>
                Download the item statistics (CSV)
              </button>
              <button type="button" className="button-secondary" onClick={() => download(() => downloadScoresCsv(windowKey))}>
                Download the scores and reliability (CSV)
              </button>
            </div>
            <p className="hint">The DIF table downloads from the fairness section once groups are compared.</p>
          </section>
        </>
      )}
    </Page>
  );
}
