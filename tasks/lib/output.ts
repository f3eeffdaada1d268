// How a task shows its result: a table for people by default, JSON (`--json`) for scripts.
import { table } from "table";

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
  process.stdout.write(json ? `${toJson(data)}\n` : human().replace(/\n?$/, "\n"));
}
