/**
 * One table of example configs for both validators: the zod schema (gate-config.test.ts) and the
 * published JSON Schema under ajv (json-schema.test.ts) must accept and refuse the same ones.
 * An invalid example names the start of the zod problem line (`path: message`).
 */
import { exampleConfig } from '../../support/gate-config';

export const aloware = { id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 };
export const guidA = '457857dc-19eb-4eb9-b562-c90ca37de447';
export const guidB = '0f8fad5b-d9cb-469f-a165-70867728950e';
const vonage = { id: 'uk', vendor: 'vonage', secret: 's', region: 'emea', queueGuids: [guidA] };
const aircall = { id: 'a', vendor: 'aircall', secret: 's', teamId: 1 };
const calltools = { id: 'c', vendor: 'calltools', secret: 's', silo: 'east-2', queueId: 1 };
const koreai = { id: 'k', vendor: 'koreai', secret: 's', botId: 'st-1', queueIds: ['qu-1'] };
const connect = { id: 'ac', vendor: 'amazon-connect', region: 'us-east-1', instanceId: guidB, queueId: guidA };
const connectQueueArn = `arn:aws:connect:us-east-1:123456789012:instance/${guidB}/queue/${guidA}`;
const connectRole = 'arn:aws:iam::123456789012:role/gate-reader';

export function withQueue(queue: Record<string, unknown>) {
  return { queues: [queue] };
}

const withBaseUrl = (baseUrl: string) => withQueue({ ...aloware, baseUrl });
const usEast = {
  timeZone: 'America/New_York',
  weekly: {
    mon: [['09:00', '17:00']],
    fri: [
      ['09:00', '12:00'],
      ['13:00', '24:00'],
    ],
  },
  dates: { '2026-12-25': [], '2026-12-24': [['09:00', '13:00']] },
};
const withSchedule = (schedule: unknown) => ({ schedules: { s: schedule }, queues: [{ ...aloware, schedule: 's' }] });

