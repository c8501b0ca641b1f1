// Config tabs → typed Config: a realistic good workbook, and each kind of mistake a coordinator
// makes, checked by the exact sentence they would read.

import { describe, expect, it } from 'vitest';
import type { Cell, Grid, SecretBinding, SecretLookup, Secrets } from '../../src/core/ports';
import { cellBoolean, cellText, readTable } from '../../src/core/cells';
import { parseConfig as parseWith, selectJobs, type ConfigTabs } from '../../src/core/config/parse';
import { TARGET_CATALOGUES } from '../../src/connectors/catalogues';
import { customFieldId } from '../../src/connectors/everyaction/catalogue';
import {
  describeProblem,
  type Config,
  type EveryActionConnection,
  type EveryActionPullJob,
  type EveryActionPushJob,
  type ImisConnection,
  type Job,
} from '../../src/core/config/types';

/** Config parsing as every run does it: with the connectors' target catalogues. */
const parseConfig = (tabs: ConfigTabs, secrets: Secrets) => parseWith(tabs, secrets, TARGET_CATALOGUES);

const secrets = (known: Record<string, string>): Secrets => ({
  get: ({ name }) => (known[name] === undefined ? { state: 'missing' } : { state: 'set', value: known[name] }),
  howToSet: (name) => `set SHEETS_SYNC_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`,
});
const SECRETS = secrets({ iMIS: 'pw-live', EA: 'ea-key' });

// ---------------------------------------------------------------------------------------------
// A good workbook as Google Sheets hands it over: typed cells, odd header order and case, extra
// columns, blank rows, unticked checkboxes all the way down.

const goodTabs = (): ConfigTabs => ({
  connections: [
    [' name ', 'SYSTEM', 'Username', 'url', 'Notes', 'mode', 'Status'],
    ['iMIS', 'imis', ' sync.user ', 'https://MyOrg.imiscloud.com', 'main site', '', 'OK 2026-11-23 10:00'],
    ['Local', 'iMIS', 'admin', 'http://127.0.0.1:8123/imis//', '', 2017, ''],
    [null, '', '', '', 'just a note', '', ''],
    ['EA', 'everyaction', 'MyApp', '', '', 'voterfile', ''],
  ],
  jobs: [
    ['Last Result', 'Name', 'enabled', 'ACTION', 'Connection', 'Source', 'Target', 'Match', 'Mode', 'Parameters', 'Schedule', 'Last Run', 'Owner'],
    ['OK', ' Active Members ', true, 'pull', 'imis', '$/Marketing/Lists/Active Members', 'Members', '', '', ' 2026 | {{today}} |', '', new Date(2026, 10, 23, 10, 0), 'Ann'],
    ['', 'Signups', 'yes', 'PUSH', 'local', 'Event Signups', 'contact', 'email + name', 'update ONLY', '', 'daily', null, ''],
    ['', null, false, null, null, null, null, null, null, null, null, null, null],
    ['', 'Volunteers', false, 'Push', 'iMIS', 'Volunteers', 'Volunteer_Interests', 'id', '', '', 'manual', null, ''],
    ['', 'Lapsed', 'x', 'Pull', 'Local', '$/Lists/Lapsed', 'Lapsed', 'Member ID', 'merge', 2026, 'Hourly', null, ''],
    ['', null, false, null, null, null, null, null, null, null, null, null, null],
  ],
  mappings: [
    ['Transform', 'Job', 'column', 'Field', 'Required', 'Comment'],
    ['LOWER', 'signups', 'E-mail', 'Email', true, ''],
    ['', 'Signups', 'First', 'FirstName', 'x', ''],
    [null, 'Active Members', 'Member ID', 'ID', false, ''],
    ['date', 'Signups', 'Signed up', 'CustomDate', null, 'copied from form'],
    [null, null, null, null, false, ''],
  ],
  constants: [
    ['Value', 'Field', 'Job'],
    ['Signed up via {{sheet}} on {{today}}', 'Source', 'Signups'],
    [42, 'Points', 'Volunteers'],
    [new Date(2026, 0, 5), 'JoinDate', 'Volunteers'],
    ['{{column:First}} {{clear}}', 'Nickname', 'Signups'],
    ['', 'Note', 'Active Members'],
  ],
});

const imis: ImisConnection = {
  system: 'iMIS',
  name: 'iMIS',
  url: 'https://myorg.imiscloud.com/',
  username: 'sync.user',
  mode: 'EMS',
  secret: 'pw-live',
  secretHowTo: 'set SHEETS_SYNC_SECRET_IMIS',
  row: 2,
};
const local: ImisConnection = {
  system: 'iMIS',
  name: 'Local',
  url: 'http://127.0.0.1:8123/imis/',
  username: 'admin',
  mode: '2017',
  secret: '',
  secretHowTo: 'set SHEETS_SYNC_SECRET_LOCAL',
  row: 3,
};

const expectedConfig: Config = {
  connections: [
    imis,
    local,
    {
      system: 'EveryAction',
      name: 'EA',
      url: 'https://api.securevan.com/v4/',
      username: 'MyApp',
      mode: 'VoterFile',
      secret: 'ea-key',
      secretHowTo: 'set SHEETS_SYNC_SECRET_EA',
      row: 5,
    },
  ],
  jobs: [
    {
      name: 'Active Members',
      enabled: true,
      action: 'Pull',
      system: 'iMIS',
      connection: imis,
      source: '$/Marketing/Lists/Active Members',
      target: 'Members',
      key: 'ID',
      mode: 'Replace',
      parameters: ['2026', '{{today}}', ''],
      schedule: 'Hourly',
      mappings: [{ column: 'Member ID', field: 'ID', required: false, transform: null, row: 4 }],
      constants: [{ field: 'Note', value: '', row: 6 }],
      row: 2,
    },
    {
      name: 'Signups',
      enabled: true,
      action: 'Push',
      system: 'iMIS',
      connection: local,
      source: 'Event Signups',
      target: 'Contact',
      match: 'Email+Name',
      mode: 'Update only',
      parameters: [],
      schedule: 'Daily',
      mappings: [
        { column: 'E-mail', field: 'Email', required: true, transform: 'lower', row: 2 },
        { column: 'First', field: 'FirstName', required: true, transform: null, row: 3 },
        { column: 'Signed up', field: 'CustomDate', required: false, transform: 'date', row: 5 },
      ],
      constants: [
        { field: 'Source', value: 'Signed up via {{sheet}} on {{today}}', row: 2 },
        { field: 'Nickname', value: '{{column:First}} {{clear}}', row: 5 },
      ],
      row: 3,
    },
    {
      name: 'Volunteers',
      enabled: false,
      action: 'Push',
      system: 'iMIS',
      connection: imis,
      source: 'Volunteers',
      target: 'Volunteer_Interests',
      match: 'ID',
      mode: 'Upsert',
      parameters: [],
      schedule: 'Manual',
      mappings: [],
      constants: [
        { field: 'Points', value: '42', row: 3 },
        { field: 'JoinDate', value: '2026-01-05', row: 4 },
      ],
      row: 5,
    },
    {
      name: 'Lapsed',
      enabled: true,
      action: 'Pull',
      system: 'iMIS',
      connection: local,
      source: '$/Lists/Lapsed',
      target: 'Lapsed',
      key: 'Member ID',
      mode: 'Merge',
      parameters: ['2026'],
      schedule: 'Hourly',
      mappings: [],
      constants: [],
      row: 6,
    },
  ],
  drafts: [],
};

function parseGood(): Config {
  const result = parseConfig(goodTabs(), SECRETS);
  if (!result.ok) throw new Error(result.problems.map(describeProblem).join('\n'));
  return result.config;
}

/** The problems, as the coordinator reads them; notes (problems that stop nothing) after them, marked "note: ". */
function problems(tabs: Partial<ConfigTabs>, s: Secrets = SECRETS): string[] {
  const result = parseConfig({ ...goodTabs(), ...tabs }, s);
  return [...(result.ok ? [] : result.problems.map(describeProblem)), ...result.notes.map((n) => `note: ${describeProblem(n)}`)];
}

// Small canonical tabs for the bad cases; rows start at sheet row 2.
const CONNECTIONS_H: Cell[] = ['Name', 'System', 'URL', 'Username', 'Mode'];
const JOBS_H: Cell[] = ['Name', 'Enabled', 'Action', 'Connection', 'Source', 'Target', 'Match', 'Mode', 'Parameters', 'Schedule'];
const IMIS_ROW: Cell[] = ['iMIS', 'iMIS', 'https://myorg.imiscloud.com/', 'sync.user', ''];
const EA_ROW: Cell[] = ['EveryAction', 'EveryAction', '', 'MyApp', ''];
const PULL: Cell[] = ['Members pull', true, 'Pull', 'iMIS', '$/Lists/Members', 'Members', '', '', '', ''];
const PUSH: Cell[] = ['Signups', true, 'Push', 'iMIS', 'Event Signups', 'Contact', '', '', '', ''];
const EA_PUSH: Cell[] = ['Volunteers EA', true, 'Push', 'EveryAction', 'Volunteers', 'People', '', '', '', ''];
const EA_PULL: Cell[] = ['EA changes', true, 'Pull', 'EveryAction', 'Changed people', 'EA People', '', '', '', ''];

