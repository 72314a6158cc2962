// A client of `vxlab serve` for unit tests: page requests, sockets with or without
// the token, and requests that wait for their answer.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import type { BrowserServer } from '../../electron/transport/browser-server.js';

/** A renderer folder holding only an index page. */
export function fakeRendererDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'vxlab-renderer-'));
  writeFileSync(join(directory, 'index.html'), '<!doctype html><title>vxlab</title>');
  return directory;
}

export interface PageAnswer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

export function get(server: BrowserServer, path: string, headers: Record<string, string> = {}): Promise<PageAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends bytes as they are (a request no HTTP client would write) and resolves with the answer. */
export function rawRequest(server: BrowserServer, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString();
      if (answer.includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

export function openSocket(server: BrowserServer, query: string, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api${query}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** A socket as the app opens it: same origin, the token in its cookie. */
export function openAppSocket(server: BrowserServer): Promise<WebSocket> {
  return openSocket(server, '', { Origin: `http://127.0.0.1:${server.port}`, Cookie: `vxlab_token=${server.token}` });
}

/** Sends one request and resolves with the reply that carries its id (events and other replies pass by). */
export function ask(ws: WebSocket, message: { id: number | string; [key: string]: unknown }): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const listener = (data: Buffer) => {
      const reply = JSON.parse(data.toString()) as Record<string, unknown>;
      if (reply.id !== message.id) return;
      ws.off('message', listener);
      resolve(reply);
    };
    ws.on('message', listener);
    ws.send(JSON.stringify(message));
  });
}

/** Resolves with the close code and reason once the server closes the socket. */
export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}
