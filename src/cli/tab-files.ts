// Tab name ↔ file name in a CSV workbook folder. Google Sheets accepts tab names that no file
// system does ("Q1/Q2", "Who? [draft]", "CON"), and a workbook folder may be copied to Windows,
// the strictest of them. So a tab's file name is its name with what some file system refuses
// written as %XX (the character's code in hexadecimal, as in web addresses), which reads back to
// exactly the tab's name. Nothing that reaches the file system can name another folder: "/" and
// "\" are always escaped, and so is a leading dot (no ".." and no hidden files).

import { SyncError } from '../core/errors';

export const CSV_EXTENSION = '.csv';

/** The longest file name (in UTF-8 bytes) that every common file system keeps. */
const MAX_FILE_NAME_BYTES = 255;

/** Refused in file names on Windows (and "/" everywhere); control characters can't be typed back. */
const ESCAPED = /[\u0000-\u001f\u007f<>:"/\\|?*]/g;
/** Windows opens a device, not a file, for these names, with any extension after them. */
const DEVICE = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])\s*(\.|$)/i;

const escape = (ch: string) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * `<tab>.csv`, with what a file name cannot hold escaped; a SyncError (setup problem) when even
 * that is too long to be a file name.
 */
export function tabFileName(tab: string): string {
  if (tab === '') throw new SyncError('config', 'A tab with no name cannot be kept as a file in the workbook folder.');
  // A "%" that would read back as an escape is escaped itself; any other "%" ("50% off") is kept,
  // so the files of tabs named before this encoding keep their names.
  let name = tab.replace(/%(?=[0-9a-f]{2})/gi, '%25').replace(ESCAPED, escape);
  if (name.startsWith('.')) name = `%2E${name.slice(1)}`;
  // Windows drops a final dot or space from a file name, which would merge two tabs into one file.
  if (/[. ]$/.test(name)) name = name.slice(0, -1) + escape(name.slice(-1));
  if (DEVICE.test(name)) name = escape(name[0]!) + name.slice(1);
  const file = name + CSV_EXTENSION;
  const bytes = Buffer.byteLength(file, 'utf8');
  if (bytes > MAX_FILE_NAME_BYTES) {
    throw new SyncError(
      'config',
      `The tab "${[...tab].slice(0, 30).join('')}…" cannot be kept as a file in the workbook folder: its file name would be ${bytes} bytes long, ` +
        `and file systems allow at most ${MAX_FILE_NAME_BYTES} (characters such as / : ? count three bytes, most accented letters two). ` +
        'Give the tab a shorter name in the Jobs tab (Source or Target).',
    );
  }
  return file;
}

/**
 * The tab a file of the folder holds, or null when the file is no tab's: not a .csv file, or a
 * name tabFileName would not have produced (then reading that tab would open another file).
 */
export function tabOfFileName(file: string): string | null {
  if (!file.endsWith(CSV_EXTENSION) || file.length === CSV_EXTENSION.length) return null;
  const stem = file.slice(0, -CSV_EXTENSION.length);
  // Only ASCII is ever escaped, so %80 and above are left as they are.
  const tab = stem.replace(/%([0-7][0-9a-f])/gi, (_whole, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  try {
    return tabFileName(tab) === file ? tab : null;
  } catch {
    return null;
  }
}
