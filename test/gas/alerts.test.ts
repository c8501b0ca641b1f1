// Alerts (DESIGN §10.4): a scheduled run that ends a job Failed (or Held), or fails as a whole,
// emails the schedule's owner and the addresses saved in the sidebar once; no second email for the
// same job until it has ended OK again; a person's runs never email; a failure to send never
// breaks the run. Run against the built add-on with a fake MailApp as strict as Apps Script's.

import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { TAB } from '../../src/core/config/types';
import { COORDINATOR, FakeClock, HOUR, MAIL_QUOTA, Realm, SEND_MAIL_SCOPE, type Execution, type GasWorld } from './fakes';
import { fakeMailApp, newMailState } from './fakes/mail';
import { EDITOR, pullWorld, report, useWorlds } from './scenario';

const newWorld = useWorlds();

type Settings = { addresses: string[]; owner: string; problem: string };

/** A pull job with hourly sync on (owned by the coordinator). */
function scheduledWorld(): GasWorld {
  const w = pullWorld(newWorld);
  w.call('turnHourlyOn');
  return w;
}

/** The next hourly run, an hour on. */
function hourly(w: GasWorld) {
  w.clock.advance(HOUR);
  const e = w.trigger('hourlySync');
  expect(e.error).toBeUndefined();
  return e;
}

const breakIMIS = (w: GasWorld) => w.internet.unreachable.add('imis.example.org');
const mendIMIS = (w: GasWorld) => w.internet.unreachable.delete('imis.example.org');

describe('Alerts on scheduled runs', () => {
  it('the first failure emails the owner once, naming the spreadsheet (name and link), the job, its status and message', () => {
    const w = scheduledWorld();
    breakIMIS(w);
    hourly(w);
    const row = report(w).at(-1)!;
    expect(row).toMatchObject({ Trigger: 'Hourly', Job: 'Members', Status: 'Failed' });
    expect(w.mail.sent).toHaveLength(1);
    const mail = w.mail.sent[0]!;
    expect(mail.from).toBe(COORDINATOR);
    expect(mail.to).toEqual([COORDINATOR]);
    expect(mail.name).toBe('Sheets Sync');
    expect(mail.subject).toBe('Sheets Sync: "Members" failed in "Membership sync"');
    expect(mail.body).toContain('The hourly sync of the spreadsheet "Membership sync" needs your attention.');
    expect(mail.body).toContain(`Members: Failed\n${String(row.Message)}`);
    expect(mail.body).toMatch(/Open the spreadsheet: https:\/\/docs\.google\.com\/spreadsheets\/d\/[^/\s]+\/edit/);
    expect(mail.body).toContain('You will get no other email about "Members" until it has run OK again');
  });

  it('no second email while the job keeps failing; another after it ended OK and failed again', () => {
    const w = scheduledWorld();
    breakIMIS(w);
    hourly(w);
    hourly(w);
    expect(report(w).filter((r) => r.Job === 'Members').map((r) => r.Status)).toEqual(['Failed', 'Failed']);
    expect(w.mail.sent).toHaveLength(1);
    mendIMIS(w);
    hourly(w);
    expect(report(w).at(-1)).toMatchObject({ Job: 'Members', Status: 'OK' });
    expect(w.mail.sent).toHaveLength(1);
    breakIMIS(w);
    hourly(w);
    expect(w.mail.sent).toHaveLength(2);
    expect(w.mail.sent[1]!.subject).toBe('Sheets Sync: "Members" failed in "Membership sync"');
  });

  it('a run that fails as a whole (a setup problem) alerts as "the sync", once', () => {
    const w = scheduledWorld();
    w.props.document.delete('secret:iMIS');
    hourly(w);
    expect(report(w).at(-1)).toMatchObject({ Trigger: 'Hourly', Job: '', Status: 'Failed' });
    expect(w.mail.sent).toHaveLength(1);
    expect(w.mail.sent[0]!.subject).toBe('Sheets Sync: the hourly sync failed in "Membership sync"');
    expect(w.mail.sent[0]!.body).toContain(`The sync: Failed\n${String(report(w).at(-1)!.Message)}`);
    hourly(w);
    expect(w.mail.sent).toHaveLength(1);
  });

  it('authorization withdrawn: the Sync Report says so and the owner is emailed', () => {
    const w = scheduledWorld();
    w.script.authorizationRequired.add(COORDINATOR);
    hourly(w);
    expect(w.mail.sent).toHaveLength(1);
    expect(w.mail.sent[0]!.body).toMatch(/needs to be authorized again/);
  });

  it('manual runs (Sync now, the sidebar) never email; an OK manual run re-arms the job', () => {
    const w = scheduledWorld();
    breakIMIS(w);
    expect(w.run('syncNow').error).toBeUndefined();
    w.sidebar('startRun', 'Members', false);
    expect(report(w).filter((r) => r.Trigger === 'Manual').map((r) => r.Status)).toEqual(['Failed', 'Failed']);
    expect(w.mail.sent).toEqual([]);
    // The schedule fails: one email; the coordinator mends it and checks with Sync now (OK) …
    hourly(w);
    expect(w.mail.sent).toHaveLength(1);
    mendIMIS(w);
    w.call('syncNow');
    expect(report(w).at(-1)).toMatchObject({ Trigger: 'Manual', Status: 'OK' });
    // … so when the schedule fails again, that is news worth an email.
    breakIMIS(w);
    hourly(w);
    expect(w.mail.sent).toHaveLength(2);
  });
});

