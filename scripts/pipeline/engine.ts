// The pipeline engine: plans a run (fresh, --only, --from, or --resume), runs the stages in order
// under a listr2 task list, and records every change of state in the run folder as it happens.
//
// Build identity: `build` runs in every run and yields the buildHash; each stage's result records
// the buildHash it passed for, a resumed run keeps only results recorded for the current one, and
// the hash is checked again after every stage so that a contract edited while the run is under
// way fails the run instead of mixing two builds in one report.
//
// Interruption: SIGINT/SIGTERM stop the running command, mark the stage failed ("interrupted"),
// leave later stages pending, and exit 130; a crash or SIGKILL leaves the stage `running` in
// summary.json. Either way `--resume` continues the run.
import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { Listr, PRESET_TIMER, type ListrTaskWrapper } from "listr2";

import { computeBuildIdentity } from "./build-hash.js";
import { liveRunChain, stopRunChains, type RunChain } from "./deploy/chains.js";
import { loadPipelineConfig, type PipelineConfig } from "./config.js";
import { PipelineError, StageFailure } from "./errors.js";
import { execLogged, type ExecResult } from "./exec.js";
import { gitState } from "./git.js";
import { formatDuration } from "./reports.js";
import { RunStore, newRunId, type RunSummary, type StageResult } from "./run-store.js";
import { STAGE_NAMES, type DeliveryOptions, type Stage, type StageContext, type StageName } from "./stage.js";
import { stagesInOrder } from "./stages/index.js";

export interface PipelineOptions {
  root: string;
  /** Stages to run; `build` always runs. null: every stage (or from `from`). */
  only: StageName[] | null;
  from: StageName | null;
  resume: boolean;
  /** With `resume`: the run to continue (default: reports/pipeline/latest). */
  runId: string | null;
  reportDir: string;
  configFile: string;
  /** Line-by-line output instead of the live task list. */
  plain: boolean;
  hre: HardhatRuntimeEnvironment;
  delivery: DeliveryOptions;
}

export interface PipelineOutcome {
  summary: RunSummary;
  runDir: string;
  ok: boolean;
  interrupted: NodeJS.Signals | null;
  /** The last lines of output of the command that failed, if one did. */
  failureTail: string[];
  /** Local chains of this run left running for `--resume` (the run did not pass). */
  chainsLeft: RunChain[];
  /** Local chains stopped because the run passed. */
  chainsStopped: RunChain[];
}

const HEARTBEAT_MS = 30_000;

function selectionFor(only: StageName[] | null, from: StageName | null): StageName[] {
  if (only) return STAGE_NAMES.filter((name) => name === "build" || only.includes(name));
  if (from) return STAGE_NAMES.filter((name, i) => name === "build" || i >= STAGE_NAMES.indexOf(from));
  return [...STAGE_NAMES];
}

function freshSummary(options: PipelineOptions, stages: Stage[]): RunSummary {
  const { commit, dirty } = gitState(options.root);
  const now = new Date().toISOString();
  const selection = selectionFor(options.only, options.from);
  return {
    runId: newRunId(),
    commit,
    dirty,
    buildHash: null,
    startedAt: now,
    updatedAt: now,
    selection,
    sessions: [{ startedAt: now, commit, buildHash: null }],
    finished: false,
    stages: stages.map((stage) => {
      const base = { name: stage.name, startedAt: null, durationMs: null, outputs: {}, buildHash: null, attempts: 0 };
      if (!stage.run) return { ...base, status: "not-implemented", reason: `not built yet (${stage.plannedIn})` };
      if (!selection.includes(stage.name)) return { ...base, status: "skipped", reason: "not selected" };
      return { ...base, status: "pending", reason: null };
    }),
  };
}

/** Hardhat's CLI, run under this same Node, as a person would run `npx hardhat`. */
function hardhatCli(root: string): string {
  const require = createRequire(path.join(root, "package.json"));
  return path.join(path.dirname(require.resolve("hardhat/package.json")), "dist", "src", "cli.js");
}

/** The environment of a stage's commands: no Hardhat options of this process leak into them. */
function childEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("HARDHAT_")));
  return { ...env, FORCE_COLOR: "0", NO_COLOR: "1" };
}

