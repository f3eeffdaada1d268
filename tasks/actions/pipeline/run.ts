// `npx hardhat pipeline`: checks the options, runs the engine, and ends with the run's table and
// the report to read. Exit code 0 only when every selected stage passed.
import { existsSync } from "node:fs";
import { appendFile, readFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline/promises";

import { isCi } from "@nomicfoundation/hardhat-utils/ci";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { loadPipelineConfig } from "../../../scripts/pipeline/config.js";
import { stopRunChains } from "../../../scripts/pipeline/deploy/chains.js";
import { runPipeline, type PipelineOptions } from "../../../scripts/pipeline/engine.js";
import { PipelineError } from "../../../scripts/pipeline/errors.js";
import { formatDuration } from "../../../scripts/pipeline/reports.js";
import { LATEST, STAGE_NAMES, type StageName } from "../../../scripts/pipeline/summary.js";
import { taskAction } from "../../lib/action.js";
import { UserError } from "../../lib/errors.js";

interface PipelineArgs {
  only: string;
  from: string;
  resume: boolean;
  runId: string;
  reportDir: string;
  pipelineConfig: string;
  testnet: string;
  mainnet: string;
  confirm: string;
  stopChains: boolean;
}

function stageName(name: string, option: string): StageName {
  if (!(STAGE_NAMES as readonly string[]).includes(name)) {
    throw new UserError(`${option}: unknown stage "${name}"; stages are ${STAGE_NAMES.join(", ")}`);
  }
  return name as StageName;
}

function parseOptions(args: PipelineArgs, hre: HardhatRuntimeEnvironment): PipelineOptions {
  const root = hre.config.paths.root;
  if (args.only && args.from) throw new UserError("--only and --from cannot be combined; use one of them");
  if (args.resume && (args.only || args.from)) {
    throw new UserError("--resume continues the stored run with its own stage selection; drop --only/--from");
  }
  if (args.runId && !args.resume) throw new UserError("--run-id names the run to continue; use it with --resume");
  if (args.runId && !/^[\w.-]+$/.test(args.runId)) throw new UserError(`--run-id: "${args.runId}" is not a run id`);
  const only = args.only
    ? args.only
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => stageName(s, "--only"))
    : null;
  if (only && only.length === 0) throw new UserError("--only: name at least one stage");
  return {
    root,
    only,
    from: args.from ? stageName(args.from.trim(), "--from") : null,
    resume: args.resume,
    runId: args.runId || null,
    reportDir: args.reportDir,
    configFile: args.pipelineConfig,
    plain: !process.stdout.isTTY || isCi(),
    hre,
    delivery: {
      testnet: args.testnet.trim() || null,
      mainnet: args.mainnet.trim() || null,
      confirm: args.confirm.trim() || null,
    },
  };
}

const interactive = () => process.stdin.isTTY && process.stdout.isTTY && !isCi();

/**
 * A person at a terminal confirms a mainnet rollout by typing the chain id before the run starts
 * (so a long run does not wait at a prompt halfway). The mainnet gate checks it against the
 * chain id the network reports.
 */
async function askConfirmation(options: PipelineOptions): Promise<void> {
  const selected = options.resume || options.only === null || options.only.includes("mainnet");
  if (!selected || options.delivery.confirm !== null || !interactive()) return;
  const config = await loadPipelineConfig(options.root, options.configFile);
  const network = options.delivery.mainnet ?? config.rehearsal.mainnet.network;
  const expected =
    options.delivery.mainnet === null
      ? ` (the rehearsal node, chain ${config.rehearsal.mainnet.chainId})`
      : options.hre.config.networks[network]?.chainId !== undefined
        ? ` (chain ${options.hre.config.networks[network]?.chainId})`
        : "";
  const readline = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await readline.question(
      `This run may roll out to network "${network}"${expected}. Type its chain id to allow it (Enter: stop before the rollout): `,
    );
    options.delivery.confirm = answer.trim() || null;
  } finally {
    readline.close();
  }
}

