import { type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { type AdminDashboard as Figures, useAdminDashboard } from '../api/dashboard';
import { formatDay, formPeriodOf, listLinks, periodQueryOf } from '../lib/period';
import { BarChart } from './bar-chart';
import { PeriodForm } from './period-form';

const count = (n: number) => n.toLocaleString('en-GB');
const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;
const percent = (rate: number) => `${Math.round(rate * 1000) / 10} %`;
const days = (d: number | null) => (d === null ? 'none yet' : `${d.toLocaleString('en-GB')} ${d === 1 ? 'day' : 'days'}`);

const BOOKING_WORDS: Record<string, string> = {
  booked: 'booked',
  completed: 'completed',
  cancelled: 'cancelled',
  no_show_candidate: 'candidate did not attend',
  no_show_assessor: 'an assessor did not attend',
};

/** One key figure: the number and what it counts form the link to the list that holds those rows. */
function Figure({ to, value, what, children }: { to: string; value: number | string; what: string; children?: ReactNode }) {
  return (
    <li className="dash-card">
      <Link to={to}>
        <span className="dash-value">{typeof value === 'number' ? count(value) : value}</span> <span className="dash-what">{what}</span>
      </Link>
      {children && <div className="dash-card-detail">{children}</div>}
    </li>
  );
}

/**
 * The administrator dashboard (issue #18 item 3): key figures over a period kept in the address
 * (?from=&to=), three bar charts with their data tables, each figure a link to the filtered list behind it.
 */
export function AdminDashboard() {
  const [params, setParams] = useSearchParams();
  const query = periodQueryOf(params);
  const dashboard = useAdminDashboard(query);
  const asked = formPeriodOf(query);
  const shown = dashboard.data?.period;

  return (
    <section className="dash" aria-labelledby="dash-heading">
      <h2 id="dash-heading">Dashboard</h2>
      <PeriodForm key={`${asked.from}/${asked.to}`} period={asked} onApply={(p) => setParams({ from: p.from, to: p.to })} />
      {dashboard.error && <Alert>{dashboard.error.message}</Alert>}
      <p role="status" className="dash-status">
        {dashboard.isPending || dashboard.isPlaceholderData
          ? 'Loading the figures…'
          : shown && `Figures for ${formatDay(shown.from)} to ${formatDay(shown.to)}: ${plural(shown.days, 'day', 'days')}, UTC.`}
      </p>
      {dashboard.data && !dashboard.error && <DashboardFigures figures={dashboard.data} />}
    </section>
  );
}

function DashboardFigures({ figures }: { figures: Figures }) {
  const { period, candidates, attempts, portfolios, panels, certificates } = figures;
  const links = listLinks(period, certificates.expiringBefore);
  const turnaround = portfolios.reviewTurnaround;
  const busiest = attempts.perDay.reduce((best, d) => (d.started > best.started ? d : best), attempts.perDay[0]);
  const scored = attempts.scoreDistribution.filter((b) => b.count > 0);
  const stages = portfolios.byStage.filter((s) => s.count > 0);

  return (
    <>
      <section aria-labelledby="dash-aida">
        <h3 id="dash-aida">Candidates and the AIDA examination</h3>
        <ul className="dash-cards">
          <Figure to={links.candidatesRegistered} value={candidates.registered} what="candidates registered" />
          <Figure to={links.attemptsStarted} value={attempts.started} what="AIDA attempts started">
            {count(attempts.submitted)} scored
          </Figure>
          <Figure to={links.attemptsPassed} value={attempts.passed} what="attempts passed">
            {attempts.passRate === null ? 'No pass rate: none scored' : `Pass rate ${percent(attempts.passRate)} of those scored`}
          </Figure>
          <Figure to={links.attemptsFailed} value={attempts.failed} what="attempts failed" />
        </ul>
        <div className="dash-charts">
          <BarChart
            title="AIDA attempts per day"
            summary={
              attempts.started === 0
                ? 'Bar chart of AIDA attempts per day: none started in the period.'
                : `Bar chart of AIDA attempts per day: ${plural(attempts.started, 'attempt', 'attempts')} started and ${count(attempts.passed)} passed over ${plural(period.days, 'day', 'days')}; the most, ${count(busiest.started)}, on ${formatDay(busiest.day)}.`
            }
            categoryHeader="Day (UTC)"
            categories={attempts.perDay.map((d) => d.day)}
            categoryLabels={attempts.perDay.map((d) => d.day.slice(5))}
            series={[
              { name: 'Started', values: attempts.perDay.map((d) => d.started), look: 'solid' },
              { name: 'Passed', values: attempts.perDay.map((d) => d.passed), look: 'striped' },
            ]}
          />
          <BarChart
            title="Score distribution of scored attempts"
            summary={
              scored.length === 0
                ? 'Bar chart of scores: no attempt was scored in the period.'
                : `Bar chart of scores in buckets of ten percentage points: ${scored.map((b) => `${count(b.count)} scored ${b.label} %`).join(', ')}.`
            }
            categoryHeader="Score (%)"
            categories={attempts.scoreDistribution.map((b) => b.label)}
            categoryLabels={attempts.scoreDistribution.map((b) => String(b.min))}
            note="Each bar is ten percentage points from the score under it (the last, 90–100)."

            series={[{ name: 'Attempts', values: attempts.scoreDistribution.map((b) => b.count), look: 'solid' }]}
          />
        </div>
      </section>

      <section aria-labelledby="dash-portfolios">
        <h3 id="dash-portfolios">Portfolios and reviews</h3>
        <ul className="dash-cards">
          <Figure to={links.portfolios} value={portfolios.total} what="portfolio submissions, all stages">
            Now, whatever the period
          </Figure>
          <Figure to={links.portfolios} value={days(turnaround.medianDays)} what="median review turnaround">
            90th percentile {days(turnaround.p90Days)}; {plural(turnaround.completed, 'review', 'reviews')} submitted in the period, from
            offer to review
          </Figure>
          <Figure to={links.portfolios} value={turnaround.overdueNow} what="reviews overdue now">
            Accepted, past their due date, not submitted
          </Figure>
        </ul>
        <BarChart
          title="Portfolio submissions by stage"
          summary={
            stages.length === 0
              ? 'Bar chart of portfolio submissions by stage: there are none.'
              : `Bar chart of portfolio submissions by stage, now: ${stages.map((s) => `${count(s.count)} ${s.stage}`).join(', ')}.`
          }
          categoryHeader="Stage"
          categories={portfolios.byStage.map((s) => s.stage)}
          categoryLabels={portfolios.byStage.map((s) => s.stage.replace(': ', ':\n'))}
          series={[{ name: 'Submissions', values: portfolios.byStage.map((s) => s.count), look: 'solid' }]}
        />
      </section>

      <section aria-labelledby="dash-panels">
        <h3 id="dash-panels">CPAA panels</h3>
        <ul className="dash-cards">
          <Figure to={links.panels} value={panels.bookings} what="panel interviews booked to start in the period">
            <ul className="dash-breakdown">
              {panels.bookingsByStatus.map((b) => (
                <li key={b.status}>
                  {count(b.count)} {BOOKING_WORDS[b.status] ?? b.status}
                </li>
              ))}
            </ul>
          </Figure>
          <Figure to={links.panels} value={panels.decided} what="panel decisions in the period">
            <ul className="dash-breakdown">
              {panels.outcomes.map((o) => (
                <li key={o.outcome}>
                  {count(o.count)} {o.outcome}
                </li>
              ))}
            </ul>
          </Figure>
        </ul>
      </section>

      <section aria-labelledby="dash-certificates">
        <h3 id="dash-certificates">Certificates</h3>
        <ul className="dash-cards">
          <Figure to={links.certificatesIssued} value={certificates.issued} what="certificates issued in the period" />
          <Figure to={links.certificatesByStatus('active')} value={certificates.active} what="active certificates">
            Now, not yet expired
          </Figure>
          <Figure to={links.certificatesByStatus('expired')} value={certificates.expired} what="expired certificates">
            Active, past their expiry
          </Figure>
          <Figure to={links.certificatesByStatus('suspended')} value={certificates.suspended} what="suspended certificates" />
          <Figure to={links.certificatesByStatus('revoked')} value={certificates.revoked} what="revoked certificates" />
          <Figure to={links.certificatesExpiring} value={certificates.expiring} what="active certificates expiring">
            Not yet expired, expiring before {formatDay(certificates.expiringBefore)} (90 days after the period)
          </Figure>
        </ul>
      </section>
    </>
  );
}
