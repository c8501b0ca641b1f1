// Turns whatever google.script.run's failure handler receives (an Error whose message may carry
// "Exception: ", a script line reference or a stack) into one plain sentence for a coordinator.
// Stack traces and file/line references never reach the page.

const GENERIC = 'Something went wrong. Try again; if it keeps happening, the Sync Log tab may say why.';

/** Known Apps Script failures, in words a coordinator can act on. */
const KNOWN: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/NetworkError|HTTP 0\b|Failed to fetch|connection failure/i, () => 'The sidebar could not reach Google. Check your internet connection, then try again.'],
  [/authori[sz]ation is required/i, () => 'Sheets Sync needs your permission. Close this sidebar, open it again from Extensions → Sheets Sync and allow access.'],
  [/Script function not found:?\s*(\w+)?/i, () => 'This copy of Sheets Sync is incomplete or out of date. Close the sidebar, reload the spreadsheet and try again.'],
  [/Exceeded maximum execution time|timed? ?out/i, () => 'Google took too long to answer. Try again; a long run picks up where it stopped.'],
  [/Service invoked too many times|Bandwidth quota exceeded/i, () => 'A Google daily limit for this account has been reached. Try again tomorrow, or run fewer jobs now.'],
  [/server error occurred|Internal error|Service (?:error|unavailable)/i, () => 'Google had a problem on its side. Wait a minute, then try again.'],
];

function rawMessage(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && 'message' in error) {
    const message = (error as { message: unknown }).message;
    if (typeof message === 'string') return message;
  }
  return '';
}

/** One plain sentence, at most about 300 characters, never a stack trace. */
export function plainError(error: unknown): string {
  const lines = rawMessage(error)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !/^at\s/.test(l));
  let text = lines[0] ?? '';
  for (const [pattern, say] of KNOWN) {
    const m = text.match(pattern);
    if (m) return say(m);
  }
  let before: string;
  do {
    before = text;
    text = text.replace(/^(?:Uncaught\s+)?(?:[A-Z]\w*)?(?:Exception|Error):\s*/, '');
  } while (text !== before);
  text = text
    .replace(/\s*\(line \d+, file "[^"]*"\)/g, '')
    .replace(/\s+at\s+\S+:\d+(?::\d+)?\)?/g, '')
    .trim();
  if (!text) return GENERIC;
  if (text.length > 300) text = `${text.slice(0, 297).trimEnd()}…`;
  if (!/[.!?…]$/.test(text)) text += '.';
  return text.charAt(0).toUpperCase() + text.slice(1);
}
