// Slither's SARIF lists rules only for the detectors that fired. GitHub code scanning and an
// auditor both want to see what was checked, so every detector Slither ran is added as a rule,
// with Slither's own id scheme (<impact>-<confidence>-<check>) for the ones it did not emit.
import { readFile, writeFile } from "node:fs/promises";

interface DetectorInfo {
  check: string;
  title: string;
  impact: string;
  confidence: string;
  wiki_url: string;
  recommendation: string;
}

const IMPACT_INDEX: Record<string, number> = { High: 0, Medium: 1, Low: 2, Informational: 3, Optimization: 4 };
const CONFIDENCE_INDEX: Record<string, number> = { High: 0, Medium: 1, Low: 2 };
const PRECISION: Record<string, string> = { High: "very-high", Medium: "high", Low: "medium" };
const SECURITY_SEVERITY: Record<string, string> = { High: "8.0", Medium: "4.0", Low: "3.0" };

export async function addAllDetectorsAsRules(sarifFile: string, detectors: DetectorInfo[]): Promise<number> {
  const sarif = JSON.parse(await readFile(sarifFile, "utf8")) as {
    runs: Array<{ tool: { driver: { rules?: Array<{ name: string }> } } }>;
  };
  const driver = sarif.runs[0].tool.driver;
  const rules = driver.rules ?? [];
  const present = new Set(rules.map((rule) => rule.name));
  for (const detector of detectors) {
    if (present.has(detector.check)) continue;
    rules.push({
      id: `${IMPACT_INDEX[detector.impact] ?? 4}-${CONFIDENCE_INDEX[detector.confidence] ?? 2}-${detector.check}`,
      name: detector.check,
      shortDescription: { text: detector.title },
      help: { text: detector.recommendation ?? "" },
      helpUri: detector.wiki_url,
      properties: {
        precision: PRECISION[detector.confidence] ?? "low",
        ...(SECURITY_SEVERITY[detector.impact] ? { "security-severity": SECURITY_SEVERITY[detector.impact] } : {}),
        impact: detector.impact,
      },
    } as { name: string });
  }
  driver.rules = rules;
  await writeFile(sarifFile, JSON.stringify(sarif, null, 2));
  return rules.length;
}