const connections = (...rows: Cell[][]): Grid => [CONNECTIONS_H, ...rows];
const jobs = (...rows: Cell[][]): Grid => [JOBS_H, ...rows];
const mappings = (...rows: Cell[][]): Grid => [['Job', 'Column', 'Field', 'Required', 'Transform'], ...rows];
const constants = (...rows: Cell[][]): Grid => [['Job', 'Field', 'Value'], ...rows];
/** A row with some cells replaced: with(PULL, { 4: 'x' }). */
const edit = (row: Cell[], changes: Record<number, Cell>): Cell[] => row.map((c, i) => (i in changes ? changes[i]! : c));

/** A small workbook with one good pull and one good push, plus whatever the case changes. */
function small(tabs: Partial<ConfigTabs>): string[] {
  return problems({ connections: connections(IMIS_ROW, EA_ROW), jobs: jobs(PULL, PUSH), mappings: null, constants: null, ...tabs });
}

// ---------------------------------------------------------------------------------------------

describe('cells', () => {
  it('reads any cell as the text a person would type', () => {
    expect(cellText(null)).toBe('');
    expect(cellText('  Active Members  ')).toBe('Active Members');
    expect(cellText(3)).toBe('3');
    expect(cellText(3.0)).toBe('3');
    expect(cellText(-0)).toBe('0');
    expect(cellText(0.1 + 0.2)).toBe('0.3');
    expect(cellText(12.5)).toBe('12.5');
    expect(cellText(1234567890123)).toBe('1234567890123');
    expect(cellText(true)).toBe('TRUE');
    expect(cellText(false)).toBe('FALSE');
    expect(cellText(new Date(2026, 0, 5))).toBe('2026-01-05');
    expect(cellText(new Date(2026, 0, 5, 9, 30))).toBe('2026-01-05T09:30:00');
  });

  it('reads checkboxes and the words people use for them', () => {
    for (const yes of [true, 'TRUE', 'true', ' Yes ', 'YES', '1', 1, 'x', 'X']) expect(cellBoolean(yes)).toBe(true);
    for (const no of [false, 'FALSE', 'no', 'No', '0', 0, '', '  ', null]) expect(cellBoolean(no)).toBe(false);
    for (const neither of ['maybe', 'y', 2, new Date(2026, 0, 1)]) expect(cellBoolean(neither)).toBeUndefined();
  });

  it('finds headers in any order and case, skips blank rows, numbers rows as the sheet does', () => {
    const table = readTable(
      [
        ['Extra', ' VALUE ', 'job'],
        ['note', 'a', 'J1'],
        ['only a note', null, ''],
        [],
        ['', 'b'],
      ],
      'Constants',
      ['Job', 'Value'],
      ['Field'],
    );
    expect(table.problems).toEqual([]);
    expect([...table.present].sort()).toEqual(['Job', 'Value']);
    expect(table.rows).toEqual([
      { row: 2, cells: { Job: 'J1', Value: 'a', Field: null } },
      { row: 5, cells: { Job: null, Value: 'b', Field: null } },
    ]);
  });

  it('reports each missing required header', () => {
    const table = readTable([['Job', 'Notes']], 'Constants', ['Job', 'Field', 'Value'], []);
    expect(table.problems.map(describeProblem)).toEqual([
      'Constants row 1, Field: the column "Field" is missing from the header row',
      'Constants row 1, Value: the column "Value" is missing from the header row',
    ]);
  });
});

describe('parseConfig: a good workbook', () => {
  it('parses typed cells, odd headers and extra columns into the expected Config', () => {
    expect(parseGood()).toEqual(expectedConfig);
  });

  it('treats absent Mappings and Constants tabs as none', () => {
    const result = parseConfig({ ...goodTabs(), mappings: null, constants: null }, SECRETS);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.config.jobs.every((j) => j.mappings.length === 0 && j.constants.length === 0)).toBe(true);
  });

  it('keeps optional columns optional', () => {
    const result = parseConfig(
      {
        connections: [['Name', 'System', 'URL', 'Username'], IMIS_ROW.slice(0, 4)],
        jobs: [['Name', 'Enabled', 'Action', 'Connection', 'Source', 'Target'], PULL.slice(0, 6)],
        mappings: [['Job', 'Column', 'Field'], ['Members pull', 'Email', 'Email']],
        constants: null,
      },
      SECRETS,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.connections[0]).toMatchObject({ mode: 'EMS' });
    expect(result.config.jobs[0]).toMatchObject({ key: 'ID', mode: 'Replace', schedule: 'Hourly', parameters: [] });
    expect(result.config.jobs[0]!.mappings).toEqual([{ column: 'Email', field: 'Email', required: false, transform: null, row: 2 }]);
  });

  it.each([
    ['https://host.org/imis', 'https://host.org/imis/'],
    ['HTTPS://Host.ORG//', 'https://host.org/'],
    ['https://host.org:8443/iMIS/Web/', 'https://host.org:8443/iMIS/Web/'],
    ['http://localhost:8080', 'http://localhost:8080/'],
    ['http://[::1]:9000/imis', 'http://[::1]:9000/imis/'],
    ['http://127.0.0.1', 'http://127.0.0.1/'],
  ])('normalises the address %s to %s', (url, expected) => {
    const result = parseConfig({ connections: connections(edit(IMIS_ROW, { 2: url })), jobs: jobs(), mappings: null, constants: null }, SECRETS);
    expect(result.ok && result.config.connections[0]!.url).toBe(expected);
  });
});

