// A fake ScriptApp: installable triggers kept per user (each editor sees only their own), with the
// add-on rules (one time-driven trigger per user per document, at most hourly), and a scriptable
// authorization status per user (REQUIRED after new scopes, until the user accepts again).

import { counted } from './calls';
import type { Execution } from './execution';

export interface TriggerState {
  id: string;
  owner: string;
  handler: string;
  kind: 'CLOCK' | 'ON_OPEN' | 'ON_EDIT' | 'ON_CHANGE';
  everyHours: number | null;
  /** Created inside a trigger run (Apps Script may leave such triggers disabled). */
  createdByTrigger: boolean;
}

export interface ScriptState {
  triggers: TriggerState[];
  /** Users whose authorization has lapsed (getAuthorizationInfo says REQUIRED). */
  authorizationRequired: Set<string>;
  /** Apply the add-on trigger rules (on by default). */
  addOnRules: boolean;
  nextTrigger: number;
}

export function newScriptState(): ScriptState {
  return { triggers: [], authorizationRequired: new Set(), addOnRules: true, nextTrigger: 1 };
}

const HOURS = new Set([1, 2, 4, 6, 8, 12]);

export function fakeScriptApp(exec: Execution, state: ScriptState) {
  const fail = (m: string) => exec.realm.exception(m);
  const triggerApi = (t: TriggerState) =>
    counted(exec, 'Trigger', {
      getHandlerFunction: () => t.handler,
      getUniqueId: () => t.id,
      getEventType: () => t.kind,
      getTriggerSource: () => (t.kind === 'CLOCK' ? 'CLOCK' : 'SPREADSHEETS'),
      getTriggerSourceId: () => (t.kind === 'CLOCK' ? null : 'fake-spreadsheet-id'),
    });
  const ids = new WeakMap<object, string>();
  const listed = (list: TriggerState[]) =>
    exec.realm.array(
      list.map((t) => {
        const api = triggerApi(t);
        ids.set(api, t.id);
        return api;
      }),
    );

  const create = (handler: string, kind: TriggerState['kind'], everyHours: number | null, minutes: number | null) => {
    if (state.addOnRules && minutes !== null) throw fail('The recurrence interval for an Add-on trigger must be at least one hour.');
    if (everyHours !== null && !HOURS.has(everyHours)) throw fail('The number of hours must be 1, 2, 4, 6, 8 or 12.');
    if (state.addOnRules && state.triggers.some((t) => t.owner === exec.user && t.kind === kind)) {
      throw fail(
        kind === 'CLOCK'
          ? 'This add-on has created too many time-based triggers in this document for this Google user account.'
          : 'This add-on has created too many triggers of this type in this document for this Google user account.',
      );
    }
    const t: TriggerState = { id: `trigger-${state.nextTrigger++}`, owner: exec.user, handler, kind, everyHours, createdByTrigger: exec.trigger };
    state.triggers.push(t);
    return triggerApi(t);
  };

  const newTrigger = (handler: string) => {
    const clock = () => {
      let hours: number | null = null;
      let minutes: number | null = null;
      const impl = {
        everyHours: (n: number) => {
          hours = n;
          return impl;
        },
        everyMinutes: (n: number) => {
          minutes = n;
          return impl;
        },
        everyDays: (_n: number) => impl,
        atHour: () => impl,
        nearMinute: () => impl,
        after: (ms: number) => {
          minutes = Math.ceil(ms / 60_000);
          return impl;
        },
        create: () => create(handler, 'CLOCK', hours, minutes),
      };
      return counted(exec, 'ClockTriggerBuilder', impl);
    };
    const sheet = () => {
      let kind: TriggerState['kind'] = 'ON_OPEN';
      const impl = {
        onOpen: () => ((kind = 'ON_OPEN'), impl),
        onEdit: () => ((kind = 'ON_EDIT'), impl),
        onChange: () => ((kind = 'ON_CHANGE'), impl),
        create: () => create(handler, kind, null, null),
      };
      return counted(exec, 'SpreadsheetTriggerBuilder', impl);
    };
    return counted(exec, 'TriggerBuilder', { timeBased: clock, forSpreadsheet: () => sheet() });
  };

  return counted(exec, 'ScriptApp', {
    AuthMode: { NONE: 'NONE', CUSTOM_FUNCTION: 'CUSTOM_FUNCTION', LIMITED: 'LIMITED', FULL: 'FULL' },
    AuthorizationStatus: { REQUIRED: 'REQUIRED', NOT_REQUIRED: 'NOT_REQUIRED' },
    EventType: { CLOCK: 'CLOCK', ON_OPEN: 'ON_OPEN', ON_EDIT: 'ON_EDIT', ON_CHANGE: 'ON_CHANGE' },
    TriggerSource: { SPREADSHEETS: 'SPREADSHEETS', CLOCK: 'CLOCK' },
    getUserTriggers: (_spreadsheet: unknown) => listed(state.triggers.filter((t) => t.owner === exec.user)),
    getProjectTriggers: () => listed(state.triggers.filter((t) => t.owner === exec.user)),
    newTrigger,
    deleteTrigger: (trigger: object) => {
      const id = ids.get(trigger);
      const at = state.triggers.findIndex((t) => t.id === id && t.owner === exec.user);
      if (at < 0) throw fail('Trigger not found, or it belongs to another user.');
      state.triggers.splice(at, 1);
    },
    getAuthorizationInfo: (_mode: string) => {
      const required = state.authorizationRequired.has(exec.user);
      return counted(exec, 'AuthorizationInfo', {
        getAuthorizationStatus: () => (required ? 'REQUIRED' : 'NOT_REQUIRED'),
        getAuthorizationUrl: () => (required ? 'https://script.google.com/macros/d/fake/authorize' : null),
        getAuthorizedScopes: () => exec.realm.array([]),
      });
    },
  });
}
