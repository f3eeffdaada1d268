// The copies the other e2e suites run the pipeline on start from the project's compiled state:
// a copy that recompiled everything would cost minutes of via-IR per suite, and no test would fail.
import { expect } from "chai";
import { execa } from "execa";
import { createRequire } from "node:module";
import path from "node:path";

import { copyProject, type ProjectCopy } from "./project-copy.js";

const require = createRequire(import.meta.url);
const HARDHAT_CLI = path.join(path.dirname(require.resolve("hardhat/package.json")), "dist", "src", "cli.js");

describe("pipeline: project copies", function () {
  this.timeout(120_000);
  let project: ProjectCopy | undefined;

  after(async function () {
    await project?.remove();
  });

  it("a copy inherits the compiled state: `hardhat build` in it compiles nothing", async function () {
    project = await copyProject();
    const build = await execa(process.execPath, [HARDHAT_CLI, "build"], {
      cwd: project.root,
      env: project.env,
      extendEnv: false,
      reject: false,
      all: true,
    });
    expect(build.exitCode, build.all).to.equal(0);
    expect(build.all).to.match(/No contracts to compile/);
  });
});
