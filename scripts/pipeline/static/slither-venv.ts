// Slither lives in a project-local virtualenv (pipeline.config.json: static.venv, default .venv),
// installed from PyPI at the pinned versions the first time the `static` stage needs it, and
// reused afterwards. A marker file written after a complete install records what is in it; a venv
// without the marker, or with other versions, is removed and installed again, so an install that
// died midway never counts as done.
import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import { StageFailure } from "../errors.js";
import type { StageContext } from "../stage.js";

const MARKER = "intentkit-slither.json";

export interface SlitherInstall {
  slither: string;
  installed: boolean;
}

/** What an install needs of the stage: `.ci/run`'s install step gives it the same, outside a run. */
export type InstallContext = Pick<StageContext, "root" | "config" | "progress" | "exec">;

export async function ensureSlither(ctx: InstallContext): Promise<SlitherInstall> {
  const { slitherVersion, cryticCompileVersion, venv } = ctx.config.static;
  const venvDir = path.resolve(ctx.root, venv);
  const slither = path.join(venvDir, "bin", "slither");
  const wanted = { slitherAnalyzer: slitherVersion, cryticCompile: cryticCompileVersion };
  const marker = path.join(venvDir, MARKER);
  if (existsSync(marker) && existsSync(slither)) {
    const recorded = JSON.parse(await readFile(marker, "utf8")) as typeof wanted;
    if (recorded.slitherAnalyzer === slitherVersion && recorded.cryticCompile === cryticCompileVersion) {
      return { slither, installed: false };
    }
  }

  ctx.progress(`installing Slither ${slitherVersion} into ${venv} from PyPI (first use; reused afterwards)`);
  await rm(venvDir, { recursive: true, force: true });
  const create = await ctx.exec("python3", ["-m", "venv", venvDir], { logName: "slither-install" });
  if (create.code !== 0) {
    const missingVenv = create.tail.some((line) => /ensurepip|venv/.test(line));
    throw new StageFailure(
      missingVenv
        ? "Python's venv module is missing; install it (Debian/Ubuntu: `sudo apt-get install python3-venv`) and run again"
        : "could not create the Slither virtualenv with `python3 -m venv`; is Python 3 installed? read static/slither-install.log",
      { log: "static/slither-install.log" },
    );
  }
  const pip = await ctx.exec(
    path.join(venvDir, "bin", "pip"),
    [
      "install",
      "--disable-pip-version-check",
      "--no-input",
      `slither-analyzer==${slitherVersion}`,
      `crytic-compile==${cryticCompileVersion}`,
    ],
    { logName: "slither-pip" },
  );
  if (pip.code !== 0 || !existsSync(slither)) {
    await rm(venvDir, { recursive: true, force: true });
    throw new StageFailure(
      `pip could not install slither-analyzer==${slitherVersion}; read static/slither-pip.log (PyPI must be reachable)`,
      { log: "static/slither-pip.log" },
    );
  }
  await writeFile(marker, `${JSON.stringify(wanted, null, 2)}\n`);
  return { slither, installed: true };
}
