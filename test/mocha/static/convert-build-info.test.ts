// scripts/static/convert-build-info.mjs, used by the pipeline's static stage.
// Slither reads Hardhat-2-style single-file build-info; Hardhat 3 writes input and output apart.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
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

describe("static analysis: convert-build-info", function () {
  this.timeout(60_000);

  // A synthetic project keeps this independent of the real artifacts/ folder, whose build-infos
  // an incremental build may leave stale (the static stage rebuilds then; see stages/static.ts).
  async function syntheticProject(onDisk: string, built: string) {
    const project = await mkdtemp(path.join(tmpdir(), "intentkit-convert-"));
    await mkdir(path.join(project, "contracts"));
    await mkdir(path.join(project, "artifacts", "contracts", "A.sol"), { recursive: true });
    await mkdir(path.join(project, "artifacts", "build-info"), { recursive: true });
    await writeFile(path.join(project, "contracts", "A.sol"), onDisk);
    await writeFile(
      path.join(project, "artifacts", "contracts", "A.sol", "A.json"),
      JSON.stringify({ buildInfoId: "b1" }),
    );
    await writeFile(
      path.join(project, "artifacts", "build-info", "b1.json"),
      JSON.stringify({
        solcVersion: "0.8.30",
        solcLongVersion: "0.8.30+commit.73712a01",
        input: { language: "Solidity", sources: { "project/contracts/A.sol": { content: built } }, settings: {} },
      }),
    );
    await writeFile(
      path.join(project, "artifacts", "build-info", "b1.output.json"),
      JSON.stringify({
        output: {
          sources: { "project/contracts/A.sol": { id: 0, ast: { nodeType: "SourceUnit" } } },
          contracts: { "project/contracts/A.sol": { A: { evm: { bytecode: { object: "6001" } } } } },
        },
      }),
    );
    return project;
  }

  it("merges Hardhat 3's input and output files into one Hardhat-2-style build-info", async function () {
    const project = await syntheticProject("contract A {}\n", "contract A {}\n");
    const out = path.join(project, "out");
    const result = await convert(project, out);
    expect(result.code, result.stderr).to.equal(0);
    const files = await readdir(path.join(out, "artifacts", "build-info"));
    expect(files).to.deep.equal(["b1.json"]);
    const info = JSON.parse(await readFile(path.join(out, "artifacts", "build-info", "b1.json"), "utf8"));
    expect(info._format).to.equal("hh-sol-build-info-1");
    expect(info.solcVersion).to.equal("0.8.30");
    expect(info.input.sources["project/contracts/A.sol"].content).to.equal("contract A {}\n");
    expect(info.output.sources["project/contracts/A.sol"].ast.nodeType).to.equal("SourceUnit");
    expect(info.output.contracts["project/contracts/A.sol"].A.evm.bytecode.object).to.equal("6001");
    expect(await readFile(path.join(out, "hardhat.config.js"), "utf8")).to.match(/crytic-compile/);
    expect(await readFile(path.join(out, "contracts", "A.sol"), "utf8")).to.equal("contract A {}\n");
    await rm(project, { recursive: true, force: true });
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
