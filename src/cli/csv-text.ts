// The text layer under the CSV workbook: bytes on disk to text and back. Files reach the folder
// from Excel, Numbers, text editors and scripts, so two things cannot be assumed: that the bytes
// are UTF-8 (Excel's plain "CSV" is Windows-1252), and that every line ends the same way (rows
// appended with another tool mix CRLF and LF). Both are settled here, before any cell is parsed.

import { SyncError } from '../core/errors';

const BOM_BYTES = [0xef, 0xbb, 0xbf];

export interface DecodedCsv {
  text: string;
  /** Whether the file started with a UTF-8 byte order mark (not part of `text`). */
  bom: boolean;
}

/**
 * UTF-8 bytes → text, refusing anything else: a byte that is not UTF-8 would otherwise become
 * U+FFFD and be sent to the target system in place of the coordinator's letter.
 */
export function decodeCsvBytes(bytes: Uint8Array, fileName: string): DecodedCsv {
  const bom = startsWithBom(bytes);
  const body = bom ? bytes.subarray(BOM_BYTES.length) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), bom };
  } catch {
    const at = firstInvalidByte(body);
    const line = lineOf(body, at);
    const byte = `0x${(body[at] ?? 0).toString(16).toUpperCase().padStart(2, '0')}`;
    throw new SyncError(
      'config',
      `${fileName} is not UTF-8 text: line ${line} has the byte ${byte}, which UTF-8 does not allow there, so the file was not used. ` +
        'The file was probably saved in another encoding (Excel\'s plain "CSV" format is Windows-1252). ' +
        'Open it and save it again as "CSV UTF-8".',
    );
  }
}

export function startsWithBom(bytes: Uint8Array): boolean {
  return BOM_BYTES.every((b, i) => bytes[i] === b);
}

/**
 * Index of the first byte of the first sequence that is not UTF-8. A streaming decoder accepts a
 * prefix that merely ends inside a character, so the shortest refused prefix ends at the byte that
 * proves the sequence wrong; what the decoder still held back then is where that sequence began.
 */
function firstInvalidByte(bytes: Uint8Array): number {
  const refused = (length: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(0, length), { stream: true });
      return false;
    } catch {
      return true;
    }
  };
  let low = 1;
  let high = bytes.length;
  // Every prefix streams fine when only the last character is cut off; it starts in the held-back bytes.
  if (!refused(high)) return acceptedBytes(bytes, high);
  while (low < high) {
    const mid = (low + high) >> 1;
    if (refused(mid)) high = mid;
    else low = mid + 1;
  }
  return acceptedBytes(bytes, high - 1);
}

/** Bytes of `bytes[0, length)` that form whole characters (the rest is held back by the decoder). */
function acceptedBytes(bytes: Uint8Array, length: number): number {
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(0, length), { stream: true });
  return Buffer.byteLength(text, 'utf8');
}

/** 1-based line of `bytes[index]`, counting CRLF, LF and a lone CR each as one line end. */
function lineOf(bytes: Uint8Array, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < bytes.length; i += 1) {
    if (bytes[i] === 0x0a) line += 1;
    else if (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a) line += 1;
  }
  return line;
}

/**
 * Rewrites every row end outside quoted cells (CRLF, LF or a lone CR) as LF, so a parser told
 * "LF" reads every row whatever mix of line ends the file has. A line break inside a quoted cell
 * is part of the cell's text and is left exactly as it is. Quotes are recognised as a CSV parser
 * does: only at the start of a cell, with `""` inside standing for one quote.
 */
export function unifyRowEnds(text: string): string {
  if (!text.includes('\r')) return text;
  const parts: string[] = [];
  let copiedUpTo = 0;
  let quoted = false;
  let cellStart = true;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') i += 1;
        else quoted = false;
      }
      continue;
    }
    if (ch === '"' && cellStart) {
      quoted = true;
      cellStart = false;
    } else if (ch === ',' || ch === '\n') {
      cellStart = true;
    } else if (ch === '\r') {
      parts.push(text.slice(copiedUpTo, i), '\n');
      if (text[i + 1] === '\n') i += 1;
      copiedUpTo = i + 1;
      cellStart = true;
    } else {
      cellStart = false;
    }
  }
  parts.push(text.slice(copiedUpTo));
  return parts.join('');
}
