// Runs a stage's commands (with execa): output goes to a log file in the stage's folder (the
// record an auditor or a failing CI job reads), each line is offered to the live progress display,
// and the command is stopped when the run is interrupted (SIGTERM, SIGKILL 5 s later).
//
// Commands stay in the pipeline's process group on purpose: killing that group (a person's
// Ctrl-C in a terminal, CI cancelling a job, the resume tests' SIGKILL) takes every command of
// every stage with it, so nothing outlives an interrupted run but the local chains it records.
import { createWriteStream } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";

import { execa } from "execa";

export interface ExecOptions {
  /** Log file name inside the stage folder, without extension. */
  logName: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Also keep stdout whole (for commands that print a JSON report). */
  captureStdout?: boolean;
}

export interface ExecResult {
  code: number;
  /** Path of the log file. */
  logFile: string;
  /** The last lines of output, for a failure message. */
  tail: string[];
  /** The whole of stdout when `captureStdout` was set, otherwise "". */
  stdout: string;
}

const TAIL_LINES = 40;
const KILL_GRACE_MS = 5_000;

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

export async function execLogged(
  command: string,
  args: string[],
  options: ExecOptions & { stageDir: string; signal: AbortSignal; onLine(line: string): void },
): Promise<ExecResult> {
  if (options.signal.aborted) throw options.signal.reason;
  const logFile = path.join(options.stageDir, `${options.logName}.log`);
  const log = createWriteStream(logFile);
  log.write(`$ ${[command, ...args].join(" ")}\n`);
  const tail: string[] = [];

  const subprocess = execa(command, args, {
    cwd: options.cwd,
    env: options.env,
    // The caller gives the whole environment (the engine strips this process's HARDHAT_* options).
    extendEnv: options.env === undefined,
    stdin: "ignore",
    cancelSignal: options.signal,
    killSignal: "SIGTERM",
    forceKillAfterDelay: KILL_GRACE_MS,
    reject: false,
    stripFinalNewline: false,
    buffer: { stdout: options.captureStdout === true, stderr: false },
  });
  const lines = [subprocess.stdout, subprocess.stderr].map(
    (stream) =>
      new Promise<void>((resolve) => {
        createInterface({ input: stream })
          .on("line", (line) => {
            log.write(`${line}\n`);
            tail.push(line);
            if (tail.length > TAIL_LINES) tail.shift();
            const plain = line.replace(ANSI, "").trim();
            if (plain !== "") options.onLine(plain);
          })
          .on("close", resolve);
      }),
  );
  const result = await subprocess;
  await Promise.all(lines);
  const ended = result.exitCode ?? result.signal ?? "not started";
  await new Promise<void>((resolve) => log.end(`[exit ${ended}]\n`, resolve));

  if (options.signal.aborted) throw options.signal.reason;
  if (result.exitCode === undefined && result.signal === undefined) {
    throw new Error(
      `could not start ${command}: ${result.cause instanceof Error ? result.cause.message : result.shortMessage}`,
    );
  }
  return {
    code: result.exitCode ?? 1,
    logFile,
    tail,
    stdout: options.captureStdout === true ? String(result.stdout ?? "") : "",
  };
}
