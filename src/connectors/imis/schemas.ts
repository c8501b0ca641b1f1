// zod schemas of the iMIS REST wire format, checked at the border so a surprise from the server
// becomes a plain message instead of a crash deep in the engine. Shapes follow the real captures
// in shared/research/imis/ ($type/$values wrappers, PagedResult paging fields).

import { z } from 'zod';

export const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().optional(),
});

export const OAuthError = z.object({
  error: z.string(),
  error_description: z.string().optional(),
});

/** `{"$type":"System.Boolean","$value":true}` and friends. */
export const WrappedValue = z.object({ $type: z.string().optional(), $value: z.unknown() });

export const GenericProperty = z.object({
  Name: z.string(),
  Value: z.unknown().optional(),
});

/** A row of the older /api/iqa endpoint. */
export const GenericEntityRow = z.object({
  Properties: z.object({ $values: z.array(GenericProperty) }),
});

/** The paging fields every PagedResult carries; row shapes are checked separately. */
export const PagedResult = z.object({
  Items: z.object({ $values: z.array(z.unknown()) }),
  Offset: z.number(),
  Limit: z.number(),
  Count: z.number(),
  TotalCount: z.number(),
  HasNext: z.boolean(),
  NextOffset: z.number(),
  NextPageLink: z.string().nullable().optional(),
});
export type PagedResult = z.infer<typeof PagedResult>;

/** The bodies iMIS sends with errors: HttpError's Message, or ValidationResultsData's Errors. */
export const ErrorBody = z.object({
  Message: z.string().optional(),
  MessageDetail: z.string().optional(),
  ExceptionMessage: z.string().optional(),
  Errors: z.object({ $values: z.array(z.object({ Message: z.string().optional() }).passthrough()) }).optional(),
});

/** A panel (business object) row; `Value` may be plain or `$type`-wrapped, or absent for null. */
export const GenericEntity = z.object({
  EntityTypeName: z.string().optional(),
  Identity: z.object({ IdentityElements: z.object({ $values: z.array(z.unknown()) }).optional() }).optional(),
  Properties: z.object({ $values: z.array(GenericProperty) }),
});

/** BOEntityDefinitionData: what a panel holds and how each property is typed. */
export const BoDefinition = z.object({
  EntityTypeName: z.string(),
  ObjectTypeName: z.string().optional(),
  PrimaryParentEntityTypeName: z.string().optional(),
  Properties: z.object({ $values: z.array(z.object({ Name: z.string(), PropertyTypeName: z.string().optional(), IsIdentity: z.boolean().optional() })) }),
});
