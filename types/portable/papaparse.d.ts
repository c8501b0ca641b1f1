// papaparse as the portable layers (src/core, src/connectors) use it: parsing text already in
// memory. @types/papaparse references all of Node's types for its stream API, which would make
// `process` and `Buffer` look usable there; tsconfig.core.json points `papaparse` here instead.

export interface ParseError {
  type: 'Quotes' | 'Delimiter' | 'FieldMismatch';
  code: string;
  message: string;
  row?: number;
}

export interface ParseResult<T> {
  data: T[];
  errors: ParseError[];
}

export interface ParseConfig {
  delimiter?: string;
  newline?: string;
  quoteChar?: string;
  header?: boolean;
  skipEmptyLines?: boolean | 'greedy';
}

declare const Papa: {
  parse<T>(input: string, config?: ParseConfig): ParseResult<T>;
};
export default Papa;
