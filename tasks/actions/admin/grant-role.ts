// admin grant-role: grants a role on the verifier or the registry (needs the role's admin role).
import { taskAction } from "../../lib/action.js";
import { setRole, type RoleArgs } from "./common.js";

export default taskAction<RoleArgs>((args, hre) => setRole(args, hre, true));
