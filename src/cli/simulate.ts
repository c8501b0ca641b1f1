// `sheets-sync simulate`: the bundled iMIS and EveryAction simulators on loopback, for demos and for trying a
// workbook without a real iMIS. Runs until interrupted.

import { startSimulatorServer } from '../simulators/server';
import type { SimulateArgs } from './args';

export async function simulateCommand(args: SimulateArgs, out: (line: string) => void): Promise<number> {
  const server = await startSimulatorServer({
    port: args.port,
    latencyMs: args.latency,
    imis: { syntheticQueries: args.rows, ...(args['token-ttl'] !== undefined ? { tokenTtlSeconds: args['token-ttl'] } : {}) },
  });
  for (const sim of [server.imisEms, server.imis2017, server.everyAction]) {
    sim.faults.rateLimitEvery = args['rate-limit-every'];
    sim.faults.errorEvery = args['error-every'];
  }
  out(`iMIS EMS simulator:  ${server.url}imis/`);
  out(`iMIS 2017 simulator: ${server.url}imis2017/`);
  out(`EveryAction simulator: ${server.url}everyaction/v4/`);
  out('iMIS: user name sync.user, password demo-password (SHEETS_SYNC_SECRET_<NAME>=demo-password).');
  out('EveryAction: application name SheetsSyncDemo, API key demo-api-key, Mode MyCampaign.');
  out('Press Ctrl+C to stop.');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
