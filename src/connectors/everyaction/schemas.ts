// zod schemas of the EveryAction (NGP VAN API v4) answers the connector reads, following the
// recorded bodies in shared/research/everyaction/.

import { z } from 'zod';

/** `{"vanId":N,"status":"Matched" | "UnmatchedStored" | "Unmatched"}` from find / findOrCreate / update. */
export const MatchResponse = z.object({ vanId: z.number().nullable().optional(), status: z.string().optional() });

/** GET /people/{vanId}?$expand=emails,phones,addresses,customFields (only what preview compares). */
export const PersonRead = z
  .object({
    vanId: z.number(),
    firstName: z.string().nullable().optional(),
    middleName: z.string().nullable().optional(),
    lastName: z.string().nullable().optional(),
    dateOfBirth: z.string().nullable().optional(),
    employer: z.string().nullable().optional(),
    occupation: z.string().nullable().optional(),
    emails: z.array(z.object({ email: z.string(), isPreferred: z.boolean().nullable().optional(), subscriptionStatus: z.string().nullable().optional() })).nullable().optional(),
    phones: z.array(z.object({ phoneNumber: z.string(), isPreferred: z.boolean().nullable().optional() })).nullable().optional(),
    addresses: z.array(z.record(z.string(), z.unknown())).nullable().optional(),
    customFields: z.array(z.object({ customFieldId: z.number(), assignedValue: z.unknown() })).nullable().optional(),
  })
  .passthrough();
export type PersonRead = z.infer<typeof PersonRead>;

export const CustomFieldList = z.array(
  z.object({
    customFieldId: z.number(),
    customFieldName: z.string(),
    customFieldGroupId: z.number(),
    customFieldTypeId: z.string(),
    availableValues: z.array(z.object({ id: z.number(), name: z.string() })).nullable().optional(),
  }),
);

export const ExportJob = z.object({
  exportJobId: z.number(),
  jobStatus: z.string().optional(),
  files: z.array(z.object({ downloadUrl: z.string(), dateExpired: z.string().nullable().optional() })).nullable().optional(),
  message: z.string().nullable().optional(),
  exportedRecordCount: z.number().nullable().optional(),
});

/**
 * GET /changedEntityExportJobs/fields/{resourceType} (Parsons' mock): the columns an export can
 * hold. Only core fields come without being named in `requestedFields`.
 */
export const ExportFieldList = z.array(
  z.object({
    fieldName: z.string(),
    isCoreField: z.boolean().nullable().optional(),
  }),
);
