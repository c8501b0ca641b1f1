// Small operations on in-memory grids shared by the workbook adapters that hold whole tabs.

import type { Cell, Grid } from './ports';

/** A copy of the grid with `values` written at (row, column), 1-based, growing it as needed. */
export function patchGrid(grid: Grid, row: number, column: number, values: Grid): Grid {
  const out = grid.map((r) => r.slice());
  const width = Math.max(out[0]?.length ?? 0, column - 1 + Math.max(0, ...values.map((v) => v.length)));
  values.forEach((v, i) => {
    const at = row - 1 + i;
    while (out.length <= at) out.push([]);
    const target = out[at]!;
    v.forEach((cell, j) => {
      while (target.length < column - 1 + j) target.push('');
      target[column - 1 + j] = cell;
    });
  });
  for (const r of out) while (r.length < width) r.push('' as Cell);
  return out;
}
