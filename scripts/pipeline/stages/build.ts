// Stage `build`: compiles the contracts (and the Solidity tests) and fixes the buildHash every
// later result is tied to. It runs in every run, resumed ones included: it is how the pipeline
// knows which build the stored results belong to, and Hardhat's incremental build makes it a
// no-op for unchanged sources. The tests are compiled here so that the stages running side by
// side after it only read artifacts/ and cache/: `test` runs its plain passes with --no-compile.
// A run that does not select `test` (`--only specs`, `--only build,mainnet`) compiles the
// contracts alone: nothing else in it reads the tests' artifacts.
import { writeFile } from "node:fs/promises";
import path from "node:path";

import { computeBuildIdentity } from "../build-hash.js";
import { StageFailure } from "../errors.js";
import type { Stage } from "../stage.js";

export const buildStage: Stage = {
  name: "build",
  title: "build: compile and fix the buildHash",
  async run(ctx) {
    const args = ctx.summary.selection.includes("test") ? ["build"] : ["build", "--no-tests"];
    ctx.progress(`hardhat ${args.join(" ")}`);
    const compile = await ctx.hardhat(args, { logName: "compile" });
    if (compile.code !== 0) {
      throw new StageFailure(
        `compilation failed (exit ${compile.code}); read build/compile.log`,
        {
          log: "build/compile.log",
        },
        compile.tail,
      );
    }
    const identity = await computeBuildIdentity(ctx.root);
    await writeFile(path.join(ctx.stageDir, "build-identity.json"), `${JSON.stringify(identity, null, 2)}\n`);
    return {
      buildHash: identity.buildHash,
      outputs: {
        buildHash: identity.buildHash,
        solc: identity.solcLongVersion,
        contracts: identity.contracts.map((c) => `${c.name} (${c.bytes} B)`).join(", "),
        identity: "build/build-identity.json",
      },
    };
  },
};
