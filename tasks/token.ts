// Tasks for the ERC-20 tokens around a deployment: mint local mocks, approve, read balances.
import { task } from "hardhat/config";

import { actingOnDeployment, readingDeployment } from "./lib/options.js";

export const tokenMintTask = actingOnDeployment(
  task("token:mint", "Mint one of a local deployment's mock tokens")
    .addOption({ name: "token", description: "Mock token symbol (e.g. WETH) or address", defaultValue: "" })
    .addOption({ name: "to", description: "Recipient address", defaultValue: "" })
    .addOption({ name: "amount", description: "Amount in the token's units, e.g. 1.5 (or 1500wei)", defaultValue: "" }),
)
  .setAction(() => import("./actions/token/mint.js"))
  .build();

export const tokenApproveTask = actingOnDeployment(
  task("token:approve", "Approve a spender (the verifier, the registry or an address)")
    .addOption({ name: "token", description: "Token symbol (e.g. STK) or address", defaultValue: "" })
    .addOption({ name: "spender", description: "verifier, registry, or an address", defaultValue: "" })
    .addOption({ name: "amount", description: "Allowance in the token's units, or max", defaultValue: "" }),
)
  .setAction(() => import("./actions/token/approve.js"))
  .build();

export const tokenBalanceTask = readingDeployment(
  task("token:balance", "Show an account's balances of the deployment's tokens")
    .addOption({ name: "account", description: "Account address", defaultValue: "" })
    .addOption({
      name: "token",
      description: "One token, symbol or address (default: every deployment token)",
      defaultValue: "",
    }),
)
  .setAction(() => import("./actions/token/balance.js"))
  .build();

export const tokenTasks = [tokenMintTask, tokenApproveTask, tokenBalanceTask];
