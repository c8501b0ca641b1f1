// iMIS contact fields ⇄ PartyData/PersonData JSON, checked against the real ComboPartyData body that
// iMIS returns for GET /api/Party/101. The body is copied verbatim from
// shared/research/imis/party-put-body-partydata.json, so these tests do not depend on shared/.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyContactFields,
  CONTACT_FIELDS,
  ContactValueError,
  contactField,
  newPerson,
  partyId,
  readContactField,
  type PartyJson,
} from '../../src/connectors/imis/person';
import type { FieldValue } from '../../src/core/push/types';

const FIXTURE = join(__dirname, '../fixtures/imis/party-put-body-partydata.json');
const CAPTURE_TEXT = readFileSync(FIXTURE, 'utf8');

/** A fresh copy of the captured party for every test. */
function capture(): PartyJson {
  return JSON.parse(CAPTURE_TEXT) as PartyJson;
}

const M = 'Asi.Soa.Membership.DataContracts';
const C = 'Asi.Soa.Core.DataContracts';
const T = {
  person: `${M}.PersonData, Asi.Contracts`,
  personName: `${M}.PersonNameData, Asi.Contracts`,
  emails: `${M}.EmailDataCollection, Asi.Contracts`,
  email: `${M}.EmailData, Asi.Contracts`,
  phones: `${M}.PhoneDataCollection, Asi.Contracts`,
  phone: `${M}.PhoneData, Asi.Contracts`,
  addresses: `${M}.FullAddressDataCollection, Asi.Contracts`,
  fullAddress: `${M}.FullAddressData, Asi.Contracts`,
  address: `${M}.AddressData, Asi.Contracts`,
  addressLines: `${M}.AddressLineDataCollection, Asi.Contracts`,
  organization: `${M}.PrimaryOrganizationInformationData, Asi.Contracts`,
  properties: `${C}.GenericPropertyDataCollection, Asi.Contracts`,
  property: `${C}.GenericPropertyData, Asi.Contracts`,
};

type Path = (string | number)[];

/** The value at a path, for assertions. */
function at(obj: unknown, path: Path): unknown {
  let cur: unknown = obj;
  for (const key of path) cur = (cur as Record<string | number, unknown> | undefined)?.[key];
  return cur;
}

