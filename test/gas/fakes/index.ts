// Fakes of the Apps Script services, for running the built add-on (dist/Code.js) in node:vm:
// test/gas/*.test.ts and scripts/bench-gas.mjs (which bundles this file with esbuild) use them.

export { CallLog, counted, type CallSummary } from './calls';
export { DAY, FakeClock, HOUR, MINUTE } from './clock';
export type { AuthMode, Execution, LogLine, SheetOp } from './execution';
export { LockState } from './lock';
export { MAIL_QUOTA, SEND_MAIL_SCOPE, type MailState, type SentEmail } from './mail';
export { formatDate } from './misc';
export { PropertyStore, STORE_LIMIT_BYTES, VALUE_LIMIT_BYTES } from './properties';
export { isDate, plain, Realm } from './realm';
export type { ScriptState, TriggerState } from './script';
export { contactMappings, EVERYACTION_CONNECTION, IMIS_2017_CONNECTION, IMIS_CONNECTION, jobRow, PASSWORDS, peopleTab, seedConfig, setSecrets, type ConfigSpec, type JobSpec } from './seed';
export { interpret, SheetState, SpreadsheetState, type Stored, type UiLog, type ValidationRule } from './spreadsheet';
export { FakeInternet, type SentRequest } from './urlfetch';
export { COORDINATOR, GasWorld, loadBundle, MISSING_GLOBALS, URLS, type ExecutionRecord, type RunOptions, type WorldOptions } from './world';
