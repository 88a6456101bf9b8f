import { useEffect, useState } from 'react';
import { attachmentBlob } from '../lib/attachments';

const PREVIEWABLE = new Set(['application/pdf', 'image/png', 'image/jpeg']);
export const canPreview = (mediaType: string) => PREVIEWABLE.has(mediaType);

/**
 * A PDF or an image shown in the page, fetched with the session's token (the download route sends files as
 * attachments): a button that opens and hides it. Nothing for other types.
 */
export function AttachmentPreview({ attachment: a }: { attachment: { id: string; fileName: string; mediaType: string } }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => () => void (url && URL.revokeObjectURL(url)), [url]);
  if (!canPreview(a.mediaType)) return null;
  const toggle = async () => {
    if (url) return setUrl(null);
    try {
      setError(null);
      setUrl(URL.createObjectURL(await attachmentBlob(a.id)));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <>
      <button type="button" className="link-button" aria-expanded={Boolean(url)} onClick={() => void toggle()}>
        {url ? `Hide ${a.fileName}` : `Preview ${a.fileName}`}
      </button>
      {error && <span className="field-error"> {error}</span>}
      {url &&
        (a.mediaType === 'application/pdf' ? (
          <iframe className="attachment-preview" src={url} title={`Preview of ${a.fileName}`} />
        ) : (
          <img className="attachment-preview" src={url} alt={`Preview of ${a.fileName}`} />
        ))}
    </>
  );
}
