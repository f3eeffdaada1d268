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
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte address");
const rateLimit = z.object({ limit: z.number().int().min(1), window: z.number().int().min(1) }).strict();

/** What the delivery stages need to know of a Hardhat network beyond the Hardhat config. */
const deliveryNetwork = z
  .object({
    /** Only a network marked production may receive the mainnet rollout. */
    production: z.boolean().default(false),
    /** The deployment parameters (deploy/parameters/<network>.json by default). */
    parameters: relativePath.optional(),
    /** Receives every role at the end of the rollout (a multisig or timelock). */
    admin: address.optional(),
    /** The rollout refuses to start above this gas price. */
    maxGasPriceGwei: z.number().positive().optional(),
    /**
     * Rate limits while the system is on probation, between deploy and promote; promote raises
     * them to the parameters' values.
     */
    canary: z
      .object({
        user: rateLimit.default({ limit: 5, window: 900 }),
        global: rateLimit.default({ limit: 50, window: 60 }),
        solverClaims: rateLimit.default({ limit: 5, window: 60 }),
        maxActiveClaims: z.number().int().min(1).max(255).default(2),
      })
      .strict()
      .default({}),
  })
  .strict()
  .superRefine((network, ctx) => {
    if (!network.production) return;
    if (network.admin === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["admin"], message: "a production network needs the admin" });
    }
    if (network.maxGasPriceGwei === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["maxGasPriceGwei"],
        message: "a production network needs a gas price ceiling",
      });
    }
  });

export type DeliveryNetwork = z.infer<typeof deliveryNetwork>;

/** The settings of a network the config does not list. */
export const defaultDeliveryNetwork = (): DeliveryNetwork => deliveryNetwork.parse({});

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
         * Suites that test the operator tooling rather than the build (tasks, local nodes, static
         * analysis, the pipeline's own units): coverage cannot see into the subprocesses they
         * start and gas statistics cannot measure them, so the test stage leaves them to
         * `npm test`. (The suites that run the pipeline itself on project copies live in test/e2e,
         * outside the mocha path.) A regular expression on mocha's full test titles.
         */
        outOfProcessSuites: z.string().min(1).default("^(tasks: |local chains|static analysis|pipeline|service)"),
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
    /**
     * Where `testnet` and `mainnet` deploy when no --testnet / --mainnet is given: nodes the
     * pipeline spawns on 127.0.0.1 for the run, standing in for the real networks. Each names
     * the Hardhat network whose settings (accounts) it borrows, with the URL overridden.
     */
    rehearsal: z
      .object({
        engine: z.enum(["anvil", "hardhat"]).default("anvil"),
        testnet: z
          .object({ network: z.string().default("localhost"), chainId: z.number().int().min(1).default(31337) })
          .strict()
          .default({}),
        mainnet: z
          .object({ network: z.string().default("rehearsalMainnet"), chainId: z.number().int().min(1).default(1337) })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
    /** Per Hardhat network: production marking, parameters, admin, gas ceiling, canary limits. */
    networks: z.record(z.string(), deliveryNetwork).default({}),
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
