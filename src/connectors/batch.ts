// Sending a push batch one step at a time without losing track of which answer belongs to which
// row. Every row of the batch gets a pending record that carries its own state and, once known,
// its outcome; a step sends one request for each open record that needs one, all in a single
// fetchAll batch through the client (so its retries, backoff and token renewal apply), and hands
// every response to the record it was sent for. A target chains steps (GET then PUT, find then
// write, a fallback lookup) and never pairs responses with rows by position itself.

import type { HttpResponse } from '../core/ports';
import type { PushRow, RowOutcome } from '../core/push/types';

/** A row of the batch, the target's own state for it, and its outcome once it is settled. */
export type Pending<S extends object = object> = S & {
  readonly row: PushRow;
  /** Set once the row's fate is final; later steps pass the record by. */
  outcome?: RowOutcome;
};

/** Anything that sends a batch in one go and answers every request, in order (the iMIS and EveryAction clients). */
export interface BatchSender<Req> {
  send(requests: Req[]): HttpResponse[];
}

/**
 * A write worked out before it is sent: the request, and the outcome the row gets once the target
 * accepts it (a refusal replaces it with a Failed one). Kept on the record rather than as its
 * outcome, because the row is not settled until the answer comes.
 */
export interface PlannedWrite<Req> {
  request: Req;
  planned: RowOutcome;
}

/** One pending record per row, in row order, each starting with `state(row)`. */
export function pending<S extends object>(rows: readonly PushRow[], state: (row: PushRow) => S): Pending<S>[] {
  return rows.map((row) => ({ ...state(row), row }) as Pending<S>);
}

/** The records still waiting for an outcome. */
export function open<P extends Pending>(records: readonly P[]): P[] {
  return records.filter((p) => p.outcome === undefined);
}

/**
 * One round trip: `request` is asked for each open record (null: this one needs nothing sent this
 * time), the requests go out as one batch in record order, and `onResponse` gets each record with
 * its own response and request. A step with nothing to send sends nothing at all.
 */
export function step<P extends Pending, Req>(
  client: BatchSender<Req>,
  records: readonly P[],
  request: (p: P) => Req | null,
  onResponse: (p: P, response: HttpResponse, request: Req) => void,
): void {
  const sent: { p: P; request: Req }[] = [];
  for (const p of open(records)) {
    const r = request(p);
    if (r !== null) sent.push({ p, request: r });
  }
  if (sent.length === 0) return;
  const responses = client.send(sent.map((s) => s.request));
  // A client that drops or adds an answer would otherwise pair every later row with the wrong response.
  if (responses.length !== sent.length) throw new Error(`Sent ${sent.length} requests but got ${responses.length} responses back`);
  sent.forEach(({ p, request: r }, k) => onResponse(p, responses[k]!, r));
}

/** Every record's outcome in row order, as PushTarget.push returns them. */
export function outcomes(records: readonly Pending[]): RowOutcome[] {
  return records.map((p) => {
    // A row left without an outcome is a bug in the target; an empty status cell would hide it.
    if (p.outcome === undefined) throw new Error(`Row ${p.row.row} was never given an outcome`);
    return p.outcome;
  });
}

/**
 * The write step every target ends with: each open record's planned write goes out in one batch.
 * A 200 or 201 settles the row with `accepted` (its planned outcome unless that says otherwise;
 * null leaves it open for a later step, e.g. one that learns what the answer left out); any other
 * answer settles it with `refused`.
 */
export function sendWrites<P extends Pending<{ write?: PlannedWrite<Req> }>, Req>(
  client: BatchSender<Req>,
  records: readonly P[],
  refused: (p: P, response: HttpResponse, request: Req) => RowOutcome,
  accepted: (p: P, response: HttpResponse, request: Req) => RowOutcome | null = (p) => p.write!.planned,
): void {
  step(
    client,
    records,
    (p) => p.write?.request ?? null,
    (p, res, request) => {
      const settled = res.status === 200 || res.status === 201 ? accepted(p, res, request) : refused(p, res, request);
      if (settled !== null) p.outcome = settled;
    },
  );
}
