// A throwaway copy of this project for pipeline tests: the real contracts, config and tooling,
// a small test suite (the Solidity rate-limit suites, the invariant handler the fuzz specs build on,
// and one mocha test, so a run takes about a minute), the specs,
// node_modules and the Slither virtualenv shared with the real project.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { HARDHAT_CLI, ROOT, runHardhat, type TaskRun } from "../mocha/tasks/harness.js";

const COPIED = [
  "contracts",
  "deploy",
  "scripts",
  "tasks",
  "hardhat.config.ts",
  "package.json",
  "tsconfig.json",
  "slither.config.json",
  "slither.triage.json",
  "test/solidity/RateLimit.t.sol",
  "test/solidity/RateLimitGas.t.sol",
  "snapshots",
  "test/solidity/utils",
  "test/solidity/harness",
  "test/solidity/invariants/handlers",
  "test/solidity/invariants/IntentSystemDeployment.sol",
  "specs",
  "test/mocha/fixtures.ts",
  "test/mocha/smoke.test.ts",
  "test/integration",
  ".gitignore",
];

export interface ProjectCopy {
  root: string;
  /** `hardhat pipeline <args>` in the copy, to completion. */
  pipeline(args: string[]): Promise<TaskRun>;
  /** Starts `hardhat pipeline <args>` in its own process group, so a test can kill the whole tree. */
  startPipeline(args: string[]): ChildProcess;
  summary(): Promise<any>;
  /** Rewrites the copy's pipeline.config.json with these `specs` settings. */
  configureSpecs(specs: Record<string, unknown>): Promise<void>;
  /** Rewrites the copy's pipeline.config.json with these sections replaced. */
  configure(sections: Record<string, unknown>): Promise<void>;
  /** Makes the copy a git checkout with everything committed (the mainnet gates want one). */
  commitAll(message?: string): Promise<void>;
  /** Environment of the copy's pipeline runs (CI=true, no HARDHAT_* of this process). */
  env: NodeJS.ProcessEnv;
  remove(): Promise<void>;
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("HARDHAT_")));
  return { ...env, CI: "true" };
}

export async function copyProject(): Promise<ProjectCopy> {
  const root = await mkdtemp(path.join(tmpdir(), "intentkit-pipeline-"));
  for (const entry of COPIED) {
    await cp(path.join(ROOT, entry), path.join(root, entry), { recursive: true });
  }
  await symlink(path.join(ROOT, "node_modules"), path.join(root, "node_modules"));
  await mkdir(path.join(root, "reports"));
  // Fuzz medians depend on the whole project (the fuzzer's dictionary draws on every contract),
  // so only the plain gas test keeps its committed figure here; fuzz entries are new to the
  // copy's snapshot, which --snapshot-check reports without failing.
  const snapshot = await readFile(path.join(ROOT, ".gas-snapshot"), "utf8");
  await writeFile(
    path.join(root, ".gas-snapshot"),
    snapshot
      .split("\n")
      .filter((line) => line.startsWith("RateLimitGasTest#"))
      .join("\n") + "\n",
  );
  const realConfig = JSON.parse(await readFile(path.join(ROOT, "pipeline.config.json"), "utf8"));
  let sections: Record<string, unknown> = {
    // One Solidity suite and one mocha test cannot cover the contracts; the threshold itself is
    // tested against the real suite by the pipeline run in .ci/run.
    test: { coverageMinPercent: 0, gasTolerancePercent: 1 },
    static: { venv: path.relative(root, path.join(ROOT, ".venv")) },
    specs: {},
    rehearsal: realConfig.rehearsal,
    networks: realConfig.networks,
  };
  const configure = (changes: Record<string, unknown>) => {
    sections = { ...sections, ...changes };
    return writeFile(path.join(root, "pipeline.config.json"), JSON.stringify(sections, null, 2));
  };
  const writeConfig = (specs: Record<string, unknown> = {}) => configure({ specs });
  await writeConfig();
  const git = (...args: string[]) =>
    new Promise<void>((resolve, reject) =>
      execFile("git", args, { cwd: root }, (error, _out, stderr) =>
        error ? reject(new Error(`git ${args.join(" ")}: ${stderr}`)) : resolve(),
      ),
    );

  const env = cleanEnv();
  return {
    root,
    pipeline: (args) => runHardhat(["pipeline", ...args], env, 900_000, root),
    startPipeline: (args) =>
      spawn(process.execPath, [HARDHAT_CLI, "pipeline", ...args], {
        cwd: root,
        env,
        detached: true,
        stdio: "ignore",
      }),
    configureSpecs: writeConfig,
    configure,
    env,
    commitAll: async (message = "project copy") => {
      if (!existsSync(path.join(root, ".git"))) {
        await git("init", "-q");
        await git("config", "user.email", "pipeline-tests@intentkit.invalid");
        await git("config", "user.name", "pipeline tests");
      }
      await git("add", "-A");
      await git("commit", "-q", "--allow-empty", "-m", message);
    },
    summary: async () => JSON.parse(await readFile(path.join(root, "reports/pipeline/latest/summary.json"), "utf8")),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
