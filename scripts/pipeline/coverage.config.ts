// The Hardhat config of coverage runs: the project's own, building into artifacts and a cache of
// its own. `hardhat test --coverage` compiles instrumented contracts; with the project's paths it
// would overwrite artifacts/ with them, and every plain command after it would recompile all of
// via-IR (about 80 s here). With its own paths the instrumented build is incremental like the
// plain one, and artifacts/ always holds the deployable build.
//
//   npx hardhat --config scripts/pipeline/coverage.config.ts test --coverage
//
// Hardhat takes the project root from the nearest package.json, so every path stays relative to
// the project. Both folders are under cache/, so `hardhat clean` removes them with the rest.
import { defineConfig } from "hardhat/config";

import projectConfig from "../../hardhat.config.js";

export default defineConfig({
  ...projectConfig,
  paths: { ...projectConfig.paths, artifacts: "cache/coverage/artifacts", cache: "cache/coverage/cache" },
  // The instrumented build has the same ABIs; types/ stays the plain build's.
  typechain: { ...projectConfig.typechain, dontOverrideCompile: true },
});
