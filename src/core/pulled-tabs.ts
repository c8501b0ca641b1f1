// Which tabs pulls have written, kept in the run state: a pull replaces (or merges into) its whole
// tab, so it may only write where nothing of the coordinator's would be lost, a tab a pull created
// or wrote before, or one without data rows. A push job's Source named as a pull's Target by
// mistake would otherwise be wiped.

import { TAB, type ConfigProblem, type Job } from './config/types';
import type { RunState } from './run/run-state';

export class PulledTabs {
  private readonly tabs: Set<string>;

  constructor(private readonly state: RunState) {
    this.tabs = new Set(state.pulledTabs());
  }

  /** The setup problem of a pull whose Target holds rows no pull wrote (none when it may write). */
  problems(job: Job, dataRows: number): ConfigProblem[] {
    if (job.action !== 'Pull' || dataRows === 0 || this.tabs.has(job.target.toLowerCase())) return [];
    return [
      {
        tab: TAB.jobs,
        row: job.row,
        column: 'Target',
        message: `the tab "${job.target}" already holds ${dataRows} ${dataRows === 1 ? 'row' : 'rows'} that no pull wrote, and the pull would replace them; name a new tab (it is created), or empty this one first`,
      },
    ];
  }

  /** A pull wrote this tab: from now on it may write it again. */
  remember(tab: string): void {
    if (this.tabs.has(tab.toLowerCase())) return;
    this.tabs.add(tab.toLowerCase());
    this.state.rememberPulledTab(tab);
  }
}
