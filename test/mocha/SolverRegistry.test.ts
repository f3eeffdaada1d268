// Entry point of the SolverRegistry suite: `npx hardhat test mocha test/mocha/SolverRegistry.test.ts`
// runs every part under ./registry/. A full `hardhat test mocha` loads each part once (ES modules
// are evaluated once however many times they are imported).
import "./registry/deployment.test.js";
import "./registry/lifecycle.test.js";
import "./registry/hooks.test.js";
import "./registry/admin.test.js";
