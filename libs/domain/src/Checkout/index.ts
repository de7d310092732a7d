// The checkout workflow across SKU actors (STYLE.md 16): demand per SKU, and the pure decisions of
// placing, committing and releasing a reservation of several holds.
export * from './CheckoutDemand.js';
export * from './DecideCommit.js';
export * from './DecideHold.js';
export * from './DecideRelease.js';
export * from './LineReply.js';