describe('parseConfig: problems a coordinator can fix', () => {
  it.each<[string, Partial<ConfigTabs>, string[]]>([
    // Tabs and headers
    ['no Jobs tab', { jobs: null }, ['Jobs: the tab "Jobs" is missing']],
    ['no Connections tab (jobs are not blamed for it)', { connections: null }, ['Connections: the tab "Connections" is missing']],
    [
      'a required header missing',
      { connections: [['Name', 'System', 'Username'], ['iMIS', 'iMIS', 'u']] },
      ['Connections row 1, URL: the column "URL" is missing from the header row'],
    ],
    [
      'an empty Jobs tab',
      { jobs: [] },
      ['Jobs row 1: the first row should hold the column headers (Name, Enabled, Action, Connection, Source, Target, …) but it is empty'],
    ],
    // Connections
    // No job can use a connection without a name, so it is a note (see 'a draft blocks nothing').
    ['a connection without a name', { connections: connections(IMIS_ROW, edit(EA_ROW, { 0: '' })) }, ['note: Connections row 3, Name: give the connection a name']],
    [
      'two connections with one name',
      { connections: connections(IMIS_ROW, edit(EA_ROW, { 0: 'imis' })) },
      ['Connections row 3, Name: another connection is already called "iMIS" (row 2)'],
    ],
    ['an unknown system', { connections: connections(edit(IMIS_ROW, { 1: 'Imus' })) }, ['Connections row 2, System: "Imus" is not a valid System; use iMIS or EveryAction']],
    ['a blank system', { connections: connections(edit(IMIS_ROW, { 1: '' })) }, ['Connections row 2, System: choose iMIS or EveryAction']],
    ['an iMIS connection without address', { connections: connections(edit(IMIS_ROW, { 2: '' })) }, ['Connections row 2, URL: the web address is required, e.g. https://myorg.imiscloud.com/']],
    [
      'plain http to a real site',
      { connections: connections(edit(IMIS_ROW, { 2: 'http://myorg.imiscloud.com/' })) },
      ['Connections row 2, URL: the address must start with https:// (plain http:// is only allowed for this computer, e.g. http://localhost:8080/)'],
    ],
    [
      'an address without https://',
      { connections: connections(edit(IMIS_ROW, { 2: 'myorg.imiscloud.com' })) },
      ['Connections row 2, URL: "myorg.imiscloud.com" is not a web address; it should look like https://myorg.imiscloud.com/'],
    ],
    [
      'a login page address',
      { connections: connections(edit(IMIS_ROW, { 2: 'https://myorg.imiscloud.com/iMIS/Default.aspx?tab=1' })) },
      ['Connections row 2, URL: give the site\'s base address only, without "?" or "#" parts, e.g. https://myorg.imiscloud.com/'],
    ],
    ['an iMIS connection without user', { connections: connections(edit(IMIS_ROW, { 3: ' ' })) }, ['Connections row 2, Username: the iMIS user name is required']],
    [
      'an EveryAction connection without application name',
      { connections: connections(IMIS_ROW, edit(EA_ROW, { 3: '' })), jobs: jobs(PULL, EA_PUSH) },
      ['Connections row 3, Username: the EveryAction application name is required'],
    ],
    ['an unknown iMIS mode', { connections: connections(edit(IMIS_ROW, { 4: 2020 })) }, ['Connections row 2, Mode: "2020" is not a valid Mode for iMIS; use EMS or 2017 (blank means EMS)']],
    [
      'an iMIS mode on an EveryAction connection',
      { connections: connections(IMIS_ROW, edit(EA_ROW, { 4: 'EMS' })), jobs: jobs(PULL, EA_PUSH) },
      ['Connections row 3, Mode: "EMS" is not a valid Mode for EveryAction; use MyCampaign or VoterFile (blank means MyCampaign)'],
    ],
    // Jobs
    ['a job without a name', { jobs: jobs(PULL, edit(PUSH, { 0: null })) }, ['Jobs row 3, Name: give the job a name']],
    ['two jobs with one name', { jobs: jobs(PULL, PUSH, edit(PUSH, { 0: 'SIGNUPS' })) }, ['Jobs row 4, Name: another job is already called "Signups" (row 3)']],
    [
      'Enabled that is not a checkbox',
      { jobs: jobs(edit(PULL, { 1: 'maybe' })) },
      ['Jobs row 2, Enabled: "maybe" is not TRUE or FALSE; tick the checkbox or write TRUE or FALSE'],
    ],
    ['an unknown action', { jobs: jobs(edit(PULL, { 2: 'Pul' })) }, ['Jobs row 2, Action: "Pul" is not a valid Action; use Pull or Push']],
    ['a blank action', { jobs: jobs(edit(PULL, { 2: '' })) }, ['Jobs row 2, Action: choose Pull or Push']],
    [
      'a misspelt connection',
      { jobs: jobs(PULL, PUSH, edit(PUSH, { 0: 'Third', 3: 'iMS' })) },
      ['Jobs row 4, Connection: no connection named "iMS" (did you mean "iMIS"?)'],
    ],
    ['a connection nobody has', { jobs: jobs(edit(PULL, { 3: 'Salesforce' })) }, ['Jobs row 2, Connection: no connection named "Salesforce"']],
    ['a blank connection', { jobs: jobs(edit(PULL, { 3: '' })) }, ['Jobs row 2, Connection: name the connection this job uses (a Name from the Connections tab)']],
    ['an iMIS push target on an EveryAction job', { jobs: jobs(edit(PUSH, { 3: 'everyaction' })) }, ['Jobs row 2, Target: EveryAction jobs push to People']],
    ['an unknown schedule', { jobs: jobs(edit(PULL, { 9: 'weekly' })) }, ['Jobs row 2, Schedule: "weekly" is not a valid Schedule; use Hourly, Daily (after 02:00), Daily with a time (e.g. Daily 06:00), Weekly Mon … Weekly Sun with an optional time (e.g. Weekly Fri 17:30), or Manual (blank means Hourly)']],
    [
      'a misspelt token in Parameters',
      { jobs: jobs(edit(PULL, { 8: '{{tody}}|x' })) },
      ['Jobs row 2, Parameters: unknown token {{tody}}; known tokens are {{today}}, {{now}}, {{job}}, {{sheet}}, {{run}}, {{lastSuccess}}'],
    ],
    [
      'row tokens in a pull',
      { jobs: jobs(edit(PULL, { 8: '{{row}} | {{column:Email}} | {{clear}}' })) },
      [
        "Jobs row 2, Parameters: {{row}} cannot be used in a pull's Parameters; the tokens that work there are {{today}}, {{now}}, {{job}}, {{sheet}}, {{run}}, {{lastSuccess}}",
        "Jobs row 2, Parameters: {{column:Email}} cannot be used in a pull's Parameters; the tokens that work there are {{today}}, {{now}}, {{job}}, {{sheet}}, {{run}}, {{lastSuccess}}",
        "Jobs row 2, Parameters: {{clear}} cannot be used in a pull's Parameters; the tokens that work there are {{today}}, {{now}}, {{job}}, {{sheet}}, {{run}}, {{lastSuccess}}",
      ],
    ],
    [
      'a token missing a brace',
      { jobs: jobs(edit(PULL, { 8: '{{today}' })) },
      ['Jobs row 2, Parameters: a token is missing a brace; tokens look like {{today}}, with two braces on each side'],
    ],
    ['a pull with a blank IQA path', { jobs: jobs(edit(PULL, { 4: '' })) }, ['Jobs row 2, Source: the IQA path is required, e.g. $/Marketing/Lists/Active Members']],
    [
      'a pull whose IQA path is not one',
      { jobs: jobs(edit(PULL, { 4: 'Marketing/Lists/Active Members' })) },
      ['Jobs row 2, Source: the IQA path must start with "$/", e.g. $/Marketing/Lists/Active Members'],
    ],
    ['a pull without a tab', { jobs: jobs(edit(PULL, { 5: '' })) }, ['Jobs row 2, Target: name the tab the query is copied into']],
    ['a pull into an add-on tab', { jobs: jobs(edit(PULL, { 5: 'sync report' })) }, ['Jobs row 2, Target: "sync report" is one of the add-on\'s own tabs; use a tab of your own']],
    ['a pull with an unknown mode', { jobs: jobs(edit(PULL, { 7: 'Mirror' })) }, ['Jobs row 2, Mode: "Mirror" is not a valid Mode for a pull; use Replace or Merge (blank means Replace)']],
    ['a push without a tab', { jobs: jobs(edit(PUSH, { 4: null })) }, ['Jobs row 2, Source: name the tab whose rows are sent']],
    ['a push from an add-on tab', { jobs: jobs(edit(PUSH, { 4: 'Jobs' })) }, ['Jobs row 2, Source: "Jobs" is one of the add-on\'s own tabs; use a tab of your own']],
    ['a push with no target', { jobs: jobs(edit(PUSH, { 5: '' })) }, ["Jobs row 2, Target: say where the rows go: Contact, Activity, or a panel's business object name"]],
    [
      'a push into something that is no business object',
      { jobs: jobs(edit(PUSH, { 5: 'Event Signups' })) },
      [
        'Jobs row 2, Target: "Event Signups" is not a business object name; use Contact, Activity, or a panel\'s business object name (letters, digits and _ only, e.g. Volunteer_Interests)',
      ],
    ],
    [
      'a push with an unknown match',
      { jobs: jobs(edit(PUSH, { 6: 'Name' })) },
      ['Jobs row 2, Match: "Name" is not a valid Match for a push to iMIS; use Email, Email+Name or ID (blank means Email)'],
    ],
    [
      'a push with a pull mode',
      { jobs: jobs(edit(PUSH, { 7: 'Replace' })) },
      ['Jobs row 2, Mode: "Replace" is not a valid Mode for a push to iMIS; use Upsert, Update only or Create only (blank means Upsert)'],
    ],
    [
      'a turned-off job with a problem (a note: it stops nothing)',
      { jobs: jobs(edit(PULL, { 1: false, 4: 'Lists' })) },
      ['note: Jobs row 2, Source: the IQA path must start with "$/", e.g. $/Marketing/Lists/Active Members'],
    ],
    // Mappings
    [
      'a mapping for a misspelt job',
      { mappings: mappings(['Member pull', 'Email', 'Email', '', '']) },
      ['Mappings row 2, Job: no job named "Member pull" (did you mean "Members pull"?)'],
    ],
    ['a mapping without a job', { mappings: mappings(['', 'Email', 'Email', '', '']) }, ['Mappings row 2, Job: name the job this mapping belongs to']],
    [
      'a mapping without column or field',
      { mappings: mappings(['Signups', '', null, '', '']) },
      ['Mappings row 2, Column: the column header is required', 'Mappings row 2, Field: the field name is required'],
    ],
    [
      'a Required that is not a checkbox',
      { mappings: mappings(['Signups', 'Email', 'Email', 'always', '']) },
      ['Mappings row 2, Required: "always" is not TRUE or FALSE; tick the checkbox or write TRUE or FALSE'],
    ],
    [
      'an unknown transform',
      { mappings: mappings(['Signups', 'Email', 'Email', '', 'caps']) },
      ['Mappings row 2, Transform: "caps" is not a valid Transform; use trim, lower, upper, number, date, datetime, boolean, phone or email, or leave it blank'],
    ],
    [
      'a column mapped twice for one job',
      { mappings: mappings(['Signups', 'Email', 'Email', '', ''], ['Members pull', 'Email', 'Email', '', ''], ['signups', ' email ', 'Email2', '', '']) },
      ['Mappings row 4, Column: job "Signups" already maps the column "email" (row 2)'],
    ],
    // Constants
    ['a constant for a job nobody has', { constants: constants(['Nope', 'Source', 'x']) }, ['Constants row 2, Job: no job named "Nope"']],
    ['a constant without a field', { constants: constants(['Signups', '', 'x']) }, ['Constants row 2, Field: the field name is required']],
    [
      'a misspelt token in a constant',
      { constants: constants(['Signups', 'Source', 'Sheet {{sheeet}}']) },
      [
        'Constants row 2, Value: unknown token {{sheeet}}; known tokens are {{today}}, {{now}}, {{job}}, {{sheet}}, {{row}}, {{run}}, {{lastSuccess}}, {{column:Header}}, {{clear}}',
      ],
    ],
    [
      'a column token in a pull constant',
      { constants: constants(['Members pull', 'Source', '{{column:Email}}']) },
      [
        "Constants row 2, Value: {{column:Email}} cannot be used in a pull job's Constants (there is no row being sent to read other cells from); the tokens that work there are {{today}}, {{now}}, {{job}}, {{sheet}}, {{row}}, {{run}}, {{lastSuccess}}, {{clear}}",
      ],
    ],
    [
      'a field given two constants',
      { constants: constants(['Signups', 'Source', 'a'], ['SIGNUPS', 'source', 'b']) },
      ['Constants row 3, Field: job "Signups" already has a constant for the field "source" (row 2)'],
    ],
  ])('%s', (_name, tabs, expected) => {
    expect(small(tabs)).toEqual(expected);
  });

  it('does not blame jobs for a connection whose own row is wrong, but still checks them', () => {
    expect(small({ connections: connections(edit(IMIS_ROW, { 2: 'http://myorg.org/' })) })).toEqual([
      'Connections row 2, URL: the address must start with https:// (plain http:// is only allowed for this computer, e.g. http://localhost:8080/)',
    ]);
    expect(small({ connections: connections(edit(IMIS_ROW, { 3: '' })), jobs: jobs(edit(PULL, { 4: 'Lists' })) })).toEqual([
      'Connections row 2, Username: the iMIS user name is required',
      'Jobs row 2, Source: the IQA path must start with "$/", e.g. $/Marketing/Lists/Active Members',
    ]);
  });

  it('reports every problem in every tab, not just the first', () => {
    expect(
      small({
        connections: connections(edit(IMIS_ROW, { 4: 'Cloud' }), EA_ROW, edit(EA_ROW, { 0: 'EVERYACTION', 1: 'EA' })),
        jobs: jobs(
          edit(PULL, { 1: 'sometimes', 4: 'Members', 9: 'Weekly' }),
          edit(PUSH, { 3: 'iMS', 6: 'Phone' }),
          edit(PUSH, { 0: 'members pull' }),
        ),
        mappings: mappings(['Signups', 'Email', '', 'yes', 'Lower'], ['Signup', 'Email', 'Email', '', 'upper']),
        constants: constants(['Signups', 'Source', '{{todya}} and {{nwo}}']),
      }),
    ).toEqual([
      'Connections row 2, Mode: "Cloud" is not a valid Mode for iMIS; use EMS or 2017 (blank means EMS)',
      'Connections row 4, Name: another connection is already called "EveryAction" (row 3)',
      'Connections row 4, System: "EA" is not a valid System; use iMIS or EveryAction',
      'Jobs row 2, Enabled: "sometimes" is not TRUE or FALSE; tick the checkbox or write TRUE or FALSE',
      'Jobs row 2, Source: the IQA path must start with "$/", e.g. $/Marketing/Lists/Active Members',
      'Jobs row 2, Schedule: "Weekly" is not a valid Schedule; use Hourly, Daily (after 02:00), Daily with a time (e.g. Daily 06:00), Weekly Mon … Weekly Sun with an optional time (e.g. Weekly Fri 17:30), or Manual (blank means Hourly)',
      'Jobs row 3, Connection: no connection named "iMS" (did you mean "iMIS"?)',
      'Jobs row 4, Name: another job is already called "Members pull" (row 2)',
      'Mappings row 2, Field: the field name is required',
      'Mappings row 3, Job: no job named "Signup" (did you mean "Signups"?)',
      'Constants row 2, Value: unknown token {{todya}}; known tokens are {{today}}, {{now}}, {{job}}, {{sheet}}, {{row}}, {{run}}, {{lastSuccess}}, {{column:Header}}, {{clear}}',
      'Constants row 2, Value: unknown token {{nwo}}; known tokens are {{today}}, {{now}}, {{job}}, {{sheet}}, {{row}}, {{run}}, {{lastSuccess}}, {{column:Header}}, {{clear}}',
    ]);
  });

  it('names tab, row and column in each problem object', () => {
    const result = parseConfig({ connections: connections(IMIS_ROW), jobs: jobs(edit(PULL, { 3: 'iMS' })), mappings: null, constants: null }, SECRETS);
    expect(result).toEqual({
      ok: false,
      problems: [{ tab: 'Jobs', row: 2, column: 'Connection', message: 'no connection named "iMS" (did you mean "iMIS"?)' }],
      notes: [],
    });
  });
});

