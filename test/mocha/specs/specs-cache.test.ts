// The specs cache: content-addressed by the hash of every input, so a changed input is a miss;
// SMT verdicts read from it are marked cached and never changed; the fuzz harnesses' compilation
// moves between project copies with Hardhat's absolute paths rewritten.
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import {
  DEFAULT_SPECS_CACHE,
  SPECS_CACHE_ENV,
  hashInputs,
  readCacheEntry,
  specsCacheDir,
  writeCacheEntry,
} from "../../../scripts/pipeline/specs/cache.js";
import {
  FUZZ_BUILD_DIR,
  fuzzBuildHash,
  restoreFuzzBuild,
  storeFuzzBuild,
} from "../../../scripts/pipeline/specs/fuzz-build.js";
import { proveSpec } from "../../../scripts/pipeline/specs/smt.js";
import type { SpecConfig } from "../../../scripts/pipeline/specs/spec-config.js";

const HAS_Z3 = spawnSync("z3", ["--version"], { stdio: "ignore" }).status === 0;

async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

async function put(root: string, file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, file)), { recursive: true });
  await writeFile(path.join(root, file), text);
}

describe("specs cache", function () {
  const cleanup: string[] = [];
  afterEach(async function () {
    await Promise.all(cleanup.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  describe("keys and entries", function () {
    it("hashes equal inputs equally whatever their key order, and any changed value differently", function () {
      const inputs = {
        solc: "0.8.30",
        sources: new Map([
          ["a.sol", "A"],
          ["b.sol", "B"],
        ]),
        settings: { timeout: 5 },
      };
      const reordered = {
        settings: { timeout: 5 },
        sources: new Map([
          ["b.sol", "B"],
          ["a.sol", "A"],
        ]),
        solc: "0.8.30",
      };
      expect(hashInputs(reordered)).to.equal(hashInputs(inputs));
      for (const changed of [
        { ...inputs, solc: "0.8.31" },
        {
          ...inputs,
          sources: new Map([
            ["a.sol", "A "],
            ["b.sol", "B"],
          ]),
        },
        { ...inputs, sources: new Map([["a.sol", "A"]]) },
        { ...inputs, settings: { timeout: 6 } },
      ]) {
        expect(hashInputs(changed)).to.not.equal(hashInputs(inputs));
      }
    });

    it("lives under the project's cache/ unless INTENTKIT_SPECS_CACHE names another folder", function () {
      const previous = process.env[SPECS_CACHE_ENV];
      try {
        delete process.env[SPECS_CACHE_ENV];
        expect(specsCacheDir("/p")).to.equal(path.join("/p", DEFAULT_SPECS_CACHE));
        process.env[SPECS_CACHE_ENV] = "/shared/specs-cache";
        expect(specsCacheDir("/p")).to.equal("/shared/specs-cache");
      } finally {
        if (previous === undefined) delete process.env[SPECS_CACHE_ENV];
        else process.env[SPECS_CACHE_ENV] = previous;
      }
    });

    it("reads back what was written under a hash, and nothing under another", async function () {
      const dir = await tempDir("specs-cache-");
      cleanup.push(dir);
      await writeCacheEntry(dir, "abc", { "v.json": JSON.stringify({ ok: 1 }) });
      expect((await readCacheEntry<{ ok: number }>(dir, "abc", "v.json"))?.value).to.deep.equal({ ok: 1 });
      expect(await readCacheEntry(dir, "abd", "v.json")).to.equal(null);
      // Written again (another run got there too): still one whole entry.
      await writeCacheEntry(dir, "abc", { "v.json": JSON.stringify({ ok: 2 }) });
      expect((await readCacheEntry<{ ok: number }>(dir, "abc", "v.json"))?.value).to.deep.equal({ ok: 2 });
    });
  });

  describe("the fuzz harnesses' compilation", function () {
    async function project(): Promise<string> {
      const root = await tempDir("specs-fuzz-build-");
      cleanup.push(root);
      await put(root, "hardhat.config.ts", "export default {};\n");
      await put(root, "package.json", "{}\n");
      await put(root, "specs/A.spec.sol", 'import {B} from "../contracts/B.sol";\ncontract A {}\n');
      await put(root, "contracts/B.sol", 'import "./lib/C.sol";\ncontract B {}\n');
      await put(root, "contracts/lib/C.sol", "library C {}\n");
      return root;
    }

    it("is keyed by every source the harness reaches, however deep", async function () {
      const root = await project();
      const before = fuzzBuildHash(root, ["specs/A.spec.sol"], "template");
      expect(fuzzBuildHash(root, ["specs/A.spec.sol"], "template")).to.equal(before);
      await put(root, "contracts/lib/C.sol", "library C { }\n");
      const afterSource = fuzzBuildHash(root, ["specs/A.spec.sol"], "template");
      expect(afterSource).to.not.equal(before);
      await put(root, "hardhat.config.ts", "export default { solidity: {} };\n");
      expect(fuzzBuildHash(root, ["specs/A.spec.sol"], "template")).to.not.equal(afterSource);
      expect(fuzzBuildHash(root, ["specs/A.spec.sol"], "another template")).to.not.equal(afterSource);
    });

    it("moves to another project copy with Hardhat's absolute paths pointing at the copy", async function () {
      const cacheDir = await tempDir("specs-cache-");
      cleanup.push(cacheDir);
      const first = await project();
      const second = await project();
      const hash = fuzzBuildHash(first, ["specs/A.spec.sol"], "t");
      expect(fuzzBuildHash(second, ["specs/A.spec.sol"], "t"), "the same inputs in another folder").to.equal(hash);
      expect(await restoreFuzzBuild(second, cacheDir, hash), "nothing stored yet").to.equal(false);

      const firstBuild = path.join(first, FUZZ_BUILD_DIR);
      const compileCache = {
        [path.join(first, "specs/A.spec.sol")]: {
          artifactPaths: [path.join(firstBuild, "artifacts/specs/A.spec.sol/A.json")],
          buildInfoPath: path.join(firstBuild, "artifacts/build-info/x.json"),
        },
      };
      await put(firstBuild, "cache/compile-cache.json", JSON.stringify(compileCache));
      await put(firstBuild, "artifacts/specs/A.spec.sol/A.json", "{}");
      await storeFuzzBuild(first, cacheDir, hash);

      expect(await restoreFuzzBuild(second, cacheDir, hash)).to.equal(true);
      const secondBuild = path.join(second, FUZZ_BUILD_DIR);
      const restored = JSON.parse(await readFile(path.join(secondBuild, "cache/compile-cache.json"), "utf8"));
      expect(Object.keys(restored)).to.deep.equal([path.join(second, "specs/A.spec.sol")]);
      const entry = restored[path.join(second, "specs/A.spec.sol")];
      expect(entry.artifactPaths).to.deep.equal([path.join(secondBuild, "artifacts/specs/A.spec.sol/A.json")]);
      expect(entry.buildInfoPath).to.equal(path.join(secondBuild, "artifacts/build-info/x.json"));
      expect(await readFile(path.join(secondBuild, "artifacts/specs/A.spec.sol/A.json"), "utf8")).to.equal("{}");
      // Another input: another hash, which the cache does not have.
      await put(second, "contracts/B.sol", "contract B { }\n");
      const changed = fuzzBuildHash(second, ["specs/A.spec.sol"], "t");
      expect(await restoreFuzzBuild(second, cacheDir, changed)).to.equal(false);
    });
  });

  describe("SMT verdicts", function () {
    this.timeout(180_000);

    const HARNESS = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

contract TinySpec {
    /// @notice Adding one to a small number makes it larger.
    function rule_increments(uint256 x) external pure {
        require(x < 100);
        assert(x + 1 > x);
    }

    /// @notice Wrong on purpose: some small number is not below 50.
    function rule_wrong(uint256 x) external pure {
        require(x < 100);
        assert(x < 50);
    }
}
`;
    const spec: SpecConfig = {
      component: "Tiny",
      spec: "specs/Tiny.spec.sol",
      contract: "TinySpec",
      verifies: ["specs/Tiny.spec.sol"],
      engine: "smt",
      smt: { timeoutMs: 5_000, budgetMs: 60_000 },
      configFile: "specs/Tiny.conf.json",
    };

    it("a second run over the same inputs reads the same verdicts, marked cached; a changed source is checked again", async function () {
      if (!HAS_Z3) this.skip();
      const root = await tempDir("specs-smt-");
      const cacheDir = await tempDir("specs-cache-");
      cleanup.push(root, cacheDir);
      await put(root, spec.spec, HARNESS);
      const options = { onProgress: () => undefined, logFile: path.join(root, "smt.log"), cacheDir };

      const first = await proveSpec(root, spec, options);
      const verdicts = (results: typeof first) => Object.fromEntries(results.map((r) => [r.property, r.result]));
      expect(verdicts(first)).to.deep.equal({ rule_increments: "proved", rule_wrong: "violated" });
      expect(first.every((r) => !r.cached)).to.equal(true);

      const second = await proveSpec(root, spec, options);
      expect(second.every((r) => r.cached)).to.equal(true);
      expect(second.map(({ cached: _cached, ...rest }) => rest)).to.deep.equal(
        first.map(({ cached: _cached, ...rest }) => rest),
      );
      expect(await readFile(options.logFile, "utf8")).to.match(/^# cached verdicts: /);

      await put(root, spec.spec, HARNESS.replace("assert(x < 50)", "assert(x < 100)"));
      const third = await proveSpec(root, spec, options);
      expect(third.every((r) => !r.cached)).to.equal(true);
      expect(verdicts(third)).to.deep.equal({ rule_increments: "proved", rule_wrong: "proved" });

      // A changed setting is another input too.
      const fourth = await proveSpec(root, { ...spec, smt: { timeoutMs: 6_000, budgetMs: 60_000 } }, options);
      expect(fourth.every((r) => !r.cached)).to.equal(true);
    });
  });
});
