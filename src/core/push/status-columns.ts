// The columns a push job owns in its source tab: `<Job> ID`, `<Job> Status`, `<Job> Synced At`,
// `<Job> Message` and the hidden `<Job> Hash`. Found by header wherever the coordinator moved
// them, created at the right when missing, and written back as blocks of whole columns so
// nothing else in the tab is touched.

import { cellText } from '../cells';
import type { Cell, Grid, Workbook } from '../ports';

export const STATUS_PARTS = ['ID', 'Status', 'Synced At', 'Message', 'Hash'] as const;
export type StatusPart = (typeof STATUS_PARTS)[number];

export class StatusColumns {
  /** Column index (0-based) of each status column. */
  readonly index: Record<StatusPart, number>;
  private readonly values: Record<StatusPart, Cell[]>;
  private readonly created: StatusPart[] = [];
  private changed = false;
  /** Data rows (0-based) whose status this run set. */
  readonly dirty = new Set<number>();

  constructor(
    readonly job: string,
    header: string[],
    rows: Cell[][],
  ) {
    const width = header.length;
    const index = {} as Record<StatusPart, number>;
    let next = width;
    for (const part of STATUS_PARTS) {
      const name = `${job} ${part}`.toLowerCase();
      const at = header.findIndex((h) => h.trim().toLowerCase() === name);
      if (at >= 0) index[part] = at;
      else {
        index[part] = next++;
        this.created.push(part);
      }
    }
    this.index = index;
    this.values = {} as Record<StatusPart, Cell[]>;
    for (const part of STATUS_PARTS) this.values[part] = rows.map((r) => r[index[part]] ?? '');
    this.changed = this.created.length > 0;
  }

  get(dataRow: number, part: StatusPart): Cell {
    return this.values[part][dataRow] ?? '';
  }

  set(dataRow: number, part: StatusPart, value: Cell): void {
    if (this.values[part][dataRow] === value) return;
    this.values[part][dataRow] = value;
    this.dirty.add(dataRow);
    this.changed = true;
  }

  /**
   * The same statuses placed onto the tab as it is now. The coordinator may have sorted or inserted
   * rows while the run was sending, so each row's status goes where that row's own cells now are
   * (matched by `signature`), never to whatever row holds its old position. Rows that cannot be
   * found exactly once are left out (`lost`): they are simply sent again next run.
   */
  placedOn(now: Grid, signature: (cells: Cell[], header: string[]) => string, before: Cell[][], beforeHeader: string[]): { columns: StatusColumns; lost: number[] } {
    const header = (now[0] ?? []).map((c) => cellText(c));
    const rows = now.slice(1);
    const columns = new StatusColumns(this.job, header, rows);
    const nowSigs = rows.map((r) => signature(r, header));
    const where = new Map<string, number[]>();
    nowSigs.forEach((sig, i) => where.set(sig, [...(where.get(sig) ?? []), i]));
    const lost: number[] = [];
    for (const i of this.dirty) {
      const sig = signature(before[i] ?? [], beforeHeader);
      const same = nowSigs[i] === sig ? i : (where.get(sig)?.length === 1 ? where.get(sig)![0]! : -1);
      if (same < 0) {
        lost.push(i);
        continue;
      }
      for (const part of STATUS_PARTS) columns.set(same, part, this.get(i, part));
    }
    return { columns, lost };
  }

  /** Writes the status columns (header included) in one call per run of adjacent columns. */
  flush(workbook: Workbook, tab: string): number {
    if (!this.changed) return 0;
    const parts = [...STATUS_PARTS].sort((a, b) => this.index[a] - this.index[b]);
    let writes = 0;
    for (let i = 0; i < parts.length; ) {
      let j = i;
      while (j + 1 < parts.length && this.index[parts[j + 1]!] === this.index[parts[j]!] + 1) j++;
      const group = parts.slice(i, j + 1);
      const rows = this.values[group[0]!].length;
      const block: Cell[][] = [group.map((p) => `${this.job} ${p}`)];
      for (let r = 0; r < rows; r++) block.push(group.map((p) => this.values[p][r] ?? ''));
      workbook.writeBlock(tab, 1, this.index[group[0]!] + 1, block);
      writes++;
      i = j + 1;
    }
    this.changed = false;
    return writes;
  }
}
