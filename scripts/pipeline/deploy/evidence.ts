// Evidence for the mainnet gates: which runs under the report folder passed a stage for a given
// buildHash. A rollout may rest on stages passed in earlier runs of the same build (a release
// workflow tests and rehearses in one job and rolls out in a protected one), never on stages
// passed for another build.
import { existsSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";

import type { RunSummary, StageName, StageResult } from "../summary.js";

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
 * Every passed result of `stage` for `buildHash`, newest first: the current run's (given in
 * memory, as it is under way) ahead of the others.
 */
export async function allEvidenceFor(
  reportRoot: string,
  current: RunSummary,
  stage: StageName,
  buildHash: string,
): Promise<Evidence[]> {
  const passed = (summary: RunSummary) =>
    summary.stages.find((s) => s.name === stage && s.status === "passed" && s.buildHash === buildHash);
  const own = passed(current);
  const others = (await summaries(reportRoot))
    .filter((s) => s.runId !== current.runId)
    .map((s) => ({ summary: s, stage: passed(s) }))
    .filter((e): e is { summary: RunSummary; stage: StageResult } => e.stage !== undefined)
    .sort((a, b) => ((a.stage.startedAt ?? "") < (b.stage.startedAt ?? "") ? 1 : -1))
    .map((e) => ({ runId: e.summary.runId, stage: e.stage, runDir: path.join(reportRoot, e.summary.runId) }));
  return own ? [{ runId: current.runId, stage: own, runDir: path.join(reportRoot, current.runId) }, ...others] : others;
}

/** The newest passed result of `stage` for `buildHash` (this run's first). */
export async function evidenceFor(
  reportRoot: string,
  current: RunSummary,
  stage: StageName,
  buildHash: string,
): Promise<Evidence | undefined> {
  return (await allEvidenceFor(reportRoot, current, stage, buildHash))[0];
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
