// A throwaway copy of this project for pipeline tests: the real contracts, config and tooling,
// a small test suite (the Solidity tests and one mocha test), the specs, the project's compiled state
// (so a copy compiles only what its test changes), and node_modules and the Slither virtualenv
// shared with the real project.
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";

import { execa, type ResultPromise } from "execa";

import { compiledStateDirs, copyCompiledState } from "./compiled-state.js";

const require = createRequire(import.meta.url);
export const ROOT = path.resolve(path.dirname(require.resolve("../../package.json")));
const HARDHAT_CLI = path.join(path.dirname(require.resolve("hardhat/package.json")), "dist", "src", "cli.js");

const COPIED = [
  "contracts",
  "lib",
  "deploy",
  "scripts",
  "tasks",
  "service",
  "abi",
  "hardhat.config.ts",
  "package.json",
  "tsconfig.json",
  "slither.config.json",
  "slither.triage.json",
  // Every Solidity test: the inherited build-info embeds them all, and the static stage refuses a
  // build-info whose sources differ from the files on disk.
  "test/solidity",
  "snapshots",
  "specs",
  "test/mocha/fixtures.ts",
  "test/mocha/smoke.test.ts",
  "test/integration",
  ".gitignore",
];

/**
 * A guard against a hung run, not a budget: a full run on a 2-core machine shared with other
 * builds has taken over 15 minutes.
 */
const PIPELINE_TIMEOUT_MS = 1_200_000;

export interface PipelineRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface StartedPipeline {
  pid: number;
  /** Resolves when the pipeline's own process has exited. */
  exited: Promise<void>;
  /** Sends `signal` to the pipeline's whole process group (it and every command it started). */
  killTree(signal: NodeJS.Signals): void;
}

export interface ProjectCopy {
  root: string;
  /** `hardhat pipeline <args>` in the copy, to completion, with `env` over the copy's environment. */
  pipeline(args: string[], env?: NodeJS.ProcessEnv): Promise<PipelineRun>;
  /** Starts `hardhat pipeline <args>` in its own process group, so a test can kill the whole tree. */
  startPipeline(args: string[]): StartedPipeline;
  summary(): Promise<any>;
  /** Rewrites the copy's pipeline.config.json with these `specs` settings. */
  configureSpecs(specs: Record<string, unknown>): Promise<void>;
  /** Rewrites the copy's pipeline.config.json with these sections replaced. */
  configure(sections: Record<string, unknown>): Promise<void>;
  /** Makes the copy a git checkout with everything committed (the mainnet gates want one). */
  commitAll(message?: string): Promise<void>;
  /**
   * A second copy in the state this one is in now (files, compiled state, git history, run store
   * and deployment records), for a test that diverges from it while others go on with this one.
   */
  clone(): Promise<ProjectCopy>;
  /** Environment of the copy's pipeline runs (CI=true, no HARDHAT_* of this process). */
  env: NodeJS.ProcessEnv;
  remove(): Promise<void>;
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("HARDHAT_")));
  return { ...env, CI: "true" };
}

const newRoot = () => mkdtemp(path.join(tmpdir(), "intentkit-pipeline-"));

export async function copyProject(): Promise<ProjectCopy> {
  const root = await newRoot();
  await Promise.all(COPIED.map((entry) => cp(path.join(ROOT, entry), path.join(root, entry), { recursive: true })));
  await copyCompiledState(ROOT, root);
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
  const sections: Record<string, unknown> = {
    // One Solidity suite and one mocha test cannot cover the contracts; the threshold itself is
    // tested against the real suite by the pipeline run in .ci/run. The coverage pass leaves out
    // the fuzz and invariant campaigns too (two thirds of its time, instrumented): a copy tests
    // the pipeline's mechanics, and the uninstrumented Solidity pass still runs every test.
    test: {
      coverageMinPercent: 0,
      gasTolerancePercent: 1,
      outOfProcessSuites: `${realConfig.test.outOfProcessSuites}|^(invariant|testFuzz)_`,
    },
    static: { venv: path.relative(root, path.join(ROOT, ".venv")) },
    specs: {},
    rehearsal: realConfig.rehearsal,
    networks: realConfig.networks,
  };
  const copy = openCopy(root, sections);
  await copy.configure({});
  return copy;
}

function openCopy(root: string, initialSections: Record<string, unknown>): ProjectCopy {
  let sections = initialSections;
  const configure = (changes: Record<string, unknown>) => {
    sections = { ...sections, ...changes };
    return writeFile(path.join(root, "pipeline.config.json"), JSON.stringify(sections, null, 2));
  };
  const git = (...args: string[]) => execa("git", args, { cwd: root }).then(() => undefined);
  const env = cleanEnv();
  const hardhat = (args: string[], extra: NodeJS.ProcessEnv, options: object) =>
    execa(process.execPath, [HARDHAT_CLI, "pipeline", ...args], {
      cwd: root,
      env: { ...env, ...extra },
      extendEnv: false,
      reject: false,
      stripFinalNewline: false,
      ...options,
    });

  return {
    root,
    env,
    pipeline: async (args, extra = {}) => {
      const result = await hardhat(args, extra, { timeout: PIPELINE_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
      const stderr = String(result.stderr);
      return {
        code: result.exitCode ?? 1,
        stdout: String(result.stdout),
        // A run stopped by the guard says so, instead of failing a test with a bare exit code.
        stderr: result.timedOut ? `${stderr}\n[stopped after ${PIPELINE_TIMEOUT_MS / 1000} s]\n` : stderr,
      };
    },
    startPipeline: (args) => {
      const child: ResultPromise = hardhat(args, {}, { detached: true, stdio: "ignore" });
      if (child.pid === undefined) throw new Error("the pipeline did not start");
      const pid = child.pid;
      return {
        pid,
        exited: child.then(() => undefined),
        killTree: (signal) => process.kill(-pid, signal),
      };
    },
    configureSpecs: (specs) => configure({ specs }),
    configure,
    commitAll: async (message = "project copy") => {
      if (!existsSync(path.join(root, ".git"))) {
        await git("init", "-q");
        await git("config", "user.email", "pipeline-tests@intentkit.invalid");
        await git("config", "user.name", "pipeline tests");
      }
      await git("add", "-A");
      await git("commit", "-q", "--allow-empty", "-m", message);
    },
    clone: async () => {
      const to = await newRoot();
      // node_modules stays a link to the real project's; compiled state is rebased to the clone.
      const compiled = new Set((await compiledStateDirs(root)).map((dir) => path.join(root, dir)));
      await cp(root, to, { recursive: true, verbatimSymlinks: true, filter: (source) => !compiled.has(source) });
      await copyCompiledState(root, to);
      return openCopy(to, sections);
    },
    summary: async () => JSON.parse(await readFile(path.join(root, "reports/pipeline/latest/summary.json"), "utf8")),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
