// The iMIS wire format: the .NET `$type` strings Json.NET writes, and builders for the response
// bodies the simulator sends. The shapes follow the real captures in captures/ (see
// shared/research/imis-api.md); anything not seen in a capture is marked as a guess where it is built.

import type { HttpResponse } from '../../core/ports';

export const TYPE = {
  httpError: 'System.Web.Http.HttpError, System.Web.Http',
  pagedResult: 'Asi.Soa.Core.DataContracts.PagedResult, Asi.Contracts',
  pagedGenericEntity:
    'Asi.Soa.Core.DataContracts.PagedResult`1[[Asi.Soa.Core.DataContracts.GenericEntityData, Asi.Contracts]], Asi.Contracts',
  listOfObject: 'System.Collections.Generic.List`1[[System.Object, mscorlib]], mscorlib',
  listOfGenericEntity:
    'System.Collections.Generic.List`1[[Asi.Soa.Core.DataContracts.GenericEntityData, Asi.Contracts]], mscorlib',
  expando: 'System.Dynamic.ExpandoObject, System.Core',
  genericEntity: 'Asi.Soa.Core.DataContracts.GenericEntityData, Asi.Contracts',
  genericPropertyCollection: 'Asi.Soa.Core.DataContracts.GenericPropertyDataCollection, Asi.Contracts',
  genericProperty: 'Asi.Soa.Core.DataContracts.GenericPropertyData, Asi.Contracts',
  identity: 'Asi.Soa.Core.DataContracts.IdentityData, Asi.Contracts',
  stringCollection: 'System.Collections.ObjectModel.Collection`1[[System.String, mscorlib]], mscorlib',
  pagedParty: 'Asi.Soa.Core.DataContracts.PagedResult`1[[Asi.Soa.Membership.DataContracts.PartyData, Asi.Contracts]], Asi.Contracts',
  listOfParty: 'System.Collections.Generic.List`1[[Asi.Soa.Membership.DataContracts.PartyData, Asi.Contracts]], mscorlib',
  pagedPerson: 'Asi.Soa.Core.DataContracts.PagedResult`1[[Asi.Soa.Membership.DataContracts.PersonData, Asi.Contracts]], Asi.Contracts',
  listOfPerson: 'System.Collections.Generic.List`1[[Asi.Soa.Membership.DataContracts.PersonData, Asi.Contracts]], mscorlib',
  pagedBoDefinition:
    'Asi.Soa.Core.DataContracts.PagedResult`1[[Asi.Soa.Core.DataContracts.BOEntityDefinitionData, Asi.Contracts]], Asi.Contracts',
  listOfBoDefinition:
    'System.Collections.Generic.List`1[[Asi.Soa.Core.DataContracts.BOEntityDefinitionData, Asi.Contracts]], mscorlib',
  // ValidationResultsData: no verbatim body has been captured; these names are inferred from the
  // ASI naming pattern and from what clients read (Errors.$values[0].Message).
  validationResults: 'Asi.Soa.Core.DataContracts.ValidationResultsData, Asi.Contracts',
  validationResultCollection: 'Asi.Soa.Core.DataContracts.ValidationResultDataCollection, Asi.Contracts',
  validationResult: 'Asi.Soa.Core.DataContracts.ValidationResultData, Asi.Contracts',
} as const;

/** A value in a query row as the Query service (/api/query) sends it: plain JSON. */
export type QueryValue = string | number | boolean | null;
export type QueryRow = Record<string, QueryValue>;

/**
 * How /api/iqa types a column. Booleans and numbers travel wrapped in {$type, $value};
 * everything else (text, dates) is a plain string.
 */
export type ColumnType = 'String' | 'DateTime' | 'Boolean' | 'Int32' | 'Int64' | 'Decimal' | 'Double' | 'Byte' | 'Guid';

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export type JsonObject = { [key: string]: JsonValue };

export interface PageInfo {
  offset: number;
  limit: number;
  totalCount: number;
}

/** The paging fields every PagedResult carries, in the order iMIS writes them. */
function pagingFields(page: PageInfo, count: number) {
  const hasNext = page.offset + count < page.totalCount;
  return {
    Offset: page.offset,
    Limit: page.limit,
    Count: count,
    TotalCount: page.totalCount,
    NextPageLink: null,
    HasNext: hasNext,
    NextOffset: hasNext ? page.offset + count : 0,
  };
}