describe('"Email me when…": the addresses saved in the sidebar', () => {
  it('are saved, shown again, and emailed with the owner (once each)', () => {
    const w = scheduledWorld();
    expect(w.sidebar<Settings>('alertSettings')).toEqual({ addresses: [], owner: COORDINATOR, problem: '' });
    const saved = w.sidebar<Settings>('setAlertAddresses', [' office@example.org', 'Coordinator@example.org', 'office@example.org', EDITOR]);
    expect(saved).toEqual({ addresses: ['office@example.org', 'Coordinator@example.org', EDITOR], owner: COORDINATOR, problem: '' });
    expect(w.callAs(EDITOR, 'alertSettings')).toMatchObject({ addresses: ['office@example.org', 'Coordinator@example.org', EDITOR], owner: COORDINATOR });
    breakIMIS(w);
    hourly(w);
    expect(w.mail.sent).toHaveLength(1);
    expect(w.mail.sent[0]!.to).toEqual([COORDINATOR, 'office@example.org', EDITOR]);
    expect(w.sidebar<Settings>('setAlertAddresses', [])).toMatchObject({ addresses: [] });
  });

  it('only plain addresses, at most 10; anything else is refused and nothing changes', () => {
    const w = scheduledWorld();
    w.sidebar('setAlertAddresses', ['office@example.org']);
    const refusals: [unknown[], RegExp][] = [
      [[['not an address']], /^The addresses were not saved: "not an address" is not an email address/],
      [[['Office <office@example.org>']], /is not an email address/],
      [[['a@example.org, b@example.org']], /is not an email address/],
      [[Array.from({ length: 11 }, (_, i) => `p${i}@example.org`)], /at most 10 addresses can be saved/],
      [['office@example.org'], /^The addresses were not saved: the email addresses did not come through/],
      [[[42]], /did not come through/],
      [[[], 'extra'], /sent more than Sheets Sync expected/],
    ];
    for (const [args, message] of refusals) {
      expect(w.sidebar('setAlertAddresses', ...args), JSON.stringify(args)).toEqual({ refused: true, code: 'data', message: expect.stringMatching(message) });
    }
    expect(w.sidebar<Settings>('setAlertAddresses', Array.from({ length: 10 }, (_, i) => `p${i}@example.org`)).addresses).toHaveLength(10);
  });
});

