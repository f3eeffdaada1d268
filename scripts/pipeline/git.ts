// The commit a run belongs to, and whether the tree had uncommitted changes.
import { execFileSync } from "node:child_process";

export function gitState(root: string): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8", stdio: "pipe" }).trim();
    const status = execFileSync("git", ["status", "--porcelain"], { cwd: root, encoding: "utf8", stdio: "pipe" });
    return { commit, dirty: status.trim() !== "" };
  } catch {
    return { commit: "unknown (not a git checkout)", dirty: true };
  }
}
