import { useEffect, useRef, useState } from 'react';
import { AttachmentPreview } from '../../../components/attachment-preview';
import { downloadAttachment } from '../../../lib/attachments';
import { type Attachment, type Portfolio, removeAttachment, uploadWithProgress } from '../api/portfolio';
import { sizeText } from '../lib/portfolio-fields';

type Limits = Portfolio['limits'];

/**
 * The files of one criterion: listed with preview, replace and remove; a new file is checked against the stated
 * limits before a byte is sent, uploads with its progress shown, and a refusal is said at this control, which gets
 * the focus.
 */
export function AttachmentsField({
  credential,
  criterion,
  attachments,
  limits,
  editable,
  onChanged,
}: {
  credential: 'CPAP' | 'CPAA';
  criterion: string;
  attachments: Attachment[];
  limits: Limits;
  editable: boolean;
  onChanged: () => Promise<unknown>;
}) {
  const inputId = `ev-${criterion}-file`;
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const [replacing, setReplacing] = useState<Attachment | null>(null);
  const errorId = `${inputId}-error`;

  // Each refusal moves the focus to the control once it is enabled again (it is disabled while uploading).
  const [refusals, setRefusals] = useState(0);
  useEffect(() => {
    if (refusals && progress === null) input.current?.focus();
  }, [refusals, progress]);
  const fail = (message: string) => {
    setError(message);
    setRefusals((n) => n + 1);
  };

  const upload = async (file: File) => {
    setError(null);
    if (file.size > limits.maxAttachmentBytes) {
      return fail(
        `${file.name} is ${sizeText(file.size)}: a file can be at most ${sizeText(limits.maxAttachmentBytes)}. Choose a smaller file.`,
      );
    }
    const extension = file.name.includes('.') ? file.name.slice(file.name.lastIndexOf('.')).toLowerCase() : '';
    if (!limits.fileTypes.includes(extension)) {
      return fail(`${file.name} is not a file type the portfolio accepts. Choose ${limits.fileTypes.join(', ')}.`);
    }
    setProgress(0);
    try {
      await uploadWithProgress(credential, criterion, file, setProgress);
      if (replacing) await removeAttachment(replacing.id);
      setNotice(replacing ? `${replacing.fileName} replaced by ${file.name}.` : `${file.name} added.`);
      setReplacing(null);
      await onChanged();
    } catch (e) {
      fail((e as Error).message);
    } finally {
      setProgress(null);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <div className="attachments-field">
      {attachments.length > 0 && (
        <ul className="attachments">
          {attachments.map((a) => (
            <AttachmentItem
              key={a.id}
              attachment={a}
              editable={editable}
              onReplace={() => {
                setReplacing(a);
                input.current?.click();
              }}
              onRemove={async () => {
                setError(null);
                try {
                  await removeAttachment(a.id);
                  setNotice(`${a.fileName} removed.`);
                  await onChanged();
                  input.current?.focus();
                } catch (e) {
                  fail((e as Error).message);
                }
              }}
            />
          ))}
        </ul>
      )}
      {editable && (
        <div className={`field${error ? ' field-invalid' : ''}`}>
          <label htmlFor={inputId}>
            {replacing ? `Choose the file that replaces ${replacing.fileName}` : `Add evidence for ${criterion}`}
          </label>
          <p className="hint" id={`${inputId}-hint`}>
            {limits.fileTypes.join(', ')}; up to {sizeText(limits.maxAttachmentBytes)} a file, {limits.maxAttachments} files and{' '}
            {sizeText(limits.maxPortfolioBytes)} for the whole portfolio.
          </p>
          {error && (
            <p className="field-error" id={errorId}>
              <span className="visually-hidden">Error: </span>
              {error}
            </p>
          )}
          <input
            ref={input}
            id={inputId}
            type="file"
            accept={limits.fileTypes.join(',')}
            aria-describedby={`${inputId}-hint${error ? ` ${errorId}` : ''}`}
            aria-invalid={error ? true : undefined}
            disabled={progress !== null}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void upload(file);
              else setReplacing(null);
            }}
          />
          {progress !== null && (
            <p>
              <label htmlFor={`${inputId}-progress`}>Uploading</label>{' '}
              <progress id={`${inputId}-progress`} max={1} value={progress}>
                {Math.round(progress * 100)}%
              </progress>{' '}
              {Math.round(progress * 100)}%
            </p>
          )}
        </div>
      )}
      <p role="status" className="visually-hidden">
        {notice}
      </p>
    </div>
  );
}

function AttachmentItem({
  attachment: a,
  editable,
  onReplace,
  onRemove,
}: {
  attachment: Attachment;
  editable: boolean;
  onReplace: () => void;
  onRemove: () => Promise<void>;
}) {
  const [error, setError] = useState<string | null>(null);
  return (
    <li>
      <span>
        {a.fileName} ({sizeText(a.sizeBytes)})
      </span>{' '}
      <span className="attachment-actions">
        <button
          type="button"
          className="link-button"
          onClick={() => void downloadAttachment(a.id, a.fileName).catch((e: Error) => setError(e.message))}
        >
          Download {a.fileName}
        </button>
        {editable && (
          <>
            <button type="button" className="link-button" onClick={onReplace}>
              Replace {a.fileName}
            </button>
            <button type="button" className="link-button" onClick={() => void onRemove()}>
              Remove {a.fileName}
            </button>
          </>
        )}
        <AttachmentPreview attachment={a} />
      </span>
      {error && <p className="field-error">{error}</p>}
    </li>
  );
}
