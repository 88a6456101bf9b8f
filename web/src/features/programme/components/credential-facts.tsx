import { Link } from 'react-router';
import type { ProgrammeCredential } from '../../../lib/programme';
import { CREDENTIAL_PAGES, isCredentialCode } from '../../../lib/credential-paths';
import { feeText, validityText, waitText } from '../lib/format';

/** The format of a credential in one line: the exam's length and time, or the portfolio's criteria and interview. */
export function formatLine(c: ProgrammeCredential): string {
  const f = c.facts;
  if (f.questionCount !== undefined) return `${f.questionCount} questions in ${f.timeLimitMinutes} minutes, online`;
  const portfolio = `A portfolio on ${f.criteriaCount} criteria`;
  return f.interviewMinutes ? `${portfolio}, then a ${f.interviewMinutes}-minute panel interview` : `${portfolio}, scored by two reviewers`;
}

/** The facts of a credential as a description list: what the public pages state for each one. */
export function CredentialFacts({ credential: c, full = false }: { credential: ProgrammeCredential; full?: boolean }) {
  const f = c.facts;
  return (
    <dl className="facts">
      <div>
        <dt>Format</dt>
        <dd>{formatLine(c)}</dd>
      </div>
      {full && f.passMarkPercent !== undefined && (
        <div>
          <dt>Pass mark</dt>
          <dd>{f.passMarkPercent}% of the scored questions</dd>
        </div>
      )}
      {full && f.retakeCooldownDays !== undefined && (
        <div>
          <dt>If you do not pass</dt>
          <dd>You may sit it again after {waitText(f.retakeCooldownDays)}</dd>
        </div>
      )}
      {full && f.reviewDueDays !== undefined && (
        <div>
          <dt>Review</dt>
          <dd>Two independent reviewers each have {f.reviewDueDays} days once they accept your portfolio</dd>
        </div>
      )}
      <div>
        <dt>Before you start</dt>
        <dd>
          {c.requires.length === 0
            ? 'Nothing: open to every account'
            : c.requires.map((r, i) => (
                <span key={r.code}>
                  {i > 0 && ', '}
                  Pass {isCredentialCode(r.code) ? <Link to={CREDENTIAL_PAGES[r.code]}>{r.code}</Link> : r.code}
                </span>
              ))}
        </dd>
      </div>
      <div>
        <dt>Valid for</dt>
        <dd>{validityText(c.validityDays)}</dd>
      </div>
      <div>
        <dt>Fee</dt>
        <dd>
          {feeText(c.fee)}
          {full && c.feeNote && <span className="hint">{c.feeNote}</span>}
        </dd>
      </div>
    </dl>
  );
}
