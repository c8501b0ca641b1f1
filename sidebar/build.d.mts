// Types of sidebar/build.mjs for the TypeScript tests.
/** The finished, self-contained sidebar page. `root` is the repository root. */
export function renderSidebar(root: string): Promise<string>;
/** Writes `dist`/Sidebar.html (default `root`/dist) and returns its path. */
export function buildSidebar(root: string, dist?: string): Promise<string>;
