// Demand (DESIGN.md §10 "Demand"): velocity from the daily history, the reorder point, and the restock
// suggestion for one SKU at one location. Pure.
export * from './BackInStock.js';
export * from './DemandHistory.js';
export * from './DemandVelocity.js';
export * from './InverseNormal.js';
export * from './NotifyRequest.js';
export * from './ReorderPoint.js';
export * from './RestockInput.js';
export * from './RestockStatus.js';
export * from './RestockSuggestion.js';
