// Installs the Slither virtualenv that the pipeline's `static` stage uses (pipeline.config.json:
// static.venv), at the pinned versions, or keeps a complete install that is already there. It is
// `.ci/run`'s install step for Slither, beside npm's and Debian's, so that the pipeline's own time
// is not spent downloading from PyPI; a person's first `npm start` installs it the same way.
//
//   npx hardhat run --no-compile scripts/static/install-slither.ts      (npm run setup:slither)
import { mkdir } from "node:fs/promises";
import path from "node:path";

import { loadPipelineConfig } from "../pipeline/config.js";
import { StageFailure } from "../pipeline/errors.js";
import { execLogged } from "../pipeline/exec.js";
import { ensureSlither } from "../pipeline/static/slither-venv.js";

const root = process.cwd();
const logDir = path.join(root, "reports", "install");
await mkdir(logDir, { recursive: true });
const config = await loadPipelineConfig(root);
const signal = new AbortController().signal;
try {
  const { slither, installed } = await ensureSlither({
    root,
    config,
    progress: (line) => console.log(line),
    exec: (command, args, options) =>
      execLogged(command, args, { ...options, stageDir: logDir, signal, onLine: () => undefined }),
  });
  console.log(`${installed ? "installed" : "already installed"}: ${path.relative(root, slither)}`);
} catch (error) {
  if (!(error instanceof StageFailure)) throw error;
  console.error(`error: ${error.message} (logs in reports/install/)`);
  process.exitCode = 1;
}