/** The JSON text of obj with the given paths removed: "everything else", to compare byte for byte. */
function rest(obj: unknown, paths: Path[]): string {
  const copy = JSON.parse(JSON.stringify(obj)) as unknown;
  for (const path of paths) {
    const parent = at(copy, path.slice(0, -1));
    const key = path[path.length - 1]!;
    if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
    else if (parent && typeof parent === 'object') delete (parent as Record<string | number, unknown>)[key];
  }
  return JSON.stringify(copy);
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

const ADDRESS: Path = ['Addresses', '$values', 0, 'Address'];
const ATTRS: Path = ['AdditionalAttributes', '$values'];

describe('contactField', () => {
  it('lists the DESIGN §5 contact fields, each its own canonical name', () => {
    expect([...CONTACT_FIELDS]).toEqual([
      'ID', 'FirstName', 'MiddleName', 'LastName', 'Prefix', 'Suffix', 'Email', 'Phone', 'Organization', 'Title',
      'AddressLine1', 'AddressLine2', 'City', 'StateProvince', 'PostalCode', 'Country', 'BirthDate', 'MemberType',
    ]);
    for (const f of CONTACT_FIELDS) expect(contactField(f)).toBe(f);
  });

  it('canonicalises case and spaces, and keeps any other name trimmed as an attribute name', () => {
    expect(contactField('first name')).toBe('FirstName');
    expect(contactField('  EMAIL ')).toBe('Email');
    expect(contactField('Member Type')).toBe('MemberType');
    expect(contactField('id')).toBe('ID');
    expect(contactField('state  province')).toBe('StateProvince');
    expect(contactField('address line 2')).toBe('AddressLine2');
    expect(contactField('birthdate')).toBe('BirthDate');
    expect(contactField('  Paid Thru Date ')).toBe('Paid Thru Date');
    expect(contactField('IsMember')).toBe('IsMember');
  });
});

describe('partyId', () => {
  it('is Id, else PartyId, else empty', () => {
    expect(partyId(capture())).toBe('101');
    expect(partyId({ PartyId: '23179' })).toBe('23179');
    expect(partyId({ Id: 42 })).toBe('42');
    expect(partyId({ Id: '', PartyId: '7' })).toBe('7');
    expect(partyId({})).toBe('');
  });
});

describe('readContactField on the captured party', () => {
  const expected: [string, string][] = [
    ['ID', '101'],
    ['FirstName', 'Douglas'],
    ['MiddleName', 'A.'],
    ['LastName', 'Hunt'],
    ['Prefix', 'Mr.'],
    ['Suffix', 'Jr.'],
    ['Email', 'prodigymakers@imisdemo.com'],
    ['Phone', '(201) 346-9989'],
    ['Organization', 'Prodigy Makers International'],
    ['Title', 'President'],
    ['AddressLine1', 'P.O. Box 4564'],
    ['AddressLine2', ''],
    ['City', 'Newark'],
    ['StateProvince', 'NJ'],
    ['PostalCode', '07107-2564'],
    ['Country', 'United States'],
    ['BirthDate', '1952-05-19T00:00:00'],
    ['MemberType', 'CM'],
    ['IsMember', 'TRUE'],
    ['IsInactiveMember', 'FALSE'],
    ['JoinDate', '1967-05-28T00:00:00'],
    ['customertypedescription', 'Company Member'],
    ['NoSuchAttribute', ''],
  ];
  it.each(expected)('%s reads %j', (field, value) => {
    expect(readContactField(capture(), field)).toBe(value);
  });

  it('accepts field names in any case and spacing', () => {
    expect(readContactField(capture(), 'first name')).toBe('Douglas');
    expect(readContactField(capture(), 'member type')).toBe('CM');
  });

  it('reads the main address (purpose "Address") wherever it sits, and an empty party as blanks', () => {
    const p = capture();
    const list = at(p, ['Addresses', '$values']) as unknown[];
    list.reverse();
    expect(readContactField(p, 'AddressLine1')).toBe('P.O. Box 4564');
    for (const f of CONTACT_FIELDS) expect(readContactField({}, f)).toBe('');
  });
});

interface WriteCase {
  field: string;
  value: FieldValue;
  /** What the field reads as afterwards. */
  reads: string;
  /** The only parts of the body allowed to differ. */
  paths: Path[];
  /** Extra checks on the written body. */
  check?: (p: PartyJson) => void;
}

const WRITES: WriteCase[] = [
  {
    field: 'FirstName', value: 'Doug', reads: 'Doug', paths: [['PersonName', 'FirstName'], ['PersonName', 'FullName']],
    check: (p) => expect(at(p, ['PersonName', 'FullName'])).toBe('Mr. Doug A. Hunt, Jr.'),
  },
  {
    field: 'MiddleName', value: 'B', reads: 'B', paths: [['PersonName', 'MiddleName'], ['PersonName', 'FullName']],
    check: (p) => expect(at(p, ['PersonName', 'FullName'])).toBe('Mr. Douglas B Hunt, Jr.'),
  },
  {
    field: 'LastName', value: 'Hunt-Smith', reads: 'Hunt-Smith', paths: [['PersonName', 'LastName'], ['PersonName', 'FullName']],
    check: (p) => expect(at(p, ['PersonName', 'FullName'])).toBe('Mr. Douglas A. Hunt-Smith, Jr.'),
  },
  {
    field: 'Prefix', value: 'Dr.', reads: 'Dr.', paths: [['PersonName', 'NamePrefix'], ['PersonName', 'FullName']],
    check: (p) => expect(at(p, ['PersonName', 'FullName'])).toBe('Dr. Douglas A. Hunt, Jr.'),
  },
  {
    field: 'Suffix', value: 'III', reads: 'III', paths: [['PersonName', 'NameSuffix'], ['PersonName', 'FullName']],
    check: (p) => expect(at(p, ['PersonName', 'FullName'])).toBe('Mr. Douglas A. Hunt, III'),
  },
  {
    // The Emails entry of type "Address" is the "Address" address's email: both copies move together.
    field: 'Email', value: 'doug@prodigy.example', reads: 'doug@prodigy.example',
    paths: [['Emails', '$values', 0, 'Address'], ['Addresses', '$values', 0, 'Email']],
    check: (p) => {
      expect(at(p, ['Emails', '$values', 0])).toEqual({ $type: T.email, Address: 'doug@prodigy.example', EmailType: 'Address' });
      expect(at(p, ['Addresses', '$values', 0, 'Email'])).toBe('doug@prodigy.example');
    },
  },
  {
    // The first phone is "_Home Phone", which no address purpose names: only it changes.
    field: 'Phone', value: '(201) 555-0100', reads: '(201) 555-0100', paths: [['Phones', '$values', 0, 'Number']],
  },
  {
    field: 'Organization', value: 'Acme Pty Ltd', reads: 'Acme Pty Ltd', paths: [['PrimaryOrganization', 'Name'], ['OrganizationName']],
    check: (p) => expect(p['OrganizationName']).toBe('Acme Pty Ltd'),
  },
  { field: 'Title', value: 'CEO', reads: 'CEO', paths: [['PrimaryOrganization', 'Title']] },
  {
    field: 'AddressLine1', value: '1 Main St', reads: '1 Main St', paths: [[...ADDRESS, 'AddressLines', '$values', 0]],
    check: (p) => expect(at(p, [...ADDRESS, 'AddressLines'])).toEqual({ $type: T.addressLines, $values: ['1 Main St'] }),
  },
  {
    field: 'AddressLine2', value: 'Suite 9', reads: 'Suite 9', paths: [[...ADDRESS, 'AddressLines', '$values']],
    check: (p) => expect(at(p, [...ADDRESS, 'AddressLines', '$values'])).toEqual(['P.O. Box 4564', 'Suite 9']),
  },
  { field: 'City', value: 'Trenton', reads: 'Trenton', paths: [[...ADDRESS, 'CityName']] },
  {
    // The old name ("New Jersey") would contradict the new code, so it goes; iMIS fills it in again.
    field: 'StateProvince', value: 'NY', reads: 'NY', paths: [[...ADDRESS, 'CountrySubEntityCode'], [...ADDRESS, 'CountrySubEntityName']],
    check: (p) => {
      expect(at(p, [...ADDRESS, 'CountrySubEntityCode'])).toBe('NY');
      expect(at(p, ADDRESS)).not.toHaveProperty('CountrySubEntityName');
    },
  },
  { field: 'PostalCode', value: '08608', reads: '08608', paths: [[...ADDRESS, 'PostalCode']] },
  {
    field: 'Country', value: 'Canada', reads: 'Canada', paths: [[...ADDRESS, 'CountryName'], [...ADDRESS, 'CountryCode']],
    check: (p) => {
      expect(at(p, [...ADDRESS, 'CountryName'])).toBe('Canada');
      expect(at(p, ADDRESS)).not.toHaveProperty('CountryCode');
    },
  },
  {
    field: 'Country', value: 'au', reads: 'AU', paths: [[...ADDRESS, 'CountryName'], [...ADDRESS, 'CountryCode']],
    check: (p) => {
      expect(at(p, [...ADDRESS, 'CountryCode'])).toBe('AU');
      expect(at(p, ADDRESS)).not.toHaveProperty('CountryName');
    },
  },
  { field: 'BirthDate', value: '1960-01-02', reads: '1960-01-02T00:00:00', paths: [['BirthDate']] },
  {
    field: 'MemberType', value: 'REG', reads: 'REG', paths: [[...ATTRS, 2, 'Value']],
    check: (p) => expect(at(p, [...ATTRS, 2])).toEqual({ $type: T.property, Name: 'CustomerTypeCode', Value: 'REG' }),
  },
  {
    field: 'IsMember', value: 'FALSE', reads: 'FALSE', paths: [[...ATTRS, 3, 'Value']],
    check: (p) => expect(at(p, [...ATTRS, 3, 'Value'])).toEqual({ $type: 'System.Boolean', $value: false }),
  },
  {
    field: 'ismember', value: false, reads: 'FALSE', paths: [[...ATTRS, 3, 'Value']],
    check: (p) => expect(at(p, [...ATTRS, 3, 'Value'])).toEqual({ $type: 'System.Boolean', $value: false }),
  },
  {
    field: 'IsInactiveMember', value: 'yes', reads: 'TRUE', paths: [[...ATTRS, 4, 'Value']],
    check: (p) => expect(at(p, [...ATTRS, 4, 'Value'])).toEqual({ $type: 'System.Boolean', $value: true }),
  },
  {
    // JoinDate holds iMIS's date style, so a sheet date takes that style too.
    field: 'JoinDate', value: '1970-01-01', reads: '1970-01-01T00:00:00', paths: [[...ATTRS, 6, 'Value']],
  },
  {
    field: 'CustomerTypeDescription', value: 'Regular', reads: 'Regular', paths: [[...ATTRS, 0, 'Value']],
  },
  {
    field: 'PaidThruDate', value: '2026-12-31', reads: '2026-12-31', paths: [[...ATTRS, 7]],
    check: (p) => {
      expect(at(p, ATTRS)).toHaveLength(8);
      expect(at(p, [...ATTRS, 7])).toEqual({ $type: T.property, Name: 'PaidThruDate', Value: '2026-12-31' });
    },
  },
];

describe('applyContactFields on the captured party', () => {
  it.each(WRITES.map((w) => [w.field, w.value, w] as const))('writes %s = %j and nothing else', (_f, _v, w) => {
    const original = deepFreeze(capture());
    const before = readContactField(original, w.field);
    const { party, changes } = applyContactFields(original, { [w.field]: w.value });

    expect(readContactField(party, w.field)).toBe(w.reads);
    expect(changes).toEqual([{ field: contactField(w.field), before, after: w.reads }]);
    expect(rest(party, w.paths)).toBe(rest(original, w.paths));
    expect(JSON.stringify(original)).toBe(JSON.stringify(capture()));
    w.check?.(party);
    // The root stays exactly the ComboPartyData iMIS sent (PUT takes it back as is).
    expect(party['$type']).toBe(`${M}.ComboPartyData, Asi.Contracts`);
  });

  it('every contact field at once: one change each, in payload order, and the rest untouched', () => {
    const original = deepFreeze(capture());
    const payload = {
      ID: '999',
      FirstName: 'Doug', MiddleName: 'B.', LastName: 'Hunter', Prefix: 'Dr.', Suffix: 'Sr.',
      Email: 'd@x.example', Phone: '555 0100', Organization: 'Acme', Title: 'CEO',
      AddressLine1: '1 Main St', AddressLine2: 'Level 2', City: 'Trenton', StateProvince: 'NY', PostalCode: '08608',
      Country: 'Canada', BirthDate: '1960-01-02', MemberType: 'REG', IsMember: 'FALSE',
    };
    const { party, changes } = applyContactFields(original, payload);
    expect(changes).toEqual([
      { field: 'FirstName', before: 'Douglas', after: 'Doug' },
      { field: 'MiddleName', before: 'A.', after: 'B.' },
      { field: 'LastName', before: 'Hunt', after: 'Hunter' },
      { field: 'Prefix', before: 'Mr.', after: 'Dr.' },
      { field: 'Suffix', before: 'Jr.', after: 'Sr.' },
      { field: 'Email', before: 'prodigymakers@imisdemo.com', after: 'd@x.example' },
      { field: 'Phone', before: '(201) 346-9989', after: '555 0100' },
      { field: 'Organization', before: 'Prodigy Makers International', after: 'Acme' },
      { field: 'Title', before: 'President', after: 'CEO' },
      { field: 'AddressLine1', before: 'P.O. Box 4564', after: '1 Main St' },
      { field: 'AddressLine2', before: '', after: 'Level 2' },
      { field: 'City', before: 'Newark', after: 'Trenton' },
      { field: 'StateProvince', before: 'NJ', after: 'NY' },
      { field: 'PostalCode', before: '07107-2564', after: '08608' },
      { field: 'Country', before: 'United States', after: 'Canada' },
      { field: 'BirthDate', before: '1952-05-19T00:00:00', after: '1960-01-02T00:00:00' },
      { field: 'MemberType', before: 'CM', after: 'REG' },
      { field: 'IsMember', before: 'TRUE', after: 'FALSE' },
    ]);
    expect(partyId(party)).toBe('101');
    expect(at(party, ['PersonName'])).toEqual({
      $type: T.personName, FirstName: 'Doug', InformalName: 'Dougie', LastName: 'Hunter', MiddleName: 'B.',
      NamePrefix: 'Dr.', NameSuffix: 'Sr.', FullName: 'Dr. Doug B. Hunter, Sr.',
    });
    const touched: Path[] = [
      ['PersonName'], ['Emails', '$values', 0, 'Address'], ['Phones', '$values', 0, 'Number'], ['PrimaryOrganization'],
      ['OrganizationName'], ['Addresses', '$values', 0, 'Email'], ['Addresses', '$values', 0, 'Address'], ['BirthDate'],
      [...ATTRS, 2, 'Value'], [...ATTRS, 3, 'Value'],
    ];
    expect(rest(party, touched)).toBe(rest(original, touched));
    // Inside the address only the mapped parts moved; the server-computed FullAddress stays for iMIS to recompute.
    const addrTouched: Path[] = [['AddressLines'], ['CityName'], ['CountrySubEntityCode'], ['CountrySubEntityName'], ['PostalCode'], ['CountryName'], ['CountryCode']];
    expect(rest(at(party, ADDRESS), addrTouched)).toBe(rest(at(original, ADDRESS), addrTouched));
    expect(at(party, [...ADDRESS, 'FullAddress'])).toBe('P.O. Box 4564\rNewark, NJ  07107-2564\rUNITED STATES');
  });

  it('the same values as iMIS holds change nothing at all (text comparison, dates, codes, wrapped booleans)', () => {
    const original = capture();
    const { party, changes } = applyContactFields(original, {
      ID: '555',
      FirstName: 'Douglas', Email: 'prodigymakers@imisdemo.com', BirthDate: '1952-05-19', Country: 'us',
      StateProvince: 'NJ', MemberType: 'CM', IsMember: true, IsInactiveMember: 'FALSE', JoinDate: '1967-05-28',
      AddressLine2: null, NoSuchAttribute: null,
    });
    expect(changes).toEqual([]);
    expect(JSON.stringify(party)).toBe(JSON.stringify(original));
    expect(applyContactFields(original, { Country: 'United States' }).changes).toEqual([]);
  });

  it('compares numbers and booleans as text', () => {
    const p: PartyJson = {
      AdditionalAttributes: {
        $type: T.properties,
        $values: [
          { $type: T.property, Name: 'Seats', Value: { $type: 'System.Int32', $value: 5 } },
          { $type: T.property, Name: 'Dues', Value: { $type: 'System.Decimal', $value: 12.5 } },
          { $type: T.property, Name: 'Code', Value: '5' },
          { $type: T.property, Name: 'Flag', Value: true },
        ],
      },
    };
    expect(applyContactFields(p, { Seats: '5', Dues: 12.5, Code: 5, Flag: 'TRUE' }).changes).toEqual([]);
    const { party, changes } = applyContactFields(p, { Seats: '6', Dues: '13.75', Code: 6, Flag: 'false' });
    expect(changes).toEqual([
      { field: 'Seats', before: '5', after: '6' },
      { field: 'Dues', before: '12.5', after: '13.75' },
      { field: 'Code', before: '5', after: '6' },
      { field: 'Flag', before: 'TRUE', after: 'FALSE' },
    ]);
    expect(at(party, [...ATTRS])).toEqual([
      { $type: T.property, Name: 'Seats', Value: { $type: 'System.Int32', $value: 6 } },
      { $type: T.property, Name: 'Dues', Value: { $type: 'System.Decimal', $value: 13.75 } },
      { $type: T.property, Name: 'Code', Value: '6' },
      { $type: T.property, Name: 'Flag', Value: false },
    ]);
  });

  it('refuses a value a typed attribute cannot hold, with a plain message', () => {
    expect(() => applyContactFields(capture(), { IsMember: 'maybe' })).toThrow(ContactValueError);
    expect(() => applyContactFields(capture(), { IsMember: 'maybe' })).toThrow('IsMember needs TRUE or FALSE, not "maybe"');
    const p: PartyJson = {
      AdditionalAttributes: { $type: T.properties, $values: [{ $type: T.property, Name: 'Seats', Value: { $type: 'System.Int32', $value: 5 } }] },
    };
    expect(() => applyContactFields(p, { Seats: '5.5' })).toThrow('Seats needs a whole number, not "5.5"');
    expect(() => applyContactFields(p, { Seats: 'five' })).toThrow(ContactValueError);
  });

  it('null blanks each field and keeps the structures around it', () => {
    const original = deepFreeze(capture());
    const { party, changes } = applyContactFields(original, {
      MiddleName: null, Email: null, Phone: null, Title: null, AddressLine1: null, City: null, BirthDate: null, IsMember: null, MemberType: null,
    });
    expect(changes).toEqual([
      { field: 'MiddleName', before: 'A.', after: '' },
      { field: 'Email', before: 'prodigymakers@imisdemo.com', after: '' },
      { field: 'Phone', before: '(201) 346-9989', after: '' },
      { field: 'Title', before: 'President', after: '' },
      { field: 'AddressLine1', before: 'P.O. Box 4564', after: '' },
      { field: 'City', before: 'Newark', after: '' },
      { field: 'BirthDate', before: '1952-05-19T00:00:00', after: '' },
      { field: 'IsMember', before: 'TRUE', after: '' },
      { field: 'MemberType', before: 'CM', after: '' },
    ]);
    expect(at(party, ['PersonName', 'MiddleName'])).toBe('');
    expect(at(party, ['PersonName', 'FullName'])).toBe('Mr. Douglas Hunt, Jr.');
    // The email entry stays (only its address is blanked); so does the phone entry.
    expect(at(party, ['Emails', '$values'])).toEqual([{ $type: T.email, Address: '', EmailType: 'Address' }]);
    expect(at(party, ['Phones', '$values'])).toHaveLength(6);
    expect(at(party, ['Phones', '$values', 0])).toEqual({ $type: T.phone, Number: '', PhoneType: '_Home Phone' });
    expect(at(party, ['Phones', '$values', 1, 'Number'])).toBe('(201) 898-9000');
    expect(at(party, ['PrimaryOrganization', 'Title'])).toBe('');
    expect(at(party, [...ADDRESS, 'AddressLines'])).toEqual({ $type: T.addressLines, $values: [] });
    expect(at(party, [...ADDRESS, 'CityName'])).toBe('');
    expect(party['BirthDate']).toBeNull();
    // A blanked attribute has no Value, as iMIS sends a null property; wrapped or not.
    expect(at(party, [...ATTRS, 3])).toEqual({ $type: T.property, Name: 'IsMember' });
    expect(at(party, [...ATTRS, 2])).toEqual({ $type: T.property, Name: 'CustomerTypeCode' });
    expect(at(party, ATTRS)).toHaveLength(7);
  });

  it('blanking the second address line removes it; writing it pads the first', () => {
    const p = capture();
    const second = (at(p, ['Addresses', '$values', 1]) as Record<string, unknown>);
    (at(p, ['Addresses', '$values']) as unknown[]).splice(0, 1, second);
    // Now the main address (purpose "Address") is gone: the first, "Street Address", is used.
    expect(readContactField(p, 'AddressLine2')).toBe('Suite 256');
    const cleared = applyContactFields(p, { AddressLine2: null });
    expect(at(cleared.party, ['Addresses', '$values', 0, 'Address', 'AddressLines', '$values'])).toEqual(['115 Franklin Avenue']);
    const empty = applyContactFields({}, { AddressLine2: 'Level 3' }).party;
    expect(at(empty, ['Addresses', '$values', 0, 'Address', 'AddressLines', '$values'])).toEqual(['', 'Level 3']);
  });

  it('writes the main address when it is not the first', () => {
    const p = capture();
    (at(p, ['Addresses', '$values']) as unknown[]).reverse();
    const { party } = applyContactFields(p, { City: 'Camden' });
    expect(at(party, ['Addresses', '$values', 2, 'Address', 'CityName'])).toBe('Camden');
    expect(at(party, ['Addresses', '$values', 0, 'Address', 'CityName'])).toBe('Somerville');
  });

  it('the primary email is the IsPrimary one, else the "_Primary" one, else the first; others stay', () => {
    const emails = (...list: object[]): PartyJson => ({ Emails: { $type: T.emails, $values: list } });
    const billing = { $type: T.email, Address: 'bill@x.example', EmailType: 'Billing' };
    const primaryType = { $type: T.email, Address: 'main@x.example', EmailType: '_Primary' };
    const flagged = { $type: T.email, Address: 'flag@x.example', EmailType: 'Address', IsPrimary: true };

    const a = applyContactFields(emails(billing, primaryType, flagged), { Email: 'new@x.example' }).party;
    expect(at(a, ['Emails', '$values'])).toEqual([billing, primaryType, { ...flagged, Address: 'new@x.example' }]);
    const b = applyContactFields(emails(billing, primaryType), { Email: 'new@x.example' }).party;
    expect(at(b, ['Emails', '$values'])).toEqual([billing, { ...primaryType, Address: 'new@x.example' }]);
    expect(readContactField(emails(billing, primaryType), 'Email')).toBe('main@x.example');
    const c = applyContactFields(emails(billing), { Email: null }).party;
    expect(at(c, ['Emails', '$values'])).toEqual([{ ...billing, Address: '' }]);
  });

  it('creates every missing structure with the $types iMIS uses', () => {
    const original = deepFreeze({ $type: `${M}.ComboPartyData, Asi.Contracts`, Id: '23179', PartyId: '23179', Gender: 0 });
    const { party, changes } = applyContactFields(original, {
      FirstName: 'Ann', LastName: 'Lee', Email: 'ann@x.example', Phone: '555 0100', Organization: 'Acme', Title: 'CEO',
      AddressLine1: '1 Main St', City: 'Adelaide', StateProvince: 'SA', PostalCode: '5000', Country: 'AU',
      BirthDate: '1980-02-29', MemberType: 'REG', 'Paid Thru Date': '2026-12-31',
    });
    expect(changes).toHaveLength(14);
    expect(party).toEqual({
      $type: `${M}.ComboPartyData, Asi.Contracts`,
      Id: '23179',
      PartyId: '23179',
      Gender: 0,
      // No FullName: this party had none, so iMIS computes it.
      PersonName: { $type: T.personName, FirstName: 'Ann', LastName: 'Lee' },
      Emails: { $type: T.emails, $values: [{ $type: T.email, Address: 'ann@x.example', EmailType: '_Primary', IsPrimary: true }] },
      Phones: { $type: T.phones, $values: [{ $type: T.phone, Number: '555 0100', PhoneType: '_Work Phone' }] },
      PrimaryOrganization: { $type: T.organization, Name: 'Acme', Title: 'CEO' },
      Addresses: {
        $type: T.addresses,
        $values: [
          {
            $type: T.fullAddress,
            AddressPurpose: 'Address',
            Address: {
              $type: T.address,
              AddressLines: { $type: T.addressLines, $values: ['1 Main St'] },
              CityName: 'Adelaide',
              CountrySubEntityCode: 'SA',
              PostalCode: '5000',
              CountryCode: 'AU',
            },
          },
        ],
      },
      BirthDate: '1980-02-29T00:00:00',
      AdditionalAttributes: {
        $type: T.properties,
        $values: [
          { $type: T.property, Name: 'CustomerTypeCode', Value: 'REG' },
          { $type: T.property, Name: 'Paid Thru Date', Value: '2026-12-31' },
        ],
      },
    });
    // Blank values on missing structures create nothing.
    expect(applyContactFields(original, { Email: null, City: null, Title: null, X: null })).toEqual({ party: original, changes: [] });
  });

  it('ignores ID, and lists a field named twice once', () => {
    const { party, changes } = applyContactFields(capture(), { id: '1', ID: '2', City: 'A', city: 'B' });
    expect(partyId(party)).toBe('101');
    expect(changes).toEqual([{ field: 'City', before: 'Newark', after: 'B' }]);
    expect(applyContactFields(capture(), { City: 'A', 'c i t y': 'Newark' }).changes).toEqual([]);
  });

  it('never mutates its input, and returns a copy that shares nothing with it', () => {
    const original = deepFreeze(capture());
    const { party } = applyContactFields(original, {});
    expect(party).toEqual(original);
    expect(party).not.toBe(original);
    expect(party['PersonName']).not.toBe(original['PersonName']);
    expect(JSON.stringify(party)).toBe(JSON.stringify(original));
  });
});

describe('newPerson', () => {
  it('builds a PersonData with only what the payload gives', () => {
    const body = newPerson({
      ID: '999', Prefix: 'Ms.', FirstName: 'Ann', LastName: 'Lee', Suffix: 'PhD', Email: 'ann@x.example', Phone: null,
      Organization: 'Acme', AddressLine1: '1 Main St', City: 'Adelaide', Country: 'Australia', BirthDate: '1980-02-29',
      MemberType: 'REG', IsVolunteer: true, Seats: 3,
    });
    expect(body).toEqual({
      $type: T.person,
      PersonName: { $type: T.personName, NamePrefix: 'Ms.', FirstName: 'Ann', LastName: 'Lee', NameSuffix: 'PhD', FullName: 'Ms. Ann Lee, PhD' },
      Emails: { $type: T.emails, $values: [{ $type: T.email, Address: 'ann@x.example', EmailType: '_Primary', IsPrimary: true }] },
      PrimaryOrganization: { $type: T.organization, Name: 'Acme' },
      Addresses: {
        $type: T.addresses,
        $values: [
          {
            $type: T.fullAddress,
            AddressPurpose: 'Address',
            Address: { $type: T.address, AddressLines: { $type: T.addressLines, $values: ['1 Main St'] }, CityName: 'Adelaide', CountryName: 'Australia' },
          },
        ],
      },
      BirthDate: '1980-02-29T00:00:00',
      AdditionalAttributes: {
        $type: T.properties,
        $values: [
          { $type: T.property, Name: 'CustomerTypeCode', Value: 'REG' },
          { $type: T.property, Name: 'IsVolunteer', Value: true },
          { $type: T.property, Name: 'Seats', Value: 3 },
        ],
      },
    });
    expect(body).not.toHaveProperty('Id');
    expect(body).not.toHaveProperty('Phones');
  });

  it('gives a FullName from whatever name parts there are, and reads back like a party', () => {
    const body = newPerson({ 'first name': 'Ann', 'last name': 'Lee' });
    expect(body['PersonName']).toEqual({ $type: T.personName, FirstName: 'Ann', LastName: 'Lee', FullName: 'Ann Lee' });
    expect(readContactField(body, 'FirstName')).toBe('Ann');
    expect(newPerson({})).toEqual({ $type: T.person });
  });
});
