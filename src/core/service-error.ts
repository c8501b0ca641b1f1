// What connectors throw when a system answers badly: a message fit for the Sync Report, plus the
// HTTP status. And the readable text of an HTML error page, which both iMIS (IIS) and EveryAction
// send now and then instead of JSON.

export class ServiceError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** An HTML page's title, or its text without tags, at most 200 characters. */
export function pageText(body: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1];
  const text = (title ?? body.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