describe('A failure to send never breaks the run', () => {
  it('MailApp throwing: the run ends as it would, the Sync Report is written, the reason is logged and shown in the sidebar; the next run tries again', () => {
    const w = scheduledWorld();
    breakIMIS(w);
    w.mail.failNext = 'Service unavailable: Email';
    const e = hourly(w);
    expect(report(w).at(-1)).toMatchObject({ Trigger: 'Hourly', Job: 'Members', Status: 'Failed' });
    expect(w.mail.sent).toEqual([]);
    expect(e.logs.map((l) => l.message)).toContainEqual(expect.stringMatching(/could not send the alert email: .*Service unavailable: Email/));
    expect(w.sidebar<Settings>('alertSettings').problem).toMatch(/Service unavailable: Email/);
    hourly(w);
    expect(w.mail.sent).toHaveLength(1);
    expect(w.sidebar<Settings>('alertSettings').problem).toBe('');
  });

  it('the daily recipient quota used up: nothing is sent, nothing breaks', () => {
    const w = scheduledWorld();
    w.mail.used.set(COORDINATOR, { since: w.clock.now(), count: MAIL_QUOTA.consumer });
    breakIMIS(w);
    hourly(w);
    expect(report(w).at(-1)).toMatchObject({ Job: 'Members', Status: 'Failed' });
    expect(w.mail.sent).toEqual([]);
    expect(w.sidebar<Settings>('alertSettings').problem).toMatch(/daily email quota .* is used up \(0 left, 1 needed\)/);
  });

  it('a bad address stored by an older version: MailApp refuses it, the run is unharmed', () => {
    const w = scheduledWorld();
    w.props.document.set('state:alerts:addresses', JSON.stringify(['not an address']));
    breakIMIS(w);
    hourly(w);
    expect(report(w).at(-1)).toMatchObject({ Job: 'Members', Status: 'Failed' });
    expect(w.mail.sent).toEqual([]);
    expect(w.sidebar<Settings>('alertSettings').problem).toMatch(/Invalid email: not an address/);
    expect(w.doc.find(TAB.report)).toBeDefined();
  });
});

describe('The fake MailApp behaves as Apps Script documents', () => {
  function mailApp(user = COORDINATOR, scopes: readonly string[] = [SEND_MAIL_SCOPE]) {
    const clock = new FakeClock();
    const state = newMailState();
    const exec = { user, trigger: false, called: () => undefined, realm: new Realm(vm.createContext({}), () => clock.now()) } as unknown as Execution;
    return { clock, state, mail: fakeMailApp(exec, state, clock, scopes) };
  }

  it('counts every recipient against 100 a day (1,500 for Workspace), resetting a day after the first email', () => {
    const { clock, state, mail } = mailApp();
    expect(mail.getRemainingDailyQuota()).toBe(100);
    mail.sendEmail({ to: 'a@example.org,b@example.org', cc: 'c@example.org', subject: 'Hi', body: 'Text' });
    mail.sendEmail('d@example.org', 'Hi', 'Text', { name: 'Sheets Sync' });
    expect(mail.getRemainingDailyQuota()).toBe(96);
    expect(state.sent.map((m) => [m.to, m.cc])).toEqual([[['a@example.org', 'b@example.org'], ['c@example.org']], [['d@example.org'], []]]);
    state.used.set(COORDINATOR, { since: clock.now(), count: 100 });
    expect(mail.getRemainingDailyQuota()).toBe(0);
    expect(() => mail.sendEmail({ to: 'a@example.org', subject: 'Hi', body: 'Text' })).toThrow('Service invoked too many times for one day: email.');
    clock.advance(24 * HOUR);
    expect(mail.getRemainingDailyQuota()).toBe(100);
    state.workspace.add(COORDINATOR);
    expect(mail.getRemainingDailyQuota()).toBe(1500);
  });

  it('throws on an invalid address (sending nothing), and without the send_mail scope', () => {
    const { state, mail } = mailApp();
    expect(() => mail.sendEmail({ to: 'a@example.org,not an address', subject: 'Hi', body: 'Text' })).toThrow('Invalid email: not an address');
    expect(() => mail.sendEmail({ to: 'Name <a@example.org>', subject: 'Hi', body: 'Text' })).toThrow('Invalid email: Name <a@example.org>');
    expect(state.sent).toEqual([]);
    expect(mail.getRemainingDailyQuota()).toBe(100);
    const { mail: unscoped } = mailApp(COORDINATOR, []);
    expect(() => unscoped.sendEmail({ to: 'a@example.org', subject: 'Hi', body: 'Text' })).toThrow(/Required permissions: https:\/\/www\.googleapis\.com\/auth\/script\.send_mail/);
  });
});
