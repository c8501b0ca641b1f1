// The iMIS simulator's public face: what tests, the CLI's `simulate` command and the demo import.

export { ImisSimulator, DEMO_QUERIES, DEFAULT_USERS, DEFAULT_TOKEN_TTL_SECONDS, DEFAULT_LIMIT, MAX_LIMIT } from './simulator';
export type { ImisSimulatorOptions } from './simulator';
export { DEMO_CONTACTS } from './parties';
export { DEMO_PANELS, DEMO_PANEL_ROWS, PANEL_DEFINITIONS } from './panels';
export type { PanelDefinition, PanelProperty, PanelRow } from './panels';
export type { PropertyTypeName, StoredValue } from './validation';
export type { ImisFaults, FaultStatus } from './faults';
export type { ImisUser } from './token';
export type { QueryRow, QueryValue, ColumnType, JsonObject, JsonValue } from './wire';
