// The iMIS ↔ EveryAction crosswalk end to end (DESIGN §10.6): the built command, on a copy of the
// demo workbook, pushes a tab of iMIS members to EveryAction People with the iMIS ID mapped to
// `Identifier:imisid`. The VANID lands beside the iMIS ID, EveryAction holds the iMIS ID as an
// external ID, a second run sends nothing, and a type EveryAction does not know fails the job with
// EveryAction's own words before anyone is written.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { DEMO_QUERIES } from '../../src/simulators/imis';
import { demoWorkbook, runCli, useSimulators } from '../helpers/cli';

const SECRETS = { SHEETS_SYNC_SECRET_EVERYACTION: 'demo-api-key' };

const simulators = useSimulators();

const csv = (dir: string, tab: string) => Papa.parse<string[]>(readFileSync(join(dir, `${tab}.csv`), 'utf8').trimEnd()).data;
const report = (stdout: string) => Papa.parse<string[]>(stdout.trim()).data.slice(1);
const append = (dir: string, tab: string, lines: string[]) => {
  const file = join(dir, `${tab}.csv`);
  writeFileSync(file, `${readFileSync(file, 'utf8').trimEnd()}\n${lines.join('\n')}\n`);
};

/** A job `name` pushing the tab `tab` (members `from`…`to` of the iMIS demo query) with the iMIS ID under `type`. */
function crosswalk(dir: string, name: string, tab: string, type: string, from: number, to: number): string[][] {
  const rows = simulators().imisEms.queryRows(DEMO_QUERIES.activeMembers).slice(from, to);
  const members = [['iMIS ID', 'First Name', 'Last Name', 'Email'], ...rows.map((r) => [String(r.ID), String(r.FirstName), String(r.LastName), String(r.Email)])];
  writeFileSync(join(dir, `${tab}.csv`), Papa.unparse(members));
  append(dir, 'Jobs', [`${name},TRUE,Push,EveryAction,${tab},People,Auto,Liberal,,Manual,,`]);
  append(dir, 'Mappings', [`${name},Email,Email,TRUE,email`, `${name},First Name,FirstName,,trim`, `${name},Last Name,LastName,,trim`, `${name},iMIS ID,Identifier:${type},,`]);
  return members.slice(1);
}

describe('sheets-sync run: pushing iMIS members to EveryAction with the iMIS ID as an identifier', () => {
  it('writes each VANID beside its iMIS ID, EveryAction keeps the iMIS ID, and a re-run sends nothing', async () => {
    const dir = demoWorkbook(simulators().url, 'sheets-sync-crosswalk-');
    const members = crosswalk(dir, 'Crosswalk', 'iMIS Members', 'imisid', 0, 5);
    const ea = simulators().everyAction;

    const first = await runCli(['run', '--workbook', dir, '--job', 'Crosswalk', '--format', 'csv'], SECRETS);
    expect(first.code).toBe(0);
    const [row] = report(first.stdout);
    expect([row![4], row![5], row![6], row![7]]).toEqual(['Crosswalk', 'OK', '5', '5']);

    const [header, ...rows] = csv(dir, 'iMIS Members');
    const at = (h: string) => header!.indexOf(h);
    expect(rows.map((r) => r[at('iMIS ID')])).toEqual(members.map((m) => m[0]));
    for (const r of rows) {
      const vanId = r[at('Crosswalk ID')]!;
      expect(vanId).toMatch(/^\d+$/);
      expect(r[at('Crosswalk Status')]).toBe('Created');
      expect(ea.person(Number(vanId))!.identifiers).toEqual([{ type: 'imisid', externalId: r[at('iMIS ID')] }]);
    }
    expect(csv(dir, 'Sync Log').filter((r) => r[2] === 'Crosswalk').map((r) => r[6])).toEqual(
      members.map(([id, firstName, lastName, email]) => `Email: → ${email!.toLowerCase()}; FirstName: → ${firstName}; LastName: → ${lastName}; Identifier:imisid: → ${id}`),
    );

    const requests = ea.requests.length;
    const again = await runCli(['run', '--workbook', dir, '--job', 'Crosswalk', '--format', 'csv'], SECRETS);
    expect(again.code).toBe(0);
    const [second] = report(again.stdout);
    expect([second![5], second![7], second![9], second![12]]).toEqual(['OK', '0', '5', '0']);
    expect(ea.requests.length).toBe(requests);
  });

  it('an identifier type EveryAction does not know fails the job with its message, and nobody is written', async () => {
    const dir = demoWorkbook(simulators().url, 'sheets-sync-crosswalk-unknown-');
    crosswalk(dir, 'Members by old type', 'Old Members', 'imis_id', 5, 17);
    const ea = simulators().everyAction;
    const people = ea.people().length;

    const out = await runCli(['run', '--workbook', dir, '--job', 'Members by old type', '--format', 'csv'], SECRETS);
    expect(out.code).toBe(1);
    const [row] = report(out.stdout);
    expect([row![4], row![5], row![6], row![7], row![8], row![10], row![11]]).toEqual(['Members by old type', 'Failed', '12', '0', '0', '12', '0']);
    expect(row![13]).toContain('EveryAction does not know the identifier type "imis_id" (EveryAction said: "\'type\' (imis_id) is not a valid ExternalID in this context")');
    expect(row![13]).toContain('12 rows not sent');
    expect(ea.people()).toHaveLength(people);
    const [header, ...rows] = csv(dir, 'Old Members');
    expect(rows.map((r) => r[header!.indexOf('Members by old type Status')] ?? '')).toEqual(Array(12).fill(''));
  });
});
