#!/usr/bin/env node
// The vxlab command. It runs the TypeScript sources through tsx so that a fresh
// `npm ci` is enough: no build step stands between a checkout and `npx vxlab`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli.ts');
process.exitCode = await main(process.argv.slice(2));
