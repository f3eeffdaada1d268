// The pipeline on a throwaway copy of the project, as a person or CI would run it:
//   a run killed during `test` (SIGKILL to its whole process tree) is finished by --resume
//   without running `build`'s successors twice for the same build; a second --resume keeps every
//   stage; a changed contract changes the buildHash and forces test and static to run again, and
//   the change here plants a reentrancy that the static stage must catch and name.
import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { expect } from "chai";

import { copyProject, type ProjectCopy } from "./project-copy.js";

const PLANTED_REENTRANCY = `
    // Planted by the pipeline test: pays out before zeroing the balance (classic reentrancy).
    mapping(address => uint256) public plantedDeposits;

    function plantedDeposit() external payable {
        plantedDeposits[msg.sender] += msg.value;
    }

    function plantedWithdraw() external {
        uint256 amount = plantedDeposits[msg.sender];
        (bool sent, ) = msg.sender.call{value: amount}("");
        require(sent, "send failed");
        plantedDeposits[msg.sender] = 0;
    }
}
`;

const stage = (summary: any, name: string) => summary.stages.find((s: any) => s.name === name);

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("pipeline: interrupted runs, --resume and the build identity", function () {
  this.timeout(25 * 60_000); // above the pipeline runs' own guard (test/e2e/project-copy.ts)
  let project: ProjectCopy;
  let firstBuildHash: string;
  let afterResume: any;

  before(async function () {
    project = await copyProject();
  });

  after(async function () {
    await project?.remove();
  });

  it("a run killed during `test` is left resumable, and --resume finishes it", async function () {
    const child = project.startPipeline(["--only", "build,test,static"]);
    // Killed once the test stage is running and has started its first command (its log exists):
    // inside the stage, with its subprocesses in the tree the kill must take down.
    const killedDuringTest = await waitFor(
      async () => {
        const summary = await project.summary();
        if (stage(summary, "test").status !== "running") return undefined;
        const logs = await readdir(path.join(project.root, "reports", "pipeline", summary.runId, "test"));
        return logs.some((file) => file.endsWith(".log")) ? summary : undefined;
      },
      300_000,
      "the test stage to start its first command",
    );
    child.killTree("SIGKILL");
    await child.exited;

    const killed = await project.summary();
    expect(killed.runId).to.equal(killedDuringTest.runId);
    expect(killed.finished).to.equal(false);
    expect(stage(killed, "build").status).to.equal("passed");
    expect(stage(killed, "test").status).to.equal("running");
    // The engine may run static beside test; either way the kill left it unfinished.
    const staticWasRunning = stage(killed, "static").status === "running";
    if (!staticWasRunning) expect(stage(killed, "static").status).to.equal("pending");
    firstBuildHash = killed.buildHash;
    expect(firstBuildHash).to.match(/^0x[0-9a-f]{64}$/);

    const resumed = await project.pipeline(["--resume"]);
    expect(resumed.code, resumed.stdout + resumed.stderr).to.equal(0);
    afterResume = await project.summary();
    expect(afterResume.runId).to.equal(killed.runId);
    expect(afterResume.finished).to.equal(true);
    expect(afterResume.buildHash).to.equal(firstBuildHash);
    expect(afterResume.sessions).to.have.length(2);
    for (const name of ["build", "test", "static"]) {
      expect(stage(afterResume, name).status, name).to.equal("passed");
      expect(stage(afterResume, name).buildHash, name).to.equal(firstBuildHash);
    }
    expect(stage(afterResume, "test").attempts).to.equal(2); // the killed attempt, then this one
    expect(stage(afterResume, "static").attempts).to.equal(staticWasRunning ? 2 : 1);
    for (const name of ["specs", "testnet", "integration", "mainnet", "verify"]) {
      expect(stage(afterResume, name).status, name).to.equal("skipped"); // built, not selected
    }
    const runDir = path.join(project.root, "reports", "pipeline", afterResume.runId);
    const lcov = await readFile(path.join(runDir, "test", "lcov.info"), "utf8");
    expect(lcov).to.include("SF:contracts/libraries/RateLimit.sol");
    const sarif = JSON.parse(await readFile(path.join(runDir, "static", "slither.sarif"), "utf8"));
    expect(sarif.runs[0].tool.driver.rules.length).to.be.greaterThan(90); // every detector Slither ran
    expect(await readFile(path.join(runDir, "junit.xml"), "utf8")).to.include('name="static"');
  });

  it("--resume of a finished run keeps every stage that passed for the same build", async function () {
    const again = await project.pipeline(["--resume"]);
    expect(again.code, again.stdout + again.stderr).to.equal(0);
    const summary = await project.summary();
    expect(summary.sessions).to.have.length(3);
    for (const name of ["test", "static"]) {
      expect(stage(summary, name).attempts, name).to.equal(stage(afterResume, name).attempts);
      expect(stage(summary, name).startedAt, name).to.equal(stage(afterResume, name).startedAt);
    }
    expect(again.stdout).to.match(/test: kept, passed at/);
  });

  it("a changed contract changes the buildHash, runs test and static again, and Slither names the planted reentrancy", async function () {
    const registry = path.join(project.root, "contracts", "SolverRegistry.sol");
    const source = await readFile(registry, "utf8");
    await writeFile(registry, source.slice(0, source.lastIndexOf("}")) + PLANTED_REENTRANCY);

    const run = await project.pipeline(["--resume"]);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(/^error: stage static failed: .*reentrancy-eth .*SolverRegistry\.plantedWithdraw/m);

    const summary = await project.summary();
    expect(summary.buildHash).to.match(/^0x[0-9a-f]{64}$/);
    expect(summary.buildHash).to.not.equal(firstBuildHash);
    expect(stage(summary, "build").outputs.previousBuildHash).to.equal(firstBuildHash);
    expect(stage(summary, "test").status).to.equal("passed");
    expect(stage(summary, "test").attempts).to.equal(stage(afterResume, "test").attempts + 1);
    expect(stage(summary, "test").buildHash).to.equal(summary.buildHash);
    const staticStage = stage(summary, "static");
    expect(staticStage.status).to.equal("failed");
    expect(staticStage.attempts).to.equal(stage(afterResume, "static").attempts + 1);
    expect(staticStage.reason).to.match(/reentrancy-eth \(High\) in SolverRegistry\.plantedWithdraw/);

    const findings = JSON.parse(
      await readFile(path.join(project.root, "reports/pipeline/latest/static/findings.json"), "utf8"),
    );
    const planted = findings.findings.filter((f: any) => f.location === "SolverRegistry.plantedWithdraw");
    expect(planted.map((f: any) => f.detector)).to.include("reentrancy-eth");
    expect(planted.every((f: any) => !f.accepted)).to.equal(true);
  });
});
