// The iMIS simulator's Activity entity: the GenericEntityData shape of one activity, listing a
// contact's activities with paging, POST with ASI's own minimal body answering the new SEQN, every
// validation failure in iMIS's ValidationResultsData body, whole-object PUT with its identity check,
// 404s, the BoEntityDefinition, and faults, counting and auth on the Activity paths.

import { describe, expect, it } from 'vitest';
import { ImisSimulator } from '../../src/simulators/imis/index';
import { ACTIVITY_TYPES, DEMO_ACTIVITIES } from '../../src/simulators/imis/seed';
import { HTTP_ERROR, IDENTITY, PROP, PROPS, STRINGS, flatProps, signIn, validationBody } from './imis-client';

const ENTITY = 'Asi.Soa.Core.DataContracts.GenericEntityData, Asi.Contracts';
const PAGED = 'Asi.Soa.Core.DataContracts.PagedResult`1[[Asi.Soa.Core.DataContracts.GenericEntityData, Asi.Contracts]], Asi.Contracts';
const LIST = 'System.Collections.Generic.List`1[[Asi.Soa.Core.DataContracts.GenericEntityData, Asi.Contracts]], mscorlib';

/** Every Activity property, in definition order. */
const NAMES = [
  'SEQN', 'PartyId', 'ACTIVITY_TYPE', 'TRANSACTION_DATE', 'ACTIVITY_DATE', 'EFFECTIVE_DATE', 'THRU_DATE', 'DESCRIPTION', 'NOTE',
  'AMOUNT', 'QUANTITY', 'STATUS', 'SOURCE_CODE', 'PRODUCT_CODE', 'UF_1', 'UF_2', 'UF_3', 'UF_4', 'UF_5', 'UF_6', 'UF_7',
];
const FIRST_NEW_SEQN = DEMO_ACTIVITIES.length + 1;

function identity(entity: string, elements: string[]) {
  return { $type: IDENTITY, EntityTypeName: entity, IdentityElements: { $type: STRINGS, $values: elements } };
}

/** An Activity body as ASI's "Creates an Activity" example writes it, with more properties as given. */
function activityBody(props: [string, unknown][]) {
  return {
    $type: ENTITY,
    Properties: { $type: PROPS, $values: props.map(([Name, Value]) => ({ $type: PROP, Name, Value })) },
  };
}

/** flatProps, with every property present (null when the entity leaves it unset). */
function fullProps(entity: any): Record<string, unknown> {
  return { ...Object.fromEntries(NAMES.map((n) => [n, null])), ...flatProps(entity) };
}

const seqns = (page: any): string[] => page.Items.$values.map((e: any) => e.Identity.IdentityElements.$values[0]);

describe('GET /api/Activity/{SEQN}', () => {
  it('serves an activity as GenericEntityData: Identity = SEQN, parent = the contact, typed values wrapped', () => {
    const sim = new ImisSimulator({ memberCount: 10 });
    const { status, json } = signIn(sim).get('/api/Activity/1');
    expect(status).toBe(200);
    expect(Object.keys(json)).toEqual(['$type', 'EntityTypeName', 'PrimaryParentEntityTypeName', 'Identity', 'PrimaryParentIdentity', 'Properties']);
    expect(json).toMatchObject({
      $type: ENTITY,
      EntityTypeName: 'Activity',
      PrimaryParentEntityTypeName: 'Party',
      Identity: identity('Activity', ['1']),
      PrimaryParentIdentity: identity('Party', ['10001']),
    });
    expect(json.Properties.$type).toBe(PROPS);
    expect(json.Properties.$values.map((p: any) => p.Name)).toEqual(NAMES);
    const byName = Object.fromEntries(json.Properties.$values.map((p: any) => [p.Name, p]));
    expect(byName.SEQN).toEqual({ $type: PROP, Name: 'SEQN', Value: { $type: 'System.Int32', $value: 1 } });
    expect(byName.PartyId).toEqual({ $type: PROP, Name: 'PartyId', Value: '10001' });
    expect(byName.ACTIVITY_TYPE).toEqual({ $type: PROP, Name: 'ACTIVITY_TYPE', Value: 'EVENT' });
    expect(byName.TRANSACTION_DATE).toEqual({ $type: PROP, Name: 'TRANSACTION_DATE', Value: '2024-03-14T00:00:00' });
    expect(byName.AMOUNT).toEqual({ $type: PROP, Name: 'AMOUNT', Value: { $type: 'System.Decimal', $value: 250 } });
    // Unset properties are listed without a Value, as the captures show for nulls.
    expect(byName.NOTE).toEqual({ $type: PROP, Name: 'NOTE' });
    expect(sim.activity(1)).toEqual(fullProps(json));
  });

  it('answers 404 for an unknown or malformed SEQN and the ArgumentFault for two identity elements', () => {
    const api = signIn(new ImisSimulator({ memberCount: 10 }));
    for (const key of ['999', 'abc']) {
      const res = api.get(`/api/Activity/${key}`);
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ $type: HTTP_ERROR, Message: `No Activity was found with the key '${key}'.` });
    }
    expect(api.get('/api/activity/~2').status).toBe(200);
    const two = api.get('/api/Activity/~10001|2');
    expect([two.status, two.json]).toEqual([400, { $type: HTTP_ERROR, Message: 'ArgumentFault: Incorrect number of identity element' }]);
  });
});

