// pipeline.config.json: the thresholds and tool versions the pipeline's gates use, validated
// before any stage runs so that a typo fails in a second with the field's name, not after a
// ten-minute test run.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";

import { z } from "zod";

import { PipelineError } from "./errors.js";

const relativePath = z
  .string()
  .min(1)
  .refine((p) => !path.isAbsolute(p), "must be a path relative to the project root");
const version = z.string().regex(/^\d+\.\d+\.\d+$/, "must be an exact version, e.g. 0.11.6");

const schema = z
  .object({
    test: z
      .object({
        /** Minimum line coverage of every contract under contracts/ (test helpers excluded). */
        coverageMinPercent: z.number().min(0).max(100).default(95),
        /** Allowed drift of every entry of .gas-snapshot, in percent. */
        gasTolerancePercent: z.number().min(0).max(100).default(1),
        /**
         * Suites that drive the system through subprocesses (tasks, local nodes, the pipeline
         * itself). Coverage cannot see into other processes, so they run once more, outside the
         * coverage run. A regular expression on mocha's full test titles.
         */
        outOfProcessSuites: z.string().min(1).default("^(tasks: |local chains|static analysis|pipeline)"),
        /**
         * The pipeline's own tests, which run the pipeline on throwaway copies of the project: they
         * test the tool, not the build, and running them inside the pipeline would run it again
         * recursively. `npm test` runs them. A regular expression on mocha's full test titles.
         */
        pipelineSelfTests: z.string().min(1).default("^pipeline"),
      })
      .strict()
      .default({}),
    static: z
      .object({
        slitherVersion: version.default("0.11.6"),
        cryticCompileVersion: version.default("0.4.2"),
        /** The project-local virtualenv Slither is installed into. */
        venv: relativePath.default(".venv"),
        /** Accepted findings, each with its justification. */
        triage: relativePath.default("slither.triage.json"),
        solhintConfig: relativePath.default("scripts/pipeline/static/solhint-security.json"),
      })
      .strict()
      .default({}),
    specs: z
      .object({
        /** Fewest runs a fuzzed property may report and still count as held. */
        minFuzzRuns: z.number().int().min(1).default(256),
        /** Fewest calls per run (invariant depth) a fuzzed property may report. */
        minFuzzDepth: z.number().int().min(1).default(50),
        /** Components whose specs run (specs/<Component>.conf.json); empty: every spec. */
        include: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .default({}),
  })
  .strict();

export type PipelineConfig = z.infer<typeof schema>;

export const CONFIG_FILE = "pipeline.config.json";

export async function loadPipelineConfig(root: string, file = CONFIG_FILE): Promise<PipelineConfig> {
  const full = path.resolve(root, file);
  if (!existsSync(full)) {
    if (file !== CONFIG_FILE) throw new PipelineError(`pipeline config ${file} not found`);
    return schema.parse({});
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(full, "utf8"));
  } catch (error) {
    throw new PipelineError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join(".") || "(top level)";
    throw new PipelineError(`${file}: ${field}: ${issue.message}`);
  }
  return parsed.data;
}
