// The specs stage's content-addressed cache: one folder per hash of everything a result depends
// on (every source the harness reads, the compiler and solver versions, the engine's settings and
// its own code), so any change to any input is a different folder, hence a miss. Nothing in it
// is ever updated in place: an entry is written once, to a temporary name, and renamed, so
// concurrent runs (project copies sharing one cache through INTENTKIT_SPECS_CACHE) read either a
// whole entry or none.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

/** Overrides where the cache lives (default: <project>/cache/intentkit-specs). */
export const SPECS_CACHE_ENV = "INTENTKIT_SPECS_CACHE";
export const DEFAULT_SPECS_CACHE = path.join("cache", "intentkit-specs");

export function specsCacheDir(root: string): string {
  const override = process.env[SPECS_CACHE_ENV];
  return override !== undefined && override !== "" ? path.resolve(override) : path.join(root, DEFAULT_SPECS_CACHE);
}

/** JSON with object keys sorted, so equal inputs hash equally whatever order they were built in. */
function canonical(value: unknown): string {
  if (value instanceof Map) return canonical(Object.fromEntries([...value].sort(([a], [b]) => (a < b ? -1 : 1))));
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

export function hashInputs(inputs: unknown): string {
  return createHash("sha256").update(canonical(inputs)).digest("hex");
}

export interface CacheEntry<T> {
  hash: string;
  dir: string;
  value: T;
}

/** The entry `name` stored under `hash`, or null (missing or unreadable counts as a miss). */
export async function readCacheEntry<T>(cacheDir: string, hash: string, name: string): Promise<CacheEntry<T> | null> {
  const dir = path.join(cacheDir, hash);
  try {
    return { hash, dir, value: JSON.parse(await readFile(path.join(dir, name), "utf8")) as T };
  } catch {
    return null;
  }
}

/** Stores `files` (name -> contents) as the entry `hash`; a failure to write only costs the next run time. */
export async function writeCacheEntry(cacheDir: string, hash: string, files: Record<string, string>): Promise<void> {
  const dir = path.join(cacheDir, hash);
  const staging = path.join(cacheDir, `.${hash}.${process.pid}.${randomBytes(4).toString("hex")}`);
  try {
    await mkdir(staging, { recursive: true });
    for (const [name, contents] of Object.entries(files)) await writeFile(path.join(staging, name), contents);
    try {
      await rename(staging, dir);
    } catch {
      // An entry of that hash is there already (another run wrote it, or a damaged one): replace it.
      await rm(dir, { recursive: true, force: true });
      await rename(staging, dir);
    }
  } catch {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
  }
}