describe('GET /api/Activity?PartyId=…', () => {
  it('lists one contact\'s activities in SEQN order, optionally of one ACTIVITY_TYPE', () => {
    const sim = new ImisSimulator({ memberCount: 10 });
    const api = signIn(sim);
    const { status, json } = api.get('/api/Activity?PartyId=10001');
    expect(status).toBe(200);
    expect(json).toMatchObject({ $type: PAGED, Items: { $type: LIST }, Offset: 0, Limit: 100, Count: 3, TotalCount: 3, NextPageLink: null, HasNext: false, NextOffset: 0 });
    expect(seqns(json)).toEqual(['1', '2', '4']);
    expect(json.Items.$values[0]).toEqual(api.get('/api/Activity/1').json);
    expect(seqns(api.get('/api/Activity?PartyId=10001&ACTIVITY_TYPE=PETITION').json)).toEqual(['4']);
    // ID is the table's own name for PartyId; names match without regard to case.
    expect(seqns(api.get('/api/Activity?ID=10002').json)).toEqual(['3']);
    expect(seqns(api.get('/api/Activity?partyid=10001&activity_type=event').json)).toEqual(['1']);
    expect(api.get('/api/Activity?PartyId=10009').json).toMatchObject({ Count: 0, TotalCount: 0, Items: { $values: [] } });
    expect(seqns(api.get('/api/Activity').json)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('pages with limit and offset like every iMIS list', () => {
    const api = signIn(new ImisSimulator({ memberCount: 10 }));
    const first = api.get('/api/Activity?PartyId=10001&limit=2').json;
    expect(seqns(first)).toEqual(['1', '2']);
    expect(first).toMatchObject({ Offset: 0, Limit: 2, Count: 2, TotalCount: 3, HasNext: true, NextOffset: 2 });
    const second = api.get(`/api/Activity?PartyId=10001&limit=2&offset=${first.NextOffset}`).json;
    expect(seqns(second)).toEqual(['4']);
    expect(second).toMatchObject({ Offset: 2, Limit: 2, Count: 1, TotalCount: 3, HasNext: false, NextOffset: 0 });
    expect(api.get('/api/Activity?Limit=9999').json.Limit).toBe(500);
  });

  it('refuses a filter on a property Activity does not have', () => {
    const res = signIn(new ImisSimulator({ memberCount: 10 })).get('/api/Activity?PartyId=10001&Colour=red');
    expect([res.status, res.json]).toEqual([400, { $type: HTTP_ERROR, Message: "'Colour' is not a property of Activity that can be filtered on." }]);
  });

  it('leaves out seeded activities of contacts the site does not have', () => {
    const sim = new ImisSimulator({ memberCount: 2 });
    expect(sim.activities().map((a) => a.PartyId)).toEqual(['10001', '10001', '10002', '10001']);
  });
});

describe('POST /api/Activity', () => {
  it('takes ASI\'s minimal body and answers 201 with the new SEQN in Identity.IdentityElements', () => {
    const sim = new ImisSimulator({ memberCount: 10 });
    const api = signIn(sim);
    // shared/research/imis/activity-post-body.json, with a PartyId this site has.
    const created = api.post('/api/Activity', activityBody([['ACTIVITY_TYPE', 'ONLINEAPP'], ['PartyId', '10002']]));
    expect(created.status).toBe(201);
    expect(created.json.Identity).toEqual(identity('Activity', [String(FIRST_NEW_SEQN)]));
    expect(created.json.PrimaryParentIdentity).toEqual(identity('Party', ['10002']));
    expect(fullProps(created.json)).toEqual({ ...Object.fromEntries(NAMES.map((n) => [n, null])), SEQN: FIRST_NEW_SEQN, PartyId: '10002', ACTIVITY_TYPE: 'ONLINEAPP' });
    expect(api.get(`/api/Activity/${FIRST_NEW_SEQN}`).json).toEqual(created.json);

    // SEQNs keep counting up; any SEQN the client sends is the server's to decide.
    const next = api.post('/api/Activity', activityBody([['SEQN', 1], ['ACTIVITY_TYPE', 'EVENT'], ['PartyId', '10002']]));
    expect(next.json.Identity.IdentityElements.$values).toEqual([String(FIRST_NEW_SEQN + 1)]);
    expect(sim.activity(1)!.PartyId).toBe('10001');
    expect(sim.activities().map((a) => a.SEQN)).toEqual([1, 2, 3, 4, 5, FIRST_NEW_SEQN, FIRST_NEW_SEQN + 1]);
  });

  it('stores typed values wrapped or plain, dates normalised, and gives them back typed', () => {
    const sim = new ImisSimulator({ memberCount: 10 });
    const api = signIn(sim);
    const created = api.post(
      '/api/Activity',
      activityBody([
        ['PartyId', '10003'],
        ['ACTIVITY_TYPE', 'gift'],
        ['TRANSACTION_DATE', '2025-05-01'],
        ['ACTIVITY_DATE', '2025-05-01T18:45:00'],
        ['DESCRIPTION', 'Spring appeal'],
        ['NOTE', 'Thank-you card sent'],
        ['AMOUNT', { $type: 'System.Decimal', $value: 125.5 }],
        ['QUANTITY', '2'],
        ['UF_1', 'Online'],
        ['UF_7', 'Row 14'],
      ]),
    );
    expect(created.status).toBe(201);
    const amount = created.json.Properties.$values.find((p: any) => p.Name === 'AMOUNT');
    expect(amount.Value).toEqual({ $type: 'System.Decimal', $value: 125.5 });
    expect(sim.activity(created.json.Identity.IdentityElements.$values[0])).toMatchObject({
      PartyId: '10003',
      ACTIVITY_TYPE: 'GIFT',
      TRANSACTION_DATE: '2025-05-01T00:00:00',
      ACTIVITY_DATE: '2025-05-01T18:45:00',
      AMOUNT: 125.5,
      QUANTITY: 2,
      UF_1: 'Online',
      UF_7: 'Row 14',
      STATUS: null,
    });
  });

  it('reads member names without regard to case and takes ID for PartyId, as Json.NET and the table allow', () => {
    const sim = new ImisSimulator({ memberCount: 10 });
    // target-imis writes "properties" in lower case and no $types.
    const res = signIn(sim).post('/api/Activity', { $type: ENTITY, properties: { $values: [{ name: 'ID', value: '10004' }, { Name: 'activity_type', Value: 'DUES' }] } });
    expect(res.status).toBe(201);
    expect(flatProps(res.json)).toMatchObject({ PartyId: '10004', ACTIVITY_TYPE: 'DUES' });
  });
});

describe('Activity validation', () => {
  const cases: { what: string; props: [string, unknown][]; message: string }[] = [
    { what: 'a missing ACTIVITY_TYPE', props: [['PartyId', '10001']], message: 'ACTIVITY_TYPE is required.' },
    { what: 'an empty ACTIVITY_TYPE', props: [['PartyId', '10001'], ['ACTIVITY_TYPE', ' ']], message: 'ACTIVITY_TYPE is required.' },
    {
      what: 'an ACTIVITY_TYPE the site does not list',
      props: [['PartyId', '10001'], ['ACTIVITY_TYPE', 'PICNIC']],
      message: `'PICNIC' is not a valid ACTIVITY_TYPE. Valid types are ${ACTIVITY_TYPES.join(', ')}.`,
    },
    { what: 'a TRANSACTION_DATE that is not a date', props: [['PartyId', '10001'], ['ACTIVITY_TYPE', 'EVENT'], ['TRANSACTION_DATE', 'last Tuesday']], message: "'last Tuesday' is not a valid value for TRANSACTION_DATE (Date)." },
    { what: 'an ACTIVITY_DATE that is not a real day', props: [['PartyId', '10001'], ['ACTIVITY_TYPE', 'EVENT'], ['ACTIVITY_DATE', '2025-02-30']], message: "'2025-02-30' is not a valid value for ACTIVITY_DATE (Date)." },
    { what: 'an AMOUNT that is not a number', props: [['PartyId', '10001'], ['ACTIVITY_TYPE', 'GIFT'], ['AMOUNT', '$12']], message: "'$12' is not a valid value for AMOUNT (Decimal)." },
    { what: 'a wrapped AMOUNT that is not a number', props: [['PartyId', '10001'], ['ACTIVITY_TYPE', 'GIFT'], ['AMOUNT', { $type: 'System.Decimal', $value: 'lots' }]], message: "'lots' is not a valid value for AMOUNT (Decimal)." },
    { what: 'a property Activity does not have', props: [['PartyId', '10001'], ['ACTIVITY_TYPE', 'EVENT'], ['Colour', 'red']], message: "'Colour' is not a property of Activity." },
    { what: 'a PartyId that is not a contact', props: [['PartyId', '77777'], ['ACTIVITY_TYPE', 'EVENT']], message: "PartyId '77777' is not the iMIS ID of a contact." },
    { what: 'a missing PartyId', props: [['ACTIVITY_TYPE', 'EVENT']], message: 'PartyId is required.' },
    { what: 'an ACTIVITY_TYPE longer than the column', props: [['PartyId', '10001'], ['ACTIVITY_TYPE', 'VOLUNTEERING']], message: 'ACTIVITY_TYPE may hold at most 10 characters; 12 were sent.' },
    { what: 'a DESCRIPTION longer than the column', props: [['PartyId', '10001'], ['ACTIVITY_TYPE', 'EVENT'], ['DESCRIPTION', 'x'.repeat(256)]], message: 'DESCRIPTION may hold at most 255 characters; 256 were sent.' },
  ];

  for (const { what, props, message } of cases) {
    it(`refuses ${what} on POST and on PUT, naming the property, and stores nothing`, () => {
      const sim = new ImisSimulator({ memberCount: 10 });
      const api = signIn(sim);
      const before = sim.activities();
      const posted = api.post('/api/Activity', activityBody(props));
      expect([posted.status, posted.json]).toEqual([400, validationBody(message)]);
      const put = api.put('/api/Activity/2', activityBody(props));
      expect([put.status, put.json]).toEqual([400, validationBody(message)]);
      expect(sim.activities()).toEqual(before);
    });
  }

  it('reports every problem of one body together', () => {
    const res = signIn(new ImisSimulator({ memberCount: 10 })).post('/api/Activity', activityBody([['PartyId', '77777'], ['AMOUNT', 'abc'], ['Colour', 'red']]));
    expect(res.json).toEqual(
      validationBody("'abc' is not a valid value for AMOUNT (Decimal).", "'Colour' is not a property of Activity.", 'ACTIVITY_TYPE is required.', "PartyId '77777' is not the iMIS ID of a contact."),
    );
  });

  it('refuses bodies that are not an Activity GenericEntityData', () => {
    const api = signIn(new ImisSimulator({ memberCount: 10 }));
    expect(api.post('/api/Activity', [1, 2]).json).toEqual(validationBody('The request body must be an Activity GenericEntityData object.'));
    expect(api.post('/api/Activity', { Properties: 'ACTIVITY_TYPE=EVENT' }).json).toEqual(validationBody('Properties must be a GenericPropertyDataCollection.'));
    expect(api.post('/api/Activity', { Properties: { $values: [{ Value: 'EVENT' }] } }).json).toEqual(validationBody('Every property needs a Name.'));
    const wrongEntity = api.post('/api/Activity', { ...activityBody([['PartyId', '10001'], ['ACTIVITY_TYPE', 'EVENT']]), EntityTypeName: 'Demo_Volunteer' });
    expect(wrongEntity.json).toEqual(validationBody("The body is a 'Demo_Volunteer' but was sent to Activity."));
    // An empty body and JSON that does not parse fail before validation, as on every iMIS write.
    expect(api.send('POST', '/api/Activity', '').status).toBe(400);
    expect(api.send('POST', '/api/Activity', '{"Properties":').status).toBe(500);
  });
});

describe('PUT /api/Activity/{SEQN}', () => {
  it('replaces the whole activity: what the body leaves out is gone', () => {
    const sim = new ImisSimulator({ memberCount: 10 });
    const api = signIn(sim);
    const read = api.get('/api/Activity/1').json;
    // Read, edit one value, drop AMOUNT and PRODUCT_CODE, write back whole.
    read.Properties.$values = read.Properties.$values.filter((p: any) => p.Name !== 'AMOUNT' && p.Name !== 'PRODUCT_CODE');
    read.Properties.$values.find((p: any) => p.Name === 'DESCRIPTION').Value = 'Spring Conference 2024 (speaker)';
    const put = api.put('/api/Activity/1', read);
    expect(put.status).toBe(200);
    expect(put.json.Identity).toEqual(identity('Activity', ['1']));
    expect(sim.activity(1)).toEqual({
      ...Object.fromEntries(NAMES.map((n) => [n, null])),
      SEQN: 1,
      PartyId: '10001',
      ACTIVITY_TYPE: 'EVENT',
      TRANSACTION_DATE: '2024-03-14T00:00:00',
      ACTIVITY_DATE: '2024-04-20T00:00:00',
      DESCRIPTION: 'Spring Conference 2024 (speaker)',
    });
    expect(api.get('/api/Activity/1').json).toEqual(put.json);
    expect(put.json.Properties.$values.find((p: any) => p.Name === 'AMOUNT')).toEqual({ $type: PROP, Name: 'AMOUNT' });

    // A body with only the required properties (no Identity, no SEQN) takes the key from the address.
    const bare = api.put('/api/Activity/3', activityBody([['PartyId', '10002'], ['ACTIVITY_TYPE', 'DUES']]));
    expect(bare.status).toBe(200);
    expect(sim.activity(3)).toEqual({ ...Object.fromEntries(NAMES.map((n) => [n, null])), SEQN: 3, PartyId: '10002', ACTIVITY_TYPE: 'DUES' });
    expect(sim.activities()).toHaveLength(DEMO_ACTIVITIES.length);
  });

  it('refuses a body whose identity is another activity\'s, by Identity or by SEQN', () => {
    const sim = new ImisSimulator({ memberCount: 10 });
    const api = signIn(sim);
    const two = api.get('/api/Activity/2').json;
    const byIdentity = api.put('/api/Activity/1', two);
    expect([byIdentity.status, byIdentity.json]).toEqual([400, validationBody("The SEQN in the body ('2') does not match the key in the address ('1').")]);
    const bySeqn = api.put('/api/Activity/~1', activityBody([['SEQN', 4], ['PartyId', '10001'], ['ACTIVITY_TYPE', 'EVENT']]));
    expect(bySeqn.json).toEqual(validationBody("The SEQN in the body ('4') does not match the key in the address ('1')."));
    expect(sim.activity(1)!.DESCRIPTION).toBe('Spring Conference 2024');
  });

  it('answers 404 for an activity that does not exist, and 405 for DELETE', () => {
    const api = signIn(new ImisSimulator({ memberCount: 10 }));
    const body = activityBody([['PartyId', '10001'], ['ACTIVITY_TYPE', 'EVENT']]);
    const missing = api.put('/api/Activity/999', body);
    expect([missing.status, missing.json]).toEqual([404, { $type: HTTP_ERROR, Message: "No Activity was found with the key '999'." }]);
    expect(api.put('/api/Activity/abc', body).status).toBe(404);
    expect(api.send('DELETE', '/api/Activity/1').status).toBe(405);
    expect(api.send('PUT', '/api/Activity', JSON.stringify(body)).status).toBe(405);
  });
});

describe('GET /api/BoEntityDefinition/Activity', () => {
  it('describes Activity in the panels\' BOEntityDefinitionData shape, with every property typed', () => {
    const api = signIn(new ImisSimulator({ memberCount: 10 }));
    const { status, json } = api.get('/api/BoEntityDefinition/Activity');
    expect(status).toBe(200);
    const panel = api.get('/api/BoEntityDefinition/Demo_Volunteer').json;
    expect(Object.keys(json)).toEqual(Object.keys(panel));
    expect(json).toMatchObject({
      $type: 'Asi.Soa.Core.DataContracts.BOEntityDefinitionData, Asi.Contracts',
      EntityTypeName: 'Activity',
      ObjectTypeName: 'Standard',
      PrimaryParentEntityTypeName: 'Party',
      IsDesignable: false,
    });
    expect(json.Properties.$type).toBe(panel.Properties.$type);
    const props = json.Properties.$values;
    expect(props.map((p: any) => p.Name)).toEqual(NAMES);
    const type = Object.fromEntries(props.map((p: any) => [p.Name, p.PropertyTypeName]));
    expect(type).toMatchObject({ SEQN: 'Integer', PartyId: 'String', ACTIVITY_TYPE: 'String', TRANSACTION_DATE: 'Date', ACTIVITY_DATE: 'Date', AMOUNT: 'Decimal', NOTE: 'String', UF_1: 'String' });
    expect(props.filter((p: any) => p.IsIdentity).map((p: any) => p.Name)).toEqual(['SEQN']);
    expect(props.filter((p: any) => p.Required).map((p: any) => p.Name)).toEqual(['SEQN', 'PartyId', 'ACTIVITY_TYPE']);
    expect(props.find((p: any) => p.Name === 'PartyId').ExtendedPropertyInformation).toMatchObject({ DatabaseColumnName: 'ID', DbDataType: 'NVarChar' });
    expect(props.find((p: any) => p.Name === 'AMOUNT')).toMatchObject({ $type: 'Asi.Soa.Core.DataContracts.PropertyTypeDecimalData, Asi.Contracts', Precision: 9, Scale: 2 });
    expect(props.find((p: any) => p.Name === 'DESCRIPTION')).toMatchObject({ MaxLength: 255 });
    expect(api.get('/api/boentitydefinition/activity').json).toEqual(json);
  });

  it('leaves the definition list to the demo panels', () => {
    const api = signIn(new ImisSimulator({ memberCount: 10 }));
    expect(api.get('/api/BoEntityDefinition?limit=500').json.Items.$values.map((d: any) => d.EntityTypeName)).toEqual(['Demo_Volunteer', 'Demo_Certifications']);
    expect(api.send('POST', '/api/BoEntityDefinition/Activity', '{}').status).toBe(405);
  });
});

describe('Activity routing, auth, counting and faults', () => {
  it('needs a token and counts every request, faulted ones too', () => {
    const sim = new ImisSimulator({ memberCount: 10 });
    const api = signIn(sim);
    expect(api.send('GET', '/api/Activity/1', undefined, {}).status).toBe(401);
    sim.faults.queue({ status: 429, pathPrefix: '/api/Activity', retryAfterSeconds: 7 });
    const limited = api.get('/api/Activity/1');
    expect([limited.status, limited.res.headers['retry-after']]).toEqual([429, '7']);
    expect(api.get('/api/Activity/1').status).toBe(200);
    expect(sim.requests.filter((r) => r.path === '/api/Activity/1').map((r) => r.method)).toEqual(['GET', 'GET', 'GET']);
  });

  it('applies every-Nth faults and queued 503s to Activity like any other route', () => {
    const sim = new ImisSimulator({ memberCount: 10 });
    const api = signIn(sim);
    sim.faults.errorEvery = 2;
    const statuses = [1, 2, 3, 4].map(() => api.get('/api/Activity?PartyId=10001').status);
    // The token request was number 1, so the 1st and 3rd Activity requests are numbers 2 and 4.
    expect(statuses).toEqual([500, 200, 500, 200]);
    sim.faults.errorEvery = 0;
    sim.faults.queue({ status: 503, pathPrefix: '/api/activity' });
    expect(api.post('/api/Activity', activityBody([['PartyId', '10001'], ['ACTIVITY_TYPE', 'EVENT']])).status).toBe(503);
    expect(sim.activities()).toHaveLength(DEMO_ACTIVITIES.length);
  });

  it('applies rejectNext to Activity writes only', () => {
    const sim = new ImisSimulator({ memberCount: 10 });
    const api = signIn(sim);
    const body = activityBody([['PartyId', '10001'], ['ACTIVITY_TYPE', 'EVENT']]);
    sim.rejectNext('/api/Activity', 'The activity is locked by a batch.');
    expect(api.get('/api/Activity/1').status).toBe(200);
    expect(api.post('/api/Activity', body).json).toEqual(validationBody('The activity is locked by a batch.'));
    expect(api.post('/api/Activity', body).status).toBe(201);
    expect(sim.activities()).toHaveLength(DEMO_ACTIVITIES.length + 1);
  });
});
