// The sheets-sync command line (DESIGN §6), validated with zod so a mistyped flag gets a plain
// message and exit status 2 before anything runs.

import { parseArgs } from 'node:util';
import { z } from 'zod';

export const USAGE = `Usage:
  sheets-sync run --workbook DIR [--job NAME]... [--preview] [--brake] [--budget SECONDS] [--format table|csv]
                                         --brake: hold a job with unusual changes, as scheduled runs do
  sheets-sync init --workbook DIR        starter tabs with headers, dropdown values and examples
  sheets-sync fields --workbook DIR --job NAME
                                         the fields the job's Mappings may name, one a line
                                         (those only iMIS or EveryAction can list marked "(live)")
  sheets-sync simulate [--port N] [--latency MS] [--rate-limit-every N] [--error-every N]
                       [--token-ttl SECONDS] [--rows '$/Query/Path=N']...
                                         serve the iMIS simulators on loopback

Secrets come from SHEETS_SYNC_SECRET_<CONNECTION NAME>, e.g. SHEETS_SYNC_SECRET_IMIS.
Exit status: 0 every job OK, 1 a job or row failed or was held, 2 a setup problem (nothing was sent).
fields: 0 every field listed, 1 the live ones could not be looked up, 2 no such job or a setup problem.`;

const count = (flag: string) =>
  z
    .string()
    .regex(/^\d+$/, `${flag} must be a whole number`)
    .transform(Number);

const RunArgs = z.object({
  command: z.literal('run'),
  workbook: z.string({ message: '--workbook DIR is required' }).min(1, '--workbook DIR is required'),
  job: z.array(z.string().min(1, '--job needs a job name')).default([]),
  preview: z.boolean().default(false),
  brake: z.boolean().default(false),
  budget: z
    .string()
    .regex(/^\d+(\.\d+)?$/, '--budget must be a number of seconds')
    .transform(Number)
    .refine((n) => n > 0, '--budget must be more than 0 seconds')
    .optional(),
  format: z.enum(['table', 'csv'], { message: '--format must be table or csv' }).optional(),
});

const InitArgs = z.object({
  command: z.literal('init'),
  workbook: z.string({ message: '--workbook DIR is required' }).min(1, '--workbook DIR is required'),
});

const FieldsArgs = z.object({
  command: z.literal('fields'),
  workbook: z.string({ message: '--workbook DIR is required' }).min(1, '--workbook DIR is required'),
  job: z
    .array(z.string().min(1, '--job needs a job name'), { message: '--job NAME is required' })
    .length(1, 'fields takes one --job NAME')
    .transform((jobs) => jobs[0]!),
});

const SimulateArgs = z.object({
  command: z.literal('simulate'),
  port: count('--port').refine((n) => n < 65536, '--port must be below 65536').default(8787),
  latency: count('--latency').default(0),
  'rate-limit-every': count('--rate-limit-every').default(0),
  'error-every': count('--error-every').default(0),
  'token-ttl': count('--token-ttl').optional(),
  rows: z
    .array(z.string().regex(/^\$\/.+=\d+$/, "--rows takes '$/Query/Path=N'"))
    .default([])
    .transform((list) => Object.fromEntries(list.map((s) => [s.slice(0, s.lastIndexOf('=')), Number(s.slice(s.lastIndexOf('=') + 1))]))),
});

export type RunArgs = z.infer<typeof RunArgs>;
export type InitArgs = z.infer<typeof InitArgs>;
export type SimulateArgs = z.infer<typeof SimulateArgs>;
export type FieldsArgs = z.infer<typeof FieldsArgs>;
export type Args = RunArgs | InitArgs | SimulateArgs | FieldsArgs | { command: 'help' };

/** Parsed arguments, or a message for the user. */
export function parseCommandLine(argv: string[]): { ok: true; args: Args } | { ok: false; message: string } {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { ok: true, args: { command: 'help' } };
  const schemas = { run: RunArgs, init: InitArgs, simulate: SimulateArgs, fields: FieldsArgs } as const;
  if (!(command in schemas)) return { ok: false, message: `Unknown command "${command}".` };
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: false,
      options: {
        workbook: { type: 'string' },
        job: { type: 'string', multiple: true },
        preview: { type: 'boolean' },
        brake: { type: 'boolean' },
        budget: { type: 'string' },
        format: { type: 'string' },
        port: { type: 'string' },
        latency: { type: 'string' },
        'rate-limit-every': { type: 'string' },
        'error-every': { type: 'string' },
        'token-ttl': { type: 'string' },
        rows: { type: 'string', multiple: true },
      },
    }).values;
  } catch (e) {
    return { ok: false, message: (e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '') };
  }
  const allowed: Record<string, string[]> = {
    run: ['workbook', 'job', 'preview', 'brake', 'budget', 'format'],
    init: ['workbook'],
    fields: ['workbook', 'job'],
    simulate: ['port', 'latency', 'rate-limit-every', 'error-every', 'token-ttl', 'rows'],
  };
  const stray = Object.keys(values).filter((k) => !allowed[command]!.includes(k));
  if (stray.length > 0) return { ok: false, message: `"${command}" does not take --${stray[0]}.` };
  const parsed = schemas[command as keyof typeof schemas].safeParse({ command, ...values });
  if (!parsed.success) return { ok: false, message: parsed.error.issues.map((i) => i.message).join('; ') };
  return { ok: true, args: parsed.data };
}