describe('parseConfig: a header the add-on reads appears twice', () => {
  // Two Name columns once made every job fall back to its defaults: a Conservative EveryAction
  // push ran as Liberal. Whichever copy was picked, it would be a guess.
  it.each<[string, Partial<ConfigTabs>, string[]]>([
    ['Name twice in Jobs', { jobs: [[...JOBS_H, 'Name'], [...PULL, 'Old name']] }, ['Jobs row 1, Name: the header "Name" appears twice (columns A and K); keep one']],
    [
      'an optional header twice in Jobs, written another way',
      { jobs: [[...JOBS_H, ' MODE '], [...PULL, 'Merge']] },
      ['Jobs row 1, Mode: the header "Mode" appears twice (columns H and K); keep one'],
    ],
    [
      'a column the add-on writes, twice',
      { jobs: [[...JOBS_H, 'Last Run', 'last  run'], [...PULL, '', '']] },
      ['Jobs row 1, Last Run: the header "Last Run" appears twice (columns K and L); keep one'],
    ],
    [
      'URL three times in Connections',
      { connections: [[...CONNECTIONS_H, 'url', 'URL'], [...IMIS_ROW, '', '']] },
      ['Connections row 1, URL: the header "URL" appears 3 times (columns C, F and G); keep one'],
    ],
    [
      'two headers twice in Mappings',
      { mappings: [['Job', 'Column', 'Field', 'field', 'column'], ['Signups', 'E-mail', 'Email', 'x', 'y']] },
      [
        'Mappings row 1, Column: the header "Column" appears twice (columns B and E); keep one',
        'Mappings row 1, Field: the header "Field" appears twice (columns C and D); keep one',
      ],
    ],
    ['Value twice in Constants', { constants: [['Job', 'Field', 'Value', 'Value'], ['Signups', 'Source', 'a', 'b']] }, ['Constants row 1, Value: the header "Value" appears twice (columns C and D); keep one']],
  ])('%s stops the run', (_case, tabs, expected) => {
    expect(small(tabs)).toEqual(expected);
  });

  it("leaves the coordinator's own doubled columns alone", () => {
    expect(small({ jobs: [[...JOBS_H, 'Notes', 'notes'], [...PULL, 'a', 'b']], connections: [[...CONNECTIONS_H, 'Notes', 'Notes'], [...IMIS_ROW, '', '']] })).toEqual([]);
  });

  it('readTable reports a doubled header it was asked for, and not one it was not', () => {
    const table = readTable([['Job', 'Field', 'Value', 'job', 'Extra', 'extra']], 'Constants', ['Job', 'Field', 'Value'], []);
    expect(table.problems.map(describeProblem)).toEqual(['Constants row 1, Job: the header "Job" appears twice (columns A and D); keep one']);
  });
});

