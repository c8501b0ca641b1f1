// The standard fields of EveryAction's People target, on their own so the catalogue and the
// people target can both read them without importing each other.

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
