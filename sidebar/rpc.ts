// A typed, promise-returning view of google.script.run. Each server function named in
// SidebarServer becomes `server.name(...args): Promise<result>`, built from
// `google.script.run.withSuccessHandler(ok).withFailureHandler(fail).name(...args)`.
// Only plain data crosses: google.script.run rejects Dates, functions and DOM nodes.

import { isRefusal, type Refusal, type SidebarServer } from '../src/gas/sidebar-api';

type ServerName = keyof SidebarServer;

export type Promised<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never;
};

/** The part of google.script.run this page uses. */
interface ScriptRunner {
  withSuccessHandler(handler: (value: unknown) => void): ScriptRunner;
  withFailureHandler(handler: (error: unknown) => void): ScriptRunner;
  [name: string]: unknown;
}

function runner(): ScriptRunner | undefined {
  const g = globalThis as { google?: { script?: { run?: ScriptRunner } } };
  return g.google?.script?.run;
}

/**
 * Calls one server function and settles with its answer; it rejects with the server's Refusal
 * (a code and a sentence) or, when Google itself could not run the call, with Google's failure.
 */
export function call<K extends ServerName>(name: K, ...args: Parameters<SidebarServer[K]>): Promise<ReturnType<SidebarServer[K]>> {
  return new Promise((resolve, reject) => {
    const run = runner();
    if (!run) {
      reject({ refused: true, message: 'This page works only inside the Sheets Sync sidebar in Google Sheets.' } satisfies Refusal);
      return;
    }
    const bound = run
      .withSuccessHandler((value) => (isRefusal(value) ? reject(value) : resolve(value as ReturnType<SidebarServer[K]>)))
      .withFailureHandler((error) => reject(error));
    const fn = bound[name];
    if (typeof fn !== 'function') {
      reject({ refused: true, message: 'This copy of Sheets Sync is out of date. Reload the spreadsheet and try again.' } satisfies Refusal);
      return;
    }
    (fn as (...a: unknown[]) => void).apply(bound, args);
  });
}

/** Every server function, listed once so the compiler notices a function added to SidebarServer. */
const NAMES: Record<ServerName, true> = {
  sidebarState: true,
  setSecret: true,
  testConnection: true,
  startRun: true,
  continueRun: true,
  setHourly: true,
  fieldNames: true,
  refreshFieldPickers: true,
  alertSettings: true,
  setAlertAddresses: true,
  setUpTabsFromSidebar: true,
  connectionForm: true,
  jobForm: true,
  saveConnection: true,
  saveJob: true,
};

export const server: Promised<SidebarServer> = (() => {
  const out: Partial<Record<ServerName, (...args: never[]) => Promise<unknown>>> = {};
  for (const name of Object.keys(NAMES) as ServerName[]) {
    out[name] = (...args: never[]) => (call as (n: ServerName, ...a: unknown[]) => Promise<unknown>)(name, ...args);
  }
  return out as Promised<SidebarServer>;
})();