describe('parseConfig: a user name and password in the URL', () => {
  const URL_WITH_LOGIN = 'https://sync.user:Secret123@myorg.imiscloud.com/';
  const refused = 'the address holds a user name and password; remove them (the password goes in the sidebar, never in a cell)';
  const neverEchoed = (lines: string[]) => {
    const all = lines.join('\n');
    expect(all).not.toContain('sync.user');
    expect(all).not.toContain('Secret123');
  };

  it.each<[string, Cell[][], string]>([
    ['an iMIS connection', [edit(IMIS_ROW, { 2: URL_WITH_LOGIN, 3: 'api.user' })], `Connections row 2, URL: ${refused}`],
    ['an EveryAction connection', [IMIS_ROW, edit(EA_ROW, { 2: 'https://sync.user:Secret123@api.securevan.com/v4/' })], `Connections row 3, URL: ${refused}`],
    ['a connection whose System is not understood', [edit(IMIS_ROW, { 1: 'Imus', 2: URL_WITH_LOGIN, 3: 'api.user' })], `Connections row 2, URL: ${refused}`],
    ['a password holding "/", "#" and "?"', [edit(IMIS_ROW, { 2: 'https://sync.user:Se/cr#et?123@myorg.imiscloud.com/', 3: 'api.user' })], `Connections row 2, URL: ${refused}`],
    ['no https:// and a bad port', [edit(IMIS_ROW, { 2: 'sync.user:Secret123@myorg.imiscloud.com:99999', 3: 'api.user' })], `Connections row 2, URL: ${refused}`],
  ])('is refused in %s, without repeating the user or password', (_case, rows, expected) => {
    const lines = small({ connections: connections(...rows), jobs: jobs(PULL, EA_PUSH) });
    expect(lines.filter((l) => l.includes('URL'))).toEqual([expected]);
    neverEchoed(lines);
  });

  it('is refused in a connection no job uses, as a note that does not repeat them either', () => {
    const lines = small({ connections: connections(IMIS_ROW, edit(IMIS_ROW, { 0: 'Spare', 2: URL_WITH_LOGIN, 3: 'api.user' })) });
    expect(lines).toEqual([`note: Connections row 3, URL: ${refused}`]);
    neverEchoed(lines);
  });
});

describe('parseConfig: a draft blocks nothing (a turned-off job, an unused connection)', () => {
  const parse = (tabs: Partial<ConfigTabs>) => parseConfig({ connections: connections(IMIS_ROW, EA_ROW), jobs: jobs(PULL), mappings: null, constants: null, ...tabs }, SECRETS);
  const said = (result: ReturnType<typeof parseConfig>) => ({
    problems: result.ok ? [] : result.problems.map(describeProblem),
    notes: result.notes.map(describeProblem),
  });

  it("reports a turned-off job's own row, Mappings and Constants as notes, and keeps the jobs that are on", () => {
    const result = parse({
      jobs: jobs(PULL, edit(PUSH, { 1: false, 6: 'Phone' })),
      mappings: mappings(['Members pull', 'Email', 'Email', '', ''], ['Signups', 'Email', '', '', '']),
      constants: constants(['signups', 'Source', '{{tody}}']),
    });
    expect(said(result)).toEqual({
      problems: [],
      notes: [
        'Jobs row 3, Match: "Phone" is not a valid Match for a push to iMIS; use Email, Email+Name or ID (blank means Email)',
        'Mappings row 3, Field: the field name is required',
        'Constants row 2, Value: unknown token {{tody}}; known tokens are {{today}}, {{now}}, {{job}}, {{sheet}}, {{row}}, {{run}}, {{lastSuccess}}, {{column:Header}}, {{clear}}',
      ],
    });
    expect(result.ok && result.config.jobs.map((j) => [j.name, j.mappings.length])).toEqual([['Members pull', 1]]);
    expect(result.ok && result.config.drafts).toEqual([{ name: 'Signups', row: 3 }]);
  });

  it('still stops the run for the same problems once the job is turned on', () => {
    const result = parse({ jobs: jobs(PULL, edit(PUSH, { 6: 'Phone' })), mappings: mappings(['Signups', 'Email', '', '', '']) });
    expect(said(result)).toEqual({
      problems: [
        'Jobs row 3, Match: "Phone" is not a valid Match for a push to iMIS; use Email, Email+Name or ID (blank means Email)',
        'Mappings row 2, Field: the field name is required',
      ],
      notes: [],
    });
  });

  it('reports a connection only turned-off jobs use as a note, and stops the run once a job that is on uses it', () => {
    const broken = edit(EA_ROW, { 3: '' });
    expect(said(parse({ connections: connections(IMIS_ROW, broken), jobs: jobs(PULL, edit(EA_PUSH, { 1: false })) }))).toEqual({
      problems: [],
      notes: ['Connections row 3, Username: the EveryAction application name is required'],
    });
    expect(said(parse({ connections: connections(IMIS_ROW, broken), jobs: jobs(PULL, edit(EA_PUSH, { 3: 'everyaction' })) }))).toEqual({
      problems: ['Connections row 3, Username: the EveryAction application name is required'],
      notes: [],
    });
  });

  it('counts a job whose Enabled cell cannot be read as turned on, with its connection', () => {
    expect(said(parse({ connections: connections(IMIS_ROW, edit(EA_ROW, { 3: '' })), jobs: jobs(PULL, edit(EA_PUSH, { 1: 'maybe' })) }))).toEqual({
      problems: [
        'Connections row 3, Username: the EveryAction application name is required',
        'Jobs row 3, Enabled: "maybe" is not TRUE or FALSE; tick the checkbox or write TRUE or FALSE',
      ],
      notes: [],
    });
  });

  it('reports a turned-off EveryAction push missing the fields its Match needs as a note, and does not build it', () => {
    const result = parse({ jobs: jobs(PULL, edit(EA_PUSH, { 1: false, 6: 'VANID' })) });
    expect(said(result)).toEqual({ problems: [], notes: ['Jobs row 3, Match: Match is VANID but no mapping sends VANID'] });
    expect(result.ok && result.config.drafts.map((d) => d.name)).toEqual(['Volunteers EA']);
  });

  it.each<[string, Partial<ConfigTabs>, string]>([
    ['a missing header', { mappings: [['Job', 'Field']], jobs: jobs(edit(PULL, { 1: false })) }, 'Mappings row 1, Column: the column "Column" is missing from the header row'],
    ['a mapping for no job', { jobs: jobs(edit(PULL, { 1: false })), mappings: mappings(['Nobody', 'Email', 'Email', '', '']) }, 'Mappings row 2, Job: no job named "Nobody"'],
    ['a constant naming no job', { jobs: jobs(edit(PULL, { 1: false })), constants: constants(['', 'Source', 'x']) }, 'Constants row 2, Job: name the job this constant belongs to'],
    ['a second job of the same name, turned off', { jobs: jobs(PULL, edit(PUSH, { 0: 'members PULL', 1: false })) }, 'Jobs row 3, Name: another job is already called "Members pull" (row 2)'],
    ['a second connection of the same name, used by no job', { connections: connections(IMIS_ROW, edit(EA_ROW, { 0: 'IMIS' })) }, 'Connections row 3, Name: another connection is already called "iMIS" (row 2)'],
  ])('still stops the run for what no one job can be blamed for: %s', (_name, tabs, expected) => {
    expect(said(parse(tabs)).problems).toEqual([expected]);
  });

  it('reports a nameless turned-off job row as a note: someone is drafting it', () => {
    expect(said(parse({ jobs: jobs(PULL, edit(PUSH, { 0: '', 1: false })) }))).toEqual({ problems: [], notes: ['Jobs row 3, Name: give the job a name'] });
    expect(said(parse({ jobs: jobs(PULL, edit(PUSH, { 0: '' })) })).problems).toEqual(['Jobs row 3, Name: give the job a name']);
  });
});

describe("parseConfig: the add-on's own tabs are never a job's data", () => {
  it.each<[string, Cell[], string]>([
    ['a pull into the hidden state tab', edit(PULL, { 5: 'sheets sync state' }), `Jobs row 2, Target: "sheets sync state" is the add-on's hidden tab where it keeps the state of its runs; use a tab of your own`],
    ['a push from the hidden state tab', edit(PUSH, { 4: 'Sheets Sync State' }), `Jobs row 2, Source: "Sheets Sync State" is the add-on's hidden tab where it keeps the state of its runs; use a tab of your own`],
    ['a pull into the Lists tab', edit(PULL, { 5: 'LISTS' }), 'Jobs row 2, Target: "LISTS" holds the dropdown choices of the setup tabs; use a tab of your own'],
    ['a push from the Lists tab', edit(EA_PUSH, { 4: 'Lists' }), 'Jobs row 2, Source: "Lists" holds the dropdown choices of the setup tabs; use a tab of your own'],
    ['an EveryAction pull into the hidden state tab', edit(EA_PULL, { 5: 'Sheets Sync State' }), `Jobs row 2, Target: "Sheets Sync State" is the add-on's hidden tab where it keeps the state of its runs; use a tab of your own`],
    ['a pull into the Sync Log', edit(PULL, { 5: 'SYNC LOG' }), `Jobs row 2, Target: "SYNC LOG" is one of the add-on's own tabs; use a tab of your own`],
  ])('%s', (_name, row, expected) => {
    expect(small({ jobs: jobs(row) })).toEqual([expected]);
  });

  it('still accepts a tab whose name merely contains one of them', () => {
    expect(small({ jobs: jobs(edit(PULL, { 5: 'Mailing Lists' }), edit(PUSH, { 4: 'Sheets Sync State 2' })) })).toEqual([]);
  });
});

