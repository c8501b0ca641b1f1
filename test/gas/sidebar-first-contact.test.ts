// The sidebar on a spreadsheet a coordinator has just opened (issue 10): it can tell whether the
// setup tabs exist and set them up itself; a connection test finds its connection whatever else
// in the tabs still needs fixing; and a program's complaint left in a cell never reaches the page.

import { describe, expect, it } from 'vitest';
import { TAB } from '../../src/core/config/types';
import { seedConfig, setSecrets } from './fakes';
import { MEMBERS, useWorlds } from './scenario';

const newWorld = useWorlds();

interface State {
  tabsSetUp: boolean;
  connections: { name: string; status: string; hasSecret: boolean }[];
  jobs: { name: string; lastResult: string }[];
  problems: string[];
}

describe('Set up tabs from the sidebar', () => {
  it('sidebarState says the tabs are missing; setUpTabsFromSidebar creates them and says what it did', () => {
    const w = newWorld();
    expect(w.sidebar<State>('sidebarState').tabsSetUp).toBe(false);

    expect(w.sidebar('setUpTabsFromSidebar')).toEqual({ message: 'Set up: created Connections; created Jobs; created Mappings; created Constants.' });
    expect(w.doc.sheets.map((s) => s.name)).toEqual(['Sheet1', TAB.connections, TAB.jobs, TAB.mappings, TAB.constants]);
    const state = w.sidebar<State>('sidebarState');
    expect(state.tabsSetUp).toBe(true);
    expect(state.connections.map((c) => c.name)).toEqual(['iMIS', 'EveryAction']);

    expect(w.sidebar('setUpTabsFromSidebar')).toEqual({ message: 'The tabs were already set up; dropdowns and checkboxes are in place.' });
    expect(w.doc.sheets).toHaveLength(5);
  });

  it('a spreadsheet with Connections but no Jobs tab is not set up, and Set up tabs keeps the Connections rows', () => {
    const w = newWorld();
    seedConfig(w, { jobs: [MEMBERS] });
    w.doc.sheets.splice(w.doc.sheets.findIndex((s) => s.name === TAB.jobs), 1);
    expect(w.sidebar<State>('sidebarState').tabsSetUp).toBe(false);
    expect(w.sidebar<{ message: string }>('setUpTabsFromSidebar').message).toContain('created Jobs');
    const state = w.sidebar<State>('sidebarState');
    expect(state.tabsSetUp).toBe(true);
    expect(state.connections.map((c) => c.name)).toEqual(['iMIS']);
  });

  it('refuses arguments the page never sends, and sets up nothing', () => {
    const w = newWorld();
    const e = w.run('setUpTabsFromSidebar', { args: ['extra'] });
    expect(e.error).toBeUndefined();
    expect(e.result).toEqual({ refused: true, code: 'data', message: expect.stringMatching(/^Nothing was set up: the sidebar sent more than Sheets Sync expected/) });
    expect(w.doc.sheets.map((s) => s.name)).toEqual(['Sheet1']);
  });
});

describe('Testing a connection', () => {
  it('an EveryAction connection without its key is asked for the key, even while another row of the tabs needs fixing', () => {
    const w = newWorld();
    w.sidebar('setUpTabsFromSidebar');
    // An enabled job with a misspelt Action stops every run: the tabs do not parse as a whole.
    w.sheet(TAB.jobs).put(2, 3, 'Pul');
    expect(w.sidebar<State>('sidebarState').problems.join('\n')).toMatch(/Jobs row 2, Action/);

    expect(w.sidebar('testConnection', 'EveryAction')).toEqual({ ok: false, message: 'Set the API key for "EveryAction" first.' });
    expect(w.sidebar<State>('sidebarState').connections.find((c) => c.name === 'EveryAction')?.status).toBe('Set the API key for "EveryAction" first.');
  });

  it('a connection whose own row has a problem says that problem; a name not in the tab says so', () => {
    const w = newWorld();
    w.sidebar('setUpTabsFromSidebar');
    w.sheet(TAB.connections).put(3, 5, 'NoSuchMode');
    const said = w.sidebar<{ ok: boolean; message: string }>('testConnection', 'EveryAction');
    expect(said.ok).toBe(false);
    expect(said.message).toMatch(/^Connections row 3, Mode: /);
    expect(w.sidebar('testConnection', 'Nobody')).toEqual({ ok: false, message: 'There is no usable connection named "Nobody".' });
  });
});

describe('No program text reaches the page', () => {
  it('a raw exception left in a Status or Last Result cell comes back as a sentence', () => {
    const w = newWorld();
    seedConfig(w, { jobs: [MEMBERS] });
    setSecrets(w);
    const raw = "TypeError: Cannot read properties of null (reading 'getRange')";
    const connections = w.sheet(TAB.connections);
    connections.put(1, 6, 'Status');
    connections.put(2, 6, raw);
    const jobs = w.sheet(TAB.jobs);
    const col = (jobs.grid()[0] as string[]).indexOf('Last Result') + 1;
    jobs.put(2, col, `Failed: The sync stopped unexpectedly: Cannot read properties of null (reading 'getRange')`);

    const state = w.sidebar<State>('sidebarState');
    expect(JSON.stringify(state)).not.toMatch(/getRange|Cannot read|TypeError/);
    expect(state.connections[0]!.status).toMatch(/^The last test ran into something Sheets Sync did not expect/);
    expect(state.jobs[0]!.lastResult).toMatch(/^Failed: Sheets Sync ran into something it did not expect/);
  });
});
