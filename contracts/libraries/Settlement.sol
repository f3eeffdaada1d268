// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IIntentVerifier} from "../interfaces/IIntentVerifier.sol";
import {Outcome} from "./Outcome.sol";
import {INTENT_TYPE_TRANSFER, Intent, SettlementTerms} from "./IntentTypes.sol";

/**
 * @title Settlement
 * @notice Moves an intent's tokens and checks its outcome, for both settlement modes of
 * {IntentVerifier}: the fulfilment of a claim and the one-transaction fill.
 *
 * What the recipient received is the smaller of what its balance gained and what was sent to it.
 * A fee-on-transfer token shows in the gain; a rebase that the transfer triggers can raise the
 * gain, but never above what was sent, so it cannot pass for a delivery.
 * A failure on the user's side (the user's own leg, or a recipient that refuses tokens the
 * solver holds and has approved) reverts with {IIntentVerifier-UserSideFailure}, which a claim's
 * fulfilment turns into a release without a slash.
 */
library Settlement {
    using SafeERC20 for IERC20;

    /// @notice The terms of `intent`, whose params passed the type rules at intake.
    /// @dev Reads the params in place: the intent id commits to them, so they are the bytes the
    /// type rules checked (length and clean address words) and need no second decoding.
    function terms(Intent calldata intent) internal pure returns (SettlementTerms memory t) {
        bytes calldata params = intent.params;
        t.user = intent.user;
        address input;
        uint256 amountIn;
        address output;
        uint256 required;
        address recipient;
        if (intent.intentType == INTENT_TYPE_TRANSFER) {
            // TransferParams: token, amount, recipient.
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                input := calldataload(params.offset)
                amountIn := calldataload(add(params.offset, 0x20))
                recipient := calldataload(add(params.offset, 0x40))
            }
            t.isTransfer = true;
            output = input;
            required = amountIn;
        } else {
            // SwapParams: tokenIn, amountIn, tokenOut, minAmountOut, recipient.
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                input := calldataload(params.offset)
                amountIn := calldataload(add(params.offset, 0x20))
                output := calldataload(add(params.offset, 0x40))
                required := calldataload(add(params.offset, 0x60))
                recipient := calldataload(add(params.offset, 0x80))
            }
        }
        t.input = IERC20(input);
        t.output = IERC20(output);
        t.recipient = recipient;
        t.amountIn = amountIn;
        t.required = required;
    }

    /// @notice Moves the tokens of `t`, `amountOut` of the output from `solver`, and returns what
    /// the recipient received; reverts unless it is at least `t.required`.
    function settle(SettlementTerms memory t, address solver, uint256 amountOut) internal returns (uint256 received) {
        uint256 gainedFrom = _balanceOf(t.output, t.recipient);
        uint256 sent;
        if (t.isTransfer) {
            if (!t.input.trySafeTransferFrom(t.user, t.recipient, t.amountIn)) revert IIntentVerifier.UserSideFailure();
            sent = t.amountIn;
            if (amountOut != 0) {
                _deliver(t.output, solver, t.recipient, amountOut);
                sent += amountOut;
            }
        } else {
            if (!t.input.trySafeTransferFrom(t.user, solver, t.amountIn)) revert IIntentVerifier.UserSideFailure();
            _deliver(t.output, solver, t.recipient, amountOut);
            sent = amountOut;
        }
        received = Outcome.received(gainedFrom, _balanceOf(t.output, t.recipient), sent);
        if (received < t.required) revert IIntentVerifier.OutcomeNotMet(received, t.required);
    }

    /// @dev Moves `amount` of `token` from `solver` to `recipient`. A refused transfer is the
    /// solver's failure when it lacks the balance or the allowance, else the recipient's (a hook,
    /// a blocklist): the user's side.
    function _deliver(IERC20 token, address solver, address recipient, uint256 amount) private {
        if (!token.trySafeTransferFrom(solver, recipient, amount)) {
            if (token.balanceOf(solver) < amount || token.allowance(solver, address(this)) < amount) {
                revert IIntentVerifier.SolverCannotDeliver(address(token), amount);
            }
            revert IIntentVerifier.UserSideFailure();
        }
    }

    /// @dev `token.balanceOf(account)` as Solidity calls it (a revert bubbles up, a reply shorter
    /// than a word reverts without data), without the ABI coder's memory round trip.
    function _balanceOf(IERC20 token, address account) private view returns (uint256 amount) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x00, 0x70a08231) // balanceOf(address)
            mstore(0x20, account)
            if iszero(staticcall(gas(), token, 0x1c, 0x24, 0x00, 0x20)) {
                let m := mload(0x40)
                returndatacopy(m, 0x00, returndatasize())
                revert(m, returndatasize())
            }
            if lt(returndatasize(), 0x20) {
                revert(0x00, 0x00)
            }
            amount := mload(0x00)
        }
    }
}
