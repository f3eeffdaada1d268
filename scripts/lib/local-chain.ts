// Starts and stops a real JSON-RPC node on 127.0.0.1 for tasks, tests and the pipeline: anvil
// (from the npm package @foundry-rs/anvil, the default: it is ready in well under a second) or a
// spawned `hardhat node`. Both derive the same ten accounts from the same well-known test
// mnemonic, so deterministic addresses do not depend on the engine.
//
// Processes are node's own child_process, on purpose: a chain lives either under chain-guard.mjs,
// tied to this process's life by its stdin pipe, or detached, writing to a file descriptor and
// outliving this process. spawn does exactly that; execa would add only behaviour to switch off
// (cleanup on exit, output buffering, rejection on a signal).
import { spawn, type ChildProcess } from "node:child_process";
import { openSync } from "node:fs";
import { createServer } from "node:net";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

import getPort from "get-port";

export type ChainEngine = "anvil" | "hardhat";

export interface LocalChainOptions {
  engine?: ChainEngine;
  /** 0 (the default) picks a free port. */
  port?: number;
  chainId?: number;
  /** Seconds between blocks; by default a block is mined per transaction. */
  blockTime?: number;
  /** Where the node's own output goes: inherited, or discarded (the default). */
  output?: "inherit" | "ignore";
  /** How long to wait for the node to answer, in ms. */
  startTimeoutMs?: number;
  /**
   * Outlive this process (no guard): for the pipeline's chains, which must survive a crashed run
   * so that `--resume` finds its deployments. The owner stops it with {@link stopProcess}; with
   * `logFile`, the node's output goes there.
   */
  detached?: boolean;
  logFile?: string;
}

export interface LocalChain {
  engine: ChainEngine;
  url: string;
  port: number;
  chainId: number;
  pid: number;
  /** Stops the node and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

export const DEFAULT_CHAIN_ID = 31337;
export const TEST_MNEMONIC = "test test test test test test test test test test test junk";

const require = createRequire(import.meta.url);
const guardScript = path.join(path.dirname(fileURLToPath(import.meta.url)), "chain-guard.mjs");

export class LocalChainError extends Error {
  override name = "LocalChainError";
}

/** The anvil binary shipped in @foundry-rs/anvil's platform package. */
export function anvilBinary(): string {
  const os = { linux: "linux", darwin: "darwin", win32: "win32" }[process.platform as string];
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch as string];
  if (os === undefined || arch === undefined) {
    throw new LocalChainError(`anvil has no build for ${process.platform}/${process.arch}; use --engine hardhat`);
  }
  try {
    const pkg = require.resolve(`@foundry-rs/anvil-${os}-${arch}/package.json`);
    return path.join(path.dirname(pkg), "bin", os === "win32" ? "anvil.exe" : "anvil");
  } catch {
    throw new LocalChainError(
      `anvil is not installed for ${os}-${arch} (npm package @foundry-rs/anvil-${os}-${arch}); run \`npm install\` or use --engine hardhat`,
    );
  }
}

/**
 * A port on 127.0.0.1 nothing listens on. get-port also keeps the ports it handed out for a while,
 * so two chains started at once in this process do not get the same one.
 */
export function freePort(): Promise<number> {
  return getPort({ host: "127.0.0.1" });
}

// For a port the user chose: get-port would quietly hand out another one (and skips ports it
// handed out recently), where the user must hear that theirs is taken.
async function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(true));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(false)));
  });
}

function commandFor(engine: ChainEngine, port: number, chainId: number, blockTime?: number): [string, string[]] {
  if (engine === "anvil") {
    const args = ["--host", "127.0.0.1", "--port", String(port), "--chain-id", String(chainId)];
    args.push("--mnemonic", TEST_MNEMONIC, "--accounts", "10", "--hardfork", "prague", "--silent");
    if (blockTime !== undefined) args.push("--block-time", String(blockTime));
    return [anvilBinary(), args];
  }
  const cli = path.join(path.dirname(require.resolve("hardhat/package.json")), "dist", "src", "cli.js");
  if (blockTime !== undefined) throw new LocalChainError("--block-time is supported with the anvil engine only");
  return [
    process.execPath,
    [cli, "node", "--hostname", "127.0.0.1", "--port", String(port), "--chain-id", String(chainId)],
  ];
}

/** Sends one JSON-RPC request to `url`. */
export async function rpc<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

/**
 * Starts a node and resolves once it answers `eth_chainId` with the expected id. The node runs
 * under a guard process that stops it when this process exits, however it exits.
 */
export async function startLocalChain(options: LocalChainOptions = {}): Promise<LocalChain> {
  const engine = options.engine ?? "anvil";
  const chainId = options.chainId ?? DEFAULT_CHAIN_ID;
  const port = options.port && options.port > 0 ? options.port : await freePort();
  if (await portInUse(port)) {
    throw new LocalChainError(`port ${port} on 127.0.0.1 is already in use; pick another with --port`);
  }
  const [command, args] = commandFor(engine, port, chainId, options.blockTime);
  const output = options.output ?? "ignore";
  const log = options.logFile ? openSync(options.logFile, "a") : "ignore";
  const child = options.detached
    ? spawn(command, args, { stdio: ["ignore", log, log], detached: true })
    : spawn(process.execPath, [guardScript, command, ...args], {
        stdio: ["pipe", output, output === "inherit" ? "inherit" : "pipe"],
      });
  if (options.detached) child.unref();
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin?.end();
      child.kill("SIGTERM");
    }
    await exited(child);
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) {
      throw new LocalChainError(
        `the ${engine} node exited before it was ready: ${stderr.trim().split("\n").pop() ?? ""}`,
      );
    }
    try {
      const answered = Number(await rpc<string>(url, "eth_chainId"));
      if (answered !== chainId) {
        await stop();
        throw new LocalChainError(`the node on ${url} reports chain id ${answered}, expected ${chainId}`);
      }
      break;
    } catch (error) {
      if (error instanceof LocalChainError) throw error;
      if (Date.now() > deadline) {
        await stop();
        throw new LocalChainError(
          `the ${engine} node on ${url} did not answer within ${options.startTimeoutMs ?? 60_000} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { engine, url, port, chainId, pid: child.pid ?? -1, stop };
}

/** Whether a process with this pid is alive (for chains started with `detached`). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops a process started with `detached` and waits (up to 5 s, then SIGKILL) for it to go. */
export async function stopProcess(pid: number): Promise<void> {
  if (!processAlive(pid)) return;
  process.kill(pid, "SIGTERM");
  for (let waited = 0; waited < 5_000 && processAlive(pid); waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (processAlive(pid)) process.kill(pid, "SIGKILL");
}
