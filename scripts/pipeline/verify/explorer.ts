// Block-explorer verification: `hardhat verify etherscan` (@nomicfoundation/hardhat-verify, loaded
// by the toolbox) as a subprocess, through a runner the caller passes in so the stage logs it. It
// only runs when there is an explorer to talk to (not on a local chain) and an Etherscan API key
// (the plugin reads it from `verify.etherscan.apiKey` in hardhat.config.ts, a configuration
// variable that resolves from $ETHERSCAN_API_KEY); otherwise the result is `skipped`, saying why.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";

import type { DeploymentManifest, ManifestContract } from "../deploy/manifest.js";

export interface ExplorerResult {
  status: "verified" | "skipped" | "failed";
  reason: string;
  /** The contract's page on the explorer, when hardhat-verify printed it. */
  url?: string;
  /** The runner's log of the command, when it reports one. */
  logFile?: string;
}

/** Runs `hardhat <args>` in the project root; the stage passes its logged `ctx.hardhat`. */
export type HardhatRunner = (
  args: string[],
  options: { logName: string },
) => Promise<{ code: number; tail: string[]; logFile?: string }>;

export const ETHERSCAN_API_KEY = "ETHERSCAN_API_KEY";

/** Why the explorer step does not run for this manifest, or undefined when it does. */
export function explorerSkipReason(manifest: DeploymentManifest, apiKey: string | undefined): string | undefined {
  if (manifest.local) return "local chain: no explorer";
  if (apiKey === undefined || apiKey.trim() === "") return `no ${ETHERSCAN_API_KEY} configured`;
  return undefined;
}

/** `hardhat --network <n> verify etherscan --contract <fqn> --constructor-args-path <f> <address>`. */
export function explorerArgs(manifest: DeploymentManifest, contract: ManifestContract, argsFile: string): string[] {
  return [
    "--network",
    manifest.network,
    "verify",
    "etherscan",
    "--contract",
    `${contract.sourceName}:${contract.contractName}`,
    "--constructor-args-path",
    argsFile,
    contract.address,
  ];
}

const plain = (line: string) => line.replace(/\u001b\[[0-9;]*m/g, "").trim(); // eslint-disable-line no-control-regex

export async function verifyOnExplorer(options: {
  name: string;
  contract: ManifestContract;
  manifest: DeploymentManifest;
  apiKey: string | undefined;
  runHardhat: HardhatRunner;
}): Promise<ExplorerResult> {
  const { name, contract, manifest } = options;
  const skip = explorerSkipReason(manifest, options.apiKey);
  if (skip !== undefined) return { status: "skipped", reason: skip };

  // hardhat-verify takes structured constructor arguments from a module that exports them.
  const dir = await mkdtemp(path.join(tmpdir(), "intentkit-verify-"));
  const argsFile = path.join(dir, `${name}.constructor-args.mjs`);
  try {
    await writeFile(argsFile, `export default ${JSON.stringify(contract.constructorArgs, null, 2)};\n`);
    const run = await options.runHardhat(explorerArgs(manifest, contract, argsFile), {
      logName: `explorer-${name}`,
    });
    const lines = run.tail.map(plain).filter(Boolean);
    const url = lines
      .map((l) => /^Explorer:\s*(\S+)/.exec(l)?.[1])
      .filter(Boolean)
      .pop();
    const logged = run.logFile !== undefined ? { logFile: run.logFile } : {};
    if (run.code === 0) {
      const already = lines.some((l) => l.includes("already been verified"));
      return {
        status: "verified",
        reason: already ? "already verified" : "verified",
        ...(url ? { url } : {}),
        ...logged,
      };
    }
    // Hardhat ends an error with "For more info go to ..."; the line before says what went wrong.
    const meaningful = lines.filter((l) => !l.startsWith("===") && !l.startsWith("For more info"));
    const last = meaningful.filter((l) => /error/i.test(l)).pop() ?? meaningful.pop() ?? `exit ${run.code}`;
    return { status: "failed", reason: `hardhat verify etherscan exited ${run.code}: ${last}`, ...logged };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const require = createRequire(import.meta.url);

/** A runner for callers without a stage: `node <hardhat cli> <args>` in `root`, last 40 lines kept. */
export function defaultHardhatRunner(root: string, env: NodeJS.ProcessEnv = process.env): HardhatRunner {
  const cli = path.join(path.dirname(require.resolve("hardhat/package.json")), "dist", "src", "cli.js");
  return (args) =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [cli, ...args], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
      const tail: string[] = [];
      const keep = (chunk: Buffer) => {
        tail.push(...chunk.toString().split("\n"));
        tail.splice(0, Math.max(0, tail.length - 40));
      };
      child.stdout.on("data", keep);
      child.stderr.on("data", keep);
      child.on("error", (error) => resolve({ code: 1, tail: [`could not start hardhat: ${error.message}`] }));
      child.on("close", (code) => resolve({ code: code ?? 1, tail }));
    });
}
