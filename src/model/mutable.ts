/**
 * `T` without `readonly`: for building a value whose optional keys are set after the literal,
 * rather than spread in (which allocates a second object on hot paths).
 */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
