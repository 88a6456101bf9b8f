import { Link } from 'react-router';
import { CREDENTIAL_PAGES } from '../../../lib/credential-paths';
import type { CredentialProgress, StepState } from '../lib/progress';
import { When } from './when';

const STATE_LABEL: Record<StepState, string> = {
  done: 'Done',
  in_progress: 'In progress',
  waiting: 'Waiting',
  to_do: 'To do',
  locked: 'Locked',
};

/** The three credentials in programme order, each with its state in words (never by colour alone). */
export function ProgressTracker({
  progress,
  names,
  primary,
}: {
  progress: CredentialProgress[];
  names: Record<string, string>;
  primary?: string;
}) {
  return (
    <ol className="tracker">
      {progress.map((p) => (
        <li key={p.code} className={`tracker-step tracker-${p.state}`}>
          <h3>{names[p.code] ?? p.code}</h3>
          <p>
            <span className={`tracker-state tracker-state-${p.state}`}>{STATE_LABEL[p.state]}</span> {p.status}
            {p.at && (
              <>
                {' '}
                <When at={p.at} />
              </>
            )}
          </p>
          {p.detail && <p>{p.detail}</p>}
          <p className="tracker-links">
            {p.action && p.action.to !== primary && <Link to={p.action.to}>{p.action.label}</Link>}
            <Link to={CREDENTIAL_PAGES[p.code]}>About {p.code}</Link>
          </p>
        </li>
      ))}
    </ol>
  );
}
