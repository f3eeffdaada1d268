// Where the fuzz specs compile, and the content-addressed cache of that compilation.
//
// The harnesses reach the contracts under test only through their interfaces and deploy the
// build stage's bytecode from artifacts/ (specs/fuzz/IntentSystemSpec.sol), so a changed contract
// never changes this compilation, and it is a legacy-codegen compile of test code (~20 s on this
// machine; ~100 s under via-IR, and ~200 s while it still compiled the contracts too). They
// compile into a folder of their own
// (cache/specs/fuzz-build: artifacts, Hardhat's compile cache, types), not the project's
// artifacts/: a full `hardhat build` or `test solidity` elsewhere (the test stage, which may run
// beside this one) cleans every artifact of a file outside its roots, which would delete the
// harnesses' mid-run or at least make every pipeline run compile them again.
//
// That folder is stored in the specs cache under the hash of every input of the compilation —
// each source file the harnesses reach through their imports, hardhat.config.ts (compiler
// settings), the compiler and Hardhat versions, and this engine's code — so a project copy (or a
// later run after a checkout back and forth) with the same inputs starts from it: Hardhat then
// finds every job cached and compiles nothing. Any changed input is another hash, a miss, a
// compile. Hardhat's own per-file job hashes still decide within the folder, so even a wrong
// restore would only cost a compile, never run stale bytecode.
import { existsSync, readFileSync } from "node:fs";
import { cp, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";

import { hashInputs } from "./cache.js";

const require = createRequire(import.meta.url);

export const FUZZ_BUILD_DIR = path.join("cache", "specs", "fuzz-build");
const MARKER = "fuzz-build.json";
const CACHE_ENTRY = "fuzz-build";

interface Marker {
  hash: string;
  /** The project root and build folder the paths in Hardhat's compile cache were written for. */
  root: string;
  buildDir: string;
}

const IMPORT = /^\s*import\s+(?:[^"';]*?\s+from\s+)?["']([^"']+)["']\s*;/gm;

/** Every source the files reach through their imports, relative path (or npm name) -> contents. */
function reachableSources(root: string, files: string[]): Map<string, string> {
  const sources = new Map<string, string>();
  const pending = [...files];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (sources.has(file)) continue;
    const candidates = file.startsWith("node_modules/")
      ? [path.join(root, file)]
      : [path.join(root, file), path.join(root, "node_modules", file)];
    const found = candidates.find((c) => existsSync(c));
    // An import that resolves nowhere is an input too: Hardhat will report it, and a file that
    // appears later changes the hash.
    const contents = found ? readFileSync(found, "utf8") : "(missing)";
    sources.set(file, contents);
    for (const match of contents.matchAll(IMPORT)) {
      const target = match[1];
      pending.push(
        target.startsWith(".") ? path.posix.normalize(path.posix.join(path.posix.dirname(file), target)) : target,
      );
    }
  }
  return sources;
}

function packageVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return "(not installed)";
  }
}

/** The hash of every input of compiling `specFiles` (project-relative). */
export function fuzzBuildHash(root: string, specFiles: string[], configTemplate: string): string {
  return hashInputs({
    engine: "fuzz-build",
    engineCode: readFileSync(fileURLToPath(import.meta.url), "utf8"),
    configTemplate,
    hardhatConfig: readFileSync(path.join(root, "hardhat.config.ts"), "utf8"),
    packageJson: readFileSync(path.join(root, "package.json"), "utf8"),
    solc: packageVersion("solc"),
    hardhat: packageVersion("hardhat"),
    sources: reachableSources(root, specFiles),
  });
}

async function readMarker(dir: string): Promise<Marker | null> {
  try {
    return JSON.parse(await readFile(path.join(dir, MARKER), "utf8")) as Marker;
  } catch {
    return null;
  }
}

/** Hardhat's compile cache names root files and outputs by absolute path: point them here. */
async function rebase(buildDir: string, from: Marker, root: string): Promise<void> {
  const file = path.join(buildDir, "cache", "compile-cache.json");
  if (!existsSync(file)) return;
  const text = await readFile(file, "utf8");
  const swap = (s: string, a: string, b: string) =>
    s.split(JSON.stringify(a).slice(1, -1)).join(JSON.stringify(b).slice(1, -1));
  // The build folder first: it lies inside the root.
  await writeFile(file, swap(swap(text, from.buildDir, buildDir), from.root, root));
}

/**
 * Makes `<root>/cache/specs/fuzz-build` hold the compilation of the inputs hashed `hash`, from the
 * specs cache when it has it. Returns whether it came from the cache (or was already in place).
 */
export async function restoreFuzzBuild(root: string, cacheDir: string, hash: string): Promise<boolean> {
  const buildDir = path.join(root, FUZZ_BUILD_DIR);
  const here = await readMarker(buildDir);
  if (here?.hash === hash && here.root === root && here.buildDir === buildDir) return true;
  const entry = path.join(cacheDir, hash, CACHE_ENTRY);
  const stored = await readMarker(entry);
  if (!stored || stored.hash !== hash) return false;
  await rm(buildDir, { recursive: true, force: true });
  await mkdir(path.dirname(buildDir), { recursive: true });
  await cp(entry, buildDir, { recursive: true });
  await rebase(buildDir, stored, root);
  await writeFile(path.join(buildDir, MARKER), JSON.stringify({ hash, root, buildDir } satisfies Marker));
  return true;
}

/** After a successful compile: records the folder's inputs and stores a copy in the specs cache. */
export async function storeFuzzBuild(root: string, cacheDir: string, hash: string): Promise<void> {
  const buildDir = path.join(root, FUZZ_BUILD_DIR);
  const marker: Marker = { hash, root, buildDir };
  await writeFile(path.join(buildDir, MARKER), JSON.stringify(marker));
  const entry = path.join(cacheDir, hash, CACHE_ENTRY);
  if (existsSync(path.join(entry, MARKER))) return;
  const staging = path.join(cacheDir, `.${hash}.${process.pid}.${randomBytes(4).toString("hex")}`);
  try {
    await mkdir(path.dirname(entry), { recursive: true });
    await cp(buildDir, staging, { recursive: true });
    await rename(staging, entry);
  } catch {
    // Another run stored it first, or the disk is full: only the next run's time is at stake.
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
  }
}
