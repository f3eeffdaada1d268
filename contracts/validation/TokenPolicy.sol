// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title TokenPolicy
 * @notice Business rules per intent type: which tokens the type accepts and the amount bounds
 * for each. Inherited by {IntentVerifier}, which guards {_setTokenPolicy} with a role.
 * @dev A policy is one storage word, `allowed` (1) | `minAmount` (at bit 8, 120 bits) |
 * `maxAmount` (at bit 128, 128 bits), so a business-rule check costs one SLOAD per token.
 */
abstract contract TokenPolicy {
    uint256 private constant MIN_SHIFT = 8;
    uint256 private constant MAX_SHIFT = 128;
    uint256 private constant MASK_120 = (1 << 120) - 1;

    mapping(uint8 intentType => mapping(address token => uint256 word)) private _policies;

    /// @notice `token`'s policy for `intentType` changed.
    event TokenPolicySet(
        uint8 indexed intentType,
        address indexed token,
        bool allowed,
        uint256 minAmount,
        uint256 maxAmount
    );

    /// @notice `token` is not accepted by this intent type.
    error TokenNotAllowed(uint8 intentType, address token);
    /// @notice `amount` of `token` is outside [`minAmount`, `maxAmount`].
    error AmountOutOfBounds(address token, uint256 amount, uint256 minAmount, uint256 maxAmount);
    /// @notice A policy with `minAmount` > `maxAmount`, a bound wider than its field, or no token.
    error InvalidTokenPolicy(address token, uint256 minAmount, uint256 maxAmount);

    /**
     * @notice The policy of `token` for `intentType`.
     * @return allowed whether intents of the type may use it
     * @return minAmount smallest amount
     * @return maxAmount largest amount
     */
    function tokenPolicy(
        uint8 intentType,
        address token
    ) external view returns (bool allowed, uint256 minAmount, uint256 maxAmount) {
        uint256 word = _policies[intentType][token];
        return (word & 1 == 1, (word >> MIN_SHIFT) & MASK_120, word >> MAX_SHIFT);
    }

    function _setTokenPolicy(
        uint8 intentType,
        address token,
        bool allowed,
        uint256 minAmount,
        uint256 maxAmount
    ) internal {
        if (token == address(0) || minAmount > maxAmount || minAmount > MASK_120 || maxAmount > type(uint128).max) {
            revert InvalidTokenPolicy(token, minAmount, maxAmount);
        }
        _policies[intentType][token] = (allowed ? 1 : 0) | (minAmount << MIN_SHIFT) | (maxAmount << MAX_SHIFT);
        emit TokenPolicySet(intentType, token, allowed, minAmount, maxAmount);
    }

    /// @dev Reverts unless `token` is allowed for `intentType` and `amount` is within its bounds.
    function _checkToken(uint8 intentType, address token, uint256 amount) internal view {
        uint256 word = _policies[intentType][token];
        if (word & 1 == 0) revert TokenNotAllowed(intentType, token);
        uint256 minAmount = (word >> MIN_SHIFT) & MASK_120;
        uint256 maxAmount = word >> MAX_SHIFT;
        if (amount < minAmount || amount > maxAmount) {
            revert AmountOutOfBounds(token, amount, minAmount, maxAmount);
        }
    }

    /// @dev Reverts unless `token` is allowed for `intentType` (no amount bound applies).
    function _checkTokenAllowed(uint8 intentType, address token) internal view {
        if (_policies[intentType][token] & 1 == 0) revert TokenNotAllowed(intentType, token);
    }
}
