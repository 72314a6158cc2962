// Renders engine events as lines on a terminal: one line when a step starts for a
// node, one when it ends with its time; slow steps (image builds) report progress.
// Details and errors carry text from Docker and from inside hosts: printed escaped.
import type { EngineEvent } from '../api/types.js';
import { printable } from './printable.js';

export function createProgressPrinter(write: (line: string) => void = (line) => process.stderr.write(line + '\n')) {
  const lastProgress = new Map<string, number>();
  const label = (event: { step: string; node?: string }) => printable(`${event.step}${event.node ? ` ${event.node}` : ''}`);
  return (event: EngineEvent) => {
    switch (event.type) {
      case 'step-started':
        write(`… ${label(event)}${event.detail ? `: ${printable(event.detail)}` : ''}`);
        break;
      case 'step-progress': {
        // A debootstrap run prints hundreds of lines: show one every two seconds.
        const key = label(event);
        const now = Date.now();
        if (now - (lastProgress.get(key) ?? 0) < 2000) return;
        lastProgress.set(key, now);
        write(`  ${key}: ${printable(event.detail)}`);
        break;
      }
      case 'step-finished':
        write(`✓ ${label(event)} (${formatMs(event.ms)})${event.detail ? `: ${printable(event.detail)}` : ''}`);
        break;
      case 'step-failed':
        write(`✗ ${label(event)}: ${printable(event.error)}`);
        break;
      case 'log':
        write(`${event.level === 'warn' ? '! ' : ''}${printable(event.message)}`);
        break;
    }
  };
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
