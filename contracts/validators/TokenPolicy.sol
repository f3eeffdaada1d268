// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";

/**
 * @title TokenPolicy
 * @notice Per-token business rules shared by the shipped validators: which tokens an intent
 * type accepts and the amount bounds for each.
 * @dev A token's policy is one storage word, `allowed` (8) | `minAmount` (120) | `maxAmount`
 * (128), so a business-rule check costs one SLOAD per token.
 */
abstract contract TokenPolicy is AccessControlDefaultAdminRules {
    /// @notice Sets token policies.
    bytes32 public constant POLICY_ADMIN_ROLE = keccak256("POLICY_ADMIN_ROLE");

    uint256 private constant MIN_SHIFT = 8;
    uint256 private constant MAX_SHIFT = 128;
    uint256 private constant MASK_120 = (1 << 120) - 1;

    mapping(address token => uint256 word) private _policies;

    /// @notice `token`'s policy changed.
    event TokenPolicySet(address indexed token, bool allowed, uint256 minAmount, uint256 maxAmount);

    /// @notice `token` is not accepted by this intent type.
    error TokenNotAllowed(address token);
    /// @notice `amount` of `token` is outside [`minAmount`, `maxAmount`].
    error AmountOutOfBounds(address token, uint256 amount, uint256 minAmount, uint256 maxAmount);
    /// @notice A policy with `minAmount` > `maxAmount`, or a bound wider than its field.
    error InvalidBounds(uint256 minAmount, uint256 maxAmount);
    /// @notice The encoded parameters do not have the length this type needs.
    error MalformedParams(uint256 length, uint256 expected);
    /// @notice A required address parameter is zero.
    error ZeroAddressParam(string field);
    /// @notice A required amount parameter is zero.
    error ZeroAmountParam(string field);

    /**
     * @param admin initial default admin and policy admin
     * @param adminDelay delay before a default-admin handover takes effect
     */
    constructor(address admin, uint48 adminDelay) AccessControlDefaultAdminRules(adminDelay, admin) {
        _grantRole(POLICY_ADMIN_ROLE, admin);
    }

    /**
     * @notice Allows or forbids `token`, with bounds on the amount an intent may carry.
     * @param token the ERC-20 token
     * @param allowed whether intents may use it
     * @param minAmount smallest amount, below 2^120
     * @param maxAmount largest amount, at least `minAmount`, below 2^128
     */
    function setTokenPolicy(
        address token,
        bool allowed,
        uint256 minAmount,
        uint256 maxAmount
    ) external onlyRole(POLICY_ADMIN_ROLE) {
        if (token == address(0)) revert ZeroAddressParam("token");
        if (minAmount > maxAmount || minAmount > MASK_120 || maxAmount > type(uint128).max) {
            revert InvalidBounds(minAmount, maxAmount);
        }
        _policies[token] = (allowed ? 1 : 0) | (minAmount << MIN_SHIFT) | (maxAmount << MAX_SHIFT);
        emit TokenPolicySet(token, allowed, minAmount, maxAmount);
    }

    /**
     * @notice The policy of `token`.
     * @return allowed whether intents may use it
     * @return minAmount smallest amount
     * @return maxAmount largest amount
     */
    function tokenPolicy(address token) external view returns (bool allowed, uint256 minAmount, uint256 maxAmount) {
        uint256 word = _policies[token];
        return (word & 1 == 1, (word >> MIN_SHIFT) & MASK_120, word >> MAX_SHIFT);
    }

    /// @dev Reverts unless `token` is allowed and `amount` is within its bounds.
    function _checkToken(address token, uint256 amount) internal view {
        uint256 word = _policies[token];
        if (word & 1 == 0) revert TokenNotAllowed(token);
        uint256 minAmount = (word >> MIN_SHIFT) & MASK_120;
        uint256 maxAmount = word >> MAX_SHIFT;
        if (amount < minAmount || amount > maxAmount) {
            revert AmountOutOfBounds(token, amount, minAmount, maxAmount);
        }
    }

    /// @dev Reverts unless `token` is allowed (no amount bound applies).
    function _checkTokenAllowed(address token) internal view {
        if (_policies[token] & 1 == 0) revert TokenNotAllowed(token);
    }

    function _requireLength(bytes calldata params, uint256 expected) internal pure {
        if (params.length != expected) revert MalformedParams(params.length, expected);
    }
}
