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
          name: 'engine',
          include: ['test/engine/**/*.test.ts'],
          // Engine tests share one Docker engine and two CPU cores: run files one at a time.
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 600_000,
          globalSetup: ['test/engine/global-setup.ts'],
        },
      },
    ],
  },
});
