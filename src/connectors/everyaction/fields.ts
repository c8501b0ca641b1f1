// The standard fields of EveryAction's People target, on their own so the catalogue and the
// people target can both read them without importing each other; and the changed-people export's
// columns for the opt-in statuses, which the pull asks for by name; and the one reading of a
// `CustomField:<id>` Field, however it is spaced or cased.

/**
 * The EveryAction People fields a push may send, besides `CustomField:<id>`.
 * A Mappings or Constants Field of an EveryAction push is one of these, whatever its case.
 */
export const EVERYACTION_PEOPLE_FIELDS = [
  'VANID',
  'FirstName',
  'MiddleName',
  'LastName',
  'Email',
  'Phone',
  'OptIn',
  'AddressLine1',
  'AddressLine2',
  'City',
  'StateOrProvince',
  'ZipOrPostalCode',
  'CountryCode',
  'DateOfBirth',
  'Employer',
  'Occupation',
] as const;

/**
 * The changed-entity export's columns for the two opt-in statuses, the likeliest spelling first.
 * EveryAction publishes no Contacts field list; these follow the person record's own names
 * (`subscriptionStatus`, `smsOptInStatus` / `phoneOptInStatus`), and the pull asks only for
 * those GET /changedEntityExportJobs/fields/Contacts offers.
 */
export const EXPORT_STATUS_FIELDS = {
  email: ['EmailSubscriptionStatus', 'SubscriptionStatus'],
  sms: ['SmsOptInStatus', 'PhoneOptInStatus'],
} as const;

/**
 * A `CustomField:<id>` Field as a coordinator may type it (`customfield : 0101`, `Custom Field:101`):
 * the id; '' when the id is missing or not a whole number above 0; null for any other field.
 */
export function customFieldIdOf(field: string): string | null {
  const m = /^\s*custom\s*field\s*(?::\s*(.*?))?\s*$/i.exec(field);
  if (!m) return null;
  const id = m[1] ?? '';
  return /^\d+$/.test(id) && Number(id) > 0 ? String(Number(id)) : '';
}
