// specs/<Component>.conf.json: the config of one spec, in the spirit of a Certora .conf — the
// files, the contract under verification, the engine and its options. Validated with zod so a
// typo fails before any solver or fuzzer starts, naming the file and the field.
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";

import { z } from "zod";

import { PipelineError } from "../errors.js";
import type { Engine } from "./types.js";

const relativePath = z
  .string()
  .min(1)
  .refine((p) => !path.isAbsolute(p) && !p.split(/[\\/]/).includes(".."), "must be a path inside the project");

const smtOptions = z
  .object({
    /** Per-query limit in milliseconds: z3's CPU time under prlimit, else wall clock (modelChecker.timeout). */
    timeoutMs: z.number().int().positive().default(30_000),
    /** Wall-clock budget of the whole spec (compile, proof and sanity pass), in milliseconds. */
    budgetMs: z.number().int().positive().default(120_000),
  })
  .strict();

const fuzzOptions = z
  .object({
    /** Invariant and fuzz runs (each invariant run is `depth` calls from a fresh setUp). */
    runs: z.number().int().min(1),
    depth: z.number().int().min(1),
    /** Wall-clock budget of the spec's campaigns (after its harness compiled), in milliseconds. */
    budgetMs: z.number().int().positive().default(300_000),
  })
  .strict();

const specConfigSchema = z
  .object({
    /** The component the properties are about: RateLimit, SolverRegistry, IntentVerifier. */
    component: z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/),
    /** The harness holding the rule_* and invariant_* functions. */
    spec: relativePath.refine((p) => p.endsWith(".sol"), "must be a .sol file"),
    /** The harness contract in `spec`. */
    contract: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
    /** The production sources under verification (the harness imports them unchanged). */
    verifies: z.array(relativePath).min(1),
    engine: z.enum(["smt", "fuzz"]),
    smt: smtOptions.optional(),
    fuzz: fuzzOptions.optional(),
  })
  .strict()
  .superRefine((conf, ctx) => {
    if (conf.engine === "fuzz" && !conf.fuzz) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["fuzz"],
        message: "a fuzz spec needs fuzz.runs and fuzz.depth",
      });
    }
  });

export type SpecConfig = z.infer<typeof specConfigSchema> & { configFile: string };
export type SmtOptions = z.infer<typeof smtOptions>;
export type FuzzOptions = z.infer<typeof fuzzOptions>;

export const SPECS_DIR = "specs";

export async function loadSpecConfig(root: string, file: string): Promise<SpecConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path.join(root, file), "utf8"));
  } catch (error) {
    throw new PipelineError(`${file}: not readable JSON (${(error as Error).message})`);
  }
  const parsed = specConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PipelineError(`${file}: ${issue.path.join(".") || "(top level)"}: ${issue.message}`);
  }
  const conf = parsed.data;
  if (conf.engine === "smt" && !conf.smt) conf.smt = smtOptions.parse({});
  return { ...conf, configFile: file };
}

/** Every specs/*.conf.json, sorted by file name; `engines` narrows them. */
export async function loadSpecConfigs(root: string, engines?: Engine[]): Promise<SpecConfig[]> {
  let entries: string[];
  try {
    entries = await readdir(path.join(root, SPECS_DIR));
  } catch {
    throw new PipelineError(`no ${SPECS_DIR}/ folder; the specs stage needs specs/<Component>.conf.json files`);
  }
  const files = entries.filter((e) => e.endsWith(".conf.json")).sort();
  if (files.length === 0) throw new PipelineError(`no ${SPECS_DIR}/*.conf.json found`);
  const configs = await Promise.all(files.map((f) => loadSpecConfig(root, path.join(SPECS_DIR, f))));
  return engines ? configs.filter((c) => engines.includes(c.engine)) : configs;
}