describe('parseConfig: secrets bound to their connection', () => {
  function recording(answer: (b: SecretBinding) => SecretLookup): Secrets & { asked: SecretBinding[] } {
    const asked: SecretBinding[] = [];
    return {
      asked,
      get: (b) => {
        asked.push(b);
        return answer(b);
      },
      howToSet: (name) => `enter it for ${name}`,
    };
  }

  it('looks each secret up with the URL, user name and mode as parsed, not as typed', () => {
    const s = recording(() => ({ state: 'missing' }));
    parseConfig({ connections: connections(edit(IMIS_ROW, { 2: 'HTTPS://MyOrg.imiscloud.com//', 3: ' sync.user ', 4: 'ems' }), EA_ROW), jobs: jobs(), mappings: null, constants: null }, s);
    expect(s.asked).toEqual([
      { name: 'iMIS', url: 'https://myorg.imiscloud.com/', username: 'sync.user', mode: 'EMS' },
      { name: 'EveryAction', url: 'https://api.securevan.com/v4/', username: 'MyApp', mode: 'MyCampaign' },
    ]);
  });

  it('gives a connection whose secret was saved for other details no secret, says what changed, and does not ask for it as missing', () => {
    const s = recording((b) => (b.name === 'iMIS' ? { state: 'changed', what: 'the URL' } : { state: 'set', value: 'ea-key' }));
    const result = parseConfig({ connections: connections(IMIS_ROW, EA_ROW), jobs: jobs(PULL, EA_PUSH), mappings: null, constants: null }, s);
    if (!result.ok) throw new Error(result.problems.map(describeProblem).join('\n'));
    expect(result.config.connections.map((c) => [c.name, c.secret, c.secretChanged])).toEqual([
      ['iMIS', '', 'the URL'],
      ['EveryAction', 'ea-key', undefined],
    ]);
    // Not a setup problem: the engine fails only the jobs that use it, each with an auth error.
    expect(selectJobs(result.config, [])).toMatchObject({ ok: true, jobs: [{ name: 'Members pull' }, { name: 'Volunteers EA' }] });
  });
});

describe('selectJobs', () => {
  const names = (r: ReturnType<typeof selectJobs>) => (r.ok ? r.jobs.map((j) => j.name) : r.problems.map(describeProblem));
  const withSecrets = (): Config => {
    const config = parseGood();
    for (const c of config.connections) c.secret = 'set';
    return config;
  };

  it('runs every enabled job in Jobs order when none is named', () => {
    expect(names(selectJobs(withSecrets(), []))).toEqual(['Active Members', 'Signups', 'Lapsed']);
  });

  it('runs the named jobs, matched case-insensitively, in Jobs order', () => {
    expect(names(selectJobs(withSecrets(), ['lapsed', ' Active Members ', 'LAPSED']))).toEqual(['Active Members', 'Lapsed']);
  });

  it('says which names are no job, and which jobs are turned off', () => {
    expect(names(selectJobs(withSecrets(), ['Signup', 'Volunteers', 'Payroll']))).toEqual([
      'Jobs: no job named "Signup" (did you mean "Signups"?)',
      'Jobs row 5, Enabled: job "Volunteers" is turned off (Enabled is not TRUE)',
      'Jobs: no job named "Payroll"',
    ]);
  });

  it('asks for a missing password only for connections the selected jobs use', () => {
    const config = parseGood(); // "Local" has no password; "iMIS" has one
    expect(names(selectJobs(config, ['Active Members']))).toEqual(['Active Members']);
    expect(names(selectJobs(config, []))).toEqual(['Connections row 3, Name: no password is set for "Local" (set SHEETS_SYNC_SECRET_LOCAL)']);
    expect(names(selectJobs(config, ['Lapsed', 'Signups']))).toEqual([
      'Connections row 3, Name: no password is set for "Local" (set SHEETS_SYNC_SECRET_LOCAL)',
    ]);
  });

  it('calls an EveryAction secret an API key', () => {
    const config = parseGood();
    const ea = config.connections.find((c) => c.system === 'EveryAction')!;
    ea.secret = '';
    const job = { ...config.jobs[0]!, connection: ea } as Job;
    expect(names(selectJobs({ connections: config.connections, jobs: [job], drafts: [] }, []))).toEqual([
      'Connections row 5, Name: no API key is set for "EA" (set SHEETS_SYNC_SECRET_EA)',
    ]);
  });

  it('says a turned-off job whose setup still has problems is turned off, not that there is no such job', () => {
    const result = parseConfig({ ...goodTabs(), constants: constants(['Volunteers', 'Points', '{{tody}}']) }, SECRETS);
    if (!result.ok) throw new Error(result.problems.map(describeProblem).join('\n'));
    for (const c of result.config.connections) c.secret = 'set';
    expect(names(selectJobs(result.config, ['volunteers']))).toEqual(['Jobs row 5, Enabled: job "Volunteers" is turned off (Enabled is not TRUE)']);
  });

  describe('resuming a run from its checkpoint', () => {
    const config = (): Config => {
      const result = parseConfig({ ...goodTabs(), constants: constants(['Volunteers', 'Points', '{{tody}}']) }, SECRETS);
      if (!result.ok) throw new Error(result.problems.map(describeProblem).join('\n'));
      for (const c of result.config.connections) c.secret = 'set';
      return result.config;
    };

    it('leaves out jobs turned off, renamed or removed since the run started, saying which', () => {
      const selected = selectJobs(config(), ['Lapsed', 'Volunteers', 'Signups (old name)', 'Active Members'], { resuming: true });
      expect(selected).toMatchObject({
        ok: true,
        jobs: [{ name: 'Active Members' }, { name: 'Lapsed' }],
        dropped: [
          { name: 'Volunteers', turnedOff: true },
          { name: 'Signups (old name)', turnedOff: false },
        ],
      });
    });

    it('runs nothing when every job left to run has gone, rather than every enabled job', () => {
      expect(selectJobs(config(), ['Gone', 'Volunteers'], { resuming: true })).toMatchObject({ ok: true, jobs: [], dropped: [{ name: 'Gone' }, { name: 'Volunteers' }] });
    });

    it('treats the same names as mistakes when a person typed them', () => {
      expect(names(selectJobs(config(), ['Gone', 'Volunteers']))).toEqual([
        'Jobs: no job named "Gone"',
        'Jobs row 5, Enabled: job "Volunteers" is turned off (Enabled is not TRUE)',
      ]);
    });
  });
});

