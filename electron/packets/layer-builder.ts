// One layer under construction: fields are added with offsets relative to the layer's start and
// stored absolute in the frame (the hex view highlights them). A field whose bytes are not all
// in the frame is not added; the layer is marked truncated instead. Nothing here throws.

import type { Field, Layer, LayerKind } from './decode-types.js';

export class LayerBuilder {
  readonly layer: Layer;
  /** The summary line's text for this layer, when it is the innermost one. */
  info: string | undefined;

  constructor(
    readonly bytes: Uint8Array,
    kind: LayerKind,
    inner: boolean,
    readonly start: number,
    /** Exclusive end of the bytes this layer may read (the frame's or its parent's end). */
    readonly end: number,
    headerLength: number,
  ) {
    this.layer = { kind, inner, offset: start, length: Math.max(0, Math.min(headerLength, end - start)), fields: [] };
  }

  /** Bytes from the layer's start to `end`. */
  get available(): number {
    return Math.max(0, this.end - this.start);
  }

  has(relative: number, length: number): boolean {
    return relative >= 0 && length >= 0 && this.start + relative + length <= this.end;
  }

  /** Adds the field when its bytes are there; otherwise marks the layer truncated and returns false. */
  field(name: string, label: string, relative: number, length: number, value: () => string): boolean {
    if (!this.has(relative, length)) {
      this.truncated(`${label} is past the end of the captured bytes`);
      return false;
    }
    const field: Field = { name, label, value: value(), offset: this.start + relative, length };
    this.layer.fields.push(field);
    return true;
  }

  setHeaderLength(length: number): void {
    this.layer.length = Math.max(0, Math.min(length, this.available));
  }

  truncated(note: string): void {
    if (this.layer.problem === undefined) {
      this.layer.problem = 'truncated';
      this.note(note);
    }
  }

  /** Malformed wins over truncated: a wrong value says more than missing bytes. */
  malformed(note: string): void {
    this.layer.problem = 'malformed';
    this.note(note);
  }

  note(text: string): void {
    this.layer.note = this.layer.note ? `${this.layer.note}; ${text}` : text;
  }
}
