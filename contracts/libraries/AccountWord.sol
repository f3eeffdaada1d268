// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RateLimit} from "./RateLimit.sol";

/**
 * @notice An account's word in the verifier: rate-limit bucket (88, the {RateLimit} convention) |
 * nextNonce (64, bit 88) | blocked (1, bit 152) | exempt (1, bit 153) | fillEligible (1, bit 154) |
 * fills (32, bit 160).
 * @dev One SLOAD and one SSTORE per submission cover the user's rate limit, nonce and block flag;
 * one SLOAD and one SSTORE per fill cover the solver's eligibility and its fill count. Every
 * field keeps one meaning whatever the others hold.
 */
type AccountWord is uint256;

using AccountWordLibrary for AccountWord global;

/// @title AccountWordLibrary
/// @notice Reads and transitions of an {AccountWord}.
library AccountWordLibrary {
    uint256 private constant NONCE_SHIFT = 88;
    uint256 private constant BLOCKED_BIT = 1 << 152;
    uint256 private constant EXEMPT_BIT = 1 << 153;
    uint256 private constant FILL_ELIGIBLE_BIT = 1 << 154;
    uint256 private constant FILLS_SHIFT = 160;
    uint256 private constant MASK_32 = 0xffffffff;
    uint256 private constant MASK_64 = 0xffffffffffffffff;

    /// @notice The nonce the account's next intent must carry. `2^64 - 1` means retired: it is
    /// never accepted.
    function nextNonce(AccountWord account) internal pure returns (uint256) {
        return (AccountWord.unwrap(account) >> NONCE_SHIFT) & MASK_64;
    }

    function blocked(AccountWord account) internal pure returns (bool) {
        return AccountWord.unwrap(account) & BLOCKED_BIT != 0;
    }

    /// @notice Whether the account, as a relayer, is exempt from rate limits.
    function exempt(AccountWord account) internal pure returns (bool) {
        return AccountWord.unwrap(account) & EXEMPT_BIT != 0;
    }

    /// @notice Whether the account may fill as a solver: the registry's copy of "the solver is
    /// Active", written by the registry on every change of the solver's status.
    function fillEligible(AccountWord account) internal pure returns (bool) {
        return AccountWord.unwrap(account) & FILL_ELIGIBLE_BIT != 0;
    }

    /// @notice One-transaction fills the account made as a solver.
    function fills(AccountWord account) internal pure returns (uint256) {
        return (AccountWord.unwrap(account) >> FILLS_SHIFT) & MASK_32;
    }

    /// @notice The word with its next nonce moved to `nonce` (fits 64 bits).
    function withNextNonce(AccountWord account, uint256 nonce) internal pure returns (AccountWord) {
        uint256 word = AccountWord.unwrap(account);
        return AccountWord.wrap((word & ~(MASK_64 << NONCE_SHIFT)) | (nonce << NONCE_SHIFT));
    }

    /// @notice The word with its next nonce spent. Only for a next nonce below `2^64 - 1`, which
    /// intake enforces, so the increment cannot carry into the flags.
    function nonceSpent(AccountWord account) internal pure returns (AccountWord) {
        unchecked {
            return AccountWord.wrap(AccountWord.unwrap(account) + (1 << NONCE_SHIFT));
        }
    }

    function withBlocked(AccountWord account, bool blocked_) internal pure returns (AccountWord) {
        uint256 word = AccountWord.unwrap(account);
        return AccountWord.wrap(blocked_ ? word | BLOCKED_BIT : word & ~BLOCKED_BIT);
    }

    function withExempt(AccountWord account, bool exempt_) internal pure returns (AccountWord) {
        uint256 word = AccountWord.unwrap(account);
        return AccountWord.wrap(exempt_ ? word | EXEMPT_BIT : word & ~EXEMPT_BIT);
    }

    function withFillEligible(AccountWord account, bool eligible) internal pure returns (AccountWord) {
        uint256 word = AccountWord.unwrap(account);
        return AccountWord.wrap(eligible ? word | FILL_ELIGIBLE_BIT : word & ~FILL_ELIGIBLE_BIT);
    }

    /// @notice The word with one more fill counted (32 bits: 4 billion fills).
    function filledOnce(AccountWord account) internal pure returns (AccountWord) {
        unchecked {
            return AccountWord.wrap(AccountWord.unwrap(account) + (1 << FILLS_SHIFT));
        }
    }

    /// @notice The user bucket's status under `limit` per `window` (see {RateLimit-status}).
    function bucketStatus(
        AccountWord account,
        uint256 limit,
        uint256 window
    ) internal view returns (uint256 remaining, uint256 retryAfter, uint256 fullIn) {
        return RateLimit.status(AccountWord.unwrap(account), limit, window);
    }
}