describe('parseConfig: EveryAction jobs', () => {
  const ea: EveryActionConnection = {
    system: 'EveryAction',
    name: 'EveryAction',
    url: 'https://api.securevan.com/v4/',
    username: 'MyApp',
    mode: 'MyCampaign',
    secret: '',
    secretHowTo: 'set SHEETS_SYNC_SECRET_EVERYACTION',
    row: 3,
  };

  /** Only the jobs of a small workbook (with one iMIS and one EveryAction connection). */
  function eaJobs(tabs: Partial<ConfigTabs>): Job[] {
    const result = parseConfig({ connections: connections(IMIS_ROW, EA_ROW), mappings: null, constants: null, ...tabs } as ConfigTabs, SECRETS);
    if (!result.ok) throw new Error(result.problems.map(describeProblem).join('\n'));
    return result.config.jobs;
  }
  const eaSmall = (tabs: Partial<ConfigTabs>) => small({ jobs: jobs(EA_PUSH, EA_PULL), ...tabs });

  it('builds a push to People from typed cells in any case', () => {
    const expected: EveryActionPushJob = {
      name: 'Volunteers EA',
      enabled: true,
      action: 'Push',
      system: 'EveryAction',
      connection: ea,
      source: 'Volunteers',
      target: 'People',
      match: 'VANID',
      mode: 'Conservative',
      parameters: ['{{today}}', 'x'],
      schedule: 'Daily',
      mappings: [
        { column: 'VAN ID', field: 'VANID', required: true, transform: null, row: 2 },
        { column: 'E-mail', field: 'Email', required: false, transform: 'email', row: 3 },
        { column: 'Subscribed', field: 'OptIn', required: false, transform: 'boolean', row: 4 },
        { column: 'Shirt size', field: 'CustomField:101', required: false, transform: null, row: 5 },
        { column: 'Zip', field: 'ZipOrPostalCode', required: false, transform: null, row: 6 },
      ],
      constants: [
        { field: 'CustomField:7', value: 'Signed up via {{sheet}}', row: 2 },
        { field: 'Employer', value: '{{column:Company}}', row: 3 },
      ],
      row: 2,
    };
    expect(
      eaJobs({
        jobs: jobs(edit(EA_PUSH, { 2: 'PUSH', 3: 'everyaction', 5: 'people', 6: 'vanid', 7: 'CONSERVATIVE', 8: '{{today}} | x', 9: 'daily' })),
        mappings: mappings(
          ['Volunteers EA', 'VAN ID', 'vanid', true, ''],
          ['volunteers ea', 'E-mail', 'EMAIL', false, 'email'],
          ['Volunteers EA', 'Subscribed', 'optin', null, 'boolean'],
          ['Volunteers EA', 'Shirt size', 'customfield: 101', null, ''],
          ['Volunteers EA', 'Zip', 'ZipOrPostalcode', null, ''],
        ),
        constants: constants(['Volunteers EA', 'Custom Field : 007', 'Signed up via {{sheet}}'], ['Volunteers EA', 'employer', '{{column:Company}}']),
      }),
    ).toEqual([expected]);
  });

  it('reads blank Target, Match and Mode of a push as People, Auto and Liberal', () => {
    expect(eaJobs({ jobs: jobs(edit(EA_PUSH, { 5: null })) })).toEqual([
      {
        name: 'Volunteers EA',
        enabled: true,
        action: 'Push',
        system: 'EveryAction',
        connection: ea,
        source: 'Volunteers',
        target: 'People',
        match: 'Auto',
        mode: 'Liberal',
        parameters: [],
        schedule: 'Hourly',
        mappings: [],
        constants: [],
        row: 2,
      } satisfies EveryActionPushJob,
    ]);
  });

  it('builds a pull of changed people, merged by VANID, with any Mappings field', () => {
    const expected: EveryActionPullJob = {
      name: 'EA changes',
      enabled: false,
      action: 'Pull',
      system: 'EveryAction',
      connection: ea,
      source: 'Changed people',
      target: 'EA People',
      key: 'VANID',
      // Merge, all this column took before pulls had Liberal and Conservative, still runs: as Liberal.
      mode: 'Liberal',
      parameters: ['{{lastSuccess}}'],
      schedule: 'Manual',
      mappings: [{ column: 'Van ID', field: 'VanID', required: false, transform: null, row: 2 }],
      constants: [{ field: 'Pulled', value: '{{today}}', row: 2 }],
      row: 2,
    };
    expect(
      eaJobs({
        jobs: jobs(edit(EA_PULL, { 1: false, 2: 'pull', 4: ' CHANGED  people ', 6: 'VanId', 7: 'merge', 8: '{{lastSuccess}}', 9: 'manual' })),
        mappings: mappings(['EA changes', 'Van ID', 'VanID', '', '']),
        constants: constants(['EA changes', 'Pulled', '{{today}}']),
      }),
    ).toEqual([expected]);
  });

  it.each<[Cell, string[]]>([
    ['', []],
    ['2026-10-01', ['2026-10-01']],
    [new Date(2026, 9, 1), ['2026-10-01']],
    [new Date(2026, 9, 1, 9, 30), ['2026-10-01T09:30:00']],
    ['2026-10-01T09:30', ['2026-10-01T09:30']],
    ['2026-10-01T09:30:00Z', ['2026-10-01T09:30:00Z']],
    ['2026-10-01T09:30:00.00-05:00', ['2026-10-01T09:30:00.00-05:00']],
    ['{{today}}', ['{{today}}']],
    ['{{ NOW }}', ['{{ NOW }}']],
    [' 2026-02-28 | ', ['2026-02-28']],
  ])('reads the first start date %s of a pull', (cell, expected) => {
    expect(eaJobs({ jobs: jobs(edit(EA_PULL, { 6: null, 7: null, 8: cell })) })).toMatchObject([{ mode: 'Liberal', key: 'VANID', parameters: expected }]);
  });

  it('canonicalises People fields and custom field ids', () => {
    const fields = ['firstname', 'DATEOFBIRTH', 'countrycode', 'CustomField:101', 'customfield: 101', 'CUSTOM FIELD:0042', ' customField :9 '];
    const [job] = eaJobs({
      jobs: jobs(EA_PUSH),
      mappings: mappings(...fields.map((f, i) => ['Volunteers EA', `C${i}`, f, '', ''])),
    });
    expect(job!.mappings.map((m) => m.field)).toEqual(['FirstName', 'DateOfBirth', 'CountryCode', 'CustomField:101', 'CustomField:101', 'CustomField:42', 'CustomField:9']);
    expect(customFieldId('CustomField:42')).toBe(42);
    expect(customFieldId('Email')).toBeNull();
  });

  it('takes the EveryAction API address from the URL cell, or the public one when blank', () => {
    const url = (cell: Cell) => {
      const result = parseConfig({ connections: connections(edit(EA_ROW, { 2: cell })), jobs: jobs(EA_PUSH), mappings: null, constants: null }, SECRETS);
      return result.ok ? result.config.connections[0]!.url : result.problems.map(describeProblem);
    };
    expect(url(null)).toBe('https://api.securevan.com/v4/');
    expect(url('https://IntlApi.securevan.com/v4')).toBe('https://intlapi.securevan.com/v4/');
    expect(url('http://localhost:9090/v4//')).toBe('http://localhost:9090/v4/');
    expect(url('http://api.securevan.com/v4/')).toEqual([
      'Connections row 2, URL: the address must start with https:// (plain http:// is only allowed for this computer, e.g. http://localhost:8080/)',
    ]);
    expect(url('api.securevan.com')).toEqual(['Connections row 2, URL: "api.securevan.com" is not a web address; it should look like https://api.securevan.com/v4/']);
  });

  const PEOPLE = 'VANID, FirstName, MiddleName, LastName, Email, Phone, OptIn, AddressLine1, AddressLine2, City, StateOrProvince, ZipOrPostalCode, CountryCode, DateOfBirth, Employer, Occupation, CustomField:<id> (e.g. CustomField:101) or Identifier:<type> (e.g. Identifier:imisid)';

  it.each<[string, Partial<ConfigTabs>, string[]]>([
    // Push
    ['a push from no tab', { jobs: jobs(edit(EA_PUSH, { 4: '' })) }, ['Jobs row 2, Source: name the tab whose rows are sent']],
    ['a push from an add-on tab', { jobs: jobs(edit(EA_PUSH, { 4: 'sync log' })) }, ['Jobs row 2, Source: "sync log" is one of the add-on\'s own tabs; use a tab of your own']],
    ['a push to Contact', { jobs: jobs(edit(EA_PUSH, { 5: 'Contact' })) }, ['Jobs row 2, Target: EveryAction jobs push to People']],
    [
      'a push with an iMIS match',
      { jobs: jobs(edit(EA_PUSH, { 6: 'Email' })) },
      ['Jobs row 2, Match: "Email" is not a valid Match for an EveryAction push; use Auto or VANID (blank means Auto)'],
    ],
    [
      'a push with an unknown mode',
      { jobs: jobs(edit(EA_PUSH, { 7: 'Careful' })) },
      ['Jobs row 2, Mode: "Careful" is not a valid Mode for an EveryAction push; use Liberal or Conservative (blank means Liberal)'],
    ],
    [
      'a push with an iMIS mode',
      { jobs: jobs(edit(EA_PUSH, { 7: 'Upsert' })) },
      ['Jobs row 2, Mode: "Upsert" is not a valid Mode for an EveryAction push; use Liberal or Conservative (blank means Liberal)'],
    ],
    ['Match VANID without a VANID mapping', { jobs: jobs(edit(EA_PUSH, { 6: 'VANID' })) }, ['Jobs row 2, Match: Match is VANID but no mapping sends VANID']],
    [
      'Match VANID with VANID only as a constant',
      { jobs: jobs(edit(EA_PUSH, { 6: 'VANID' })), constants: constants(['Volunteers EA', 'VANID', '123']) },
      ['Jobs row 2, Match: Match is VANID but no mapping sends VANID'],
    ],
    [
      'Conservative without OptIn',
      { jobs: jobs(edit(EA_PUSH, { 7: 'Conservative' })), mappings: mappings(['Volunteers EA', 'Email', 'Email', '', '']) },
      ['Jobs row 2, Mode: Conservative sends only opted-in rows, so map a column to OptIn'],
    ],
    [
      'Match and Mode needs checked even when another cell of the row is wrong',
      { jobs: jobs(edit(EA_PUSH, { 4: '', 6: 'vanid', 7: 'conservative' })) },
      [
        'Jobs row 2, Source: name the tab whose rows are sent',
        'Jobs row 2, Match: Match is VANID but no mapping sends VANID',
        'Jobs row 2, Mode: Conservative sends only opted-in rows, so map a column to OptIn',
      ],
    ],
    [
      'a misspelt People field (reported once, not again as a missing VANID)',
      { jobs: jobs(edit(EA_PUSH, { 6: 'VANID' })), mappings: mappings(['Volunteers EA', 'VAN ID', 'VAN ID', '', '']) },
      [`Mappings row 2, Field: "VAN ID" is not an EveryAction People field (did you mean "VANID"?); use ${PEOPLE}`],
    ],
    [
      'an iMIS field in an EveryAction push',
      { mappings: mappings(['Volunteers EA', 'Zip', 'PostalCode', '', '']) },
      [`Mappings row 2, Field: "PostalCode" is not an EveryAction People field (did you mean "ZipOrPostalCode"?); use ${PEOPLE}`],
    ],
    [
      'a custom field without a number',
      { mappings: mappings(['Volunteers EA', 'Shirt', 'CustomField', '', ''], ['Volunteers EA', 'Size', 'CustomField:0', '', ''], ['Volunteers EA', 'Hat', 'customfield:12a', '', '']) },
      [
        `Mappings row 2, Field: "CustomField" needs the custom field's number after the colon (a whole number above 0), e.g. CustomField:101`,
        `Mappings row 3, Field: "CustomField:0" needs the custom field's number after the colon (a whole number above 0), e.g. CustomField:101`,
        `Mappings row 4, Field: "customfield:12a" needs the custom field's number after the colon (a whole number above 0), e.g. CustomField:101`,
      ],
    ],
    [
      // Another name may be a custom field's, resolved against EveryAction before anything is sent.
      'a constant for a near-miss of a People field',
      { constants: constants(['Volunteers EA', 'Zip', 'sheet']) },
      [expect.stringMatching(/^Constants row 2, Field: "Zip" is not an EveryAction People field \(did you mean "ZipOrPostalCode"\?\)/)],
    ],
    [
      'one custom field given two constants, however written',
      { constants: constants(['Volunteers EA', 'CustomField:5', 'a'], ['Volunteers EA', 'customfield: 05', 'b']) },
      ['Constants row 3, Field: job "Volunteers EA" already has a constant for the field "customfield: 05" (row 2)'],
    ],
    // Pull
    ['a pull of something else', { jobs: jobs(EA_PUSH, edit(EA_PULL, { 4: '$/Lists/Members' })) }, ['Jobs row 3, Source: EveryAction pulls read "Changed people"']],
    ['a pull with no source', { jobs: jobs(EA_PUSH, edit(EA_PULL, { 4: '' })) }, ['Jobs row 3, Source: EveryAction pulls read "Changed people"']],
    ['a pull without a tab', { jobs: jobs(EA_PUSH, edit(EA_PULL, { 5: '' })) }, ['Jobs row 3, Target: name the tab the changed people are copied into']],
    ['a pull into an add-on tab', { jobs: jobs(EA_PUSH, edit(EA_PULL, { 5: 'Mappings' })) }, ['Jobs row 3, Target: "Mappings" is one of the add-on\'s own tabs; use a tab of your own']],
    ['a pull keyed by another column', { jobs: jobs(EA_PUSH, edit(EA_PULL, { 6: 'Email' })) }, ['Jobs row 3, Match: EveryAction pulls are always merged by VANID']],
    [
      'a pull that would replace the tab',
      { jobs: jobs(EA_PUSH, edit(EA_PULL, { 7: 'Replace' })) },
      ['Jobs row 3, Mode: "Replace" is not a valid Mode for an EveryAction pull: it only holds what changed, so it never replaces the tab; use Liberal (every changed person) or Conservative (only people opted in to email or texts); blank means Liberal'],
    ],
    ['a start date in another format', { jobs: jobs(EA_PUSH, edit(EA_PULL, { 8: '10/01/2026' })) }, ['Jobs row 3, Parameters: the first start date must look like 2026-10-01']],
    ['a start date that is no day', { jobs: jobs(EA_PUSH, edit(EA_PULL, { 8: '2026-02-30' })) }, ['Jobs row 3, Parameters: the first start date must look like 2026-10-01']],
    ['a start time that is no time', { jobs: jobs(EA_PUSH, edit(EA_PULL, { 8: '2026-10-01T25:00:00Z' })) }, ['Jobs row 3, Parameters: the first start date must look like 2026-10-01']],
    ['a token that is no date', { jobs: jobs(EA_PUSH, edit(EA_PULL, { 8: '{{job}}' })) }, ['Jobs row 3, Parameters: the first start date must look like 2026-10-01']],
    ['a date with text around it', { jobs: jobs(EA_PUSH, edit(EA_PULL, { 8: 'since {{today}}' })) }, ['Jobs row 3, Parameters: the first start date must look like 2026-10-01']],
    [
      'two start dates',
      { jobs: jobs(EA_PUSH, edit(EA_PULL, { 8: '2026-10-01 | 2026-11-01' })) },
      ['Jobs row 3, Parameters: an EveryAction pull takes one value at most: the first start date, e.g. 2026-10-01'],
    ],
    [
      'a misspelt token is reported once, as a token',
      { jobs: jobs(EA_PUSH, edit(EA_PULL, { 8: '{{lastSucess}}' })) },
      ['Jobs row 3, Parameters: unknown token {{lastSucess}}; known tokens are {{today}}, {{now}}, {{job}}, {{sheet}}, {{run}}, {{lastSuccess}}'],
    ],
    [
      'every problem of a pull row at once',
      { jobs: jobs(EA_PUSH, edit(EA_PULL, { 4: 'People', 5: 'Jobs', 6: 'ID', 7: 'Replace', 8: 'yesterday' })) },
      [
        'Jobs row 3, Source: EveryAction pulls read "Changed people"',
        'Jobs row 3, Target: "Jobs" is one of the add-on\'s own tabs; use a tab of your own',
        'Jobs row 3, Match: EveryAction pulls are always merged by VANID',
        'Jobs row 3, Mode: "Replace" is not a valid Mode for an EveryAction pull: it only holds what changed, so it never replaces the tab; use Liberal (every changed person) or Conservative (only people opted in to email or texts); blank means Liberal',
        'Jobs row 3, Parameters: the first start date must look like 2026-10-01',
      ],
    ],
  ])('%s', (_name, tabs, expected) => {
    expect(eaSmall(tabs)).toEqual(expected);
  });

  it('accepts OptIn as a constant for Conservative, and any field in a pull mapping', () => {
    expect(
      eaSmall({
        jobs: jobs(edit(EA_PUSH, { 7: 'conservative' }), EA_PULL),
        mappings: mappings(['EA changes', 'Whatever', 'Some Export Column', '', '']),
        constants: constants(['Volunteers EA', 'OPTIN', 'TRUE']),
      }),
    ).toEqual([]);
  });

  it('leaves Match and Mode needs alone while the Mappings tab cannot be read', () => {
    expect(eaSmall({ jobs: jobs(edit(EA_PUSH, { 6: 'VANID', 7: 'Conservative' })), mappings: [['Job', 'Field']] })).toEqual([
      'Mappings row 1, Column: the column "Column" is missing from the header row',
    ]);
  });
});

