// The e2e tier's Hardhat config: the project's own, with mocha running the test files side by
// side, one worker each. Each e2e suite drives pipeline runs on a project copy of its own and
// spends most of its time waiting on single-threaded commands (solc, Slither, a node), so on two
// cores the suites overlap instead of queueing.
//
//   npx hardhat --config test/e2e/hardhat.e2e.config.ts test mocha test/e2e/*.test.ts
//
// Hardhat takes the project root from the nearest package.json, so paths stay the project's.
import { defineConfig } from "hardhat/config";

import projectConfig from "../../hardhat.config.js";

export default defineConfig({
  ...projectConfig,
  test: {
    ...projectConfig.test,
    mocha: { ...projectConfig.test?.mocha, parallel: true, jobs: 4 },
  },
});
