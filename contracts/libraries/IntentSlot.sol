// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IntentStatus} from "./IntentTypes.sol";

/**
 * @notice The stored record of one intent, in one word:
 * status (4) | requeued (1, bit 4) | intentType (8, bit 8) | expiry (32, bit 16) |
 * claimDeadline (32, bit 48) | claimWindow (16, bit 80) | solver (160, bit 96).
 * @dev Every field keeps one meaning in every status. The claim fields (deadline, window,
 * solver) always describe the latest claim, zero before the first: a claim sets them and no
 * later transition clears them, so a claim released early still says until when it was granted
 * (the intent cannot be claimed again before that). The window is the deadline minus the claim
 * time, fixed at claim, so the claim time is exact whatever the configuration does later. Times
 * are uint32 seconds (to 2106): intake refuses a later expiry.
 */
type IntentSlot is uint256;

using IntentSlotLibrary for IntentSlot global;

/// @title IntentSlotLibrary
/// @notice Reads and transitions of an {IntentSlot}.
library IntentSlotLibrary {
    uint256 private constant STATUS_MASK = 0xf;
    uint256 private constant REQUEUED_BIT = 1 << 4;
    uint256 private constant TYPE_SHIFT = 8;
    uint256 private constant EXPIRY_SHIFT = 16;
    uint256 private constant DEADLINE_SHIFT = 48;
    uint256 private constant WINDOW_SHIFT = 80;
    uint256 private constant SOLVER_SHIFT = 96;
    uint256 private constant MASK_8 = 0xff;
    uint256 private constant MASK_16 = 0xffff;
    uint256 private constant MASK_32 = 0xffffffff;
    // What a new claim keeps: the flag, the type and the expiry.
    uint256 private constant INTENT_FIELDS = REQUEUED_BIT | (MASK_8 << TYPE_SHIFT) | (MASK_32 << EXPIRY_SHIFT);

    /// @notice A newly submitted intent of type `type_`: Pending, never claimed; `expiry_` fits
    /// in 32 bits.
    function submitted(uint8 type_, uint256 expiry_) internal pure returns (IntentSlot) {
        return
            IntentSlot.wrap(uint256(IntentStatus.Pending) | (uint256(type_) << TYPE_SHIFT) | (expiry_ << EXPIRY_SHIFT));
    }

    function status(IntentSlot slot) internal pure returns (IntentStatus) {
        return IntentStatus(IntentSlot.unwrap(slot) & STATUS_MASK);
    }

    /// @notice Whether a fulfilment of this intent already failed once on the user's side.
    function requeued(IntentSlot slot) internal pure returns (bool) {
        return IntentSlot.unwrap(slot) & REQUEUED_BIT != 0;
    }

    function intentType(IntentSlot slot) internal pure returns (uint8) {
        return uint8(IntentSlot.unwrap(slot) >> TYPE_SHIFT);
    }

    function expiry(IntentSlot slot) internal pure returns (uint256) {
        return (IntentSlot.unwrap(slot) >> EXPIRY_SHIFT) & MASK_32;
    }

    /// @notice The latest claim's deadline (0 before the first claim).
    function claimDeadline(IntentSlot slot) internal pure returns (uint256) {
        return (IntentSlot.unwrap(slot) >> DEADLINE_SHIFT) & MASK_32;
    }

    /// @notice When the latest claim was made (0 before the first claim).
    function claimedAt(IntentSlot slot) internal pure returns (uint256) {
        uint256 word = IntentSlot.unwrap(slot);
        return ((word >> DEADLINE_SHIFT) & MASK_32) - ((word >> WINDOW_SHIFT) & MASK_16);
    }

    /// @notice The latest claim's window: its deadline minus its claim time.
    function claimWindow(IntentSlot slot) internal pure returns (uint256) {
        return (IntentSlot.unwrap(slot) >> WINDOW_SHIFT) & MASK_16;
    }

    /// @notice The latest claim's solver (zero before the first claim).
    function solver(IntentSlot slot) internal pure returns (address) {
        return address(uint160(IntentSlot.unwrap(slot) >> SOLVER_SHIFT));
    }

    /// @notice The same record with another status; every other field kept.
    function withStatus(IntentSlot slot, IntentStatus newStatus) internal pure returns (IntentSlot) {
        return IntentSlot.wrap((IntentSlot.unwrap(slot) & ~STATUS_MASK) | uint256(newStatus));
    }

    /// @notice Executing, claimed by `by` now until `deadline` (now ≤ deadline < now + 2^16,
    /// deadline < 2^32); the previous claim's fields replaced.
    function claimedBy(IntentSlot slot, address by, uint256 deadline) internal view returns (IntentSlot) {
        return
            IntentSlot.wrap(
                (IntentSlot.unwrap(slot) & INTENT_FIELDS) |
                    uint256(IntentStatus.Executing) |
                    (deadline << DEADLINE_SHIFT) |
                    ((deadline - block.timestamp) << WINDOW_SHIFT) |
                    (uint256(uint160(by)) << SOLVER_SHIFT)
            );
    }

    /// @notice Pending again after a fulfilment failed on the user's side, marked requeued; the
    /// claim's fields kept (its deadline is the cool-down).
    function requeue(IntentSlot slot) internal pure returns (IntentSlot) {
        return IntentSlot.wrap((IntentSlot.unwrap(slot) & ~STATUS_MASK) | REQUEUED_BIT | uint256(IntentStatus.Pending));
    }
}
