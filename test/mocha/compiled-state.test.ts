import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { compiledStateDirs, copyCompiledState, rebasePaths } from "../e2e/compiled-state.js";

describe("project copies: compiled state (test/e2e/compiled-state.ts)", function () {
  const FROM = path.join(path.sep, "work", "project");
  const TO = path.join(path.sep, "tmp", "copy");

  it("moves every absolute path under the project, keys included, and leaves other strings alone", function () {
    const cache = {
      [`${FROM}/contracts/A.sol`]: {
        jobHash: "solc-0_8_30-91c8",
        isolated: false,
        artifactPaths: [`${FROM}/artifacts/contracts/A.sol/A.json`],
        artifactsDirectory: `${FROM}/artifacts`,
        root: FROM,
        sibling: `${FROM}-other/artifacts`,
        relative: "project/contracts/A.sol",
        wasm: true,
      },
    };
    expect(rebasePaths(cache, [FROM], TO)).to.deep.equal({
      [`${TO}/contracts/A.sol`]: {
        jobHash: "solc-0_8_30-91c8",
        isolated: false,
        artifactPaths: [`${TO}/artifacts/contracts/A.sol/A.json`],
        artifactsDirectory: `${TO}/artifacts`,
        root: TO,
        sibling: `${FROM}-other/artifacts`,
        relative: "project/contracts/A.sol",
        wasm: true,
      },
    });
  });

  it("copies artifacts*, cache* and types, rewriting every compile cache in them, and nothing else", async function () {
    const work = await mkdtemp(path.join(tmpdir(), "intentkit-compiled-state-"));
    try {
      const from = path.join(work, "project");
      const to = path.join(work, "copy");
      const entry = (root: string) => ({ artifactPaths: [path.join(root, "artifacts", "A.json")] });
      const files: Record<string, string> = {
        "artifacts/A.json": "{}",
        "cache/compile-cache.json": JSON.stringify({ [path.join(from, "contracts", "A.sol")]: entry(from) }),
        "cache/coverage/cache/compile-cache.json": JSON.stringify({ [from]: entry(from) }),
        "artifacts-coverage/B.json": "{}",
        "types/index.ts": "export {};",
        "contracts/A.sol": "contract A {}",
      };
      for (const [file, content] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(from, file)), { recursive: true });
        await writeFile(path.join(from, file), content);
      }
      await mkdir(to);
      // The copy reached through a symlink: the caches name its real path.
      await symlink(to, path.join(work, "link"));

      const rewritten = await copyCompiledState(from, path.join(work, "link"));

      expect(await compiledStateDirs(from)).to.deep.equal(["artifacts", "artifacts-coverage", "cache", "types"]);
      expect(rewritten.sort()).to.deep.equal(["cache/compile-cache.json", "cache/coverage/cache/compile-cache.json"]);
      expect((await readdir(to)).sort()).to.deep.equal(["artifacts", "artifacts-coverage", "cache", "types"]);
      expect(JSON.parse(await readFile(path.join(to, "cache/compile-cache.json"), "utf8"))).to.deep.equal({
        [path.join(to, "contracts", "A.sol")]: entry(to),
      });
      expect(
        JSON.parse(await readFile(path.join(to, "cache/coverage/cache/compile-cache.json"), "utf8")),
      ).to.deep.equal({ [to]: entry(to) });
      expect(await readFile(path.join(to, "types/index.ts"), "utf8")).to.equal("export {};");
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
