import { useState } from 'react';
import { saveTextFile } from '../../../../lib/download';

/** The ten recovery codes, shown once: the person copies or downloads them before going on. */
export function RecoveryCodes({ codes, email, onDone }: { codes: string[]; email: string; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const text = `PSF Certification recovery codes for ${email}\nEach code works once, in place of a code from your authenticator app.\n\n${codes.join('\n')}\n`;
  return (
    <section aria-labelledby="recovery-codes" className="recovery-codes">
      <h3 id="recovery-codes">Your recovery codes</h3>
      <p>
        If you lose your phone, sign in with one of these codes instead of a code from your app. Each works once.{' '}
        <strong>They are shown only now:</strong> copy them or download them, and keep them somewhere safe.
      </p>
      <ul className="code-list">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <p className="actions">
        <button
          type="button"
          className="button-secondary"
          onClick={() =>
            navigator.clipboard.writeText(text).then(
              () => setCopied('yes'),
              () => setCopied('failed'),
            )
          }
        >
          Copy the codes
        </button>
        <button type="button" className="button-secondary" onClick={() => saveTextFile(text, 'psf-recovery-codes.txt')}>
          Download as .txt
        </button>
      </p>
      <p role="status">
        {copied === 'yes' && 'The codes are copied to the clipboard.'}
        {copied === 'failed' && 'The browser did not allow copying: download the codes or write them down.'}
      </p>
      <p>
        <button type="button" onClick={onDone}>
          I have saved my recovery codes
        </button>
      </p>
    </section>
  );
}
