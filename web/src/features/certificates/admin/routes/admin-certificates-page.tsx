import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert } from '../../../../components/alert';
import { Page } from '../../../../components/page';
import { StatusBadge } from '../../../../components/status-badge';
import { useAdminCertificate, useChangeStatus } from '../api/admin-certificates';
import { type StatusAction, statusActions, statusReasonText } from '../components/status-actions';
import { CertificateList } from '../components/certificate-list';

export function AdminCertificatesPage() {
  const [params, setParams] = useSearchParams();
  // The certificate being managed is in the address too (`number`), beside the list's own parameters.
  const number = params.get('number');
  const [typed, setTyped] = useState(number ?? '');
  const setNumber = (n: string | null) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (n) next.set('number', n);
      else next.delete('number');
      return next;
    });
  // Choosing a certificate in the list moves the focus to it once it has loaded.
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [focusWhenShown, setFocusWhenShown] = useState<string | null>(null);
  const manage = (n: string) => {
    setTyped(n);
    setNumber(n);
    setFocusWhenShown(n);
  };
  const [reason, setReason] = useState('');
  const certificate = useAdminCertificate(number);
  const change = useChangeStatus();
  const c = certificate.data;
  const actions = c ? statusActions(c.status) : [];
  useEffect(() => {
    if (c && focusWhenShown === c.number) {
      headingRef.current?.focus();
      setFocusWhenShown(null);
    }
  }, [c, focusWhenShown]);

  // Revoking and suspending are asked again, with what follows spelled out; reinstating restores, so it is not.
  const [confirming, setConfirming] = useState<StatusAction | null>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const act = (action: StatusAction) => {
    if (c) change.mutate({ number: c.number, action, reason }, { onSuccess: () => setReason(''), onSettled: () => setConfirming(null) });
  };
  const ask = (action: StatusAction) => {
    setConfirming(action);
    requestAnimationFrame(() => confirmRef.current?.focus());
  };
  const CONSEQUENCE: Partial<Record<StatusAction, string>> = {
    revoke:
      'Revocation is final: the verification page and the status list show it as revoked at once, every copy of the credential stops verifying, and it cannot be reinstated.',
    suspend: 'The verification page and the status list show it as suspended at once, until it is reinstated.',
  };

  return (
    <Page title="Certificates">
      <form
        className="form"
        role="search"
        aria-label="Find a certificate"
        onSubmit={(e) => {
          e.preventDefault();
          setNumber(typed.trim() || null);
        }}
      >
        <div className="field">
          <label htmlFor="cert-number">Certificate number</label>
          <input id="cert-number" value={typed} onChange={(e) => setTyped(e.target.value)} />
        </div>
        <button type="submit">Find</button>
      </form>
      {certificate.error && <Alert>{certificate.error.message}</Alert>}
      {change.error && <Alert>{change.error.message}</Alert>}
      {change.isSuccess && <Alert kind="success">Status changed; the verification page and the status list show it now.</Alert>}
      {c && (
        <section aria-labelledby="found">
          <h2 id="found" tabIndex={-1} ref={headingRef}>
            {c.number} <StatusBadge status={c.status} />
          </h2>
          <dl className="meta">
            <dt>Holder</dt>
            <dd>{c.holderName}</dd>
            <dt>Credential</dt>
            <dd>{c.credential.name}</dd>
            <dt>Valid until</dt>
            <dd>{new Date(c.expiresAt).toLocaleDateString()}</dd>
            <dt>Reason</dt>
            <dd>{statusReasonText(c.statusReason)}</dd>
          </dl>
          {actions.length === 0 ? (
            <p>
              Revocation is final: this certificate cannot be suspended or reinstated. A mistaken revocation is put right by a new
              certificate.
            </p>
          ) : (
            <form className="form" onSubmit={(e) => e.preventDefault()}>
              <div className="field">
                <label htmlFor="status-reason">Reason (required to revoke or suspend; recorded in the audit log)</label>
                <textarea id="status-reason" value={reason} onChange={(e) => setReason(e.target.value)} rows={3} />
              </div>
              {confirming ? (
                <div className="confirm-dialog" role="group" aria-labelledby="confirm-status" tabIndex={-1} ref={confirmRef}>
                  <p id="confirm-status">
                    <strong>
                      {confirming === 'revoke' ? 'Revoke' : 'Suspend'} {c.number}, {c.holderName}&rsquo;s {c.credential.name}?
                    </strong>{' '}
                    {CONSEQUENCE[confirming]}
                  </p>
                  <p className="actions">
                    <button type="button" className="button-danger" onClick={() => act(confirming)} disabled={change.isPending}>
                      Yes, {confirming} {c.number}
                    </button>
                    <button type="button" className="button-secondary" onClick={() => setConfirming(null)}>
                      Keep it as it is
                    </button>
                  </p>
                </div>
              ) : (
                <div className="actions">
                  {actions.includes('reinstate') && (
                    <button type="button" onClick={() => act('reinstate')} disabled={change.isPending}>
                      Reinstate
                    </button>
                  )}
                  {actions.includes('suspend') && (
                    <button
                      type="button"
                      className="button-secondary"
                      onClick={() => ask('suspend')}
                      disabled={!reason.trim() || change.isPending}
                    >
                      Suspend…
                    </button>
                  )}
                  {actions.includes('revoke') && (
                    <button
                      type="button"
                      className="button-danger"
                      onClick={() => ask('revoke')}
                      disabled={!reason.trim() || change.isPending}
                    >
                      Revoke…
                    </button>
                  )}
                </div>
              )}
            </form>
          )}
        </section>
      )}
      <CertificateList onManage={manage} />
    </Page>
  );
}
