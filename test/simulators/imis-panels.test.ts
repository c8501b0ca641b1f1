// The iMIS simulator's panels (custom business objects as GenericEntityData): definitions, the
// single-instance GET 404 → POST → GET → PUT cycle, multi-instance rows keyed `~ID|Ordinal` with
// the Ordinal-0 POST bug, identity-element and type validation, and faults on panel paths.

import { describe, expect, it } from 'vitest';
import { DEMO_PANELS, DEMO_PANEL_ROWS, ImisSimulator } from '../../src/simulators/imis/index';
import { HTTP_ERROR, IDENTITY, PROP, PROPS, STRINGS, flatProps, signIn, validationBody } from './imis-client';

const ENTITY = 'Asi.Soa.Core.DataContracts.GenericEntityData, Asi.Contracts';
const VOL = DEMO_PANELS.volunteer;
const CERT = DEMO_PANELS.certifications;

function identity(entity: string, elements: string[]) {
  return { $type: IDENTITY, EntityTypeName: entity, IdentityElements: { $type: STRINGS, $values: elements } };
}

/** A panel row body in the shape of shared/research/imis/panel-*.json. */
function entity(bo: string, elements: string[], props: [string, unknown][]) {
  return {
    $type: ENTITY,
    EntityTypeName: bo,
    PrimaryParentEntityTypeName: 'Party',
    Identity: identity(bo, elements),
    PrimaryParentIdentity: identity('Party', [elements[0]!]),
    Properties: { $type: PROPS, $values: props.map(([Name, Value]) => (Value === undefined ? { $type: PROP, Name } : { $type: PROP, Name, Value })) },
  };
}

describe('GET /api/BoEntityDefinition', () => {
  const sim = new ImisSimulator({ memberCount: 10 });
  const api = signIn(sim);

  it('lists both demo panels with their typed properties', () => {
    const { status, json } = api.get('/api/BoEntityDefinition?limit=500');
    expect(status).toBe(200);
    expect(json.$type).toBe('Asi.Soa.Core.DataContracts.PagedResult`1[[Asi.Soa.Core.DataContracts.BOEntityDefinitionData, Asi.Contracts]], Asi.Contracts');
    expect([json.Count, json.TotalCount, json.HasNext]).toEqual([2, 2, false]);
    const [vol, cert] = json.Items.$values;
    expect(vol).toMatchObject({
      $type: 'Asi.Soa.Core.DataContracts.BOEntityDefinitionData, Asi.Contracts',
      EntityTypeName: VOL,
      ObjectTypeName: 'Single',
      PrimaryParentEntityTypeName: 'Party',
    });
    expect(vol.Properties.$values.map((p: any) => [p.Name, p.PropertyTypeName, p.IsIdentity])).toEqual([
      ['ID', 'String', true],
      ['Skills', 'String', false],
      ['HoursPledged', 'Integer', false],
      ['Active', 'Boolean', false],
      ['StartDate', 'Date', false],
      ['Notes', 'String', false],
    ]);
    expect(vol.Properties.$values[1]).toMatchObject({ $type: 'Asi.Soa.Core.DataContracts.PropertyTypeStringData, Asi.Contracts', MaxLength: 255, Required: false });
    expect(cert.ObjectTypeName).toBe('Multi');
    expect(cert.Properties.$values.filter((p: any) => p.IsIdentity).map((p: any) => p.Name)).toEqual(['ID', 'Ordinal']);
    expect(cert.Properties.$values.find((p: any) => p.Name === 'Credits').PropertyTypeName).toBe('Decimal');
  });

  it('gets one definition by name, filters by EntityTypeName, and 404s an unknown one', () => {
    const one = api.get('/api/BoEntityDefinition/demo_certifications');
    expect([one.status, one.json.EntityTypeName]).toEqual([200, CERT]);
    expect(api.get(`/api/BoEntityDefinition?EntityTypeName=${CERT}`).json.Items.$values.map((d: any) => d.EntityTypeName)).toEqual([CERT]);
    expect(api.get('/api/BoEntityDefinition/Nope').status).toBe(404);
  });
});

