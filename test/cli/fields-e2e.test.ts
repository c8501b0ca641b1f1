// `sheets-sync fields` end to end: the built CLI in its own process, on a copy of the demo
// workbook, talking HTTP over loopback to the simulators served from this process.

import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVERYACTION_PEOPLE_FIELDS } from '../../src/connectors/everyaction/fields';
import { CONTACT_FIELDS } from '../../src/connectors/imis/person';
import { DEMO_CUSTOM_FIELDS } from '../../src/simulators/everyaction/custom-fields';
import { demoWorkbook as demoWorkbookAt, runCli, useSimulators } from '../helpers/cli';

const root = join(__dirname, '../..');
const SECRETS = { SHEETS_SYNC_SECRET_IMIS: 'demo-password', SHEETS_SYNC_SECRET_EVERYACTION: 'demo-api-key' };

const simulators = useSimulators();

const demoWorkbook = () => demoWorkbookAt(simulators().url, 'sheets-sync-fields-');

const lines = (text: string) => text.trimEnd().split('\n');

describe('sheets-sync fields', () => {
  it('a contact push: the contact fields, with no request and no secret needed', async () => {
    const dir = demoWorkbook();
    const before = simulators().imisEms.requests.length;
    const r = await runCli(['fields', '--workbook', dir, '--job', 'Event Sign-ups']);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual([...CONTACT_FIELDS]);
    expect(r.stderr).toContain('Fields iMIS Contact takes (job "Event Sign-ups")');
    expect(simulators().imisEms.requests.length).toBe(before);
  });

  it("a panel push: ID, then the panel's properties from iMIS's definition, marked live", async () => {
    const dir = demoWorkbook();
    const before = simulators().imisEms.requests.length;
    const r = await runCli(['fields', '--workbook', dir, '--job', 'Volunteers'], SECRETS);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual(['ID', 'Skills\t(live)', 'HoursPledged\t(live)', 'Active\t(live)', 'StartDate\t(live)', 'Notes\t(live)']);
    // Sign-in and the definitions.
    expect(simulators().imisEms.requests.slice(before).map((q) => q.path.split('?')[0]!.toLowerCase())).toEqual(['/token', '/api/boentitydefinition']);
  });

  it('an EveryAction push: the standard fields, then the custom fields by name', async () => {
    const dir = demoWorkbook();
    const r = await runCli(['fields', '--workbook', dir, '--job', 'Petition Signers'], SECRETS);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual([...EVERYACTION_PEOPLE_FIELDS, ...DEMO_CUSTOM_FIELDS.map((f) => `${f.customFieldName}\t(live)`)]);
  });

  it("a pull: the query's columns, read with a one-row query", async () => {
    const dir = demoWorkbook();
    const before = simulators().imisEms.requests.length;
    const r = await runCli(['fields', '--workbook', dir, '--job', 'Active Members'], SECRETS);
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out[0]).toBe('ID\t(live)');
    expect(out).toEqual(expect.arrayContaining(['FirstName\t(live)', 'LastName\t(live)', 'Email\t(live)']));
    const query = simulators().imisEms.requests.slice(before).filter((q) => q.path.startsWith('/api/query'));
    expect(query).toHaveLength(1);
    expect(query[0]!.path).toMatch(/[?&]Limit=1(&|$)/);
  });

  it('without the secret: what needs no request, and how to set it (exit 1)', async () => {
    const dir = demoWorkbook();
    const r = await runCli(['fields', '--workbook', dir, '--job', 'Volunteers']);
    expect(r.code).toBe(1);
    expect(lines(r.stdout)).toEqual(['ID']);
    expect(r.stderr).toContain('Set the environment variable SHEETS_SYNC_SECRET_IMIS to list what only iMIS knows.');
  });

  it('exit 2 with a plain message for a job that does not exist or whose setup has problems', async () => {
    const dir = demoWorkbook();
    const none = await runCli(['fields', '--workbook', dir, '--job', 'Volunter'], SECRETS);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr.trim()).toBe('There is no job named "Volunter" in Jobs.csv (did you mean "Volunteers"?).');

    const jobs = join(dir, 'Jobs.csv');
    writeFileSync(jobs, readFileSync(jobs, 'utf8').replace('Volunteers,TRUE,Push,iMIS,Volunteers,Demo_Volunteer,Email,Upsert', 'Volunteers,TRUE,Push,iMIS,Volunteers,Demo_Volunteer,Email,Upsrt'));
    const broken = await runCli(['fields', '--workbook', dir, '--job', 'Volunteers'], SECRETS);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^The setup of job "Volunteers" has problems; fix them first:\n {2}Jobs row 3, Mode: /);
    // Another job's problem does not stop this one.
    const other = await runCli(['fields', '--workbook', dir, '--job', 'Event Sign-ups'], SECRETS);
    expect(other.code).toBe(0);

    const missing = await runCli(['fields', '--workbook', dir], SECRETS);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--job NAME is required');
  });
});
