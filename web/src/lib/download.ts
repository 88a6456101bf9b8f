/**
 * Files behind authentication are fetched with the session's token, so the browser cannot follow
 * a plain link: the fetched bytes are handed to it as a download instead.
 */
export function saveDownload(result: { data?: unknown; response: Response }, fileName: string, failure: string): void {
  if (!result.response.ok || !result.data) throw new Error(failure);
  saveBlob(result.data as Blob, fileName);
}

/** Hands text made in the page (e.g. recovery codes, a self-assessment's CSV) to the browser as a file. */
export function saveTextFile(text: string, fileName: string, type = 'text/plain;charset=utf-8'): void {
  saveBlob(new Blob([text], { type }), fileName);
}

function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
