/** Nest injection tokens for the domain's side effects, so tests can swap a ManualClock in. */
export const CLOCK = Symbol('Clock');
export const RANDOM = Symbol('RandomSource');
