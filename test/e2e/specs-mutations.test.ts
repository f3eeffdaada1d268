// The specs stage catches bugs: each planted mutation, applied to its own throwaway copy of the
// project, makes `hardhat pipeline --only specs` fail naming the property it violates, with a
// counterexample. Each run narrows the stage to the spec of the mutated component (pipeline config
// `specs.include`), since the others cannot see the change. A rule made vacuous fails the stage too.
//
// The runs are the slow part (each mutant is a via-IR compile), so they run two at a time, one
// copy each, all started in `before`; each test then checks its own run. The copies share one
// specs cache (INTENTKIT_SPECS_CACHE), as they would share it with the project.
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import pLimit from "p-limit";

import { SPECS_CACHE_ENV } from "../../scripts/pipeline/specs/cache.js";

import { MUTATIONS } from "./mutations.js";
import { copyProject, type PipelineRun } from "./project-copy.js";

/** The SMT engine needs the z3 binary; the cases that run it say so and skip where it is missing. */
const HAS_Z3 = spawnSync("z3", ["--version"], { stdio: "ignore" }).status === 0;
const SMT_COMPONENTS = new Set(["RateLimit"]);
/** Two copies at once: the machine's two cores, each busy with one mutant's compile. */
const PARALLEL_RUNS = 2;

function requireZ3(test: Mocha.Context): void {
  if (HAS_Z3) return;
  console.warn("      (skipped: the SMT engine needs z3 — Debian: apt-get install z3; .ci/run installs it)");
  test.skip();
}

/** A planted change to `file`: `plant` returns the changed text and how many places it could
 * have changed (anything but 1 means the plant no longer fits the file). */
interface Plant {
  file: string;
  component: string;
  plant(original: string): { occurrences: number; text: string };
}

const replaceOnce = (from: string, to: string) => (original: string) => ({
  occurrences: original.split(from).length - 1,
  text: original.replace(from, to),
});

/** What one run on a planted copy left behind, for its test to check. */
interface PlantedRun {
  /** How many times `from` occurs in the copy's `file` (1, or the plant is stale). */
  occurrences: number;
  run: PipelineRun | null;
  report: any;
  summary: any;
}

async function runPlanted(plant: Plant): Promise<PlantedRun> {
  const project = await copyProject();
  try {
    const file = path.join(project.root, plant.file);
    const original = await readFile(file, "utf8");
    const { occurrences, text } = plant.plant(original);
    if (occurrences !== 1) return { occurrences, run: null, report: null, summary: null };
    await writeFile(file, text);
    await project.configureSpecs({ include: [plant.component] });
    const run = await project.pipeline(["--only", "specs"]);
    const report = await readFile(path.join(project.root, "reports/pipeline/latest/specs/specs.json"), "utf8")
      .then((text) => JSON.parse(text))
      .catch(() => null);
    const summary = await project.summary().catch(() => null);
    return { occurrences, run, report, summary };
  } finally {
    await project.remove();
  }
}

const VACUITY_SPEC = "specs/RateLimit.spec.sol";
const VACUOUS_RULE = `
    /// @notice Planted by the specs test: no input passes both preconditions.
    function rule_plantedVacuous(uint256 x) external pure {
        require(x > 5);
        require(x < 3);
        assert(x == 4);
    }
}
`;

describe("pipeline: the specs stage catches planted bugs", function () {
  this.timeout(60 * 60_000);
  const runs = new Map<string, Promise<PlantedRun>>();
  let cacheDir: string;
  let previousCache: string | undefined;

  before(async function () {
    cacheDir = await mkdtemp(path.join(tmpdir(), "intentkit-specs-cache-"));
    previousCache = process.env[SPECS_CACHE_ENV];
    // Read by copyProject into each copy's environment.
    process.env[SPECS_CACHE_ENV] = cacheDir;
    const limit = pLimit(PARALLEL_RUNS);
    for (const mutation of MUTATIONS) {
      if (SMT_COMPONENTS.has(mutation.component) && !HAS_Z3) continue;
      const { file, component, from, to } = mutation;
      runs.set(
        mutation.what,
        limit(() => runPlanted({ file, component, plant: replaceOnce(from, to) })),
      );
    }
    if (HAS_Z3) {
      // The rule goes in before the closing brace of the harness, its last one.
      const plant = (original: string) => {
        const end = original.lastIndexOf("}");
        return { occurrences: end < 0 ? 0 : 1, text: original.slice(0, end) + VACUOUS_RULE };
      };
      runs.set(
        "vacuous",
        limit(() => runPlanted({ file: VACUITY_SPEC, component: "RateLimit", plant })),
      );
    }
    // A failed run is a failed test, not a failed hook: keep the rejections for the tests.
    for (const run of runs.values()) run.catch(() => undefined);
  });

  after(async function () {
    await Promise.allSettled(runs.values());
    if (previousCache === undefined) delete process.env[SPECS_CACHE_ENV];
    else process.env[SPECS_CACHE_ENV] = previousCache;
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  });

  for (const mutation of MUTATIONS) {
    it(`${mutation.what} → ${mutation.component}.${mutation.violates} violated`, async function () {
      if (SMT_COMPONENTS.has(mutation.component)) requireZ3(this);
      const { occurrences, run, report, summary } = await (runs.get(mutation.what) as Promise<PlantedRun>);
      expect(occurrences, `the mutation's target text occurs once in ${mutation.file}`).to.equal(1);
      if (!run) throw new Error("unreachable: a plant that applies is run");
      expect(run.code, run.stdout + run.stderr).to.equal(1);
      expect(run.stderr).to.match(/^error: stage specs failed: violated: /m);
      expect(run.stderr).to.include(`${mutation.component}.${mutation.violates}`);

      const property = report.properties.find((p: any) => p.property === mutation.violates);
      expect(property, `${mutation.violates} is in specs.json`).to.not.equal(undefined);
      expect(property.result).to.equal("violated");
      expect(property.cached, "a mutant's verdict is reached, not read from the cache").to.equal(false);
      expect(property.counterexample).to.be.a("string").and.not.equal("");
      expect(report.properties.every((p: any) => p.component === mutation.component)).to.equal(true);
      expect(summary.stages.find((s: any) => s.name === "specs").status).to.equal("failed");
    });
  }

  it("a rule whose preconditions exclude every input is reported vacuous and fails the stage", async function () {
    requireZ3(this);
    const { occurrences, run, report } = await (runs.get("vacuous") as Promise<PlantedRun>);
    expect(occurrences, `the end of ${VACUITY_SPEC} is found`).to.equal(1);
    if (!run) throw new Error("unreachable: a plant that applies is run");
    expect(run.code, run.stdout + run.stderr).to.equal(1);
    expect(run.stderr).to.match(/^error: stage specs failed: vacuous: RateLimit\.rule_plantedVacuous/m);
    const results = Object.fromEntries(report.properties.map((p: any) => [p.property, p.result]));
    expect(results.rule_plantedVacuous).to.equal("vacuous");
    expect(Object.values(results).filter((r) => r === "proved").length).to.be.greaterThan(4);
  });
});
