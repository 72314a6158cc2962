// Open and save lab files: the desktop app's native dialogs, or in a browser tab a
// file picker and a download.
import type { ApiClient } from '../../../electron/api/contract';

export function labFileName(labName: string): string {
  return `${labName || 'lab'}.yaml`;
}

/** Where the text went, or undefined when the person cancelled the dialog. */
export async function saveLabText(client: ApiClient, text: string, fileName: string): Promise<string | undefined> {
  if (client.mode === 'desktop') {
    const saved = await client.request('file.save', { text, suggestedName: fileName });
    return saved?.path;
  }
  downloadText(text, fileName);
  return fileName;
}

export function downloadText(text: string, fileName: string): void {
  downloadBlob(new Blob([text], { type: 'application/yaml' }), fileName);
}

/** A browser download; in the desktop app, the window asks where to save it. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The download has started by the next task; the object URL is no longer needed.
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
