// Frames as the contract carries them (base64) to bytes, checked where they enter:
// a frame that is not base64, or longer than a capture's snap length, is refused.

/** tcpdump's snap length in vxlab's captures: no frame is longer. */
export const MAX_FRAME_BYTES = 262_144;

export function base64Bytes(data: unknown): Uint8Array | undefined {
  if (typeof data !== 'string' || data.length > Math.ceil(MAX_FRAME_BYTES / 3) * 4) return undefined;
  let binary: string;
  try {
    binary = atob(data);
  } catch {
    return undefined;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function bytesBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function finiteNumber(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

/** A frame's numbers, each a finite non-negative number or the fallback. */
export function frameNumbers(frame: { index?: unknown; timeUs?: unknown; originalLength?: unknown }, bytes: Uint8Array, fallbackIndex: number) {
  return {
    index: finiteNumber(frame.index, fallbackIndex),
    timeUs: finiteNumber(frame.timeUs, 0),
    originalLength: Math.max(bytes.length, finiteNumber(frame.originalLength, bytes.length)),
  };
}