export async function runPipeline(options: PipelineOptions): Promise<PipelineOutcome> {
  const config = await loadPipelineConfig(options.root, options.configFile);
  const store = new RunStore(path.resolve(options.root, options.reportDir));
  const stages = stagesInOrder();

  let summary: RunSummary;
  if (options.resume) {
    summary = await store.load(options.runId ?? undefined);
    const { commit, dirty } = gitState(options.root);
    summary.commit = commit;
    summary.dirty = dirty;
    summary.finished = false;
    summary.sessions.push({ startedAt: new Date().toISOString(), commit, buildHash: null });
    await store.save(summary);
    await store.pointLatestAt(summary.runId);
  } else {
    summary = freshSummary(options, stages);
    await store.create(summary);
  }
  const runDir = store.runDir(summary.runId);
  const storedBuildHash = summary.buildHash;

  const controller = new AbortController();
  let interrupted: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = signal;
    controller.abort(new StageFailure(`interrupted by ${signal}; continue with \`npx hardhat pipeline --resume\``));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  let failureTail: string[] = [];
  const result = (name: StageName) => summary.stages.find((s) => s.name === name) as StageResult;

  const runStage = async (stage: Stage, task: ListrTaskWrapper<unknown, any, any>) => {
    const record = result(stage.name);
    if (
      options.resume &&
      stage.name !== "build" &&
      record.status === "passed" &&
      record.buildHash !== null &&
      record.buildHash === summary.buildHash
    ) {
      task.skip(`${stage.name}: kept, passed at ${record.startedAt} for this build`);
      return;
    }

    const stageDir = path.join(runDir, stage.name);
    await rm(stageDir, { recursive: true, force: true });
    await mkdir(stageDir, { recursive: true });
    Object.assign(record, {
      status: "running",
      startedAt: new Date().toISOString(),
      durationMs: null,
      outputs: {},
      reason: null,
      buildHash: summary.buildHash,
      attempts: record.attempts + 1,
    });
    await store.save(summary);
    const started = Date.now();

    let lastLine = "";
    const progress = (line: string) => {
      lastLine = line;
      if (!options.plain) task.output = line;
    };
    const heartbeat = options.plain
      ? setInterval(() => {
          task.output = `${stage.name}: running for ${formatDuration(Date.now() - started)}; last: ${lastLine.slice(0, 160)}`;
        }, HEARTBEAT_MS)
      : undefined;
    const exec: StageContext["exec"] = async (command, args, execOptions) => {
      const execResult: ExecResult = await execLogged(command, args, {
        cwd: options.root,
        ...execOptions,
        env: { ...childEnv(), ...execOptions.env },
        stageDir,
        signal: controller.signal,
        onLine: progress,
      });
      return execResult;
    };
    const ctx: StageContext = {
      root: options.root,
      hre: options.hre,
      delivery: options.delivery,
      reportRoot: store.reportRoot,
      summary,
      stageDir,
      runDir,
      config,
      buildHash: summary.buildHash ?? "",
      signal: controller.signal,
      progress,
      exec,
      hardhat: (args, execOptions) => exec(process.execPath, [hardhatCli(options.root), ...args], execOptions),
    };

    try {
      const outcome = await (stage.run as NonNullable<Stage["run"]>)(ctx);
      if (stage.name === "build") {
        if (storedBuildHash && storedBuildHash !== outcome.buildHash) {
          outcome.outputs.previousBuildHash = storedBuildHash;
        }
        adoptBuild(outcome.buildHash as string);
      } else {
        const now = (await computeBuildIdentity(options.root)).buildHash;
        if (now !== summary.buildHash) {
          throw new StageFailure(
            `the build changed while ${stage.name} ran (buildHash ${summary.buildHash} -> ${now}); start a new run`,
          );
        }
      }
      Object.assign(record, {
        status: "passed",
        durationMs: Date.now() - started,
        outputs: outcome.outputs,
        buildHash: summary.buildHash,
      });
      await store.save(summary);
    } catch (error) {
      const failure =
        error instanceof StageFailure
          ? error
          : error instanceof PipelineError
            ? new StageFailure(error.message)
            : new StageFailure(`unexpected error: ${(error as Error).message ?? String(error)}`);
      Object.assign(record, {
        status: "failed",
        durationMs: Date.now() - started,
        outputs: { ...record.outputs, ...failure.outputs },
        reason: failure.reason,
      });
      failureTail = interrupted ? [] : failure.tail;
      await store.save(summary);
      if (process.env.INTENTKIT_DEBUG === "1" && !(error instanceof StageFailure)) console.error(error);
      throw new Error(`${stage.name}: ${failure.reason}`);
    } finally {
      if (heartbeat) clearInterval(heartbeat);
    }
  };

  /** Fixes the run's buildHash; results passed for another build are no longer this run's. */
  const adoptBuild = (buildHash: string) => {
    summary.buildHash = buildHash;
    summary.sessions[summary.sessions.length - 1].buildHash = buildHash;
    for (const record of summary.stages) {
      if (record.name !== "build" && record.status === "passed" && record.buildHash !== buildHash) {
        Object.assign(record, { status: "pending", reason: `to run again: the build changed since it passed` });
      }
    }
  };

  const list = new Listr(
    stages.map((stage) => ({
      title: stage.title,
      skip: () => {
        const record = result(stage.name);
        if (record.status === "not-implemented") return `${stage.name}: not implemented (${stage.plannedIn})`;
        if (!summary.selection.includes(stage.name)) return `${stage.name}: not selected`;
        return false;
      },
      task: (_: unknown, task: ListrTaskWrapper<unknown, any, any>) => runStage(stage, task),
    })),
    {
      exitOnError: true,
      registerSignalListeners: false,
      renderer: "default",
      fallbackRenderer: "simple",
      fallbackRendererCondition: options.plain,
      rendererOptions: { timer: PRESET_TIMER, collapseSkips: false, collapseErrors: false },
      fallbackRendererOptions: { timer: PRESET_TIMER },
    },
  );

  let ok = true;
  try {
    await list.run();
  } catch {
    ok = false;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }

  if (!ok && !interrupted) {
    for (const record of summary.stages) {
      if (record.status === "pending")
        Object.assign(record, { status: "skipped", reason: "not run: an earlier stage failed" });
    }
  }
  summary.finished = !interrupted;
  await store.save(summary);

  // A run that went all the way (through verify) needs its chains no more; one that failed, or
  // stopped short of the stages that use its deployments, keeps them for --resume and later runs.
  const complete = ok && summary.selection.includes("verify");
  const chainsStopped = complete ? await stopRunChains(runDir) : [];
  const chainsLeft: RunChain[] = [];
  if (!complete) {
    for (const role of ["testnet", "mainnet"] as const) {
      const chain = await liveRunChain(runDir, role);
      if (chain) chainsLeft.push(chain);
    }
  }
  return { summary, runDir, ok, interrupted, failureTail, chainsLeft, chainsStopped };
}

export function reportPathFor(runDir: string, root: string): string {
  const relative = path.relative(root, runDir);
  return existsSync(runDir) ? relative : runDir;
}
