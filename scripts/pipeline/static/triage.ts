// Slither findings against the committed triage file (slither.triage.json): a finding at or above
// the gating impact passes only when an entry accepts it — same detector, same Contract.function,
// and the same number of instances, so a new instance in an accepted function is not waved
// through. Entries that no longer match anything are reported so the file does not rot.
import { readFile } from "node:fs/promises";

import { z } from "zod";

import { PipelineError } from "../errors.js";

export const IMPACTS = ["High", "Medium", "Low", "Informational", "Optimization"] as const;
export type Impact = (typeof IMPACTS)[number];

/** slither.config.json's fail_on, as the lowest impact that gates. */
const GATE: Record<string, Impact | null> = {
  high: "High",
  medium: "Medium",
  low: "Low",
  pedantic: "Optimization",
  none: null,
};

export function gatingImpact(failOn: string | undefined): Impact | null {
  const gate = GATE[failOn ?? "pedantic"];
  if (gate === undefined) {
    throw new PipelineError(`slither.config.json: fail_on must be one of ${Object.keys(GATE).join(", ")}`);
  }
  return gate;
}

const triageSchema = z.object({
  accepted: z.array(
    z
      .object({
        detector: z.string().min(1),
        location: z.string().regex(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)?$/, "must be Contract or Contract.function"),
        instances: z.number().int().positive().default(1),
        justification: z.string().min(40, "must explain why the finding is accepted (40 characters at least)"),
      })
      .strict(),
  ),
});
export type TriageEntry = z.infer<typeof triageSchema>["accepted"][number];

export async function loadTriage(file: string, shownAs: string): Promise<TriageEntry[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new PipelineError(`${shownAs}: ${(error as Error).message}`);
  }
  const parsed = triageSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PipelineError(`${shownAs}: ${issue.path.join(".")}: ${issue.message}`);
  }
  return parsed.data.accepted;
}

interface SlitherElement {
  type: string;
  name: string;
  source_mapping?: { filename_relative?: string; lines?: number[] };
  type_specific_fields?: { parent?: SlitherElement };
}

export interface SlitherFinding {
  check: string;
  impact: Impact;
  confidence: string;
  description: string;
  elements: SlitherElement[];
}

export interface TriagedFinding {
  detector: string;
  impact: Impact;
  confidence: string;
  location: string;
  source: string;
  description: string;
  gating: boolean;
  accepted: boolean;
  justification: string | null;
}

/** "Contract.function" (or "Contract.event", or "Contract") for a finding's first element. */
export function locationOf(finding: SlitherFinding): string {
  let element: SlitherElement | undefined = finding.elements[0];
  const names: string[] = [];
  while (element) {
    if (element.type !== "node") names.unshift(element.name.split("(")[0]);
    if (element.type === "contract") break;
    element = element.type_specific_fields?.parent;
  }
  return names.slice(-2).join(".");
}

function sourceOf(finding: SlitherFinding): string {
  const mapping = finding.elements[0]?.source_mapping;
  const lines = mapping?.lines ?? [];
  return mapping?.filename_relative ? `${mapping.filename_relative}#${lines[0] ?? "?"}` : "";
}

export function triage(findings: SlitherFinding[], accepted: TriageEntry[], gate: Impact | null) {
  const rank = (impact: Impact) => IMPACTS.indexOf(impact);
  const key = (detector: string, location: string) => `${detector} @ ${location}`;
  const counts = new Map<string, number>();
  for (const finding of findings) {
    const k = key(finding.check, locationOf(finding));
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const entries = new Map(accepted.map((entry) => [key(entry.detector, entry.location), entry]));

  const results: TriagedFinding[] = findings.map((finding) => {
    const location = locationOf(finding);
    const entry = entries.get(key(finding.check, location));
    const accepts = entry !== undefined && entry.instances === counts.get(key(finding.check, location));
    return {
      detector: finding.check,
      impact: finding.impact,
      confidence: finding.confidence,
      location,
      source: sourceOf(finding),
      description: finding.description.trim(),
      gating: gate !== null && rank(finding.impact) <= rank(gate),
      accepted: accepts,
      justification: accepts ? entry.justification : null,
    };
  });
  const miscounted = accepted
    .filter((entry) => counts.has(key(entry.detector, entry.location)))
    .filter((entry) => counts.get(key(entry.detector, entry.location)) !== entry.instances)
    .map(
      (e) => `${key(e.detector, e.location)}: triaged ${e.instances}, found ${counts.get(key(e.detector, e.location))}`,
    );
  const stale = accepted
    .filter((entry) => !counts.has(key(entry.detector, entry.location)))
    .map((e) => key(e.detector, e.location));
  const blocking = results.filter((r) => r.gating && !r.accepted);
  return { results, blocking, miscounted, stale };
}
