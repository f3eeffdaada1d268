// A run's record on disk: reports/pipeline/<run-id>/summary.json, rewritten after every change of
// state together with the files its reporters render from it (summary.md, junit.xml, the auditor
// page), and reports/pipeline/latest pointing at the newest run. The store knows no report
// format: the engine hands it the reporters.
// Every write goes to a temporary file renamed into place, so a run killed at any moment leaves a
// summary that `--resume` can read; saves are queued, so stages finishing at once never write a
// file at the same time.
import { existsSync } from "node:fs";
import { mkdir, readFile, readlink, rename, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";

import { PipelineError } from "./errors.js";
import { LATEST, type RunReporter, type RunSummary } from "./summary.js";

export { LATEST, SECTION_FILE, newRunId } from "./summary.js";
export type { RunSummary, StageResult } from "./summary.js";

let temporaries = 0;

async function writeAtomically(file: string, content: string): Promise<void> {
  const temporary = `${file}.${process.pid}.${temporaries++}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, file);
}

export class RunStore {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly reportRoot: string,
    private readonly reporters: readonly RunReporter[] = [],
  ) {}

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

  /** Writes summary.json as it is when the write starts, then every reporter's file, in order. */
  save(summary: RunSummary): Promise<void> {
    const write = this.queue.then(() => this.write(summary));
    this.queue = write.catch(() => undefined);
    return write;
  }

  private async write(summary: RunSummary): Promise<void> {
    const dir = this.runDir(summary.runId);
    summary.updatedAt = new Date().toISOString();
    await writeAtomically(path.join(dir, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
    for (const reporter of this.reporters) {
      await writeAtomically(path.join(dir, reporter.file), await reporter.render(summary, dir));
    }
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
