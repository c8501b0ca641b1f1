// The run's time budget. Apps Script stops an execution at 6 minutes, so the engine stops
// between batches while there is still time to save its state and write the report.

import type { Clock } from './ports';

export interface Budget {
  /** Milliseconds left before the run must stop. */
  remainingMs(): number;
  expired(): boolean;
}

export function budgetFrom(clock: Clock, totalMs: number): Budget {
  const deadline = clock.now().getTime() + totalMs;
  return {
    remainingMs: () => deadline - clock.now().getTime(),
    expired: () => clock.now().getTime() >= deadline,
  };
}

/** Thrown between batches when the budget has run out; the job ends Partial. */
export class BudgetExceeded extends Error {
  constructor(message = 'stopped at the time budget') {
    super(message);
    this.name = 'BudgetExceeded';
  }
}
