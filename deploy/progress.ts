// Deployment progress as plain lines, for logs and pipes (CI, subprocesses), where Ignition's
// interactive display would redraw the whole batch list on every event.
import type { ExecutionEventListener } from "@nomicfoundation/ignition-core";

type Handlers = Partial<Record<keyof ExecutionEventListener, (event: Record<string, unknown>) => string | undefined>>;

const HANDLERS: Handlers = {
  transactionSend: (e) => `sent      ${e.futureId} (tx ${e.hash})`,
  deploymentExecutionStateComplete: (e) => `deployed  ${e.futureId} ${describe(e.result)}`,
  callExecutionStateComplete: (e) => `executed  ${e.futureId} ${describe(e.result)}`,
  reconciliationWarnings: (e) => `warning   ${(e.warnings as string[]).join("; ")}`,
  deploymentComplete: () => undefined,
};

function describe(result: unknown): string {
  const r = result as { type?: string; result?: string; error?: string };
  if (r?.type === "SUCCESS")
    return r.result !== undefined && /^0x[0-9a-fA-F]{40}$/.test(r.result) ? `at ${r.result}` : "";
  return `${r?.type ?? ""} ${r?.error ?? ""}`.trim();
}

/** An Ignition event listener that prints one line per transaction and per completed future. */
export function lineProgress(
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): ExecutionEventListener {
  return new Proxy({} as ExecutionEventListener, {
    get: (_target, name: string) => async (event: Record<string, unknown>) => {
      const line = HANDLERS[name as keyof ExecutionEventListener]?.(event);
      if (line !== undefined) write(line);
    },
  });
}
