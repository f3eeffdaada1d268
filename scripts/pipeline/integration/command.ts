// The command the `integration` stage runs: the integration suite (test/integration) against the
// deployment a manifest describes, as `hardhat <args>` with cwd = the project root and `env` added
// to the environment.
//
//   hardhat test mocha --no-compile test/integration/deployment.test.ts ... (every *.test.ts there)
//
// - Hardhat's `test mocha` takes file arguments anywhere (resolved against the cwd; they need not
//   be under paths.tests.mocha, and when given, nothing else runs) and loads them in the order
//   given: the files are listed sorted by name.
// - It compiles first unless --no-compile: the stage runs after `build`, and the suite needs the
//   typechain bindings (types/ethers-contracts) that the build writes.
// - The suite reads the manifest from INTENTKIT_INTEGRATION_MANIFEST and talks to manifest.rpcUrl
//   over JSON-RPC; it never uses a Hardhat network.
// - Output: Mocha's spec reporter. `test mocha` has no reporter option, so with a report file
//   INTENTKIT_MOCHA_REPORT makes hardhat.config.ts pick reporter.cjs, which also writes the
//   results there: JUnit XML for a name ending in .xml, Mocha's JSON otherwise.
// - Exit code: 0 when every test passed; 1 on any failing test or hook (Hardhat's test task).
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const INTEGRATION_DIR = "test/integration";
export const MANIFEST_ENV = "INTENTKIT_INTEGRATION_MANIFEST";
export const REPORT_ENV = "INTENTKIT_MOCHA_REPORT";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** The suite's files, relative to the project root, in the order they run. */
export function integrationFiles(root: string = ROOT): string[] {
  return readdirSync(path.join(root, INTEGRATION_DIR))
    .filter((name) => name.endsWith(".test.ts"))
    .sort()
    .map((name) => `${INTEGRATION_DIR}/${name}`);
}

export interface IntegrationCommand {
  /** Hardhat's arguments (after `node <hardhat cli>`), to run with cwd = the project root. */
  args: string[];
  /** Variables to add to the environment. */
  env: Record<string, string>;
}

/**
 * The integration suite against the deployment in `manifestFile`; with `reportFile`, the results
 * are also written there (JUnit XML when it ends in .xml, else Mocha's JSON).
 */
export function integrationCommand(manifestFile: string, reportFile?: string): IntegrationCommand {
  const env: Record<string, string> = { [MANIFEST_ENV]: path.resolve(manifestFile) };
  if (reportFile !== undefined) env[REPORT_ENV] = path.resolve(reportFile);
  return { args: ["test", "mocha", "--no-compile", ...integrationFiles()], env };
}
