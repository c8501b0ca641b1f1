// The EveryAction simulator's public face: what tests, the loopback server, the CLI's `simulate`
// command and the demo import.

export {
  EveryActionSimulator, DEFAULT_APPLICATION_NAME, DEFAULT_API_KEY, DEFAULT_FILES_BASE_URL, DEFAULT_API_BASE_URL,
} from './simulator';
export type { EveryActionSimulatorOptions, RecordedRequest } from './simulator';
export type { EveryActionFaults, EveryActionFaultStatus } from './faults';
export { DEFAULT_RATE_LIMIT_WAIT_MS } from './faults';
export { DEMO_PEOPLE } from './seed';
export { DEMO_CUSTOM_FIELDS, DEMO_CUSTOM_FIELD_GROUP } from './custom-fields';
export type { CustomFieldDefinition, CustomFieldType, AvailableValue } from './custom-fields';
export { CHANGED_ENTITY_RESOURCES } from './exports';
export { EXPAND_SECTIONS, FIRST_VAN_ID } from './people';
export type {
  StoredPerson, StoredEmail, StoredPhone, StoredAddress, StoredCustomFieldValue, PersonChange, SubscriptionStatus, PhoneOptInStatus,
} from './people';
export { NORTH_AMERICAN_PHONE_HINT } from './writes';
