// The specs stage's own pieces: spec config validation, and the report (tallies, the terminal
// table, the Markdown section summary.md carries).
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { PipelineError } from "../../../scripts/pipeline/errors.js";
import {
  renderSpecsMarkdown,
  renderSpecsTable,
  tallies,
  type SpecsReport,
} from "../../../scripts/pipeline/specs/report.js";
import { loadSpecConfig, loadSpecConfigs } from "../../../scripts/pipeline/specs/spec-config.js";
import type { PropertyResult } from "../../../scripts/pipeline/specs/types.js";
import { ROOT } from "../tasks/harness.js";

const property = (over: Partial<PropertyResult>): PropertyResult => ({
  property: "rule_x",
  kind: "rule",
  component: "RateLimit",
  engine: "smt",
  result: "proved",
  runs: null,
  depth: null,
  counterexample: null,
  durationMs: 1200,
  statement: "x | y holds",
  spec: "specs/RateLimit.spec.sol",
  cached: false,
  ...over,
});

describe("specs units", function () {
  describe("spec configs", function () {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), "intentkit-specconf-"));
      await mkdir(path.join(dir, "specs"));
    });
    after(() => rm(dir, { recursive: true, force: true }));

    const write = (name: string, body: unknown) =>
      writeFile(path.join(dir, "specs", name), typeof body === "string" ? body : JSON.stringify(body));
    const base = {
      component: "RateLimit",
      spec: "specs/RateLimit.spec.sol",
      contract: "RateLimitSpec",
      verifies: ["contracts/libraries/RateLimit.sol"],
      engine: "smt",
    };

    it("fills the SMT defaults", async function () {
      await write("a.conf.json", base);
      const conf = await loadSpecConfig(dir, "specs/a.conf.json");
      expect(conf.smt).to.deep.equal({ timeoutMs: 30_000, budgetMs: 120_000 });
      expect(conf.configFile).to.equal("specs/a.conf.json");
    });

    for (const [what, body, message] of [
      ["not JSON", "{", /specs\/bad\.conf\.json: not readable JSON/],
      ["an unknown engine", { ...base, engine: "certora" }, /specs\/bad\.conf\.json: engine: /],
      ["a fuzz spec without runs and depth", { ...base, engine: "fuzz" }, /fuzz: a fuzz spec needs fuzz\.runs/],
      ["a path outside the project", { ...base, spec: "../x.sol" }, /spec: must be a path inside the project/],
      ["an unknown field", { ...base, rules: [] }, /\(top level\): Unrecognized key/],
      ["fuzz runs of zero", { ...base, engine: "fuzz", fuzz: { runs: 0, depth: 50 } }, /fuzz\.runs: /],
    ] as const) {
      it(`refuses ${what}, naming the file and field`, async function () {
        await write("bad.conf.json", body);
        const error = await loadSpecConfig(dir, "specs/bad.conf.json").catch((e: unknown) => e);
        expect(error).to.be.instanceOf(PipelineError);
        expect((error as Error).message).to.match(message);
      });
    }

    it("every committed spec config is valid, and there is one per component", async function () {
      const configs = await loadSpecConfigs(ROOT);
      const components = configs.map((c) => c.component);
      expect(components).to.include.members(["RateLimit", "SolverRegistry", "IntentVerifier"]);
      expect(new Set(components).size).to.equal(components.length);
    });
  });

  describe("report", function () {
    const report: SpecsReport = {
      buildHash: "0xabc",
      legend: {} as SpecsReport["legend"],
      fuzzBuild: null,
      engines: [
        { engine: "smt", specs: 1, properties: 2, durationMs: 3_000, cached: 0 },
        { engine: "fuzz", specs: 1, properties: 2, durationMs: 65_000, cached: 0 },
      ],
      properties: [
        property({}),
        property({ property: "invariant_y", kind: "invariant", result: "unknown" }),
        property({
          property: "invariant_z",
          engine: "fuzz",
          result: "held",
          runs: 256,
          depth: 64,
          component: "SolverRegistry",
        }),
        property({
          property: "rule_w",
          engine: "fuzz",
          result: "violated",
          runs: 12,
          depth: 64,
          component: "SolverRegistry",
        }),
      ],
    };

    it("counts each result; unknown is not proved", function () {
      expect(tallies(report.properties)).to.deep.equal({ proved: 1, held: 1, violated: 1, unknown: 1, vacuous: 0 });
    });

    it("the terminal table has a row per property and the engine times", function () {
      const lines = renderSpecsTable(report);
      expect(lines[0]).to.match(/^component\s+property\s+kind\s+engine\s+result/);
      expect(lines.filter((l) => /^(RateLimit|SolverRegistry) /.test(l))).to.have.length(4);
      expect(lines.find((l) => l.includes("invariant_z"))).to.match(/held\s+256 × 64/);
      expect(lines.at(-1)).to.equal(
        "4 properties (1 proved, 1 held, 1 violated, 1 unknown); smt: 2 properties in 1 spec(s), 3 s; fuzz: 2 properties in 1 spec(s), 65 s",
      );
    });

    it("the Markdown section escapes statements and names each property", function () {
      const md = renderSpecsMarkdown(report);
      expect(md).to.include("| RateLimit | `rule_x` | rule | smt | proved |  | 1 s |  | x \\| y holds |");
      expect(md).to.include("| SolverRegistry | `rule_w` | rule | fuzz | violated | 12 × 64 |");
    });

    it("a result read from the specs cache is shown as cached in both tables", function () {
      const cachedReport: SpecsReport = {
        ...report,
        engines: [{ engine: "smt", specs: 1, properties: 2, durationMs: 40, cached: 2 }],
        properties: [
          property({ cached: true }),
          property({ property: "invariant_y", kind: "invariant", cached: true }),
        ],
      };
      const lines = renderSpecsTable(cachedReport);
      expect(lines[0]).to.match(/\bcached$/);
      expect(lines.find((l) => l.includes("rule_x"))).to.match(/proved\s+1 s\s+cached$/);
      expect(lines.at(-1)).to.equal(
        "2 properties (2 proved), 2 from the specs cache; smt: 2 properties in 1 spec(s), 40 ms (2 cached)",
      );
      const md = renderSpecsMarkdown(cachedReport);
      expect(md).to.include("| RateLimit | `rule_x` | rule | smt | proved |  | 1 s | cached | x \\| y holds |");
      expect(md).to.include("(2 cached)");
    });
  });
});
