// `npx hardhat token <task>`: the ERC-20 tokens around a deployment: mint local mocks, approve,
// read balances.
import { emptyTask, task } from "hardhat/config";

import { actingOnDeployment, readingDeployment, required } from "./lib/options.js";

export const tokenTask = emptyTask("token", "Mint mock tokens, approve spenders, read balances").build();

export const tokenMintTask = actingOnDeployment(
  task(["token", "mint"], "Mint one of a local deployment's mock tokens")
    .addOption(required("token", "Mock token symbol (e.g. WETH) or address"))
    .addOption(required("to", "Recipient address"))
    .addOption(required("amount", "Amount in the token's units, e.g. 1.5 (or 1500wei)")),
)
  .setAction(() => import("./actions/token/mint.js"))
  .build();

export const tokenApproveTask = actingOnDeployment(
  task(["token", "approve"], "Approve a spender (the verifier, the registry or an address)")
    .addOption(required("token", "Token symbol (e.g. STK) or address"))
    .addOption(required("spender", "verifier, registry, or an address"))
    .addOption(required("amount", "Allowance in the token's units, or max")),
)
  .setAction(() => import("./actions/token/approve.js"))
  .build();

export const tokenBalanceTask = readingDeployment(
  task(["token", "balance"], "Show an account's balances of the deployment's tokens")
    .addOption(required("account", "Account address"))
    .addOption({
      name: "token",
      description: "One token, symbol or address (default: every deployment token)",
      defaultValue: "",
    }),
)
  .setAction(() => import("./actions/token/balance.js"))
  .build();

export const tokenTasks = [tokenTask, tokenMintTask, tokenApproveTask, tokenBalanceTask];
