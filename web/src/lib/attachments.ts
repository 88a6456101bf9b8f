import { api } from './api/client';
import { saveDownload } from './download';

/** Attachments need the session's token, so they are fetched and handed to the browser as a download. */
export async function downloadAttachment(attachmentId: string, fileName: string): Promise<void> {
  const result = await api.GET('/api/attachments/{attachmentId}', { params: { path: { attachmentId } }, parseAs: 'blob' });
  saveDownload(result, fileName, 'The file could not be downloaded');
}

/** The file itself, for a preview in the page (an object URL the caller revokes). */
export async function attachmentBlob(attachmentId: string): Promise<Blob> {
  const result = await api.GET('/api/attachments/{attachmentId}', { params: { path: { attachmentId } }, parseAs: 'blob' });
  if (!result.response.ok || !(result.data instanceof Blob)) throw new Error('The file could not be opened');
  return result.data;
}
