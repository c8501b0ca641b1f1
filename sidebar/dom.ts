// Small DOM helpers the sidebar's views share: build an element, find one by id, hide text from
// sight but not from screen readers.

export type Child = Node | string;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/** Text only screen readers get, e.g. which job a "Run now" button runs. */
export const hiddenText = (text: string) => el('span', { class: 'visually-hidden' }, text);

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`The sidebar page is missing #${id}.`);
  return node as T;
}
