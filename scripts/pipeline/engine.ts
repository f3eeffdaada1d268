// The pipeline engine: plans a run (fresh, --only, --from, or --resume), runs the stages under a
// listr2 task list, and records every change of state in the run folder as it happens.
//
// Scheduling: each stage declares the stages it needs (Stage.needs; `build` for any stage that
// declares nothing). Every stage starts as soon as what it needs has passed, so `test`, `static`
// and `specs` run side by side after `build`, and the live display shows them together. A stage
// whose need failed (or was itself skipped for that reason) is not run: it is recorded `skipped`,
// naming the need. A need outside the run's selection (--only, --from) does not hold a stage
// back: the mainnet gates look for its result in earlier runs of the same build instead.
//
// Build identity: `build` runs in every run and yields the buildHash; each stage's result records
// the buildHash it passed for, a resumed run keeps only results recorded for the current one, and
// the hash is checked again after every stage so that a contract edited while the run is under
// way fails the run instead of mixing two builds in one report.
//
// Interruption: SIGINT/SIGTERM stop every running command, mark the running stages failed
// ("interrupted"), leave the stages that did not start pending, and exit 130; a crash or SIGKILL
// leaves the running stages `running` in summary.json. Either way `--resume` continues the run.
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { Listr, type ListrTaskWrapper } from "listr2";

import { computeBuildIdentity } from "./build-hash.js";
import { liveRunChain, stopRunChains, type RunChain } from "./deploy/chains.js";
import { loadPipelineConfig } from "./config.js";
import { PipelineError, StageFailure } from "./errors.js";
import { execLogged, type ExecResult } from "./exec.js";
import { gitState } from "./git.js";
import { RUN_REPORTERS } from "./reporters.js";
import { formatDuration } from "./reports.js";
import { RunStore } from "./run-store.js";
import { stageNeeds, type DeliveryOptions, type Stage, type StageContext } from "./stage.js";
import { stagesInOrder } from "./stages/index.js";
import { SECTION_FILE, STAGE_NAMES, newRunId, type RunSummary, type StageName, type StageResult } from "./summary.js";

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
  /** No display at all (the engine's own tests). */
  silent?: boolean;
  hre: HardhatRuntimeEnvironment;
  delivery: DeliveryOptions;
  /** The stages, in report order (default: the pipeline's own; the engine's tests give others). */
  stages?: Stage[];
}

export interface PipelineOutcome {
  summary: RunSummary;
  runDir: string;
  ok: boolean;
  interrupted: NodeJS.Signals | null;
  /** The last lines of output of the command that failed, if one did (the first failed stage's). */
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
      const base = {
        name: stage.name,
        startedAt: null,
        durationMs: null,
        outputs: {},
        buildHash: null,
        attempts: 0,
        cached: null,
      };
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

/** A promise with its resolve function: one per stage, settled when the stage ends either way. */
function settled(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export async function runPipeline(options: PipelineOptions): Promise<PipelineOutcome> {
  const config = await loadPipelineConfig(options.root, options.configFile);
  const store = new RunStore(path.resolve(options.root, options.reportDir), RUN_REPORTERS);
  const stages = options.stages ?? stagesInOrder();

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

  const failureTails = new Map<StageName, string[]>();
  const result = (name: StageName) => summary.stages.find((s) => s.name === name) as StageResult;
  const present = new Set(stages.map((s) => s.name));
  const done = new Map(stages.map((stage) => [stage.name, settled()]));

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
      cached: null,
    });
    await store.save(summary);
    const started = Date.now();

    let lastLine = "";
    const progress = (line: string) => {
      lastLine = line;
      if (!options.plain) task.output = line;
    };
    // Stages run side by side: in plain output every line names its stage.
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
      section: (markdown) => writeFile(path.join(stageDir, SECTION_FILE), `${markdown.trimEnd()}\n`),
    };

    // listr2's own timer would count from the start of the run, waiting included.
    const showDuration = () => (task.title = `${stage.title} [${formatDuration(Date.now() - started)}]`);
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
        cached: outcome.cached ?? null,
      });
      showDuration();
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
      if (!interrupted) failureTails.set(stage.name, failure.tail);
      showDuration();
      await store.save(summary);
      if (options.hre.globalOptions.showStackTraces && !(error instanceof StageFailure)) console.error(error);
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

  /** Waits for the stage's needs, then runs it, or records why it does not run. */
  const schedule = async (stage: Stage, task: ListrTaskWrapper<unknown, any, any>) => {
    const record = result(stage.name);
    if (record.status === "not-implemented") return task.skip(`${stage.name}: not implemented (${stage.plannedIn})`);
    if (!summary.selection.includes(stage.name)) return task.skip(`${stage.name}: not selected`);

    const needs = stageNeeds(stage).filter((need) => present.has(need));
    if (needs.length > 0) {
      task.output = `${stage.name}: waiting for ${needs.join(", ")}`;
      await Promise.all(needs.map((need) => done.get(need)!.promise));
    }
    if (interrupted) return task.skip(`${stage.name}: not started (interrupted)`);
    // A need outside the selection (or not built yet) holds nothing back; one that ran must have passed.
    const blocking = needs
      .map(result)
      .filter(
        (need) =>
          summary.selection.includes(need.name) && need.status !== "passed" && need.status !== "not-implemented",
      );
    if (blocking.length > 0) {
      const why = blocking.map((need) => `${need.name} ${need.status === "failed" ? "failed" : "did not run"}`);
      Object.assign(record, { status: "skipped", reason: `not run: ${why.join(", ")}` });
      await store.save(summary);
      return task.skip(`${stage.name}: ${record.reason}`);
    }
    await runStage(stage, task);
  };

  const list = new Listr(
    stages.map((stage) => ({
      title: stage.title,
      task: async (_: unknown, task: ListrTaskWrapper<unknown, any, any>) => {
        try {
          await schedule(stage, task);
        } finally {
          done.get(stage.name)!.resolve();
        }
      },
    })),
    {
      concurrent: true,
      exitOnError: false,
      registerSignalListeners: false,
      renderer: options.silent ? "silent" : "default",
      fallbackRenderer: options.silent ? "silent" : "simple",
      fallbackRendererCondition: options.plain,
      rendererOptions: { collapseSkips: false, collapseErrors: false },
    },
  );

  try {
    await list.run();
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }

  const ok = !interrupted && !summary.stages.some((s) => s.status === "failed");
  if (!ok && !interrupted) {
    for (const record of summary.stages) {
      if (record.status === "pending")
        Object.assign(record, { status: "skipped", reason: "not run: an earlier stage failed" });
    }
  }
  summary.finished = !interrupted;
  await store.save(summary);
  const firstFailed = summary.stages.find((s) => s.status === "failed");
  const failureTail = (firstFailed && failureTails.get(firstFailed.name)) || [];

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
