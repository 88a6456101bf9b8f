import { Link } from 'react-router';
import { Alert } from '../../components/alert';
import { Page } from '../../components/page';
import { useMyCertificates } from '../../features/certificates/api/certificates';
import { useMyNotifications, usePortfolioOverview } from '../../features/dashboard/api/dashboard';
import { ProgressTracker } from '../../features/dashboard/components/progress-tracker';
import { When } from '../../features/dashboard/components/when';
import { deadlinesOf, nextStep, progressOf } from '../../features/dashboard/lib/progress';
import { useExamInfo, useMyAttempts } from '../../features/exam/api/exam';
import { useMyPanel } from '../../features/panels/interview/api/interview';
import { useProgramme } from '../../lib/programme';
import { useSession } from '../../lib/auth/session';

/** Where the e-mails lead in the app: a message about certificates opens them, one about the panel opens the booking. */
const MESSAGE_PAGES: Array<[RegExp, string]> = [
  [/^certificate-/, '/candidate/certificates'],
  [/^panel-/, '/candidate/cpaa/interview'],
  [/^(email-|confirm-email|verify-email|reset-password|account-|name-change-|data-export)/, '/account'],
];

/**
 * The candidate's dashboard: one tracker across AIDA, CPAP and CPAA built from their own reads, the one next step
 * as the primary action, the dates ahead, and the messages the platform e-mailed them.
 */
export function CandidateHome() {
  const { user } = useSession();
  const exam = useExamInfo();
  const attempts = useMyAttempts();
  const portfolios = usePortfolioOverview();
  const panel = useMyPanel();
  const certificates = useMyCertificates();
  const notifications = useMyNotifications();
  const programme = useProgramme();
  const reads = [exam, attempts, portfolios, panel, certificates];
  const failed = reads.find((r) => r.error)?.error;
  const ready = exam.data && attempts.data && portfolios.data && panel.data && certificates.data;
  const input = ready
    ? { exam: exam.data!, attempts: attempts.data!, portfolios: portfolios.data!, panel: panel.data!, certificates: certificates.data! }
    : null;
  const progress = input ? progressOf(input) : null;
  const next = progress ? nextStep(progress) : null;
  const deadlines = input ? deadlinesOf(input) : [];
  const names = Object.fromEntries((programme.data?.credentials ?? []).map((c) => [c.code, c.name]));

  return (
    <Page title="My certification">
      <p>Welcome, {user?.fullName}.</p>
      {failed && <Alert>Your progress could not be loaded: {failed.message}. Reload the page to try again.</Alert>}
      {!ready && !failed && <p role="status">Loading your progress…</p>}
      {progress && (
        <>
          <section aria-labelledby="next-step" className="next-step">
            <h2 id="next-step">Your next step</h2>
            {next ? (
              <p>
                <Link className="button" to={next.to}>
                  {next.label}
                </Link>
              </p>
            ) : (
              <p>Nothing is waiting for you right now. We will e-mail you when something changes.</p>
            )}
          </section>
          <h2>Your progress</h2>
          <ProgressTracker progress={progress} names={names} primary={next?.to} />
          <h2>Dates ahead</h2>
          {deadlines.length ? (
            <ul className="deadlines">
              {deadlines.map((d) => (
                <li key={`${d.what}-${d.at}`}>
                  <When at={d.at} />: {d.to ? <Link to={d.to}>{d.what}</Link> : d.what}
                </li>
              ))}
            </ul>
          ) : (
            <p>No dates ahead.</p>
          )}
        </>
      )}
      <h2>Messages we sent you</h2>
      {notifications.error && <Alert>Your messages could not be loaded: {notifications.error.message}</Alert>}
      {notifications.data &&
        (notifications.data.length ? (
          <ul className="messages">
            {notifications.data.map((n) => {
              const to = MESSAGE_PAGES.find(([pattern]) => pattern.test(n.template))?.[1];
              return (
                <li key={n.id}>
                  <When at={n.createdAt} />: {to ? <Link to={to}>{n.subject}</Link> : n.subject}
                  {!n.sentAt && <span className="hint"> (being sent)</span>}
                </li>
              );
            })}
          </ul>
        ) : (
          <p>We have not e-mailed you yet.</p>
        ))}
      <p className="hint">The e-mails themselves hold the links that work once; they are not shown here.</p>
    </Page>
  );
}
