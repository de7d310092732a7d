// Vitest for @larder/inventory-actors: unit specs (*.test.ts) and integration tests on the real services (*.int.test.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two files at a time even on 2 cores: the fault and CLI files spend most of their time waiting on
    // child processes, lease TTLs and polls, so overlapping them halves the wall time of this project.
    maxWorkers: 2,
  },
});
