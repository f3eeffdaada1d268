#!/usr/bin/env node
// Runs a command under Node >= 22.13 with the project's dependencies installed, whatever Node
// the machine ships. Hardhat 3 needs Node 22.13+, and `npm ci` under an older Node skips
// Hardhat's native EDR package, so both the install and the command must run under Node 22.
//
//   node scripts/with-node22.mjs "<shell command>"
//
// Plain JavaScript with no dependencies on purpose: it must run on Node 20 before anything is
// installed. Where the running Node is too old, Node 22 comes from the npm registry's `node@22`
// package through `npx` (cached by npm after the first run).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const MIN = [22, 13];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const command = process.argv.slice(2).join(" ");

function fail(message) {
  console.error(`intentkit: ${message}`);
  process.exit(1);
}

if (command === "") fail('usage: node scripts/with-node22.mjs "<command>"');

function isRecentEnough(version) {
  const [major, minor] = version.replace(/^v/, "").split(".").map(Number);
  return major > MIN[0] || (major === MIN[0] && minor >= MIN[1]);
}

function findNode22() {
  if (isRecentEnough(process.version)) return process.execPath;
  console.error(
    `intentkit: Node ${process.version} is older than ${MIN.join(".")}; using node@22 from the npm registry`,
  );
  const result = spawnSync("npx", ["--yes", "--package", "node@22", "--", "node", "-p", "process.execPath"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const nodePath = result.stdout?.trim().split("\n").pop();
  if (result.status !== 0 || !nodePath || !existsSync(nodePath)) {
    fail("could not fetch node@22 with npx; install Node >= 22.13 and run the command again");
  }
  return nodePath;
}

const nodePath = findNode22();
const env = {
  ...process.env,
  PATH: `${path.dirname(nodePath)}${path.delimiter}${path.join(root, "node_modules", ".bin")}${path.delimiter}${process.env.PATH}`,
};

function run(cmd) {
  const result = spawnSync(cmd, { cwd: root, env, stdio: "inherit", shell: true });
  if (result.error) fail(`could not start "${cmd}": ${result.error.message}`);
  return result.status ?? 1;
}

// npm writes node_modules/.package-lock.json on every install; a missing one, one older than
// package-lock.json, or a missing native EDR build means the install is absent, stale, or was
// made under an older Node.
function installIsCurrent() {
  const marker = path.join(root, "node_modules", ".package-lock.json");
  const lock = path.join(root, "package-lock.json");
  if (!existsSync(marker)) return false;
  if (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs) return false;
  const lockfile = JSON.parse(readFileSync(marker, "utf8"));
  return Object.keys(lockfile.packages ?? {}).some((p) => /@nomicfoundation\/edr-[a-z0-9-]+$/.test(p));
}

// `npm install` rather than `npm ci`: with package-lock.json in sync it installs exactly the
// locked versions too, but it tolerates what `npm ci` rejects as an out-of-sync lock: EDR's
// native builds for other platforms, which a registry mirror may not carry at the locked version
// and which npm therefore leaves out of the lock.
if (!installIsCurrent()) {
  console.error("intentkit: installing dependencies (npm install from package-lock.json) under Node 22");
  if (run("npm install --no-audit --no-fund") !== 0) fail("npm install failed; see the output above");
}

process.exit(run(command));
