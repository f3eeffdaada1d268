// Import rules (npm run lint:imports): contracts ← deploy ← tasks / pipeline (scripts) / service,
// the domain module below them all, nothing importing tasks/ but the Hardhat config, no cycles.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import cycle: let one side register with the other instead.",
      from: {},
      to: { circular: true },
    },
    {
      name: "only-the-config-imports-tasks",
      severity: "error",
      comment:
        "Tasks are a thin CLI over the library: nothing but hardhat.config.ts (and the tasks' own tests) imports tasks/.",
      from: { pathNot: "^(hardhat\\.config\\.ts|tasks/|test/mocha/tasks/)" },
      to: { path: "^tasks/" },
    },
    {
      name: "deploy-below-tools",
      severity: "error",
      comment: "deploy/ sits below the tasks, the pipeline and the service: it imports none of them.",
      from: { path: "^deploy/" },
      to: { path: "^(tasks|scripts|service)/" },
    },
    {
      name: "domain-at-the-bottom",
      severity: "error",
      comment:
        "The domain module (intent types, roles, amounts, error decoding) imports nothing of the project above it.",
      from: { path: "^(lib/domain|domain)/" },
      to: { path: "^(deploy|tasks|scripts|service|test)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|artifacts|cache|types|coverage|reports)/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
  },
};
