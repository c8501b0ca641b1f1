// The iMIS simulator's public face: what tests, the CLI's `simulate` command and the demo import.

export { ImisSimulator, DEMO_QUERIES, DEFAULT_USERS, DEFAULT_TOKEN_TTL_SECONDS, DEFAULT_LIMIT, MAX_LIMIT } from './simulator';
export type { ImisSimulatorOptions } from './simulator';
export type { ImisFaults, FaultStatus } from './faults';
export type { ImisUser } from './token';
export type { QueryRow, QueryValue, ColumnType } from './wire';
