// Who owns the hourly schedule (DESIGN §8, §10.1): Apps Script tells a script the user's email
// only when its manifest declares the userinfo.email scope, so appsscript.json must declare it for
// the sidebar to name the schedule's owner. The fake Session is as strict: without the scope,
// getEffectiveUser().getEmail() and getActiveUser().getEmail() answer ''.

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COORDINATOR, seedConfig, type Execution } from './fakes';
import { fakeSession, manifestScopes, USERINFO_EMAIL_SCOPE } from './fakes/misc';
import { EDITOR, MEMBERS, useWorlds } from './scenario';

const newWorld = useWorlds();
const ROOT = resolve('.');

/** DESIGN §8: the scopes the add-on may ask for, and nothing broader. */
const ALLOWED_SCOPES = [
  'https://www.googleapis.com/auth/spreadsheets.currentonly',
  'https://www.googleapis.com/auth/script.container.ui',
  'https://www.googleapis.com/auth/script.external_request',
  'https://www.googleapis.com/auth/script.scriptapp',
  'https://www.googleapis.com/auth/userinfo.email',
  'https://www.googleapis.com/auth/script.send_mail',
];

type Schedule = { on: boolean; owner: string; me: string };

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the built project whose manifest lacks userinfo.email. */
function projectWithoutEmailScope(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sheets-sync-no-email-'));
  temporary.push(dir);
  mkdirSync(join(dir, 'dist'));
  copyFileSync(join(ROOT, 'dist/Code.js'), join(dir, 'dist/Code.js'));
  const manifest = JSON.parse(readFileSync(join(ROOT, 'dist/appsscript.json'), 'utf8')) as { oauthScopes: string[] };
  manifest.oauthScopes = manifest.oauthScopes.filter((s) => s !== USERINFO_EMAIL_SCOPE);
  writeFileSync(join(dir, 'dist/appsscript.json'), JSON.stringify(manifest));
  return dir;
}

describe('The manifest declares userinfo.email, so the schedule has a named owner', () => {
  it('appsscript.json (and the copy the build writes) asks for userinfo.email and nothing beyond DESIGN §8', () => {
    for (const path of ['appsscript.json', 'dist/appsscript.json']) {
      const scopes = (JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as { oauthScopes: string[] }).oauthScopes;
      expect(scopes, path).toContain(USERINFO_EMAIL_SCOPE);
      for (const scope of scopes) expect(ALLOWED_SCOPES, `${path}: ${scope}`).toContain(scope);
    }
    expect(manifestScopes(ROOT)).toContain(USERINFO_EMAIL_SCOPE);
  });

  it('turning hourly sync on records the owner’s email; the sidebar shows it, to the owner and to other editors', () => {
    const w = newWorld();
    seedConfig(w, { jobs: [MEMBERS] });
    expect(w.sidebar<Schedule>('setHourly', true)).toEqual({ on: true, owner: COORDINATOR, me: COORDINATOR });
    expect(w.props.document.get('state:schedule:owner')).toBe(COORDINATOR);
    expect(w.sidebar<{ schedule: Schedule }>('sidebarState').schedule).toEqual({ on: true, owner: COORDINATOR, me: COORDINATOR });
    expect(w.callAs(EDITOR, 'sidebarState')).toMatchObject({ schedule: { on: true, owner: COORDINATOR, me: EDITOR } });
  });
});

describe('The fake Session is as strict as Apps Script about userinfo.email', () => {
  function session(scopes: readonly string[], trigger = false) {
    const exec = { user: COORDINATOR, trigger, called: () => undefined } as unknown as Execution;
    return fakeSession(exec, 'America/New_York', scopes);
  }

  it('answers "" for the effective and the active user without the scope, the email with it', () => {
    const without = session(ALLOWED_SCOPES.filter((s) => s !== USERINFO_EMAIL_SCOPE));
    expect(without.getEffectiveUser().getEmail()).toBe('');
    expect(without.getActiveUser().getEmail()).toBe('');
    const withScope = session([USERINFO_EMAIL_SCOPE]);
    expect(withScope.getEffectiveUser().getEmail()).toBe(COORDINATOR);
    expect(withScope.getActiveUser().getEmail()).toBe(COORDINATOR);
    // A trigger run knows whose trigger it is, never who is "active".
    expect(session([USERINFO_EMAIL_SCOPE], true).getActiveUser().getEmail()).toBe('');
  });

  it('reads the project’s manifest: a build without the scope cannot name anyone', () => {
    const w = newWorld({ root: projectWithoutEmailScope() });
    seedConfig(w, { jobs: [MEMBERS] });
    const on = w.sidebar<Schedule>('setHourly', true);
    expect(on.me).toBe('');
    expect(on.owner).not.toBe(COORDINATOR);
    expect(w.props.document.get('state:schedule:owner')).not.toBe(COORDINATOR);
    expect(w.callAs(EDITOR, 'sidebarState')).toMatchObject({ schedule: { me: '' } });
  });
});
