import { defineConfig } from 'vitest/config';

// Unit tests for the SPA's pure logic; kept apart from vite.config.ts so the React plugin is not loaded.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    restoreMocks: true,
    unstubGlobals: true,
  },
});
