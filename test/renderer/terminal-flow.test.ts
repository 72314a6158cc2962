import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACK_BATCH_CHARS, ACK_INTERVAL_MS, AckBatcher } from '../../renderer/src/terminals/ack-batcher';
import { TerminalStore, describeExit } from '../../renderer/src/terminals/terminal-store';
import { FakeClient, FakeTerminal, createFakeTerminal } from './app-fakes';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('AckBatcher', () => {
  it('acknowledges at once when a batch is full, and the rest after the interval', () => {
    const sent: number[] = [];
    const acks = new AckBatcher((chars) => sent.push(chars));
    acks.written(ACK_BATCH_CHARS - 1);
    expect(sent).toEqual([]);
    acks.written(1);
    expect(sent).toEqual([ACK_BATCH_CHARS]);
    acks.written(10);
    acks.written(20);
    vi.advanceTimersByTime(ACK_INTERVAL_MS - 1);
    expect(sent).toEqual([ACK_BATCH_CHARS]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([ACK_BATCH_CHARS, 30]);
  });

  it('sends nothing after dispose', () => {
    const sent: number[] = [];
    const acks = new AckBatcher((chars) => sent.push(chars));
    acks.written(10);
    acks.dispose();
    vi.advanceTimersByTime(1000);
    acks.written(10_000);
    expect(sent).toEqual([]);
  });
});

describe('TerminalStore', () => {
  it('keeps output that arrives before the terminal.open answer and writes it once the id is known', async () => {
    let answer!: (value: { id: string; title: string }) => void;
    const client = new FakeClient({ 'terminal.open': () => new Promise((resolve) => (answer = resolve)) });
    const store = new TerminalStore(client, createFakeTerminal);
    const key = store.open({ kind: 'machine' });
    store.attach(key, document.createElement('div'));
    await vi.waitFor(() => expect(answer).toBeDefined());
    client.emit({ type: 'terminal-data', id: 'M1', data: 'early ' });
    answer({ id: 'M1', title: 'Machine shell' });
    await vi.waitFor(() => expect(store.getSnapshot()[0]!.state).toBe('open'));
    client.emit({ type: 'terminal-data', id: 'M1', data: 'late' });
    const terminal = FakeTerminal.created.at(-1)!;
    expect(terminal.text()).toBe('early late');
    store.dispose();
  });

  it('closes a session that answers after its tab was closed', async () => {
    let answer!: (value: { id: string; title: string }) => void;
    const client = new FakeClient({ 'terminal.open': () => new Promise((resolve) => (answer = resolve)) });
    const store = new TerminalStore(client, createFakeTerminal);
    const key = store.open({ kind: 'node', lab: 'l', node: 'n' });
    store.attach(key, document.createElement('div'));
    await vi.waitFor(() => expect(answer).toBeDefined());
    store.close(key);
    answer({ id: 'X', title: 'n (l)' });
    await vi.waitFor(() => expect(client.paramsOf('terminal.close')).toEqual([{ id: 'X' }]));
  });

  it('tells the server a new size only when it changed', async () => {
    const client = new FakeClient({ 'terminal.open': () => ({ id: 'T', title: 't' }) });
    const store = new TerminalStore(client, createFakeTerminal);
    const key = store.open({ kind: 'machine' });
    store.attach(key, document.createElement('div'));
    await vi.waitFor(() => expect(store.getSnapshot()[0]!.state).toBe('open'));
    const terminal = FakeTerminal.created.at(-1)!;
    store.fit(key);
    expect(client.paramsOf('terminal.resize')).toEqual([]);
    terminal.size = { cols: 90, rows: 20 };
    store.fit(key);
    store.fit(key);
    expect(client.paramsOf('terminal.resize')).toEqual([{ id: 'T', cols: 90, rows: 20 }]);
  });

  it('describes an exit by its reason, else by its code', () => {
    expect(describeExit(undefined, 'container1 is no longer running')).toBe('container1 is no longer running');
    expect(describeExit(0, undefined)).toBe('The shell exited with code 0');
    expect(describeExit(undefined, undefined)).toBe('The session ended');
  });
});
