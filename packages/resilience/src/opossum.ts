import type OpossumBreaker from 'opossum';
import OpossumRuntime from '#opossum';

/**
 * opossum's CircuitBreaker class: its Node build under Node, its self-contained bundle (no `events` module)
 * everywhere else, picked by the "imports" map of package.json.
 */
export const Opossum = OpossumRuntime as unknown as typeof OpossumBreaker;
export type Opossum = OpossumBreaker;
