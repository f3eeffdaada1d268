// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ISolverRegistry} from "../interfaces/ISolverRegistry.sol";
import {RateLimit} from "./RateLimit.sol";

/**
 * @notice A solver's track record, in one word:
 * claim bucket (88, the {RateLimit} convention) | status (8, bit 88) | claims in flight (16, bit 96) |
 * assigned (32, bit 112) | completed (32, bit 144) | failed (32, bit 176) | score (16, bit 208);
 * bits 224 and up are zero (one-transaction fills are counted by the verifier, which a fill
 * does not have to leave).
 * @dev Every field keeps one meaning in every status. One SLOAD and one SSTORE per hook cover the
 * status, the counters, the score and the claim bucket. Counters are 32-bit: 4 billion events.
 */
type SolverRecord is uint256;

using SolverRecordLibrary for SolverRecord global;

/// @title SolverRecordLibrary
/// @notice Reads and transitions of a {SolverRecord}.
library SolverRecordLibrary {
    uint256 private constant STATUS_SHIFT = 88;
    uint256 private constant ACTIVE_SHIFT = 96;
    uint256 private constant ASSIGNED_SHIFT = 112;
    uint256 private constant COMPLETED_SHIFT = 144;
    uint256 private constant FAILED_SHIFT = 176;
    uint256 private constant SCORE_SHIFT = 208;
    uint256 private constant MASK_8 = 0xff;
    uint256 private constant MASK_16 = 0xffff;
    uint256 private constant MASK_32 = 0xffffffff;

    /// @notice A first registration's record: nothing counted, the score at `initialScore`.
    function fresh(uint256 initialScore) internal pure returns (SolverRecord) {
        return SolverRecord.wrap(initialScore << SCORE_SHIFT);
    }

    function status(SolverRecord record) internal pure returns (ISolverRegistry.SolverStatus) {
        return ISolverRegistry.SolverStatus((SolverRecord.unwrap(record) >> STATUS_SHIFT) & MASK_8);
    }

    function withStatus(
        SolverRecord record,
        ISolverRegistry.SolverStatus status_
    ) internal pure returns (SolverRecord) {
        uint256 word = SolverRecord.unwrap(record);
        return SolverRecord.wrap((word & ~(MASK_8 << STATUS_SHIFT)) | (uint256(status_) << STATUS_SHIFT));
    }

    /// @notice Claims admitted and not yet settled or released.
    function activeClaims(SolverRecord record) internal pure returns (uint256) {
        return (SolverRecord.unwrap(record) >> ACTIVE_SHIFT) & MASK_16;
    }

    function assigned(SolverRecord record) internal pure returns (uint256) {
        return (SolverRecord.unwrap(record) >> ASSIGNED_SHIFT) & MASK_32;
    }

    function completed(SolverRecord record) internal pure returns (uint256) {
        return (SolverRecord.unwrap(record) >> COMPLETED_SHIFT) & MASK_32;
    }

    function failed(SolverRecord record) internal pure returns (uint256) {
        return (SolverRecord.unwrap(record) >> FAILED_SHIFT) & MASK_32;
    }

    /// @notice The EWMA performance score, in basis points.
    function score(SolverRecord record) internal pure returns (uint256) {
        return (SolverRecord.unwrap(record) >> SCORE_SHIFT) & MASK_16;
    }

    /// @notice The claim bucket's status under `limit` per `window` (see {RateLimit-status}).
    function claimBucketStatus(
        SolverRecord record,
        uint256 limit,
        uint256 window
    ) internal view returns (uint256 remaining, uint256 retryAfter, uint256 fullIn) {
        return RateLimit.status(SolverRecord.unwrap(record), limit, window);
    }

    /// @notice A claim admitted: the claim bucket spent (reverts when empty), one more claim in
    /// flight and one more assigned. The caller checks the concurrency cap first, so the
    /// in-flight count stays below 2^16.
    function claimed(
        SolverRecord record,
        uint256 limit,
        uint256 window,
        bytes32 bucketId
    ) internal view returns (SolverRecord) {
        uint256 word = RateLimit.consume(SolverRecord.unwrap(record), limit, window, bucketId);
        unchecked {
            return SolverRecord.wrap(word + (1 << ACTIVE_SHIFT) + (1 << ASSIGNED_SHIFT));
        }
    }

    /// @notice A claim ended without an outcome (released, or self-dealt): one fewer in flight.
    /// Only for a record with a claim in flight.
    function released(SolverRecord record) internal pure returns (SolverRecord) {
        unchecked {
            return SolverRecord.wrap(SolverRecord.unwrap(record) - (1 << ACTIVE_SHIFT));
        }
    }

    /// @notice A claim completed with latency score `sample`: one fewer in flight, one more
    /// completed, the score folded as score' = (7 * score + sample) / 8.
    function succeeded(SolverRecord record, uint256 sample) internal pure returns (SolverRecord) {
        return _settled(record, COMPLETED_SHIFT, sample);
    }

    /// @notice A claim lapsed: one fewer in flight, one more failed, a zero folded into the score.
    function lapsed(SolverRecord record) internal pure returns (SolverRecord) {
        return _settled(record, FAILED_SHIFT, 0);
    }

    function _settled(SolverRecord record, uint256 counterShift, uint256 sample) private pure returns (SolverRecord) {
        uint256 word = SolverRecord.unwrap(record);
        uint256 newScore = (((word >> SCORE_SHIFT) & MASK_16) * 7 + sample) >> 3;
        // A claim being settled was admitted by recordClaim, so activeClaims >= 1; counters are
        // 32-bit and would need 4 billion outcomes to wrap.
        unchecked {
            word = word - (1 << ACTIVE_SHIFT) + (1 << counterShift);
        }
        return SolverRecord.wrap((word & ~(MASK_16 << SCORE_SHIFT)) | (newScore << SCORE_SHIFT));
    }
}