describe('single-instance panel', () => {
  it('serves a seeded row in the GenericEntityData shape, unset values without Value', () => {
    const sim = new ImisSimulator({ memberCount: 10 });
    const { status, json } = signIn(sim).get(`/api/${VOL}/10005`);
    expect(status).toBe(200);
    expect(json).toEqual(
      entity(VOL, ['10005'], [
        ['ID', '10005'],
        ['Skills', 'Photography'],
        ['HoursPledged', { $type: 'System.Int32', $value: 12 }],
        ['Active', { $type: 'System.Boolean', $value: true }],
        ['StartDate', undefined],
        ['Notes', 'Brings own camera'],
      ]),
    );
  });

  it('GET 404 → POST 201 → GET 200 → PUT 200 replaces the whole row', () => {
    const sim = new ImisSimulator({ memberCount: 10 });
    const api = signIn(sim);
    const missing = api.get(`/api/${VOL}/10002`);
    expect(missing.status).toBe(404);
    expect(missing.json.$type).toBe(HTTP_ERROR);
    expect(api.put(`/api/${VOL}/10002`, entity(VOL, ['10002'], [['ID', '10002']])).status).toBe(404);

    const created = api.post(
      `/api/${VOL}`,
      entity(VOL, ['10002'], [
        ['ID', '10002'],
        ['Skills', 'First aid'],
        ['HoursPledged', { $type: 'System.Int32', $value: 10 }],
        ['Active', { $type: 'System.Boolean', $value: true }],
        ['StartDate', '2025-05-01'],
        ['Notes', 'Met at the spring fair'],
      ]),
    );
    expect(created.status).toBe(201);
    expect(created.json.Identity).toEqual(identity(VOL, ['10002']));
    expect(flatProps(created.json)).toEqual({ ID: '10002', Skills: 'First aid', HoursPledged: 10, Active: true, StartDate: '2025-05-01T00:00:00', Notes: 'Met at the spring fair' });
    const read = api.get(`/api/demo_volunteer/10002`);
    expect([read.status, read.json]).toEqual([200, created.json]);

    // Plain values work too; Notes left out is cleared, as iMIS replaces the row.
    const updated = api.put(`/api/${VOL}/10002`, entity(VOL, ['10002'], [['ID', '10002'], ['Skills', 'First aid'], ['HoursPledged', '8'], ['Active', 'false']]));
    expect(updated.status).toBe(200);
    expect(sim.panelRows(VOL).find((r) => r.ID === '10002')).toEqual({ ID: '10002', Skills: 'First aid', HoursPledged: 8, Active: false, StartDate: null, Notes: null });
    expect(updated.json.Properties.$values.find((p: any) => p.Name === 'HoursPledged').Value).toEqual({ $type: 'System.Int32', $value: 8 });
    expect(updated.json.Properties.$values.find((p: any) => p.Name === 'Notes')).toEqual({ $type: PROP, Name: 'Notes' });

    const twice = api.post(`/api/${VOL}`, entity(VOL, ['10002'], [['ID', '10002']]));
    expect(twice.status).toBe(400);
    expect(twice.json.Errors.$values[0].Message).toContain('10002');
  });
});

