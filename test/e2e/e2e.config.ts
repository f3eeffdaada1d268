// The config of `npm run test:e2e`: the project's, with mocha running the e2e files side by side,
// one worker process each. Each file drives pipeline runs on its own project copies (own folders,
// own free ports). Three workers for the three long files (the mutants, resume, delivery): much
// of a run waits on a node, a subprocess or a single-threaded compile, so one file alone leaves a
// core idle, and the three together keep both cores busy.
import { defineConfig } from "hardhat/config";

import projectConfig from "../../hardhat.config.js";

export default defineConfig({
  ...projectConfig,
  test: {
    ...projectConfig.test,
    mocha: { ...projectConfig.test?.mocha, parallel: true, jobs: 3 },
  },
});