async function stopChains(args: PipelineArgs, root: string): Promise<void> {
  const runDir = path.resolve(root, args.reportDir, args.runId || LATEST);
  if (!existsSync(runDir)) throw new UserError(`no pipeline run at ${runDir}`);
  const stopped = await stopRunChains(runDir);
  console.log(
    stopped.length === 0
      ? "no local chains of that run are running"
      : stopped.map((c) => `stopped the local ${c.role} (${c.engine}, ${c.url}, pid ${c.pid})`).join("\n"),
  );
}

async function pipeline(args: PipelineArgs, hre: HardhatRuntimeEnvironment) {
  const root = hre.config.paths.root;
  if (args.stopChains) return stopChains(args, root);
  const options = parseOptions(args, hre);
  await askConfirmation(options).catch((error: unknown) => {
    throw error instanceof PipelineError ? new UserError(error.message) : error;
  });
  const outcome = await runPipeline(options).catch((error: unknown) => {
    throw error instanceof PipelineError ? new UserError(error.message) : error;
  });
  const { summary, runDir } = outcome;
  const shown = path.relative(root, runDir) || runDir;

  const commit = /^[0-9a-f]{40}$/.test(summary.commit) ? summary.commit.slice(0, 12) : summary.commit;
  console.log(`\npipeline run ${summary.runId}  commit ${commit}${summary.dirty ? " (dirty)" : ""}`);
  console.log(`buildHash ${summary.buildHash ?? "(not built)"}`);
  for (const stage of summary.stages) {
    const duration = formatDuration(stage.durationMs).padStart(10);
    const status = stage.cached ? `${stage.status} (cached)` : stage.status;
    console.log(`  ${stage.name.padEnd(12)} ${status.padEnd(16)} ${duration}  ${stage.reason ?? ""}`);
  }
  // The specs stage's property table, when it ran: what was proved, fuzzed or left unknown.
  const specsTable = path.join(runDir, "specs", "specs.txt");
  const specsRan = summary.stages.some((s) => s.name === "specs" && (s.status === "passed" || s.status === "failed"));
  if (specsRan && existsSync(specsTable)) {
    console.log(`\nproperty specs (${path.join(shown, "specs", "specs.json")}):`);
    for (const line of (await readFile(specsTable, "utf8")).trimEnd().split("\n")) console.log(line && `  ${line}`);
  }
  console.log(
    `report: ${path.join(shown, "summary.md")} (summary.json, junit.xml); auditor page: ${path.join(shown, "index.html")}`,
  );
  for (const chain of outcome.chainsStopped) console.log(`stopped the local ${chain.role} chain (${chain.url})`);
  for (const chain of outcome.chainsLeft) {
    console.log(
      `the local ${chain.role} chain stays up for --resume: ${chain.url} (pid ${chain.pid}); stop it with \`npx hardhat pipeline --stop-chains\``,
    );
  }
  // In GitHub Actions the run's table becomes the job summary.
  if (process.env.GITHUB_STEP_SUMMARY) {
    await appendFile(process.env.GITHUB_STEP_SUMMARY, await readFile(path.join(runDir, "summary.md"), "utf8"));
  }

  if (outcome.interrupted) {
    console.error(`\npipeline: interrupted by ${outcome.interrupted}; continue with \`npx hardhat pipeline --resume\``);
    process.exit(130);
  }
  if (!outcome.ok) {
    const failed = summary.stages.find((s) => s.status === "failed");
    if (outcome.failureTail.length > 0) {
      console.error(`\nlast lines of output from ${failed?.name}:`);
      for (const line of outcome.failureTail.slice(-20)) console.error(`  | ${line}`);
    }
    throw new UserError(
      `stage ${failed?.name ?? "?"} failed: ${failed?.reason ?? "see the report"}\n  report: ${path.join(shown, "summary.md")}`,
    );
  }
}

export default taskAction(pipeline);
