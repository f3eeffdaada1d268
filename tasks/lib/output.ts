// How a task shows its result: a table for people by default, JSON (`--json`) for scripts, written
// to the task's output. That is the process's stdout and stderr unless a caller runs the task
// inside `withTaskOutput`: tests run every task in-process and read what it printed, and tasks
// that run at the same time (a watch while its intent is claimed) keep their outputs apart.
import { AsyncLocalStorage } from "node:async_hooks";

import { table } from "table";

export interface TaskOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

const PROCESS_OUTPUT: TaskOutput = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

const current = new AsyncLocalStorage<TaskOutput>();

/** Where the running task writes. */
export function taskOutput(): TaskOutput {
  return current.getStore() ?? PROCESS_OUTPUT;
}

/** Runs `fn` (a task) with its output going to `output`. */
export function withTaskOutput<T>(output: TaskOutput, fn: () => Promise<T>): Promise<T> {
  return current.run(output, fn);
}

/** Writes `text` as one or more lines on the task's stdout. */
export function print(text: string): void {
  taskOutput().stdout(text.replace(/\n?$/, "\n"));
}

/** Writes `text` as one or more lines on the task's stderr (progress, diagnostics). */
export function printError(text: string): void {
  taskOutput().stderr(text.replace(/\n?$/, "\n"));
}

export type Row = Record<string, unknown>;

/** JSON with bigints as decimal strings, so scripts can read every figure exactly. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v), 2);
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return "-";
  if (Array.isArray(value)) return value.length === 0 ? "-" : value.map(cell).join("\n");
  if (typeof value === "object") return toJson(value);
  return String(value);
}

const TABLE_OPTIONS = {
  border: {
    topBody: "─",
    topJoin: "┬",
    topLeft: "┌",
    topRight: "┐",
    bottomBody: "─",
    bottomJoin: "┴",
    bottomLeft: "└",
    bottomRight: "┘",
    bodyLeft: "│",
    bodyRight: "│",
    bodyJoin: "│",
    joinBody: "─",
    joinLeft: "├",
    joinRight: "┤",
    joinJoin: "┼",
  },
  drawHorizontalLine: (line: number, rowCount: number) => line === 0 || line === 1 || line === rowCount,
};

/** A two-column table of `record`'s fields. */
export function keyValueTable(record: Row): string {
  return table([["field", "value"], ...Object.entries(record).map(([k, v]) => [k, cell(v)])], TABLE_OPTIONS);
}

/** A table with one row per item and one column per key of the first item. */
export function rowsTable(rows: Row[]): string {
  if (rows.length === 0) return "(none)\n";
  const columns = Object.keys(rows[0]);
  return table([columns, ...rows.map((row) => columns.map((c) => cell(row[c])))], TABLE_OPTIONS);
}

/** Prints `data` as JSON when asked, else as the human rendering. */
export function emit(json: boolean, data: unknown, human: () => string): void {
  print(json ? toJson(data) : human());
}