describe('parseConfig: tab names Google Sheets refuses', () => {
  const long = 'Members '.repeat(38).trim();
  const shown = `"${long.slice(0, 30)}…" is ${long.length} characters long; a Google Sheets tab name can have at most 100, so shorten it (here and on the tab itself)`;

  it.each<[string, Cell[], string]>([
    ['a pull into a 300-character tab', edit(PULL, { 5: long }), `Jobs row 2, Target: the tab name ${shown}`],
    ['a push from a 300-character tab', edit(PUSH, { 4: long }), `Jobs row 2, Source: the tab name ${shown}`],
    ['an EveryAction push from a 300-character tab', edit(EA_PUSH, { 4: long }), `Jobs row 2, Source: the tab name ${shown}`],
    ['an EveryAction pull into a 300-character tab', edit(EA_PULL, { 5: long }), `Jobs row 2, Target: the tab name ${shown}`],
  ])('%s is a setup problem', (_name, row, expected) => {
    expect(long.length).toBe(303);
    expect(small({ jobs: jobs(row) })).toEqual([expected]);
  });

  it('accepts 100 characters (an emoji counting once) and the characters Sheets allows but files do not', () => {
    const hundred = '🎉'.repeat(100);
    for (const tab of [hundred, 'a/b', '../x', 'CON', '[Draft] Q1: who? *new*', 'back\\slash']) {
      expect(small({ jobs: jobs(edit(PULL, { 5: tab }), edit(PUSH, { 4: tab })) }), tab).toEqual([]);
    }
    expect(small({ jobs: jobs(edit(PULL, { 5: `${'x'.repeat(100)}y` })) })).toEqual([
      'Jobs row 2, Target: the tab name "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…" is 101 characters long; a Google Sheets tab name can have at most 100, so shorten it (here and on the tab itself)',
    ]);
  });
});