export const validExamples: Array<[string, unknown]> = [
  ['the contract example', exampleConfig()],
  ['one aloware queue, nothing else', withQueue(aloware)],
  ['the $schema key editors use', { $schema: './gate.config.schema.json', ...withQueue(aloware) }],
  [
    'defaults and per-queue overrides',
    { callersSecret: 'other/callers', defaults: { cacheTtlMs: 1000, onVendorError: 'allow' }, queues: [{ ...aloware, minAvailable: 3, timeoutMs: 900 }] },
  ],
  ['a callers secret ARN', { callersSecret: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tg/callers-AbCdEf', ...withQueue(aloware) }],
  ['numeric ids as strings', withQueue({ ...aloware, ringGroupId: '007' })],
  ['http:// on 127.0.0.1 with a port', withBaseUrl('http://127.0.0.1:4010')],
  ['http:// on localhost with a path', withBaseUrl('http://localhost:4010/aloware')],
  ['http:// on [::1]', withBaseUrl('http://[::1]:4010')],
  ['https:// with a trailing slash', withBaseUrl('https://app.aloware.com/')],
  ['https:// with port and percent-encoded path', withBaseUrl('https://api.example.com:8443/a%20b/c')],
  ['https:// on an IPv4 address', withBaseUrl('https://203.0.113.7')],
  ['https:// on an IPv6 address', withBaseUrl('https://[2001:db8::1]:443/x')],
  ['https:// on the highest port', withBaseUrl('https://example.com:65535')],
  ['https:// on a host with an underscore and a trailing dot', withBaseUrl('https://tenant_1.example.com.')],
  ['http:// on localhost without a port', withBaseUrl('http://localhost')],
  // docs/operators/limits.md: limits and duplicates on queues with holds, geo anywhere.
  [
    'queue limits and duplicates on a queue with holds',
    withQueue({ ...aloware, holdMs: 30_000, limits: { transfersPerHour: 20, transfersPerDay: 150 }, duplicates: { windowHours: 72, scope: 'all' } }),
  ],
  ['limits on a queue whose holds come from defaults', { defaults: { holdMs: 30_000 }, queues: [{ ...aloware, limits: { transfersPerDay: 5 } }] }],
  [
    'limits and duplicates in defaults, which skip queues without holds',
    { defaults: { limits: { transfersPerHour: 1 }, duplicates: { windowHours: 1 } }, queues: [aloware] },
  ],
  ['geography on a queue without holds', withQueue({ ...aloware, geo: { states: ['AZ', 'TX', 'DC', 'PR'], onUnknown: 'allow' } })],
  ['geography in defaults', { defaults: { geo: { states: ['NY'] } }, queues: [aloware] }],
  ['the longest duplicate window', withQueue({ ...aloware, holdMs: 1, duplicates: { windowHours: 2160 } })],
  ['an @ in the path is not credentials', withBaseUrl('https://example.com/users/@me')],
  ['https:// on a well-formed punycode host', withBaseUrl('https://xn--bcher-kva.example/api')],
  ['https:// on a punycode host in capitals', withBaseUrl('https://api.XN--BCHER-KVA.example')],
  ['vonage with region and queueGuids', withQueue(vonage)],
  ['vonage with groupGuids and skillGuids', withQueue({ ...vonage, queueGuids: undefined, groupGuids: [guidA], skillGuids: [guidB] })],
  ['vonage with skillGuids only', withQueue({ ...vonage, queueGuids: undefined, skillGuids: [guidB] })],
  [
    'vonage with baseUrl and authUrl on loopback',
    withQueue({ id: 'uk', vendor: 'vonage', secret: 's', baseUrl: 'http://127.0.0.1:4020', authUrl: 'http://localhost:4020', groupGuids: [guidA] }),
  ],
  ['aircall with userIds', withQueue({ ...aircall, teamId: undefined, userIds: [1, '2'] })],
  ['calltools with baseUrl instead of silo', withQueue({ ...calltools, silo: undefined, baseUrl: 'https://east-2.calltools.io' })],
  // Decision: the bot already scopes Kore.ai's answer, and the contract makes every filter optional.
  ['koreai without a filter (the bot is the scope)', withQueue({ ...koreai, queueIds: undefined })],
  ['koreai with skills and agents', withQueue({ ...koreai, queueIds: undefined, skillIds: ['sk-1'], agentIds: ['a-1'] })],
  ['amazon-connect on its own role, with no secret', withQueue(connect)],
  [
    'amazon-connect with a queue ARN, a role and its external-id secret',
    withQueue({ ...connect, queueId: connectQueueArn, roleArn: connectRole, secret: 'tg/connect' }),
  ],
  ['amazon-connect on a loopback endpoint', withQueue({ ...connect, endpoint: 'http://127.0.0.1:3109' })],
  ['a vendor budget for a Connect Region', { ...withQueue(connect), vendorBudgets: { 'amazon-connect:us-east-1': { callsPerMinute: 60 } } }],
  // docs/operators/hours-and-overrides.md: a schedule in defaults and one per queue.
  [
    'a destination and payout on a queue, payout in defaults',
    {
      defaults: { payout: { amount: 20, currency: 'USD' } },
      queues: [
        { ...aloware, transferTo: '+15551234567', payout: { amount: 35.5, currency: 'EUR', minDurationSeconds: 90 } },
        { ...aircall, transferTo: 'sips:closers@pbx.example.com' },
      ],
    },
  ],
  [
    'routes with each pick',
    {
      queues: [aloware, { ...aircall, id: 'closers' }],
      routes: {
        first: { queues: ['support', 'closers'] },
        most: { queues: ['closers'], pick: 'most_available', deadlineMs: 100 },
        spread: { queues: ['support', 'closers'], pick: 'weighted', weights: { support: 3, closers: 1 }, deadlineMs: 20_000 },
      },
    },
  ],
  [
    'schedules picked in defaults and per queue',
    {
      schedules: { 'us-east': usEast, late: { timeZone: 'UTC', weekly: { sat: [['22:00', '02:00']] } } },
      defaults: { schedule: 'us-east' },
      queues: [aloware, { ...aircall, schedule: 'late' }],
    },
  ],
];

const invalidSchedules: Array<[string, unknown, string]> = [
  ['an unknown day key', withSchedule({ timeZone: 'UTC', weekly: { monday: [] } }), 'schedules.s.weekly: unknown day "monday"'],
  ['a bad HH:MM start', withSchedule({ timeZone: 'UTC', weekly: { mon: [['9:00', '17:00']] } }), 'schedules.s.weekly.mon[0][0]: must be a start time HH:MM'],
  ['24:00 as a start', withSchedule({ timeZone: 'UTC', weekly: { mon: [['24:00', '02:00']] } }), 'schedules.s.weekly.mon[0][0]:'],
  [
    'a bad HH:MM end',
    withSchedule({ timeZone: 'UTC', dates: { '2026-12-24': [['09:00', '24:30']] } }),
    'schedules.s.dates.2026-12-24[0][1]: must be an end time HH:MM',
  ],
  ['a time zone that is an offset', withSchedule({ timeZone: '+05:30' }), 'schedules.s.timeZone: must be an IANA Area/Location time zone name'],
  ['a legacy time zone name', withSchedule({ timeZone: 'EST' }), 'schedules.s.timeZone: must be an IANA Area/Location time zone name'],
  ['a schedule without a time zone', withSchedule({ weekly: {} }), 'schedules.s.timeZone:'],
  ['an unknown schedule key', withSchedule({ timeZone: 'UTC', hours: {} }), 'schedules.s: Unrecognized key: "hours"'],
  ['a malformed schedule name', { ...withQueue(aloware), defaults: { schedule: 'bad name' } }, 'defaults.schedule: must be a schedule name'],
];

const invalidRoot: Array<[string, unknown, string]> = [
  ['unknown root key', { ...withQueue(aloware), queus: [] }, '(root): Unrecognized key: "queus"'],
  ['unknown defaults key', { defaults: { cacheTtl: 1 }, ...withQueue(aloware) }, 'defaults: Unrecognized key: "cacheTtl"'],
  ['bad callersSecret', { callersSecret: '', ...withQueue(aloware) }, 'callersSecret:'],
  ['no queues', { queues: [] }, 'queues: name at least one queue'],
  ['queues missing', {}, 'queues:'],
  ['not an object', null, '(root):'],
  ['timeoutMs too small', withQueue({ ...aloware, timeoutMs: 10 }), 'queues[0].timeoutMs:'],
  ['timeoutMs too large', { defaults: { timeoutMs: 60_000 }, ...withQueue(aloware) }, 'defaults.timeoutMs:'],
  ['timeoutMs as a string', withQueue({ ...aloware, timeoutMs: '2500' }), 'queues[0].timeoutMs:'],
  ['minAvailable 0', withQueue({ ...aloware, minAvailable: 0 }), 'queues[0].minAvailable:'],
  ['fractional cacheTtlMs', withQueue({ ...aloware, cacheTtlMs: 1.5 }), 'queues[0].cacheTtlMs:'],
  ['negative maxStaleMs', { defaults: { maxStaleMs: -1 }, ...withQueue(aloware) }, 'defaults.maxStaleMs:'],
  ['unknown onVendorError', withQueue({ ...aloware, onVendorError: 'retry' }), 'queues[0].onVendorError:'],
];

const invalidQueue: Array<[string, unknown, string]> = [
  ['amazon-connect with a secret but no roleArn', withQueue({ ...connect, secret: 'tg/connect' }), 'queues[0].roleArn: give roleArn and secret together'],
  ['amazon-connect with a roleArn but no secret', withQueue({ ...connect, roleArn: connectRole }), 'queues[0].secret: give roleArn and secret together'],
  ['amazon-connect with a bad region', withQueue({ ...connect, region: 'useast1' }), 'queues[0].region: must be an AWS Region'],
  [
    'amazon-connect with a queue id that is neither UUID nor ARN',
    withQueue({ ...connect, queueId: 'sales' }),
    'queues[0].queueId: must be a queue id (a UUID) or a queue ARN',
  ],
  [
    'amazon-connect with an endpoint off loopback',
    withQueue({ ...connect, endpoint: 'https://connect.us-east-1.amazonaws.com' }),
    'queues[0].endpoint: must be a loopback URL',
  ],
  ['amazon-connect without its instance', withQueue({ ...connect, instanceId: undefined }), 'queues[0].instanceId:'],
  [
    'a vendor budget key that is neither a secret nor a Connect Region',
    { ...withQueue(aloware), vendorBudgets: { 'amazon-connect:mars': { callsPerMinute: 1 } } },
    'vendorBudgets.amazon-connect:mars: Invalid key in record',
  ],
  ['unknown queue key', withQueue({ ...aloware, ringGroup: 1 }), 'queues[0]: Unrecognized key: "ringGroup"'],
  ['upper-case queue id', withQueue({ ...aloware, id: 'Support' }), 'queues[0].id:'],
  ['queue id with a slash', withQueue({ ...aloware, id: 'a/b' }), 'queues[0].id:'],
  ['queue id too long', withQueue({ ...aloware, id: 'a'.repeat(65) }), 'queues[0].id:'],
  ['queue id starting with a dash', withQueue({ ...aloware, id: '-a' }), 'queues[0].id:'],
  ['unknown vendor', withQueue({ ...aloware, vendor: 'genesys' }), 'queues[0].vendor:'],
  ['no vendor', withQueue({ id: 'q', secret: 's', ringGroupId: 1 }), 'queues[0].vendor:'],
  ['missing vendor field', withQueue({ id: 'q', vendor: 'aloware', secret: 's' }), 'queues[0].ringGroupId:'],
  ['bad secret name', withQueue({ ...aloware, secret: 'has spaces' }), 'queues[0].secret:'],
  ['negative ringGroupId', withQueue({ ...aloware, ringGroupId: -1 }), 'queues[0].ringGroupId:'],
  ['fractional ringGroupId', withQueue({ ...aloware, ringGroupId: 1.5 }), 'queues[0].ringGroupId:'],
  ['ringGroupId with letters', withQueue({ ...aloware, ringGroupId: '12a' }), 'queues[0].ringGroupId:'],
  ['empty ringGroupId', withQueue({ ...aloware, ringGroupId: '' }), 'queues[0].ringGroupId:'],
  ['ringGroupId with a space', withQueue({ ...aloware, ringGroupId: ' 7' }), 'queues[0].ringGroupId:'],
];

const invalidUrl: Array<[string, unknown, string]> = [
  ['http:// on a public host', withBaseUrl('http://app.aloware.com'), 'queues[0].baseUrl: must use https://'],
  ['http:// on a host that only looks local', withBaseUrl('http://127.0.0.1.example.com'), 'queues[0].baseUrl: must use https://'],
  ['http:// on localhost as a subdomain', withBaseUrl('http://localhost.example.com:4010'), 'queues[0].baseUrl: must use https://'],
  ['http:// on another private address', withBaseUrl('http://10.0.0.5'), 'queues[0].baseUrl: must use https://'],
  ['ftp:// URL', withBaseUrl('ftp://127.0.0.1'), 'queues[0].baseUrl: must use https://'],
  ['relative URL', withBaseUrl('/api'), 'queues[0].baseUrl: must be an absolute URL'],
  ['URL with credentials', withBaseUrl('https://user:pass@app.aloware.com'), 'queues[0].baseUrl: must not contain credentials'],
  ['URL with a user name only', withBaseUrl('https://user@app.aloware.com'), 'queues[0].baseUrl: must not contain credentials'],
  ['http:// loopback URL with credentials', withBaseUrl('http://u:p@127.0.0.1:4010'), 'queues[0].baseUrl: must not contain credentials'],
  ['URL with a query', withBaseUrl('https://app.aloware.com/?api_token=x'), 'queues[0].baseUrl: must not contain a query'],
  ['URL with a fragment', withBaseUrl('https://app.aloware.com/#x'), 'queues[0].baseUrl: must not contain a query or fragment'],
  ['URL with an empty query', withBaseUrl('https://app.aloware.com?'), 'queues[0].baseUrl: must not contain a query'],
  ['URL with a port out of range', withBaseUrl('https://example.com:65536'), 'queues[0].baseUrl: must be a URL such as'],
  ['URL with a space in the host', withBaseUrl('https://exa mple.com'), 'queues[0].baseUrl: must be a URL such as'],
  ['URL with no host', withBaseUrl('https://'), 'queues[0].baseUrl: must be a URL such as'],
  ['URL in upper case', withBaseUrl('HTTPS://APP.ALOWARE.COM'), 'queues[0].baseUrl: must use https://'],
  ['URL with an empty port', withBaseUrl('https://example.com:'), 'queues[0].baseUrl: must be a URL such as'],
  ['URL with a space in the path', withBaseUrl('https://example.com/a b'), 'queues[0].baseUrl: must be a URL such as'],
  ['URL with an impossible IPv4 address', withBaseUrl('https://10.0.0.300'), 'queues[0].baseUrl: must be a URL such as'],
  [
    'vonage authUrl over http:// on a public host',
    withQueue({ ...vonage, region: undefined, baseUrl: 'https://emea.api.cc.vonage.com', authUrl: 'http://emea.cc.vonage.com' }),
    'queues[0].authUrl: must use https://',
  ],
  [
    'calltools baseUrl with a query',
    withQueue({ ...calltools, silo: undefined, baseUrl: 'https://east-2.calltools.io?x=1' }),
    'queues[0].baseUrl: must not contain a query',
  ],
  [
    'aircall baseUrl with credentials',
    withQueue({ ...aircall, baseUrl: 'https://id:token@api.aircall.io' }),
    'queues[0].baseUrl: must not contain credentials',
  ],
  ['koreai baseUrl over http:// on a public host', withQueue({ ...koreai, baseUrl: 'http://platform.kore.ai' }), 'queues[0].baseUrl: must use https://'],
];

const invalidVendorRules: Array<[string, unknown, string]> = [
  [
    'vonage queueGuids and groupGuids',
    withQueue({ ...vonage, groupGuids: [guidB] }),
    'queues[0].groupGuids: queueGuids and groupGuids must not be used together',
  ],
  [
    'vonage queueGuids, groupGuids and skillGuids',
    withQueue({ ...vonage, groupGuids: [guidB], skillGuids: [guidB] }),
    'queues[0].groupGuids: queueGuids and groupGuids',
  ],
  ['vonage without region nor URLs', withQueue({ ...vonage, region: undefined }), 'queues[0].region: give region, or both baseUrl and authUrl'],
  ['vonage with baseUrl but no authUrl', withQueue({ ...vonage, region: undefined, baseUrl: 'https://emea.api.cc.vonage.com' }), 'queues[0].region:'],
  ['vonage with authUrl but no baseUrl', withQueue({ ...vonage, region: undefined, authUrl: 'https://emea.cc.vonage.com' }), 'queues[0].region:'],
  ['vonage unknown region', withQueue({ ...vonage, region: 'mars' }), 'queues[0].region:'],
  ['vonage non-GUID', withQueue({ ...vonage, queueGuids: ['not-a-guid'] }), 'queues[0].queueGuids[0]: must be a GUID'],
  ['vonage empty queueGuids', withQueue({ ...vonage, queueGuids: [] }), 'queues[0].queueGuids:'],
  ['vonage without any filter', withQueue({ ...vonage, queueGuids: undefined }), 'queues[0]: give at least one of queueGuids, groupGuids, skillGuids'],
  [
    'vonage with only a liveness',
    withQueue({ ...vonage, queueGuids: undefined, liveness: 'live' }),
    'queues[0]: give at least one of queueGuids, groupGuids, skillGuids',
  ],
  ['aircall teamId and userIds', withQueue({ ...aircall, userIds: [2] }), 'queues[0].userIds: give exactly one of teamId, userIds'],
  ['aircall neither teamId nor userIds', withQueue({ ...aircall, teamId: undefined }), 'queues[0]: give exactly one of teamId, userIds'],
  ['aircall empty userIds', withQueue({ ...aircall, teamId: undefined, userIds: [] }), 'queues[0].userIds:'],
  ['calltools silo and baseUrl', withQueue({ ...calltools, baseUrl: 'https://east-2.calltools.io' }), 'queues[0].baseUrl: give exactly one of silo, baseUrl'],
  ['calltools neither silo nor baseUrl', withQueue({ ...calltools, silo: undefined }), 'queues[0]: give exactly one of silo, baseUrl'],
  ['calltools silo that is not a subdomain', withQueue({ ...calltools, silo: 'east.2/x' }), 'queues[0].silo:'],
  ['calltools without queueId', withQueue({ ...calltools, queueId: undefined }), 'queues[0].queueId:'],
  ['koreai bot id with a slash', withQueue({ ...koreai, botId: '../st-1' }), 'queues[0].botId:'],
  ['koreai without botId', withQueue({ ...koreai, botId: undefined }), 'queues[0].botId:'],
  ['koreai empty queueIds', withQueue({ ...koreai, queueIds: [] }), 'queues[0].queueIds:'],
  ['a mistake in the second queue', { queues: [aloware, { ...vonage, queueGuids: undefined }] }, 'queues[1]: give at least one of'],
];

const held = { ...aloware, holdMs: 30_000 };
const invalidCallPolicy: Array<[string, unknown, string]> = [
  [
    'queue limits on a queue without holds',
    withQueue({ ...aloware, limits: { transfersPerHour: 5 } }),
    'queues[0].limits: limits count transfers, and a transfer is a hold placed',
  ],
  [
    'duplicates on a queue whose holdMs is 0',
    { defaults: { holdMs: 30_000 }, queues: [{ ...aloware, holdMs: 0, duplicates: { windowHours: 24 } }] },
    'queues[0].duplicates: duplicates count transfers',
  ],
  ['a limit of 0 transfers', withQueue({ ...held, limits: { transfersPerHour: 0 } }), 'queues[0].limits.transfersPerHour:'],
  ['an unknown limit', withQueue({ ...held, limits: { transfersPerWeek: 5 } }), 'queues[0].limits:'],
  ['a duplicate window of 0 hours', withQueue({ ...held, duplicates: { windowHours: 0 } }), 'queues[0].duplicates.windowHours:'],
  ['a duplicate window over 90 days', withQueue({ ...held, duplicates: { windowHours: 2161 } }), 'queues[0].duplicates.windowHours:'],
  [
    'an unknown duplicate scope',
    withQueue({ ...held, duplicates: { windowHours: 1, scope: 'buyer' } }),
    'queues[0].duplicates.scope: scope must be queue or all',
  ],
  ['a state in lower case', withQueue({ ...aloware, geo: { states: ['tx'] } }), 'queues[0].geo.states[0]: must be the USPS code'],
  ['a Canadian province', withQueue({ ...aloware, geo: { states: ['ON'] } }), 'queues[0].geo.states[0]: must be the USPS code'],
  ['no states', withQueue({ ...aloware, geo: { states: [] } }), 'queues[0].geo.states: name at least one state'],
  ['an unknown onUnknown', withQueue({ ...aloware, geo: { states: ['TX'], onUnknown: 'maybe' } }), 'queues[0].geo.onUnknown: onUnknown must be deny or allow'],
];

/** Invalid configs, each with the start of the problem line zod reports. */
// Routes and destinations: the shapes JSON Schema can say.
const twoQueues = { queues: [aloware, { ...aircall, id: 'closers' }] };
const withRoute = (route: unknown) => ({ ...twoQueues, routes: { both: route } });
const invalidRoutesAndDestinations: Array<[string, unknown, string]> = [
  ['transferTo that is a bare number', withQueue({ ...aloware, transferTo: '15551234567' }), 'queues[0].transferTo: must be an E.164 number'],
  ['transferTo too short', withQueue({ ...aloware, transferTo: '+1234567' }), 'queues[0].transferTo: must be an E.164 number'],
  ['transferTo in defaults', { defaults: { transferTo: '+15551234567' }, ...withQueue(aloware) }, 'defaults: Unrecognized key: "transferTo"'],
  ['payout with 3 decimals', withQueue({ ...aloware, payout: { amount: 1.555, currency: 'USD' } }), 'queues[0].payout.amount: must have at most 2 decimals'],
  ['payout with a negative amount', { defaults: { payout: { amount: -1, currency: 'USD' } }, ...withQueue(aloware) }, 'defaults.payout.amount:'],
  ['payout with a lower-case currency', withQueue({ ...aloware, payout: { amount: 5, currency: 'usd' } }), 'queues[0].payout.currency: must be an ISO 4217'],
  [
    'payout with a fractional minimum',
    withQueue({ ...aloware, payout: { amount: 5, currency: 'USD', minDurationSeconds: 1.5 } }),
    'queues[0].payout.minDurationSeconds:',
  ],
  ['a route without members', withRoute({ queues: [] }), 'routes.both.queues: name at least one queue'],
  ['a route with an unknown pick', withRoute({ queues: ['support'], pick: 'random' }), 'routes.both.pick:'],
  ['a route deadline under 100 ms', withRoute({ queues: ['support'], deadlineMs: 99 }), 'routes.both.deadlineMs:'],
  ['a route deadline over 20 s', withRoute({ queues: ['support'], deadlineMs: 20_001 }), 'routes.both.deadlineMs:'],
  ['weights without weighted', withRoute({ queues: ['support'], weights: { support: 1 } }), 'routes.both.weights: weights are only for pick "weighted"'],
  ['weighted without weights', withRoute({ queues: ['support'], pick: 'weighted' }), 'routes.both.weights: pick "weighted" needs weights'],
  ['a weight of 0', withRoute({ queues: ['support'], pick: 'weighted', weights: { support: 0 } }), 'routes.both.weights.support:'],
  ['a fractional weight', withRoute({ queues: ['support'], pick: 'weighted', weights: { support: 1.5 } }), 'routes.both.weights.support:'],
  ['a malformed route id', { ...twoQueues, routes: { Both: { queues: ['support'] } } }, 'routes.Both:'],
  ['an unknown route key', withRoute({ queues: ['support'], order: 'first' }), 'routes.both: Unrecognized key: "order"'],
];

export const invalidExamples: Array<[string, unknown, string]> = [
  ...invalidRoot,
  ...invalidQueue,
  ...invalidUrl,
  ...invalidVendorRules,
  ...invalidSchedules,
  ...invalidRoutesAndDestinations,
  ...invalidCallPolicy,
];

/**
 * Refused by the gate but not by the JSON Schema, which cannot say these: a queue id used twice,
 * and a URL that matches every pattern but does not parse. Kept here so the gap stays known.
 */
export const gateOnlyInvalidExamples: Array<[string, unknown, string]> = [
  ['a duplicate queue id', { queues: [aloware, { ...aloware, ringGroupId: 2 }] }, 'queues[1].id: duplicate queue id "support"'],
  ['an ill-formed IPv6 host', withBaseUrl('https://[:::]/x'), 'queues[0].baseUrl: must be a URL that parses'],
  ['an ill-formed punycode host', withBaseUrl('https://xn--a.com'), 'queues[0].baseUrl: must be a URL that parses'],
  [
    'an amazon-connect queue ARN of another instance',
    withQueue({ ...connect, instanceId: guidA, queueId: connectQueueArn }),
    'queues[0].queueId: the queue ARN must name the same region and instanceId',
  ],
  // Node 24's URL parser accepts these (Node 20's refused them): the gate refuses them on every Node.
  ['a punycode label that decodes to ASCII only', withBaseUrl('https://xn--a-.com'), 'queues[0].baseUrl: must be a URL that parses ("xn--a-" is not'],
  ['a punycode label that does not decode', withBaseUrl('https://api.xn--zz.com/x'), 'queues[0].baseUrl: must be a URL that parses ("xn--zz" is not'],
  ['an empty punycode label', withBaseUrl('https://xn--.example'), 'queues[0].baseUrl: must be a URL that parses'],
  // docs/operators/hours-and-overrides.md: names, time zones, dates and overlaps are beyond JSON Schema (see schedule-schema.ts's gateOnly reasons).
  [
    'an unknown schedule name',
    { ...withQueue(aloware), defaults: { schedule: 'nope' } },
    'defaults.schedule: unknown schedule "nope" (no schedules are defined)',
  ],
  ['an unknown time zone', withSchedule({ timeZone: 'America/Atlantis' }), 'schedules.s.timeZone: unknown time zone "America/Atlantis"'],
  [
    'overlapping intervals',
    withSchedule({
      timeZone: 'UTC',
      weekly: {
        mon: [
          ['09:00', '13:00'],
          ['12:00', '17:00'],
        ],
      },
    }),
    'schedules.s.weekly.mon[1]: overlaps interval [0]',
  ],
  ['a date that does not exist', withSchedule({ timeZone: 'UTC', dates: { '2027-02-29': [] } }), 'schedules.s.dates.2027-02-29: date key is not a real date'],
  // Routes name queues of the same config: beyond JSON Schema.
  ['a route id that is a queue id', { ...twoQueues, routes: { support: { queues: ['closers'] } } }, 'routes.support: route id "support" is also a queue id'],
  ['a route member that does not exist', withRoute({ queues: ['support', 'nope'] }), 'routes.both.queues[1]: unknown queue "nope"'],
  [
    'a route inside a route',
    { ...twoQueues, routes: { inner: { queues: ['support'] }, outer: { queues: ['inner'] } } },
    'routes.outer.queues[0]: "inner" is a route; a route cannot contain a route',
  ],
  ['a member listed twice', withRoute({ queues: ['support', 'support'] }), 'routes.both.queues[1]: queue "support" is listed twice'],
  [
    'a weighted member without a weight',
    withRoute({ queues: ['support', 'closers'], pick: 'weighted', weights: { support: 1 } }),
    'routes.both.weights: give a weight for "closers"',
  ],
  [
    'a weight for a non-member',
    withRoute({ queues: ['support'], pick: 'weighted', weights: { support: 1, closers: 2 } }),
    'routes.both.weights.closers: "closers" is not a member of this route',
  ],
];
