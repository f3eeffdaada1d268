// A project copy inherits the compiled state of the project it copies, so that its pipeline runs
// compile only what the test changes (a full via-IR build costs minutes). Hardhat's compile cache
// (<cache dir>/compile-cache.json) names sources, artifacts and build-infos by absolute path; with
// the paths still pointing at the original project, Hardhat would find no cached entry for the
// copy's files and rebuild everything. The copy gets every compiled-state folder there is
// (artifacts*/ and cache*/: the plain build's, and any a coverage config builds into) and types/,
// with every absolute path in every compile-cache.json moved to the copy's root.
import { existsSync } from "node:fs";
import { cp, readFile, readdir, realpath, writeFile } from "node:fs/promises";
import path from "node:path";

const COMPILED_STATE = /^(artifacts|cache)([-_.].*)?$/;
const TYPES = "types";
const COMPILE_CACHE = "compile-cache.json";

/** The top-level folders of `root` that hold compiled state, in the order they are copied. */
export async function compiledStateDirs(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory() && (COMPILED_STATE.test(entry.name) || entry.name === TYPES))
    .map((entry) => entry.name)
    .sort();
}

/**
 * `value` with every string that is one of `fromRoots` or a path under one moved under `toRoot`.
 * Other strings (job hashes, compiler types, relative names) are left alone.
 */
export function rebasePaths<T>(value: T, fromRoots: readonly string[], toRoot: string): T {
  const rebase = (text: string): string => {
    for (const from of fromRoots) {
      if (text === from) return toRoot;
      if (text.startsWith(from + path.sep)) return toRoot + text.slice(from.length);
    }
    return text;
  };
  const walk = (node: unknown): unknown => {
    if (typeof node === "string") return rebase(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === "object") {
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [rebase(key), walk(child)]));
    }
    return node;
  };
  return walk(value) as T;
}

async function* compileCaches(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* compileCaches(full);
    else if (entry.isFile() && entry.name === COMPILE_CACHE) yield full;
  }
}

/**
 * Copies the compiled state of `from` into `to` and points its compile caches at `to`. Returns
 * the compile caches it rewrote (relative to `to`).
 */
export async function copyCompiledState(from: string, to: string): Promise<string[]> {
  // Hardhat records the paths it resolved; a root reached through a symlink (macOS's /tmp, a
  // symlinked checkout) appears under its real path.
  const fromRoots = [...new Set([path.resolve(from), await realpath(from)])];
  const toRoot = await realpath(to);
  const rewritten: string[] = [];
  for (const dir of await compiledStateDirs(from)) {
    await cp(path.join(from, dir), path.join(to, dir), { recursive: true });
    if (dir === TYPES || !existsSync(path.join(to, dir))) continue;
    for await (const file of compileCaches(path.join(to, dir))) {
      const cache = JSON.parse(await readFile(file, "utf8"));
      await writeFile(file, JSON.stringify(rebasePaths(cache, fromRoots, toRoot), null, 2));
      rewritten.push(path.relative(to, file));
    }
  }
  return rewritten;
}
