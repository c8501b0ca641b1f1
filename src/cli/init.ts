// `sheets-sync init`: a new workbook folder with the starter tabs. It never overwrites a tab the
// user already has.

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { starterTabs } from '../core/starter';
import { CsvWorkbook } from './csv-workbook';

export function initWorkbook(dir: string, out: (line: string) => void): number {
  mkdirSync(dir, { recursive: true });
  const tabs = starterTabs();
  const clash = Object.keys(tabs).filter((t) => existsSync(join(dir, `${t}.csv`)));
  if (clash.length > 0) {
    out(`${dir} already has ${clash.map((t) => `${t}.csv`).join(', ')}; nothing was changed. Use an empty folder.`);
    return 2;
  }
  const workbook = new CsvWorkbook(dir);
  for (const [tab, grid] of Object.entries(tabs)) workbook.write(tab, grid);
  out(`Created ${Object.keys(tabs).map((t) => `${t}.csv`).join(', ')} in ${dir}.`);
  out('Next: put your iMIS address in Connections.csv, your IQA path in Jobs.csv, then');
  out('  SHEETS_SYNC_SECRET_IMIS=<password> sheets-sync run --workbook ' + dir);
  return 0;
}
