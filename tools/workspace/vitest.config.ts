// Vitest for workspace checks: they run ESLint with the real config against probe sources.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['test/**/*.test.ts'], environment: 'node', testTimeout: 120_000 },
});
