// What a pipeline stage is: what it needs, what it gets to work with, and what it returns.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import type { PipelineConfig } from "./config.js";
import type { ExecOptions, ExecResult } from "./exec.js";
import type { CachedResult, RunSummary, StageName, StageOutputs } from "./summary.js";

export { STAGE_NAMES } from "./summary.js";
export type { CachedResult, StageName, StageOutputs, StageStatus } from "./summary.js";

/** Where the delivery stages deploy, and the operator's confirmation. */
export interface DeliveryOptions {
  /** A Hardhat network name; null: a node the pipeline spawns for the run (the rehearsal). */
  testnet: string | null;
  mainnet: string | null;
  /** `--confirm <chainId>`: the chain id the operator typed, for the mainnet rollout. */
  confirm: string | null;
}

export interface StageContext {
  root: string;
  /** The Hardhat runtime of the pipeline task: networks, keystore, artifacts. */
  hre: HardhatRuntimeEnvironment;
  delivery: DeliveryOptions;
  /** reports/pipeline (or --report-dir), where every run's folder is. */
  reportRoot: string;
  /** The run as recorded so far (read it, do not change it). */
  summary: Readonly<RunSummary>;
  /** This stage's own folder inside the run folder; emptied before the stage starts. */
  stageDir: string;
  runDir: string;
  config: PipelineConfig;
  /** Known once `build` passed; empty while `build` runs. */
  buildHash: string;
  signal: AbortSignal;
  /** Shows what the stage is doing now (a person sees it live; CI sees it as a heartbeat). */
  progress(line: string): void;
  /** Runs a command with output going to `<stageDir>/<logName>.log`. */
  exec(command: string, args: string[], options: ExecOptions): Promise<ExecResult>;
  /** Runs `hardhat <args>` under this Node, as a person would, in the project root. */
  hardhat(args: string[], options: ExecOptions): Promise<ExecResult>;
  /** Adds the stage's section to summary.md (a table of what it found); the last call wins. */
  section(markdown: string): Promise<void>;
}

export interface StageOutcome {
  outputs: StageOutputs;
  /** Only `build` sets it: the hash every later result is tied to. */
  buildHash?: string;
  /**
   * Set when the verdict came from a cache rather than from this run's work (the specs stage's
   * SMT verdicts, keyed by the hash of sources, settings and solver). Reports show it as cached.
   */
  cached?: CachedResult;
}

export interface Stage {
  name: StageName;
  title: string;
  /**
   * The stages whose passing this one waits for, besides `build`, which every stage waits for.
   * Stages with nothing between them run side by side; a stage whose need failed is not run.
   */
  needs?: readonly StageName[];
  /** Absent for stages not built yet: they are reported `not-implemented`, never passed. */
  run?: (ctx: StageContext) => Promise<StageOutcome>;
  /** For stages not built yet: where they are planned. */
  plannedIn?: string;
}

/**
 * What a stage waits for: `build` (which fixes the buildHash every result is tied to) and the
 * stages it names. Only the named ones are a stage's own business; `build` is the engine's.
 */
export function stageNeeds(stage: Stage): StageName[] {
  if (stage.name === "build") return [];
  return [...new Set<StageName>(["build", ...(stage.needs ?? [])])];
}
