// Docker's multiplexed exec stream (Tty false), split back into stdout and stderr.
// Each frame is an 8-byte header (stream type, three zero bytes, big-endian length)
// then its payload. dockerode's demuxStream concatenates its whole buffer on every
// chunk; a capture at 10,000 packets/s needs the payload passed on as it comes, with
// nothing held but an unfinished header.

export type ExecStreamKind = 'stdout' | 'stderr';

const HEADER_BYTES = 8;

export class ExecStreamDemuxer {
  private readonly header = new Uint8Array(HEADER_BYTES);
  private headerFilled = 0;
  private kind: ExecStreamKind | undefined;
  private left = 0;
  private _problem: string | undefined;

  constructor(private readonly deliver: (kind: ExecStreamKind, bytes: Uint8Array) => void) {}

  /** Set once the stream broke the framing; from then on nothing is delivered. */
  get problem(): string | undefined {
    return this._problem;
  }

  push(chunk: Uint8Array): void {
    let offset = 0;
    while (offset < chunk.length && this._problem === undefined) {
      if (this.left === 0) {
        const take = Math.min(HEADER_BYTES - this.headerFilled, chunk.length - offset);
        this.header.set(chunk.subarray(offset, offset + take), this.headerFilled);
        this.headerFilled += take;
        offset += take;
        if (this.headerFilled < HEADER_BYTES) return;
        this.headerFilled = 0;
        const type = this.header[0];
        if (type !== 1 && type !== 2) {
          this._problem = `the exec stream is not multiplexed (a frame of type ${type ?? '?'})`;
          return;
        }
        this.kind = type === 1 ? 'stdout' : 'stderr';
        this.left = new DataView(this.header.buffer).getUint32(4);
        continue;
      }
      const take = Math.min(this.left, chunk.length - offset);
      this.left -= take;
      this.deliver(this.kind as ExecStreamKind, chunk.subarray(offset, offset + take));
      offset += take;
    }
  }
}
