// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title ISolverRegistry
 * @notice The part of {SolverRegistry} that {IntentVerifier} drives. Every function here may
 * only be called by the verifier the registry was wired to.
 */
interface ISolverRegistry {
    /// @notice Admits a claim by `solver`: it must be active, under its concurrency limit and
    /// its claim rate limit. Counts the assignment.
    function recordClaim(address solver) external;

    /// @notice Records a completed claim: frees its concurrency slot, counts the completion,
    /// folds `latencyScoreBps` into the performance score and adds the reported gas and cost.
    function recordSuccess(address solver, uint256 latencyScoreBps, uint256 gasUsed, uint256 totalCost) external;

    /// @notice Frees the concurrency slot of a claim that ended through no fault of the solver
    /// (the user could not pay, or a pause overlapped the claim window); counts neither a
    /// completion nor a failure.
    function recordRelease(address solver) external;

    /// @notice Records a failed claim and slashes the solver's bond in favour of `harmedUser`
    /// (and the treasury, as configured).
    /// @return slashed the amount taken from the bond
    function recordFailure(address solver, address harmedUser) external returns (uint256 slashed);
}
