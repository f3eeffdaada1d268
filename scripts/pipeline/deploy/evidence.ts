// Evidence for the mainnet gates: which runs under the report folder passed a stage for a given
// buildHash. A rollout may rest on stages passed in earlier runs of the same build (a release
// workflow tests and rehearses in one job and rolls out in a protected one), never on stages
// passed for another build.
import { existsSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";

import type { RunSummary, StageResult } from "../run-store.js";
import type { StageName } from "../stage.js";

export interface Evidence {
  runId: string;
  stage: StageResult;
  runDir: string;
}

async function summaries(reportRoot: string): Promise<RunSummary[]> {
  if (!existsSync(reportRoot)) return [];
  const found: RunSummary[] = [];
  for (const entry of await readdir(reportRoot, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const file = path.join(reportRoot, entry.name, "summary.json");
    if (!existsSync(file)) continue;
    try {
      found.push(JSON.parse(await readFile(file, "utf8")) as RunSummary);
    } catch {
      // An unreadable summary is no evidence; the run it belonged to cannot vouch for anything.
    }
  }
  return found;
}

/**
 * The newest passed result of `stage` for `buildHash`: the current run's (given in memory, as it
 * is under way) first, else the newest other run's.
 */
export async function evidenceFor(
  reportRoot: string,
  current: RunSummary,
  stage: StageName,
  buildHash: string,
): Promise<Evidence | undefined> {
  const passed = (summary: RunSummary) =>
    summary.stages.find((s) => s.name === stage && s.status === "passed" && s.buildHash === buildHash);
  const own = passed(current);
  if (own) return { runId: current.runId, stage: own, runDir: path.join(reportRoot, current.runId) };
  const others = (await summaries(reportRoot))
    .filter((s) => s.runId !== current.runId)
    .map((s) => ({ summary: s, stage: passed(s) }))
    .filter((e): e is { summary: RunSummary; stage: StageResult } => e.stage !== undefined)
    .sort((a, b) => ((a.stage.startedAt ?? "") < (b.stage.startedAt ?? "") ? 1 : -1));
  const newest = others[0];
  return (
    newest && { runId: newest.summary.runId, stage: newest.stage, runDir: path.join(reportRoot, newest.summary.runId) }
  );
}

/** What a stage passed for, whatever the build: to tell "never passed" from "passed for another build". */
export async function latestPassed(
  reportRoot: string,
  current: RunSummary,
  stage: StageName,
): Promise<Evidence | undefined> {
  const all = [current, ...(await summaries(reportRoot)).filter((s) => s.runId !== current.runId)]
    .flatMap((summary) =>
      summary.stages
        .filter((s) => s.name === stage && s.status === "passed")
        .map((s) => ({ runId: summary.runId, stage: s, runDir: path.join(reportRoot, summary.runId) })),
    )
    .sort((a, b) => ((a.stage.startedAt ?? "") < (b.stage.startedAt ?? "") ? 1 : -1));
  return all[0];
}
