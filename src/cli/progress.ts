// Progress on stderr: a redrawn bar on a terminal, plain lines when stderr is a file or pipe
// (so logs and CI output stay readable).

import type { Log } from '../core/ports';

const WIDTH = 24;

export function stderrLog(stream: NodeJS.WriteStream = process.stderr): Log {
  const tty = Boolean(stream.isTTY);
  let drawn = false;
  const clear = () => {
    if (drawn) stream.write('\r\x1b[K');
    drawn = false;
  };
  return {
    progress(message, fraction) {
      if (!tty) {
        stream.write(`${message}\n`);
        return;
      }
      clear();
      if (fraction === undefined) {
        stream.write(`${message}\n`);
        return;
      }
      const filled = Math.round(Math.min(1, Math.max(0, fraction)) * WIDTH);
      const columns = stream.columns ?? 80;
      const line = `[${'#'.repeat(filled)}${' '.repeat(WIDTH - filled)}] ${Math.round(fraction * 100)}% ${message}`;
      stream.write(line.slice(0, columns - 1));
      drawn = true;
    },
    warn(message) {
      clear();
      stream.write(`${message}\n`);
    },
  };
}
