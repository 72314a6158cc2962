import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'renderer',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
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
