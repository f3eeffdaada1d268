// What a run records: the shape of summary.json, and what a reporter is. Everything else in the
// pipeline imports these types from here, so the run store, the stages and the reporters depend on
// this module and never on each other (the store writes whatever reporters the engine gives it).
import { randomBytes } from "node:crypto";

export const STAGE_NAMES = ["build", "test", "static", "specs", "testnet", "integration", "mainnet", "verify"] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/** pending and running only appear in the summary of a run that is under way or was killed. */
export type StageStatus = "pending" | "running" | "passed" | "failed" | "skipped" | "not-implemented";

export type StageOutputs = Record<string, string | number>;

/**
 * A stage's result that came (wholly or partly) from a cache instead of being computed in this
 * run. The result still counts only for the buildHash the stage recorded: a cache is keyed by the
 * hash of what the result depends on, so a hit is the same verdict the stage would compute.
 */
export interface CachedResult {
  /** Where the result came from: a cache folder relative to the project root, or a run id. */
  from: string;
  /** The key it was found under (the hash of its inputs). */
  key?: string;
  /** When only part of the result came from the cache: which part ("5 of 8 SMT verdicts"). */
  detail?: string;
}

export interface StageResult {
  name: StageName;
  status: StageStatus;
  startedAt: string | null;
  durationMs: number | null;
  outputs: StageOutputs;
  reason: string | null;
  /** The build this result belongs to; results of another build are never reused. */
  buildHash: string | null;
  /** How many times this stage was started in this run (a resumed run starts failed ones again). */
  attempts: number;
  /** Set when the result came from a cache (absent in runs recorded before caches existed). */
  cached?: CachedResult | null;
}

export interface RunSummary {
  runId: string;
  commit: string;
  /** Uncommitted changes in the tree when the run (or its last resume) started. */
  dirty: boolean;
  buildHash: string | null;
  startedAt: string;
  updatedAt: string;
  /** The stages this run was asked to run (--only / --from), in order. */
  selection: StageName[];
  /** Every start of this run: the first and each --resume. */
  sessions: Array<{ startedAt: string; commit: string; buildHash: string | null }>;
  finished: boolean;
  stages: StageResult[];
}

/** The symlink in the report folder that points at the newest run. */
export const LATEST = "latest";

/** A stage's own addition to summary.md, in its stage folder (written with `ctx.section()`). */
export const SECTION_FILE = "section.md";

/**
 * One file of the run folder rendered from the summary (summary.md, junit.xml, index.html),
 * rewritten with summary.json after every change of state.
 */
export interface RunReporter {
  /** The file's name in the run folder. */
  file: string;
  render(summary: RunSummary, runDir: string): Promise<string> | string;
}

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${stamp}-${randomBytes(2).toString("hex")}`;
}