describe('multi-instance panel', () => {
  it('lists one contact\'s rows with ?ID= and filters on its own properties', () => {
    const sim = new ImisSimulator({ memberCount: 10 });
    const api = signIn(sim);
    const { json } = api.get(`/api/${CERT}?ID=10001`);
    expect(json.$type).toBe('Asi.Soa.Core.DataContracts.PagedResult`1[[Asi.Soa.Core.DataContracts.GenericEntityData, Asi.Contracts]], Asi.Contracts');
    expect(json.Items.$values.map((e: any) => e.Identity.IdentityElements.$values)).toEqual([['10001', '1'], ['10001', '2']]);
    expect(flatProps(json.Items.$values[1])).toEqual({ ID: '10001', Ordinal: 2, CertCode: 'SAFE', Title: 'Workplace Safety', Earned: '2023-11-02T00:00:00', Credits: 8 });
    expect(json.Items.$values[0].Properties.$values.find((p: any) => p.Name === 'Ordinal').Value).toEqual({ $type: 'System.Int32', $value: 1 });
    const filtered = api.get(`/api/${CERT}?id=10001&CertCode=SAFE`).json;
    expect(filtered.Items.$values.map((e: any) => flatProps(e).Ordinal)).toEqual([2]);
    expect(api.get(`/api/${CERT}?ID=10009`).json.TotalCount).toBe(0);
    expect(api.get(`/api/${CERT}?Colour=red`).status).toBe(400);
    expect(sim.panelRows(CERT)).toEqual(DEMO_PANEL_ROWS[CERT]);
  });

  it('POST answers Ordinal 0 (the iMIS bug) while the row is stored with the next real Ordinal', () => {
    const sim = new ImisSimulator({ memberCount: 10 });
    const api = signIn(sim);
    const body = entity(CERT, ['10001'], [['ID', '10001'], ['CertCode', 'FIN'], ['Title', 'Finance Basics'], ['Earned', '2025-02-14T00:00:00'], ['Credits', { $type: 'System.Decimal', $value: 3.75 }]]);
    const created = api.post(`/api/${CERT}`, body);
    expect(created.status).toBe(201);
    expect(created.json.Identity.IdentityElements.$values).toEqual(['10001', '0']);
    expect(created.json.Properties.$values.find((p: any) => p.Name === 'Ordinal').Value).toEqual({ $type: 'System.Int32', $value: 0 });

    // Re-querying is the only way to learn the real Ordinal.
    const again = api.get(`/api/${CERT}?ID=10001&CertCode=FIN`).json.Items.$values;
    expect(again).toHaveLength(1);
    expect(again[0].Identity.IdentityElements.$values).toEqual(['10001', '3']);
    expect(sim.panelRows(CERT).filter((r) => r.ID === '10001').map((r) => r.Ordinal)).toEqual([1, 2, 3]);
    expect(api.get(`/api/${CERT}/~10001|3`).json).toEqual(again[0]);
    expect(api.get(`/api/${CERT}/~10001%7C3`).json).toEqual(again[0]);
    expect(api.get(`/api/${CERT}/~10001|0`).status).toBe(404);

    // A first row for another contact starts at 1; plain values are accepted too.
    api.post(`/api/${CERT}`, { EntityTypeName: CERT, Properties: { $values: [{ Name: 'ID', Value: '10003' }, { Name: 'Credits', Value: '1.5' }] } });
    expect(sim.panelRows(CERT).find((r) => r.ID === '10003')).toMatchObject({ Ordinal: 1, Credits: 1.5, CertCode: null });
  });

  it('PUT ~ID|Ordinal replaces that row only', () => {
    const sim = new ImisSimulator({ memberCount: 10 });
    const api = signIn(sim);
    const row = api.get(`/api/${CERT}/~10001|2`).json;
    const credits = row.Properties.$values.find((p: any) => p.Name === 'Credits');
    credits.Value = { $type: 'System.Decimal', $value: 9.5 };
    const put = api.put(`/api/${CERT}/~10001%7C2`, row);
    expect(put.status).toBe(200);
    expect(flatProps(put.json).Credits).toBe(9.5);
    expect(sim.panelRows(CERT).filter((r) => r.ID === '10001').map((r) => r.Credits)).toEqual([4.5, 9.5]);

    const wrongOrdinal = api.put(`/api/${CERT}/~10001|1`, row);
    expect(wrongOrdinal.status).toBe(400);
    expect(wrongOrdinal.json.Errors.$values[0].Message).toContain('Ordinal');
    expect(api.put(`/api/${CERT}/~10001|7`, row).status).toBe(404);
  });

  it('answers the ArgumentFault for the wrong number of identity elements', () => {
    const sim = new ImisSimulator({ memberCount: 10 });
    const api = signIn(sim);
    for (const [method, url] of [['GET', `/api/${CERT}/10001`], ['PUT', `/api/${CERT}/~10001`], ['GET', `/api/${VOL}/~10001|1`]] as const) {
      const res = api.send(method, url, method === 'PUT' ? '{}' : undefined);
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ $type: HTTP_ERROR, Message: 'ArgumentFault: Incorrect number of identity element' });
    }
    expect(api.get(`/api/${VOL}/~10001`).status).toBe(200);
  });
});

