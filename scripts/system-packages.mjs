#!/usr/bin/env node
// The Debian packages the project needs beyond npm: Python's venv support (the static stage
// installs Slither from PyPI into .venv) and z3 (the specs stage's Horn solver, behind solc-js's
// SMT callback), postgresql, redis-server and prometheus (the service tests start their own servers), and chromium (the status page's browser test). Installs what is missing with apt-get when it can (as root, or with password-less
// sudo), and otherwise says which command to run. `npm start` and .ci/run call it first.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";

const present = (command, args) => spawnSync(command, args, { stdio: "ignore" }).status === 0;

const missing = [];
if (!present("python3", ["-c", "import ensurepip, venv"])) missing.push("python3-venv");
if (!present("z3", ["--version"])) missing.push("z3");
// The service's tests start their own Postgres server (initdb + pg_ctl from Debian's postgresql).
const postgresBins = existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql") : [];
if (!postgresBins.some((version) => existsSync(`/usr/lib/postgresql/${version}/bin/initdb`)))
  missing.push("postgresql");
// …and their own Redis (the status cache's shared tier) and Prometheus (the scrape test).
if (!present("redis-server", ["--version"])) missing.push("redis-server");
if (!present("prometheus", ["--version"])) missing.push("prometheus");
// The status page's test drives a real headless Chromium (/usr/bin/chromium) with playwright-core.
if (!present("chromium", ["--version"])) missing.push("chromium");

if (missing.length === 0) {
  console.log("system packages: python3 venv support, z3, postgresql, redis-server, prometheus and chromium present");
  process.exit(0);
}

const install = ["apt-get", "install", "-y", "-qq", ...missing];
const asRoot = process.getuid?.() === 0;
const sudo = !asRoot && present("sudo", ["-n", "true"]);
if (!present("apt-get", ["--version"]) || (!asRoot && !sudo)) {
  console.error(
    `system packages missing: ${missing.join(", ")}. Install them, e.g. \`sudo apt-get install ${missing.join(" ")}\`, then run this again.`,
  );
  process.exit(1);
}
const run = (args) => {
  const [command, ...rest] = sudo ? ["sudo", "-n", ...args] : args;
  const result = spawnSync(command, rest, {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.status !== 0) {
    console.error(
      `system packages: \`${args.join(" ")}\` failed (exit ${result.status}); install ${missing.join(", ")} yourself`,
    );
    process.exit(1);
  }
};
console.log(`system packages: installing ${missing.join(", ")} with apt-get (Debian's package index first)`);
run(["apt-get", "update", "-qq"]);
run(install);
