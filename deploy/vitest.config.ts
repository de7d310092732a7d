// Vitest for @larder/deploy: checks of the deployment files (compose.yaml, nats-server.conf); no services needed.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
