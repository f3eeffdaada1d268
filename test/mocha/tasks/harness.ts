// Runs intentkit tasks the way a person types them, `npx hardhat <task> <subtask> --network
// localhost ...`, as subprocesses against a real local node that the harness starts on 127.0.0.1
// and stops. The task suites run tasks in-process (in-process.ts); subprocesses are for the CLI
// contract (cli.test.ts) and for the suites that need a real `npx hardhat` process.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { createInterface } from "node:readline";

import { deploymentDir } from "../../../deploy/record.js";
import { rpc, startLocalChain, type LocalChain, type LocalChainOptions } from "../../../scripts/lib/local-chain.js";

const require = createRequire(import.meta.url);
export const ROOT = path.resolve(path.dirname(require.resolve("../../../package.json")));
export const HARDHAT_CLI = path.join(path.dirname(require.resolve("hardhat/package.json")), "dist", "src", "cli.js");

/** The node's first accounts, from the well-known test mnemonic. */
export const ACCOUNTS = {
  deployer: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  solver: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  user: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  recipient: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
  other: "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
} as const;

export interface TaskRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for tasks run with --json). */
  json<T = any>(): T;
}

export interface TaskChain {
  chain: LocalChain;
  deploymentId: string;
  env: NodeJS.ProcessEnv;
  /** Runs `hardhat <task> --network localhost <args>` (`task` as typed: "system deploy") and resolves with its exit code and output. */
  run(task: string, args?: string[], options?: { env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<TaskRun>;
  /** Like `run`, but fails the test with the task's stderr when it exits non-zero. */
  ok(task: string, args?: string[]): Promise<TaskRun>;
  /** Transactions sent from `address` so far (pending ones included). */
  nonce(address: string): Promise<number>;
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  stop(): Promise<void>;
}

/** A finished task run: its exit code and output, and stdout parsed as JSON on demand. */
export function taskRun(code: number, stdout: string, stderr: string): TaskRun {
  return {
    code,
    stdout,
    stderr,
    json() {
      try {
        return JSON.parse(stdout);
      } catch {
        throw new Error(`not JSON (exit ${code}): ${stdout}\n${stderr}`);
      }
    },
  };
}

export function runHardhat(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 180_000,
  cwd: string = ROOT,
): Promise<TaskRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [HARDHAT_CLI, ...args],
      { cwd, env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve(taskRun(code, stdout, stderr));
      },
    );
  });
}

/**
 * The environment of a task run as a person runs it at a terminal: without the parent's Hardhat
 * options (under `hardhat test --coverage`, HARDHAT_COVERAGE would make each task build and
 * deploy instrumented bytecode, which exceeds the contract size limit) and without the variables
 * by which Hardhat detects CI (there it shows every error's stack trace, so bad input would print
 * more than its one `error:` line), nor HH_TEST, which `hardhat test` sets and which makes the
 * keystore refuse to look past its development store.
 */
export function terminalEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const ci = new Set(CI_VARIABLES);
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("HARDHAT_") && key !== "HH_TEST" && !ci.has(key)),
  );
  return { ...inherited, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true", ...extra };
}

/** What @nomicfoundation/hardhat-utils/ci's isCi() reads. */
const CI_VARIABLES = [
  "CI",
  "GITHUB_ACTIONS",
  "NOW",
  "DEPLOYMENT_ID",
  "CODEBUILD_BUILD_NUMBER",
  "CONTINUOUS_INTEGRATION",
  "BUILD_NUMBER",
  "RUN_ID",
];

/** `ok` for a task runner: like `run`, but throws with the task's stderr when it exits non-zero. */
export function failingOnError(
  run: (task: string, args?: string[]) => Promise<TaskRun>,
): (task: string, args?: string[]) => Promise<TaskRun> {
  return async (task, args = []) => {
    const result = await run(task, args);
    if (result.code !== 0) throw new Error(`${task} ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
    return result;
  };
}

/** Deploys intentkit with `system deploy` unless `deploy` is false; stops everything if that fails. */
export async function deployedUnlessTold<T extends { ok(task: string): Promise<TaskRun>; stop(): Promise<void> }>(
  handle: T,
  deploy = true,
): Promise<T> {
  if (!deploy) return handle;
  try {
    await handle.ok("system deploy");
  } catch (error) {
    await handle.stop();
    throw error;
  }
  return handle;
}

/** Starts a node and, unless `deploy` is false, deploys intentkit to it with `system deploy`. */
export async function startTaskChain(options: LocalChainOptions & { deploy?: boolean } = {}): Promise<TaskChain> {
  const chain = await startLocalChain(options);
  const deploymentId = `test-${chain.port}`;
  const env = terminalEnv({ INTENTKIT_LOCALHOST_URL: chain.url, INTENTKIT_DEPLOYMENT: deploymentId });
  const run: TaskChain["run"] = (task, args = [], extra = {}) =>
    runHardhat(
      [...task.split(" "), ...(args.includes("--network") ? [] : ["--network", "localhost"]), ...args],
      { ...env, ...extra.env },
      extra.timeoutMs,
    );
  const ok = failingOnError(run);
  const handle: TaskChain = {
    chain,
    deploymentId,
    env,
    run,
    ok,
    nonce: async (address) => Number(await rpc<string>(chain.url, "eth_getTransactionCount", [address, "pending"])),
    rpc: (method, params = []) => rpc(chain.url, method, params),
    stop: async () => {
      await chain.stop();
      await rm(deploymentDir(ROOT, deploymentId), { recursive: true, force: true });
    },
  };
  return deployedUnlessTold(handle, options.deploy);
}

/** A long-running task (`service start`, `solver run`) in a process of its own. */
export interface RunningTask {
  child: ChildProcess;
  /** Its stdout lines and stderr chunks, in arrival order. */
  output: string[];
  /** Resolves with the first stdout line that matches, or rejects when the process exits first. */
  line(match: RegExp): Promise<string>;
  exited: Promise<number | null>;
}

/** Starts `hardhat <args>` from the project root with `env`, its output collected. */
export function spawnTask(args: string[], env: NodeJS.ProcessEnv): RunningTask {
  const child = spawn(process.execPath, [HARDHAT_CLI, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout! });
  lines.on("line", (text) => output.push(text));
  child.stderr!.on("data", (chunk) => output.push(String(chunk)));
  const name = args
    .filter((arg) => !arg.startsWith("-"))
    .slice(0, 2)
    .join(" ");
  return {
    child,
    output,
    exited,
    line: (match) =>
      new Promise((resolve, reject) => {
        const seen = output.find((text) => match.test(text));
        if (seen !== undefined) return resolve(seen);
        lines.on("line", (text) => match.test(text) && resolve(text));
        void exited.then((code) => reject(new Error(`${name} exited ${code}: ${output.join("\n")}`)));
      }),
  };
}
