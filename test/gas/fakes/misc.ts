// The small services: HtmlService (the project's HTML files, e.g. dist/Sidebar.html), Session
// (who runs the execution, told only to a project whose manifest asks for userinfo.email; a
// trigger run does not know its active user), Utilities (sleep moves the fake clock instead of
// waiting), console and Logger (kept per execution).

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { counted } from './calls';
import type { FakeClock } from './clock';
import type { Execution } from './execution';
import { isDate } from './realm';

export function fakeHtmlService(exec: Execution, files: Map<string, string>) {
  const output = (content: string) => {
    let title = '';
    let width = 300;
    let height = 500;
    const impl = {
      setTitle: (t: string) => {
        title = t;
        return impl;
      },
      getTitle: () => title,
      getContent: () => content,
      setContent: (c: string) => {
        content = c;
        return impl;
      },
      append: (c: string) => {
        content += c;
        return impl;
      },
      setWidth: (w: number) => {
        width = w;
        return impl;
      },
      getWidth: () => width,
      setHeight: (h: number) => {
        height = h;
        return impl;
      },
      getHeight: () => height,
      setSandboxMode: () => impl,
      setXFrameOptionsMode: () => impl,
      addMetaTag: () => impl,
    };
    return counted(exec, 'HtmlOutput', impl);
  };
  return counted(exec, 'HtmlService', {
    createHtmlOutputFromFile: (name: string) => {
      const content = files.get(name.replace(/\.html$/, ''));
      if (content === undefined) throw exec.realm.exception(`No HTML file named ${name} was found.`);
      return output(content);
    },
    createHtmlOutput: (html = '') => output(String(html)),
    SandboxMode: { IFRAME: 'IFRAME', NATIVE: 'NATIVE', EMULATED: 'EMULATED' },
    XFrameOptionsMode: { ALLOWALL: 'ALLOWALL', DEFAULT: 'DEFAULT' },
  });
}

export const USERINFO_EMAIL_SCOPE = 'https://www.googleapis.com/auth/userinfo.email';

const manifests = new Map<string, { mtimeMs: number; scopes: string[] }>();

/**
 * The oauthScopes of the project's manifest: the one the build writes (dist/appsscript.json), or
 * the source one (appsscript.json) when there is none; [] when neither exists or lists scopes.
 */
export function manifestScopes(root: string): string[] {
  for (const path of [join(root, 'dist/appsscript.json'), join(root, 'appsscript.json')]) {
    if (!existsSync(path)) continue;
    const mtimeMs = statSync(path).mtimeMs;
    const hit = manifests.get(path);
    if (hit && hit.mtimeMs === mtimeMs) return hit.scopes;
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as { oauthScopes?: unknown };
    const scopes = Array.isArray(manifest.oauthScopes) ? manifest.oauthScopes.map(String) : [];
    manifests.set(path, { mtimeMs, scopes });
    return scopes;
  }
  return [];
}

/**
 * Session as Apps Script gives it: a user's email only to a project whose manifest declares the
 * userinfo.email scope ('' otherwise, however the script asks). `project` is the project root
 * (its manifest is read) or the scopes themselves.
 */
export function fakeSession(exec: Execution, scriptTimeZone: string, project: string | readonly string[]) {
  const scopes = typeof project === 'string' ? manifestScopes(project) : project;
  const mayKnow = scopes.includes(USERINFO_EMAIL_SCOPE);
  const user = (email: string) => counted(exec, 'User', { getEmail: () => (mayKnow ? email : '') });
  return counted(exec, 'Session', {
    getEffectiveUser: () => user(exec.user),
    // A trigger runs as its owner, but Apps Script cannot say who is "active" then.
    getActiveUser: () => user(exec.trigger ? '' : exec.user),
    getScriptTimeZone: () => scriptTimeZone,
    getTemporaryActiveUserKey: () => `key-${exec.user}`,
  });
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Utilities.formatDate for the usual SimpleDateFormat letters. */
export function formatDate(date: Date, timeZone: string, pattern: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const map: Record<string, string> = {
    yyyy: parts.year!,
    yy: parts.year!.slice(2),
    MM: parts.month!,
    dd: parts.day!,
    HH: parts.hour!,
    mm: parts.minute!,
    ss: parts.second!,
    SSS: pad(date.getUTCMilliseconds(), 3),
  };
  let out = '';
  for (let i = 0; i < pattern.length; ) {
    if (pattern[i] === "'") {
      const end = pattern.indexOf("'", i + 1);
      out += pattern.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    const token = ['yyyy', 'SSS', 'yy', 'MM', 'dd', 'HH', 'mm', 'ss'].find((t) => pattern.startsWith(t, i));
    if (token) {
      out += map[token];
      i += token.length;
    } else out += pattern[i++];
  }
  return out;
}

export function fakeUtilities(exec: Execution, clock: FakeClock) {
  let uuid = 0;
  const bytesOf = (data: unknown): Buffer =>
    typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from((data as number[]).map((b) => (b < 0 ? b + 256 : b)));
  return counted(exec, 'Utilities', {
    sleep: (ms: number) => {
      if (ms > 300_000) throw exec.realm.exception('Invalid argument: milliseconds');
      clock.advance(ms);
    },
    formatDate: (date: Date, timeZone: string, pattern: string) => {
      if (!isDate(date)) throw exec.realm.exception("The parameters don't match the method signature for Utilities.formatDate.");
      return formatDate(date, timeZone, pattern);
    },
    base64Encode: (data: unknown) => bytesOf(data).toString('base64'),
    base64EncodeWebSafe: (data: unknown) => bytesOf(data).toString('base64').replace(/\+/g, '-').replace(/\//g, '_'),
    base64Decode: (text: string) => exec.realm.array([...Buffer.from(text, 'base64')].map((b) => (b > 127 ? b - 256 : b))),
    getUuid: () => `00000000-0000-4000-8000-${pad(++uuid, 12)}`,
  });
}

export function fakeConsole(exec: Execution) {
  const line = (level: 'log' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    exec.logs.push({ level, message: args.map((a) => (typeof a === 'string' ? a : typeof a === 'object' && a !== null && 'message' in a ? String((a as Error).message) : String(a))).join(' ') });
  };
  return { log: line('log'), info: line('info'), warn: line('warn'), error: line('error') };
}

export function fakeLogger(exec: Execution) {
  return counted(exec, 'Logger', {
    log: (...args: unknown[]) => {
      exec.logs.push({ level: 'log', message: args.map(String).join(' ') });
    },
  });
}
