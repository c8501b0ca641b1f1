// Counting Apps Script service calls. Every method of every fake object is wrapped so its call is
// counted as "<Kind>.<method>" (e.g. "Range.setValues", "UrlFetchApp.fetchAll") in the
// execution's log and in the world's; a few synthetic kinds add detail ("UrlFetchApp.requests").

export class CallLog {
  readonly counts: Record<string, number> = {};

  add(kind: string, n = 1): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + n;
  }

  get(kind: string): number {
    return this.counts[kind] ?? 0;
  }

  /** Sum over kinds starting with `prefix` (e.g. "Properties."). */
  sum(prefix: string): number {
    return Object.entries(this.counts).reduce((n, [k, v]) => (k.startsWith(prefix) ? n + v : n), 0);
  }

  /** Kinds called at least once, sorted. */
  kinds(): string[] {
    return Object.keys(this.counts).sort();
  }

  /** The summary the benchmark prints. */
  summary(): CallSummary {
    return {
      getValues: this.get('Range.getValues'),
      setValues: this.get('Range.setValues'),
      getRange: this.get('Sheet.getRange'),
      insertSheet: this.get('Spreadsheet.insertSheet'),
      fetchAllCalls: this.get('UrlFetchApp.fetchAll') + this.get('UrlFetchApp.fetch'),
      requests: this.get('UrlFetchApp.requests'),
      propertyReads: this.get('Properties.getProperty') + this.get('Properties.getProperties') + this.get('Properties.getKeys'),
      propertyWrites:
        this.get('Properties.setProperty') + this.get('Properties.setProperties') + this.get('Properties.deleteProperty') + this.get('Properties.deleteAllProperties'),
    };
  }
}

export interface CallSummary {
  getValues: number;
  setValues: number;
  getRange: number;
  insertSheet: number;
  fetchAllCalls: number;
  requests: number;
  propertyReads: number;
  propertyWrites: number;
}

/** What a wrapped method call goes through: counting, and the execution's permission check. */
export interface CallSink {
  called(kind: string): void;
}

/**
 * Wraps every function property of `impl` so calling it is reported to `sink` as "<kind>.<name>".
 * Methods that chain return the wrapped object when they return `impl` itself.
 */
export function counted<T extends object>(sink: CallSink, kind: string, impl: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(impl)) {
    if (typeof value === 'function') {
      out[name] = (...args: unknown[]) => {
        sink.called(`${kind}.${name}`);
        const result = (value as (...a: unknown[]) => unknown).apply(impl, args);
        return result === impl ? out : result;
      };
    } else out[name] = value;
  }
  return out as T;
}
