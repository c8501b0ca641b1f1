// What each server function the sidebar calls (sidebar-api.ts SidebarServer) accepts. Anything can
// arrive through google.script.run (an old copy of the page, a page someone altered, a console),
// so every call's arguments pass a zod schema here before any work: too many or too few, the
// wrong type, or a name longer than any real one is refused with one plain sentence, never a
// TypeError and never a Sheets limit message from writing it into a cell.

import { z } from 'zod';
import { SyncError } from '../core/errors';

/** Longest connection or job name taken: far beyond a real one, far below a cell's 50,000 characters. */
export const NAME_MAX = 100;
/** An EveryAction API key is about 40 characters and an iMIS password far fewer than this. */
export const SECRET_MAX = 1000;
/** A run's reference (its run id) is about 25 characters. */
const TOKEN_MAX = 100;

/** What went wrong can only be an out-of-date or altered page, so the way on is a fresh one. */
const RELOAD = 'close the sidebar, open it again from Extensions → Sheets Sync → Open sidebar, and try again';

const garbled = (label: string) => `${label} did not come through from the sidebar; ${RELOAD}`;

/** Text from the page: `label` names it in the refusal. */
function text(label: string, o: { max: number; tooLong?: string; allowEmpty?: boolean }) {
  const s = z.string({ error: garbled(label) }).max(o.max, { error: o.tooLong ?? garbled(label) });
  return o.allowEmpty ? s : s.min(1, { error: garbled(label) });
}

const connectionName = text('the connection name', { max: NAME_MAX, tooLong: `a connection name can be at most ${NAME_MAX} characters; shorten it in the Connections tab` });
const jobName = (allowEmpty: boolean) => text('the job name', { max: NAME_MAX, allowEmpty, tooLong: `a job name can be at most ${NAME_MAX} characters; shorten it in the Jobs tab` });
/** Only a real true or false: the text "false" must never count as on. */
const yesNo = (label: string) => z.boolean({ error: garbled(label) });

const secret = z
  .string({ error: garbled('the password or API key') })
  .max(SECRET_MAX, { error: 'that is far too long to be a password or API key' })
  .refine((s) => s.trim() !== '', { error: 'the field was empty' });

/** A form's text field (a URL, a query path, Parameters): far beyond a real one, far below a cell's limit. */
export const FIELD_MAX = 2000;

const field = (label: string) => text(label, { max: FIELD_MAX, allowEmpty: true, tooLong: `${label} can be at most ${FIELD_MAX} characters` });
/** A name in a form: empty is a problem with the field (config parsing says so), not a garbled page. */
const formName = (what: string) => text(`the ${what} name`, { max: NAME_MAX, allowEmpty: true, tooLong: `a ${what} name can be at most ${NAME_MAX} characters; shorten it` });

/** The connection form (sidebar-api.ts ConnectionForm); '' as the secret keeps what is saved. */
const connectionForm = z.strictObject(
  {
    original: formName('connection'),
    name: formName('connection'),
    system: field('the System'),
    url: field('the URL'),
    username: field('the user name'),
    mode: field('the Mode'),
    secret: z
      .string({ error: garbled('the password or API key') })
      .max(SECRET_MAX, { error: 'that is far too long to be a password or API key' })
      .refine((s) => s === '' || s.trim() !== '', { error: 'the password or API key was only spaces' }),
  },
  { error: garbled('the connection form') },
);

/** The job form (sidebar-api.ts JobForm). */
const jobForm = z.strictObject(
  {
    original: formName('job'),
    name: formName('job'),
    enabled: yesNo('the Enabled box'),
    action: field('the Action'),
    connection: field('the Connection'),
    source: field('the Source'),
    target: field('the Target'),
    match: field('the Match'),
    mode: field('the Mode'),
    parameters: field('the Parameters'),
    schedule: field('the Schedule'),
  },
  { error: garbled('the job form') },
);

/** An address for alerts: one plain address (no display name), as MailApp takes it. */
const alertAddress = z
  .string({ error: garbled('the email addresses') })
  .max(254, { error: 'an email address can be at most 254 characters' })
  .transform((s) => s.trim())
  .pipe(z.email({ error: (issue) => `"${String(issue.input)}" is not an email address; write plain addresses such as name@example.org, separated by commas` }));

/** At most this many addresses besides the schedule's owner (alerts.ts MAX_ALERT_ADDRESSES). */
export const ALERT_ADDRESSES_MAX = 10;

/** One google.script.run call: its arguments in order, and how a refusal begins. */
class Call<T extends z.ZodTuple> {
  private readonly schema: z.ZodType<z.output<T>>;
  constructor(
    private readonly refusal: string,
    items: T,
  ) {
    const arity = items.def.items.length;
    // Missing arguments are made undefined so each is refused by name, not as "too short".
    this.schema = z
      .array(z.unknown())
      .max(arity, { error: `the sidebar sent more than Sheets Sync expected; ${RELOAD}` })
      .transform((args) => Array.from({ length: arity }, (_, i) => args[i]))
      .pipe(items);
  }

  /** The arguments, typed; or the refusal, one sentence. */
  check(args: readonly unknown[]): { ok: true; args: z.output<T> } | { ok: false; message: string } {
    const parsed = this.schema.safeParse(Array.from(args));
    if (parsed.success) return { ok: true, args: parsed.data };
    const first = parsed.error.issues[0]?.message ?? `something did not come through from the sidebar; ${RELOAD}`;
    return { ok: false, message: `${this.refusal}: ${first}.` };
  }

  /** The arguments, or a thrown Error whose message is the refusal (for calls that answer data, not a result). */
  parse(args: readonly unknown[]): z.output<T> {
    const checked = this.check(args);
    if (!checked.ok) throw new SyncError('data', checked.message);
    return checked.args;
  }
}

/**
 * Refusals take the shape of each function's answer: an ActionResult says `ok: false`; the others,
 * whose answers hold data, throw, and the page shows the message (sidebar/errors.ts plainError).
 */
export const SIDEBAR_ARGS = {
  sidebarState: new Call('The sidebar could not be filled in', z.tuple([])),
  setSecret: new Call('Nothing was saved', z.tuple([connectionName, secret])),
  testConnection: new Call('Nothing was tested', z.tuple([connectionName])),
  startRun: new Call('Nothing was run', z.tuple([jobName(true), yesNo('the choice between Run now and Preview')])),
  continueRun: new Call('The run was not carried on', z.tuple([text("the run's reference", { max: TOKEN_MAX })])),
  setHourly: new Call('The hourly sync was not changed', z.tuple([yesNo('the choice of on or off')])),
  fieldNames: new Call('No field names were looked up', z.tuple([jobName(true)])),
  refreshFieldPickers: new Call('The Mappings dropdowns were not refreshed', z.tuple([])),
  alertSettings: new Call('The alert addresses could not be read', z.tuple([])),
  setAlertAddresses: new Call(
    'The addresses were not saved',
    z.tuple([z.array(alertAddress, { error: garbled('the email addresses') }).max(ALERT_ADDRESSES_MAX, { error: `at most ${ALERT_ADDRESSES_MAX} addresses can be saved` })]),
  ),
  connectionForm: new Call('The connection could not be opened', z.tuple([connectionName])),
  jobForm: new Call('The job could not be opened', z.tuple([jobName(false)])),
  saveConnection: new Call('Nothing was saved', z.tuple([connectionForm])),
  saveJob: new Call('Nothing was saved', z.tuple([jobForm])),
};