describe('panel validation', () => {
  it('refuses values of the wrong type, naming the property, and stores nothing', () => {
    const sim = new ImisSimulator({ memberCount: 10 });
    const api = signIn(sim);
    const bad = api.post(`/api/${VOL}`, entity(VOL, ['10002'], [['ID', '10002'], ['HoursPledged', 'abc']]));
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual(validationBody("'abc' is not a valid value for HoursPledged (Integer)."));

    const several = api.post(`/api/${CERT}`, entity(CERT, ['10002'], [['ID', '10002'], ['Credits', 'lots'], ['Earned', 'yesterday'], ['Colour', 'red']]));
    expect(several.json.Errors.$values.map((e: any) => e.Message)).toEqual([
      "'lots' is not a valid value for Credits (Decimal).",
      "'yesterday' is not a valid value for Earned (Date).",
      `'Colour' is not a property of ${CERT}.`,
    ]);
    const active = api.put(`/api/${VOL}/10001`, entity(VOL, ['10001'], [['ID', '10001'], ['Active', { $type: 'System.Boolean', $value: 'maybe' }]]));
    expect(active.json.Errors.$values[0].Message).toBe("'maybe' is not a valid value for Active (Boolean).");
    const long = api.put(`/api/${VOL}/10001`, entity(VOL, ['10001'], [['ID', '10001'], ['Skills', 'x'.repeat(256)]]));
    expect(long.json.Errors.$values[0].Message).toContain('Skills');
    expect(sim.panelRows(VOL)).toEqual(DEMO_PANEL_ROWS[VOL]);
    expect(sim.panelRows(CERT)).toEqual(DEMO_PANEL_ROWS[CERT]);
  });

  it('refuses a row for a contact that does not exist', () => {
    const sim = new ImisSimulator({ memberCount: 10 });
    const res = signIn(sim).post(`/api/${CERT}`, entity(CERT, ['77777'], [['ID', '77777'], ['CertCode', 'CPR']]));
    expect(res.status).toBe(400);
    expect(res.json.$type).toBe('Asi.Soa.Core.DataContracts.ValidationResultsData, Asi.Contracts');
    expect(res.json.Errors.$values[0].Message).toContain('77777');
  });
});

describe('panel routing, auth and faults', () => {
  it('answers an unknown business object like Web API\'s unknown controller, and 401 without a token', () => {
    const sim = new ImisSimulator({ memberCount: 10 });
    const api = signIn(sim);
    const unknown = api.get('/api/Nope_Panel?ID=10001');
    expect(unknown.status).toBe(404);
    expect(unknown.json.MessageDetail).toBe("No type was found that matches the controller named 'Nope_Panel'.");
    expect(api.send('GET', `/api/${VOL}/10001`, undefined, {}).status).toBe(401);
  });

  it('applies queued faults and rejectNext to panel writes', () => {
    const sim = new ImisSimulator({ memberCount: 10 });
    const api = signIn(sim);
    const body = entity(CERT, ['10002'], [['ID', '10002'], ['CertCode', 'ETH']]);
    sim.faults.queue({ status: 503, pathPrefix: `/api/${CERT}` });
    expect(api.post(`/api/${CERT}`, body).status).toBe(503);
    sim.rejectNext(`/api/${CERT}`, 'CertCode ETH needs a Title.');
    expect(api.post(`/api/${CERT}`, body).json).toEqual(validationBody('CertCode ETH needs a Title.'));
    expect(sim.panelRows(CERT).filter((r) => r.ID === '10002')).toHaveLength(1);
    expect(api.post(`/api/${CERT}`, body).status).toBe(201);
    expect(sim.panelRows(CERT).filter((r) => r.ID === '10002').map((r) => r.Ordinal)).toEqual([1, 2]);
    expect(sim.requests.filter((r) => r.method === 'POST' && r.path === `/api/${CERT}`)).toHaveLength(3);
  });
});