/** Any PagedResult: the typed Items list plus the paging fields (Party, business objects, definitions). */
export function pagedResult(pagedType: string, listType: string, items: JsonValue[], page: PageInfo): JsonObject {
  return { $type: pagedType, Items: { $type: listType, $values: items }, ...pagingFields(page, items.length) };
}

/** GET /api/query: rows are flat ExpandoObjects keyed by display alias, values plain JSON. */
export function queryPage(rows: QueryRow[], page: PageInfo): JsonValue {
  return {
    $type: TYPE.pagedResult,
    Items: {
      $type: TYPE.listOfObject,
      $values: rows.map((row) => ({ $type: TYPE.expando, ...row })),
    },
    ...pagingFields(page, rows.length),
  };
}

/**
 * One /api/iqa value. Json.NET with TypeNameHandling wraps primitives that are not strings; a null
 * leaves the Value key out altogether (as row 4 of the Events capture shows).
 */
export function iqaValue(value: QueryValue, type: ColumnType | undefined): JsonValue | undefined {
  if (value === null) return undefined;
  if (typeof value === 'boolean') return { $type: 'System.Boolean', $value: value };
  if (typeof value === 'number') {
    const t = type && type !== 'String' && type !== 'DateTime' && type !== 'Boolean' && type !== 'Guid'
      ? type
      : Number.isInteger(value) ? 'Int32' : 'Decimal';
    return { $type: `System.${t}`, $value: value };
  }
  return value;
}

/**
 * GET /api/iqa: rows are GenericEntityData whose first property is ResultRow, the 1-based row
 * number across the whole result (so page 2 at Limit 500 starts at "501").
 */
export function iqaPage(
  rows: QueryRow[],
  page: PageInfo,
  entityTypeName: string,
  types: Record<string, ColumnType>,
): JsonValue {
  const items = rows.map((row, i) => {
    const props: JsonValue[] = [{ $type: TYPE.genericProperty, Name: 'ResultRow', Value: String(page.offset + i + 1) }];
    for (const [name, value] of Object.entries(row)) {
      const wrapped = iqaValue(value, types[name]);
      props.push(wrapped === undefined ? { $type: TYPE.genericProperty, Name: name } : { $type: TYPE.genericProperty, Name: name, Value: wrapped });
    }
    return {
      $type: TYPE.genericEntity,
      EntityTypeName: entityTypeName,
      Properties: { $type: TYPE.genericPropertyCollection, $values: props },
    };
  });
  return {
    $type: TYPE.pagedGenericEntity,
    Items: { $type: TYPE.listOfGenericEntity, $values: items },
    ...pagingFields(page, rows.length),
  };
}

/** Web API's HttpError, as iMIS serialises it (with its $type, like the 401 body seen in the wild). */
export function httpError(message: string, detail?: string): JsonValue {
  return detail === undefined
    ? { $type: TYPE.httpError, Message: message }
    : { $type: TYPE.httpError, Message: message, MessageDetail: detail };
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export function json(status: number, body: JsonValue, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'content-type': JSON_CONTENT_TYPE, ...headers }, body: JSON.stringify(body) };
}

export function html(status: number, body: string, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'content-type': 'text/html', ...headers }, body };
}

/** The OWIN bearer middleware challenge: 401, a WWW-Authenticate header and Web API's message. */
export function unauthorized(): HttpResponse {
  return json(401, httpError('Authorization has been denied for this request.'), { 'www-authenticate': 'Bearer' });
}

/** What ASP.NET Web API says when no controller matches the first path segment after /api/. */
export function noController(url: string, controller: string): HttpResponse {
  return json(
    404,
    httpError(
      `No HTTP resource was found that matches the request URI '${url}'.`,
      `No type was found that matches the controller named '${controller}'.`,
    ),
  );
}

/** Web API's answer to a known controller called with a method it has no action for. */
export function methodNotAllowed(method: string, allow = 'GET'): HttpResponse {
  return json(405, httpError(`The requested resource does not support http method '${method}'.`), { allow });
}
