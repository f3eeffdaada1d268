// Runs a stage's commands: output goes to a log file in the run folder (the record an auditor or
// a failing CI job reads), each line is offered to the live progress display, and the command is
// stopped when the run is interrupted.
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";

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
  /** Path of the log, relative to the run folder's parent-independent stage folder. */
  logFile: string;
  /** The last lines of output, for a failure message. */
  tail: string[];
  /** The whole of stdout when `captureStdout` was set, otherwise "". */
  stdout: string;
}

const TAIL_LINES = 40;

export function execLogged(
  command: string,
  args: string[],
  options: ExecOptions & { stageDir: string; signal: AbortSignal; onLine(line: string): void },
): Promise<ExecResult> {
  const logFile = path.join(options.stageDir, `${options.logName}.log`);
  const log = createWriteStream(logFile);
  log.write(`$ ${[command, ...args].join(" ")}\n`);
  const tail: string[] = [];
  let stdout = "";
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) return reject(options.signal.reason);
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const onAbort = () => {
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
    };
    options.signal.addEventListener("abort", onAbort, { once: true });
    if (options.captureStdout) child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on("line", (line) => {
        log.write(`${line}\n`);
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
        // eslint-disable-next-line no-control-regex
        const plain = line.replace(/\u001b\[[0-9;]*m/g, "").trim();
        if (plain !== "") options.onLine(plain);
      });
    }
    child.on("error", (error) => {
      options.signal.removeEventListener("abort", onAbort);
      log.end(() => reject(new Error(`could not start ${command}: ${error.message}`)));
    });
    child.on("close", (code, signal) => {
      options.signal.removeEventListener("abort", onAbort);
      log.end(`[exit ${code ?? signal}]\n`, () => {
        if (options.signal.aborted) reject(options.signal.reason);
        else resolve({ code: code ?? 1, logFile, tail, stdout });
      });
    });
  });
}
