// The system clipboard where the page may use it. Reading needs a permission that
// browsers grant only to some pages; the native paste event (Ctrl+V, the browser's
// menu) always works, since xterm's textarea takes it.

export async function copyText(text: string): Promise<boolean> {
  if (!text) return false;
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export async function readClipboard(): Promise<string | undefined> {
  try {
    return await navigator.clipboard.readText();
  } catch {
    return undefined;
  }
}
