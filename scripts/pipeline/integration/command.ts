// PLACEHOLDER until the integration suite lands (branch integration).
export function integrationCommand(
  manifestFile: string,
  reportFile?: string,
): { args: string[]; env: Record<string, string> } {
  void reportFile;
  return { args: ["test", "mocha", "test/integration"], env: { INTENTKIT_INTEGRATION_MANIFEST: manifestFile } };
}
