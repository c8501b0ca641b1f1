// The starter tabs a new workbook begins with: headers, one worked example per tab, and the
// values each dropdown column accepts. Shared by `sheets-sync init` and the add-on's Set up tabs.

import { SCHEDULES } from './config/choices';
import { HEADERS, LISTS_TAB, TAB, TRANSFORMS } from './config/types';
import type { Grid } from './ports';

/** Allowed values per dropdown column (data validation in Google Sheets, Lists tab in a CSV folder). */
export const CHOICES: Record<string, readonly string[]> = {
  System: ['iMIS', 'EveryAction'],
  'Connection Mode': ['EMS', '2017', 'MyCampaign', 'VoterFile'],
  Action: ['Pull', 'Push'],
  'Pull Mode': ['Replace', 'Merge'],
  'Push Mode': ['Upsert', 'Update only', 'Create only', 'Liberal', 'Conservative'],
  Match: ['ID', 'Email', 'Email+Name', 'Auto', 'VANID'],
  Schedule: SCHEDULES,
  Transform: TRANSFORMS,
  Enabled: ['TRUE', 'FALSE'],
  Required: ['TRUE', 'FALSE'],
};

// Defined beside TAB so config parsing can keep jobs off it; exported here for callers of the starter.
export { LISTS_TAB };

export function starterTabs(): Record<string, Grid> {
  const lists: Grid = [Object.keys(CHOICES)];
  const depth = Math.max(...Object.values(CHOICES).map((v) => v.length));
  for (let i = 0; i < depth; i++) lists.push(Object.values(CHOICES).map((v) => v[i] ?? ''));
  return {
    [TAB.connections]: [
      [...HEADERS.connections],
      ['iMIS', 'iMIS', 'https://myorg.imiscloud.com/', 'sync.user', 'EMS', ''],
      ['EveryAction', 'EveryAction', '', 'MyAppName', 'MyCampaign', ''],
    ],
    [TAB.jobs]: [
      [...HEADERS.jobs],
      ['Active Members', true, 'Pull', 'iMIS', '$/Marketing/Lists/Active Members', 'Members', 'ID', 'Replace', '', 'Hourly', '', ''],
      // Switched off: it needs a "Petition Signers" tab and the EveryAction API key first.
      ['Petition Signers', false, 'Push', 'EveryAction', 'Petition Signers', 'People', 'Auto', 'Liberal', '', 'Hourly', '', ''],
    ],
    [TAB.mappings]: [
      [...HEADERS.mappings],
      ['Active Members', 'iMIS ID', 'ID', true, ''],
      ['Active Members', 'Email', 'Email', false, 'lower'],
      ['Petition Signers', 'Email', 'Email', false, 'email'],
      ['Petition Signers', 'First name', 'FirstName', false, 'trim'],
      ['Petition Signers', 'Last name', 'LastName', false, 'trim'],
      ['Petition Signers', 'Keep me posted', 'OptIn', false, ''],
    ],
    [TAB.constants]: [[...HEADERS.constants], ['Active Members', 'Copied On', '{{today}}']],
    [LISTS_TAB]: lists,
  };
}
