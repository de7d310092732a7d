// @larder/domain: the inventory decider (DESIGN.md §5). Pure: no I/O, no clock, no randomness.
export * from './Commands.js';
export * from './Decide.js';
export * from './Events.js';
export * from './Evolve.js';
export * from './Generations.js';
export * from './Ids.js';
export * from './Quantities.js';
export * from './Rejections.js';
export * from './ReservationStatus.js';
export * from './Retention.js';
export * from './State.js';
export * from './StockLevels.js';
export * from './StateCodec.js';
export * from './Checkout/index.js';
export * from './Decision.js';
export * from './Drops/DecideDrop.js';
export * from './Drops/DropPosition.js';
