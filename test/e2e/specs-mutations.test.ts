// The specs stage catches bugs: each planted mutation, applied to a throwaway copy of the project,
// makes `hardhat pipeline --only specs` fail naming the property it violates, with a
// counterexample; the contract is restored before the next one. Each run narrows the stage to
// the spec of the mutated component (pipeline config `specs.include`), since the others cannot
// see the change. A rule made vacuous fails the stage too.
import { spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import { copyProject, type ProjectCopy } from "./project-copy.js";

interface Mutation {
  what: string;
  file: string;
  from: string;
  to: string;
  component: string;
  /** The property the stage must report violated. */
  violates: string;
}

const MUTATIONS: Mutation[] = [
  {
    what: "skip a state update: a slash leaves totalBonded as it was",
    file: "contracts/SolverRegistry.sol",
    from: "        totalBonded -= slashed;\n",
    to: "",
    component: "SolverRegistry",
    violates: "invariant_bondsBackedByStakeBalance",
  },
  {
    what: "mis-account a slash: it can take more than the bond",
    file: "contracts/SolverRegistry.sol",
    from: "        if (slashed > bond) slashed = bond;\n        bond -= slashed;\n",
    to: "        bond = slashed > bond ? 0 : bond - slashed;\n",
    component: "SolverRegistry",
    violates: "rule_slashNeverExceedsBond",
  },
  {
    what: "allow a second fulfill: fulfill no longer requires an Executing intent",
    file: "contracts/IntentVerifier.sol",
    from: "        if (status != IntentStatus.Executing) revert InvalidStatus(id, status);\n        address solver = address(uint160(record >> SOLVER_SHIFT));\n",
    to: "        address solver = address(uint160(record >> SOLVER_SHIFT));\n",
    component: "IntentVerifier",
    violates: "rule_fulfillRequiresExecuting",
  },
  {
    what: "skip the rate-limit write: the user's bucket is checked but not stored",
    file: "contracts/IntentVerifier.sol",
    from: "        return RateLimit.consume(account, _userLimit, _userWindow, userBucketId(user));\n",
    to: "        RateLimit.consume(account, _userLimit, _userWindow, userBucketId(user));\n        return account;\n",
    component: "IntentVerifier",
    violates: "invariant_userSubmissionsWithinTwiceLimitPerWindow",
  },
  {
    what: "drop a require: a full bucket admits one more action",
    file: "contracts/libraries/RateLimit.sol",
    from: "            if (next > capacity) revert RateLimited(bucket, (next - capacity + limit - 1) / limit);\n",
    to: "",
    component: "RateLimit",
    violates: "rule_admitNeverExceedsCapacity",
  },
  {
    what: "flip a comparison: draining refills a bucket that was already empty",
    file: "contracts/libraries/RateLimit.sol",
    from: "            return freed >= used ? 0 : used - freed;\n",
    to: "            return freed <= used ? 0 : used - freed;\n",
    component: "RateLimit",
    violates: "rule_drainNeverAddsUse",
  },
];

/** The SMT engine needs the z3 binary; the cases that run it say so and skip where it is missing. */
const HAS_Z3 = spawnSync("z3", ["--version"], { stdio: "ignore" }).status === 0;
const SMT_COMPONENTS = new Set(["RateLimit"]);

function requireZ3(test: Mocha.Context): void {
  if (HAS_Z3) return;
  console.warn("      (skipped: the SMT engine needs z3 — Debian: apt-get install z3; .ci/run installs it)");
  test.skip();
}

describe("pipeline: the specs stage catches planted bugs", function () {
  this.timeout(60 * 60_000);
  let project: ProjectCopy;

  before(async function () {
    project = await copyProject();
  });

  after(async function () {
    await project?.remove();
  });

  const specsReport = async () =>
    JSON.parse(await readFile(path.join(project.root, "reports/pipeline/latest/specs/specs.json"), "utf8"));

  for (const mutation of MUTATIONS) {
    it(`${mutation.what} → ${mutation.component}.${mutation.violates} violated`, async function () {
      if (SMT_COMPONENTS.has(mutation.component)) requireZ3(this);
      const file = path.join(project.root, mutation.file);
      const original = await readFile(file, "utf8");
      expect(
        original.split(mutation.from),
        `the mutation's target text occurs once in ${mutation.file}`,
      ).to.have.length(2);
      await writeFile(file, original.replace(mutation.from, mutation.to));
      await project.configureSpecs({ include: [mutation.component] });
      try {
        const run = await project.pipeline(["--only", "specs"]);
        expect(run.code, run.stdout + run.stderr).to.equal(1);
        expect(run.stderr).to.match(/^error: stage specs failed: violated: /m);
        expect(run.stderr).to.include(`${mutation.component}.${mutation.violates}`);

        const report = await specsReport();
        const property = report.properties.find((p: any) => p.property === mutation.violates);
        expect(property, `${mutation.violates} is in specs.json`).to.not.equal(undefined);
        expect(property.result).to.equal("violated");
        expect(property.counterexample).to.be.a("string").and.not.equal("");
        expect(report.properties.every((p: any) => p.component === mutation.component)).to.equal(true);
        const summary = await project.summary();
        expect(summary.stages.find((s: any) => s.name === "specs").status).to.equal("failed");
      } finally {
        await writeFile(file, original);
      }
    });
  }

  it("a rule whose preconditions exclude every input is reported vacuous and fails the stage", async function () {
    requireZ3(this);
    const spec = path.join(project.root, "specs", "RateLimit.spec.sol");
    const original = await readFile(spec, "utf8");
    const vacuousRule = `
    /// @notice Planted by the specs test: no input passes both preconditions.
    function rule_plantedVacuous(uint256 x) external pure {
        require(x > 5);
        require(x < 3);
        assert(x == 4);
    }
}
`;
    await writeFile(spec, original.slice(0, original.lastIndexOf("}")) + vacuousRule);
    await project.configureSpecs({ include: ["RateLimit"] });
    try {
      const run = await project.pipeline(["--only", "specs"]);
      expect(run.code, run.stdout + run.stderr).to.equal(1);
      expect(run.stderr).to.match(/^error: stage specs failed: vacuous: RateLimit\.rule_plantedVacuous/m);
      const report = await specsReport();
      const results = Object.fromEntries(report.properties.map((p: any) => [p.property, p.result]));
      expect(results.rule_plantedVacuous).to.equal("vacuous");
      expect(Object.values(results).filter((r) => r === "proved").length).to.be.greaterThan(4);
    } finally {
      await writeFile(spec, original);
    }
  });
});
