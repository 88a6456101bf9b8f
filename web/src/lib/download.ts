/**
 * Files behind authentication are fetched with the session's token, so the browser cannot follow
 * a plain link: the fetched bytes are handed to it as a download instead.
 */
export function saveDownload(result: { data?: unknown; response: Response }, fileName: string, failure: string): void {
  if (!result.response.ok || !result.data) throw new Error(failure);
  const url = URL.createObjectURL(result.data as Blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
