// Runs the built sheets-sync command in its own process, as a coordinator's shell would, with
// only PATH and the given variables in its environment.

import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startSimulatorServer, type SimulatorServer } from '../../src/simulators/server';

export const CLI = join(__dirname, '../../dist/cli/sheets-sync.mjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A copy of the demo workbook (examples/demo) in a folder of its own, its connections pointed at `serverUrl`. */
export function demoWorkbook(serverUrl: string, prefix = 'sheets-sync-e2e-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(join(__dirname, '../../examples/demo'), dir, { recursive: true });
  const file = join(dir, 'Connections.csv');
  writeFileSync(file, readFileSync(file, 'utf8').replaceAll('http://127.0.0.1:8787/', serverUrl));
  return dir;
}

/** The simulators on loopback for one test file, started before its tests and closed after. */
export function useSimulators(): () => SimulatorServer {
  let server: SimulatorServer | undefined;
  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error('dist/cli is missing: run `npm test` (it builds first) or `npm run build`');
    server = await startSimulatorServer({ port: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('the simulators are not running yet');
    return server;
  };
}
