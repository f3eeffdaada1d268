// Runs intentkit tasks in-process: one Hardhat runtime environment per suite, connected to one
// local node per suite, with every task's output captured through the task sink. A task is
// given as a person types it ("token mint", ["--token", "WETH", ...]) and read by Hardhat's own
// CLI parser, and a failure the CLI would print is printed by Hardhat's own error printer, so a
// run here sees what `npx hardhat` prints, less the ~1.2 s a process takes to start.
import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { inspect } from "node:util";
import { pathToFileURL } from "node:url";

import { createHardhatRuntimeEnvironment } from "hardhat/hre";
import type { HardhatUserConfig } from "hardhat/config";
import type { HttpNetworkUserConfig } from "hardhat/types/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { isResult } from "hardhat/utils/result";

import config from "../../../hardhat.config.js";
import { deploymentDir } from "../../../deploy/record.js";
import { rpc, startLocalChain, type LocalChain, type LocalChainOptions } from "../../../scripts/lib/local-chain.js";
import { withTaskOutput } from "../../../tasks/lib/output.js";
import { ROOT, deployedUnlessTold, failingOnError, taskRun, type TaskRun } from "./harness.js";

export interface TaskEnv {
  chain: LocalChain;
  hre: HardhatRuntimeEnvironment;
  deploymentId: string;
  /** Runs `<task> <args>` in-process; resolves with the exit code the CLI would give, and the output. */
  run(task: string, args?: string[]): Promise<TaskRun>;
  /** Like `run`, but fails the test with the task's stderr when it fails. */
  ok(task: string, args?: string[]): Promise<TaskRun>;
  /** Transactions sent from `address` so far (pending ones included). */
  nonce(address: string): Promise<number>;
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  stop(): Promise<void>;
}

interface HardhatCli {
  parseRawArguments(args: string[]): string[];
  parseTask(args: string[], used: boolean[], tasks: HardhatRuntimeEnvironment["tasks"]["rootTasks"]): unknown;
  parseTaskArguments(args: string[], used: boolean[], task: unknown): Record<string, unknown>;
  printErrorMessages(error: Error, showStackTraces: boolean, print: (message: unknown) => void): Promise<void>;
}

let cli: Promise<HardhatCli> | undefined;

// Hardhat exports neither its CLI parser nor its error printer; they are loaded from its dist.
function hardhatCli(): Promise<HardhatCli> {
  const dist = path.join(path.dirname(createRequire(import.meta.url).resolve("hardhat/package.json")), "dist", "src");
  const load = (file: string) => import(pathToFileURL(path.join(dist, "internal", "cli", file)).href);
  cli ??= Promise.all([load("parser.js"), load("error-handling/error-handler.js")]).then(([parser, printer]) => ({
    ...parser,
    ...printer,
  }));
  return cli;
}

/** Starts a node, a runtime environment on it and, unless `deploy` is false, deploys intentkit with `system deploy`. */
export async function startTaskEnv(options: LocalChainOptions & { deploy?: boolean } = {}): Promise<TaskEnv> {
  const chain = await startLocalChain(options);
  const deploymentId = `test-${chain.port}`;
  const localhost = { ...(config.networks?.localhost as HttpNetworkUserConfig), url: chain.url };
  const userConfig: HardhatUserConfig = { ...config, networks: { ...config.networks, localhost } };
  // As at a terminal outside CI: no stack traces unless asked, no coverage instrumentation.
  const hre = await createHardhatRuntimeEnvironment(
    userConfig,
    { network: "localhost", showStackTraces: false, coverage: false },
    ROOT,
  );
  const previousDeployment = process.env.INTENTKIT_DEPLOYMENT;

  const run: TaskEnv["run"] = async (task, args = []) => {
    const { parseRawArguments, parseTask, parseTaskArguments, printErrorMessages } = await hardhatCli();
    let stdout = "";
    let stderr = "";
    const output = { stdout: (text: string) => void (stdout += text), stderr: (text: string) => void (stderr += text) };
    // Tasks pick their deployment from the environment, as they do under the harness's subprocesses.
    process.env.INTENTKIT_DEPLOYMENT = deploymentId;
    try {
      const argv = parseRawArguments([...task.split(" "), ...args]);
      const used = argv.map(() => false);
      const resolved = parseTask(argv, used, hre.tasks.rootTasks);
      if (Array.isArray(resolved)) throw new Error(`no task "${task}"`);
      const taskArguments = parseTaskArguments(argv, used, resolved);
      const result = await withTaskOutput(output, () =>
        (resolved as { run(a: unknown): Promise<unknown> }).run(taskArguments),
      );
      return taskRun(isResult(result) && !result.success ? 1 : 0, stdout, stderr);
    } catch (error) {
      await printErrorMessages(error as Error, false, (message) => {
        stderr += `${typeof message === "string" ? message : inspect(message)}\n`;
      });
      return taskRun(1, stdout, stderr);
    }
  };
  const ok = failingOnError(run);
  const call = <T>(method: string, params: unknown[] = []) => rpc<T>(chain.url, method, params);

  const env: TaskEnv = {
    chain,
    hre,
    deploymentId,
    run,
    ok,
    nonce: async (address) => Number(await call<string>("eth_getTransactionCount", [address, "pending"])),
    rpc: call,
    stop: async () => {
      await chain.stop();
      await rm(deploymentDir(ROOT, deploymentId), { recursive: true, force: true });
      if (previousDeployment === undefined) delete process.env.INTENTKIT_DEPLOYMENT;
      else process.env.INTENTKIT_DEPLOYMENT = previousDeployment;
    },
  };
  return deployedUnlessTold(env, options.deploy);
}

/**
 * In the calling `describe`: every test starts from the chain state the suite's hooks left, and
 * leaves none behind (evm_snapshot before each test, evm_revert after it).
 */
export function revertEach(env: () => TaskEnv | undefined): void {
  let snapshot: string | undefined;
  beforeEach(async function () {
    snapshot = await env()?.rpc<string>("evm_snapshot");
  });
  afterEach(async function () {
    if (snapshot !== undefined) await env()?.rpc("evm_revert", [snapshot]);
    snapshot = undefined;
  });
}
