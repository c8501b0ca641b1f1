// One execution's JavaScript realm (a node:vm context). Apps Script hands a script values of the
// script's own realm: arrays that pass `instanceof Array`, Dates that pass `instanceof Date`,
// errors that pass `instanceof Error` (named "Exception", so String(e) reads "Exception: …" as in
// Apps Script). The fakes live in the test's realm, so everything they return goes through here.

import vm from 'node:vm';

/**
 * Installs a Date whose "now" is the fake clock. It is the realm's own Date underneath (same
 * prototype), so every Date in the execution, fake or not, is a genuine realm Date.
 */
const DATE_PRELUDE = `(function (now) {
  var RealDate = Date;
  function Date_() {
    var args = Array.prototype.slice.call(arguments);
    if (!new.target) return new RealDate(now()).toString();
    var d = args.length === 0 ? new RealDate(now()) : new (Function.prototype.bind.apply(RealDate, [null].concat(args)))();
    if (new.target !== Date_) Object.setPrototypeOf(d, new.target.prototype);
    return d;
  }
  Date_.prototype = RealDate.prototype;
  Date_.now = function () { return now(); };
  Date_.parse = RealDate.parse;
  Date_.UTC = RealDate.UTC;
  Object.defineProperty(Date_, 'name', { value: 'Date' });
  globalThis.Date = Date_;
})`;

export class Realm {
  private readonly RArray: ArrayConstructor;
  private readonly RDate: DateConstructor;
  private readonly RError: ErrorConstructor;
  private readonly RObject: ObjectConstructor;

  constructor(readonly context: vm.Context, now: () => number) {
    (vm.runInContext(DATE_PRELUDE, context) as (now: () => number) => void)(now);
    this.RArray = vm.runInContext('Array', context) as ArrayConstructor;
    this.RDate = vm.runInContext('Date', context) as DateConstructor;
    this.RError = vm.runInContext('Error', context) as ErrorConstructor;
    this.RObject = vm.runInContext('Object', context) as ObjectConstructor;
  }

  array<T>(items: readonly T[]): T[] {
    return this.RArray.from(items);
  }

  date(ms: number): Date {
    return new this.RDate(ms);
  }

  object<T extends object>(props: T): T {
    return this.RObject.assign(new this.RObject(), props) as T;
  }

  /** An Apps Script service error: String(e) is "Exception: <message>". */
  exception(message: string): Error {
    const e = new this.RError(message);
    e.name = 'Exception';
    return e;
  }
}

/** Cross-realm checks (instanceof does not work across vm contexts). */
export function isDate(v: unknown): v is Date {
  return Object.prototype.toString.call(v) === '[object Date]';
}

/** A plain copy of a value from any realm (Dates become outer Dates). */
export function plain<T>(v: T): T {
  if (isDate(v)) return new Date((v as Date).getTime()) as T;
  if (Array.isArray(v)) return v.map((x) => plain(x)) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = plain(x);
    return out as T;
  }
  return v;
}
