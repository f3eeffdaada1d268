// scripts/static/convert-build-info.mjs: groundwork for the pipeline's static-analysis stage.
// Slither reads Hardhat-2-style single-file build-info; Hardhat 3 writes input and output apart.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { expect } from "chai";

import { ROOT } from "../tasks/harness.js";

const run = promisify(execFile);
const SCRIPT = path.join(ROOT, "scripts/static/convert-build-info.mjs");

async function convert(project: string, out: string) {
  return run(process.execPath, [SCRIPT, project, out]).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

describe("static analysis groundwork: convert-build-info", function () {
  this.timeout(60_000);

  it("writes the build-info of the current contracts as one Hardhat-2-style file", async function () {
    const out = await mkdtemp(path.join(tmpdir(), "intentkit-hh2-"));
    const result = await convert(ROOT, out);
    expect(result.code, result.stderr).to.equal(0);
    const files = await readdir(path.join(out, "artifacts", "build-info"));
    expect(files.length).to.be.greaterThan(0);
    const info = JSON.parse(await readFile(path.join(out, "artifacts", "build-info", files[0]), "utf8"));
    expect(info._format).to.equal("hh-sol-build-info-1");
    expect(info.solcVersion).to.equal("0.8.30");
    expect(info.input.sources).to.have.property("project/contracts/IntentVerifier.sol");
    expect(info.output.sources["project/contracts/IntentVerifier.sol"].ast.nodeType).to.equal("SourceUnit");
    expect(await readFile(path.join(out, "hardhat.config.js"), "utf8")).to.match(/crytic-compile/);
  });

  it("refuses a build-info whose sources changed since it was built", async function () {
    const project = await mkdtemp(path.join(tmpdir(), "intentkit-stale-"));
    await mkdir(path.join(project, "contracts"));
    await mkdir(path.join(project, "artifacts", "contracts", "A.sol"), { recursive: true });
    await mkdir(path.join(project, "artifacts", "build-info"), { recursive: true });
    await writeFile(path.join(project, "contracts", "A.sol"), "contract A { uint256 x; }\n");
    await writeFile(
      path.join(project, "artifacts", "contracts", "A.sol", "A.json"),
      JSON.stringify({ buildInfoId: "b1" }),
    );
    const built = { "project/contracts/A.sol": { content: "contract A {}\n" } };
    await writeFile(
      path.join(project, "artifacts", "build-info", "b1.json"),
      JSON.stringify({ solcVersion: "0.8.30", solcLongVersion: "0.8.30", input: { sources: built } }),
    );
    await writeFile(path.join(project, "artifacts", "build-info", "b1.output.json"), JSON.stringify({ output: {} }));
    const result = await convert(project, path.join(project, "out"));
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/stale build-info .*\n\s+b1: project\/contracts\/A\.sol/);
  });
});
