import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // A guard against hangs, not a speed check: some unit tests start tsc, eslint or
          // tshark, which take seconds when the two cores are busy.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'renderer',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
          // happy-dom renders of the whole app take seconds on two busy cores; this only guards against hangs.
          testTimeout: 30_000,
          environment: 'happy-dom',
          // Stubs for what React Flow needs and happy-dom lacks (no layout engine).
          setupFiles: ['test/renderer/setup.ts'],
        },
      },
      {
        test: {
          name: 'engine',
          include: ['test/engine/**/*.test.ts'],
          // Engine tests share one Docker engine and two CPU cores: run files one at a time.
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 600_000,
          globalSetup: ['test/engine/global-setup.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // One browser and one Docker engine: end-to-end files run one at a time.
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 600_000,
          globalSetup: ['test/engine/global-setup.ts'],
        },
      },
    ],
  },
});
