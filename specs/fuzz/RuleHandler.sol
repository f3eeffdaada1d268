// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {IntentSystemHandler} from "../../test/solidity/invariants/handlers/IntentSystemHandler.sol";
import {IIntentVerifier} from "../../contracts/interfaces/IIntentVerifier.sol";
import {ISolverRegistry} from "../../contracts/interfaces/ISolverRegistry.sol";
import {FeeOnTransferToken} from "../../contracts/test/FeeOnTransferToken.sol";
import {MockERC20} from "../../contracts/test/MockERC20.sol";

/**
 * @title RuleHandler
 * @notice {IntentSystemHandler} plus the bookkeeping that turns a rule into a property of an
 * invariant campaign. A rule reads "for any state and arguments satisfying a precondition,
 * calling f leads to a postcondition"; a spec's handler checks it with an action that, in
 * whatever state the campaign has reached, draws arguments, returns early unless the
 * precondition holds, makes the call and hands the postcondition to {_postcondition}.
 * @dev Counters live in the handler, so like all campaign state they start from zero at every
 * run. {reached} is what makes vacuity visible: a rule whose postcondition was never evaluated
 * passed without checking anything.
 */
abstract contract RuleHandler is IntentSystemHandler {
    /// @notice Times the rule's postcondition was evaluated in this run.
    mapping(string rule => uint256) public reached;
    /// @notice Times the rule's postcondition was false in this run.
    mapping(string rule => uint256) public broken;
    /// @notice {totalCalls} when the rule was first reached in this run (0 while unreached).
    mapping(string rule => uint256) public firstReachedAt;
    /// @notice What the last broken postcondition was.
    string public lastBroken;

    constructor(
        IIntentVerifier verifier_,
        ISolverRegistry registry_,
        MockERC20 stake_,
        MockERC20 tokenA_,
        MockERC20 tokenB_,
        FeeOnTransferToken feeToken_
    ) IntentSystemHandler(verifier_, registry_, stake_, tokenA_, tokenB_, feeToken_) {}

    /// @dev Records that `rule`'s postcondition was reached and whether it `holds`. Never reverts:
    /// a reverting action is discarded by the campaign, which would hide the violation.
    function _postcondition(string memory rule, bool holds, string memory what) internal {
        if (reached[rule]++ == 0) firstReachedAt[rule] = totalCalls;
        if (!holds) {
            broken[rule]++;
            lastBroken = string.concat(rule, ": ", what);
        }
    }

    /// @dev Anyone who might call: a user, a solver, a recipient, the treasury, this handler, the
    /// default admin, or an arbitrary address.
    function _anyActor(uint256 seed) internal view returns (address) {
        uint256 k = seed % 12;
        if (k < 3) return _users[k];
        if (k < 6) return _solvers[k - 3];
        if (k < 8) return _recipients[k - 6];
        if (k == 8) return TREASURY;
        if (k == 9) return address(this);
        if (k == 10) return IAccessControlDefaultAdminRules(address(registry)).defaultAdmin();
        return address(uint160(seed >> 8));
    }
}
