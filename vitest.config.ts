import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One Firestore emulator for the run (Google's where installed); it prints which.
    globalSetup: ['test/setup/firestore.ts'],
    // Emulator suites start servers on random ports; two cores in CI, so keep parallelism modest.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { METADATA_SERVER_DETECTION: 'none', TZ: 'UTC' },
  },
});
