// What a pipeline stage is, and the order the stages run in.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import type { PipelineConfig } from "./config.js";
import type { ExecOptions, ExecResult } from "./exec.js";
import type { RunSummary } from "./run-store.js";

export const STAGE_NAMES = ["build", "test", "static", "specs", "testnet", "integration", "mainnet", "verify"] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/** pending and running only appear in the summary of a run that is under way or was killed. */
export type StageStatus = "pending" | "running" | "passed" | "failed" | "skipped" | "not-implemented";

export type StageOutputs = Record<string, string | number>;

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
}

export interface StageOutcome {
  outputs: StageOutputs;
  /** Only `build` sets it: the hash every later result is tied to. */
  buildHash?: string;
}

export interface Stage {
  name: StageName;
  title: string;
  /** Absent for stages not built yet: they are reported `not-implemented`, never passed. */
  run?: (ctx: StageContext) => Promise<StageOutcome>;
  /** For stages not built yet: where they are planned. */
  plannedIn?: string;
}
