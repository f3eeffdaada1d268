// A run's record on disk: reports/pipeline/<run-id>/summary.json (plus summary.md, junit.xml and
// the auditor page index.html), rewritten after every change of state, and reports/pipeline/latest pointing at the newest run.
// Every write goes to a temporary file renamed into place, so a run killed at any moment leaves a
// summary that `--resume` can read.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, readlink, rename, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";

import { AUDITOR_PAGE, auditorPageFor } from "./auditor-page.js";
import { PipelineError } from "./errors.js";
import { renderJunit, renderMarkdown } from "./reports.js";
import type { StageName, StageOutputs, StageStatus } from "./stage.js";

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

export const LATEST = "latest";

/** A stage's own addition to summary.md, in its stage folder. */
export const SECTION_FILE = "section.md";

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${stamp}-${randomBytes(2).toString("hex")}`;
}

async function writeAtomically(file: string, content: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, file);
}

export class RunStore {
  constructor(readonly reportRoot: string) {}

  runDir(runId: string): string {
    return path.join(this.reportRoot, runId);
  }

  async create(summary: RunSummary): Promise<string> {
    const dir = this.runDir(summary.runId);
    await mkdir(dir, { recursive: true });
    await this.save(summary);
    await this.pointLatestAt(summary.runId);
    return dir;
  }

  async save(summary: RunSummary): Promise<void> {
    const dir = this.runDir(summary.runId);
    summary.updatedAt = new Date().toISOString();
    await writeAtomically(path.join(dir, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
    await writeAtomically(path.join(dir, "summary.md"), renderMarkdown(summary, await this.sections(summary)));
    await writeAtomically(path.join(dir, "junit.xml"), renderJunit(summary));
    // Last: it links the files above and reads the stages' reports in the run folder.
    await writeAtomically(path.join(dir, AUDITOR_PAGE), await auditorPageFor(dir, summary));
  }

  /**
   * Sections stages add to summary.md (a stage writes `<stage>/${SECTION_FILE}`, e.g. the specs
   * stage's property table), in stage order, for stages that finished.
   */
  private async sections(summary: RunSummary): Promise<string[]> {
    const sections: string[] = [];
    for (const stage of summary.stages) {
      if (stage.status !== "passed" && stage.status !== "failed") continue;
      const file = path.join(this.runDir(summary.runId), stage.name, SECTION_FILE);
      if (existsSync(file)) sections.push(await readFile(file, "utf8"));
    }
    return sections;
  }

  /** The run `--resume` continues: the one named, or the one `latest` points at. */
  async load(runId?: string): Promise<RunSummary> {
    let id = runId;
    if (!id) {
      try {
        id = path.basename(await readlink(path.join(this.reportRoot, LATEST)));
      } catch {
        throw new PipelineError(
          `no pipeline run to resume under ${this.reportRoot}; start one with \`npx hardhat pipeline\``,
        );
      }
    }
    const file = path.join(this.runDir(id), "summary.json");
    if (!existsSync(file)) throw new PipelineError(`no pipeline run ${id} under ${this.reportRoot}`);
    try {
      return JSON.parse(await readFile(file, "utf8")) as RunSummary;
    } catch (error) {
      throw new PipelineError(`${file} is unreadable (${(error as Error).message}); start a new run`);
    }
  }

  async pointLatestAt(runId: string): Promise<void> {
    const link = path.join(this.reportRoot, LATEST);
    const temporary = `${link}.${process.pid}.tmp`;
    await rm(temporary, { force: true });
    await symlink(runId, temporary);
    await rename(temporary, link);
  }
}
