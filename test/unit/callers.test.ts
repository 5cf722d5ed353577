import { type Caller, callersParser, findCaller, hashKey, mayAccess, parseCallers, presentedKey } from '../../shared/callers';
import { SecretError } from '../../shared/errors';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('presentedKey', () => {
  it.each<[string, Record<string, string>, Record<string, string>, string | undefined]>([
    ['x-api-key', { 'x-api-key': 'K1' }, {}, 'K1'],
    ['x-api-key, trimmed', { 'x-api-key': '  K1 ' }, {}, 'K1'],
    ['Bearer', { authorization: 'Bearer K2' }, {}, 'K2'],
    ['bearer in any case', { authorization: 'bEaReR K2' }, {}, 'K2'],
    ['Basic: the password', { authorization: basic('x', 'K3') }, {}, 'K3'],
    ['Basic: a password with colons', { authorization: basic('x', 'K:3:z') }, {}, 'K:3:z'],
    ['Basic: the user name when the password is empty', { authorization: basic('K4', '') }, {}, 'K4'],
    ['Basic: no colon at all', { authorization: `Basic ${Buffer.from('K5').toString('base64')}` }, {}, 'K5'],
    ['?api_key=', {}, { api_key: 'K6' }, 'K6'],
    ['nothing', {}, {}, undefined],
    ['an empty x-api-key', { 'x-api-key': '  ' }, {}, undefined],
    ['an empty Bearer', { authorization: 'Bearer' }, {}, undefined],
    ['Basic with nothing in it', { authorization: basic('', '') }, {}, undefined],
    ['an unknown scheme', { authorization: 'Digest K7' }, {}, undefined],
    ['an empty api_key', {}, { api_key: '' }, undefined],
  ])('%s', (_label, headers, query, expected) => {
    expect(presentedKey(headers, query)).toBe(expected);
  });

  it('prefers x-api-key, then Authorization, then the query', () => {
    const query = { api_key: 'from-query' };
    expect(presentedKey({ 'x-api-key': 'from-header', authorization: 'Bearer from-bearer' }, query)).toBe('from-header');
    expect(presentedKey({ authorization: 'Bearer from-bearer' }, query)).toBe('from-bearer');
    expect(presentedKey({ authorization: basic('u', 'from-basic') }, query)).toBe('from-basic');
    expect(presentedKey({}, query)).toBe('from-query');
  });

  it('falls back to the query when the Authorization header is of another scheme', () => {
    expect(presentedKey({ authorization: 'Digest abc' }, { api_key: 'from-query' })).toBe('from-query');
  });
});

describe('callers', () => {
  const callers = parseCallers(
    {
      callers: [
        { name: 'acme-leads', keySha256: hashKey('acme-key'), queues: ['sales'] },
        { name: 'ivr', keySha256: hashKey('ivr-key').toUpperCase(), queues: ['*'] },
        { name: 'partner', keySha256: hashKey('partner-key'), queues: ['sales', 'support'] },
      ],
    },
    'transfer-gate/callers',
  );
  const named = (name: string) => callers.find((caller) => caller.name === name) as Caller;

  it('hashKey is the hex SHA-256 of the key', () => {
    expect(hashKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('findCaller matches the caller whose hash is the key hash (any hex case)', () => {
    expect(findCaller(callers, 'acme-key')?.name).toBe('acme-leads');
    expect(findCaller(callers, 'ivr-key')?.name).toBe('ivr');
    expect(findCaller(callers, 'partner-key')?.name).toBe('partner');
  });

  it('findCaller finds no one for an unknown key, a hash, or an empty list', () => {
    expect(findCaller(callers, 'acme-key ')).toBeUndefined();
    expect(findCaller(callers, hashKey('acme-key'))).toBeUndefined();
    expect(findCaller([], 'acme-key')).toBeUndefined();
  });

  it('findCaller looks at one caller per lookup, whatever the number of callers (after indexing the list once)', () => {
    let reads = 0;
    const many: Caller[] = Array.from({ length: 1000 }, (_, index) => {
      const keyHash = Buffer.from(hashKey(`key-${index}`), 'hex');
      return {
        name: `c${index}`,
        queues: new Set(['*']),
        get keyHash() {
          reads += 1;
          return keyHash;
        },
      };
    });
    expect(findCaller(many, 'key-999')?.name).toBe('c999');
    reads = 0;
    expect(findCaller(many, 'key-999')?.name).toBe('c999');
    expect(findCaller(many, 'key-0')?.name).toBe('c0');
    expect(findCaller(many, 'no-such-key')).toBeUndefined();
    expect(reads).toBe(2);
  });

  it('findCaller indexes each parsed list on its own: a rotated list without a key no longer admits it', () => {
    const before = parseCallers({ callers: [{ name: 'old', keySha256: hashKey('old-key'), queues: ['*'] }] }, 's');
    const after = parseCallers({ callers: [{ name: 'new', keySha256: hashKey('new-key'), queues: ['*'] }] }, 's');
    expect(findCaller(before, 'old-key')?.name).toBe('old');
    expect(findCaller(after, 'old-key')).toBeUndefined();
    expect(findCaller(after, 'new-key')?.name).toBe('new');
  });

  it('findCaller returns the first of two callers sharing a key', () => {
    const twins = parseCallers(
      {
        callers: [
          { name: 'a', keySha256: hashKey('k'), queues: ['x'] },
          { name: 'b', keySha256: hashKey('k'), queues: ['*'] },
        ],
      },
      's',
    );
    expect(findCaller(twins, 'k')?.name).toBe('a');
  });

  it('mayAccess: * means every queue', () => {
    expect(mayAccess(named('ivr'), 'sales')).toBe(true);
    expect(mayAccess(named('ivr'), 'anything-else')).toBe(true);
  });

  it('mayAccess: an explicit list means exactly those queues', () => {
    expect(mayAccess(named('acme-leads'), 'sales')).toBe(true);
    expect(mayAccess(named('acme-leads'), 'support')).toBe(false);
    expect(mayAccess(named('partner'), 'support')).toBe(true);
    expect(mayAccess(named('partner'), 'sale')).toBe(false);
  });
});

describe('parseCallers errors', () => {
  const sentinelHash = 'SENTINEL'.padEnd(64, 'z');

  it.each<[string, unknown, string]>([
    ['no callers list', {}, 'callers'],
    ['a hash that is not hex', { callers: [{ name: 'a', keySha256: sentinelHash, queues: ['x'] }] }, 'callers.0.keySha256'],
    ['a short hash', { callers: [{ name: 'a', keySha256: 'abcd', queues: ['x'] }] }, 'callers.0.keySha256'],
    ['no queues', { callers: [{ name: 'a', keySha256: hashKey('k'), queues: [] }] }, 'callers.0.queues'],
    ['a name with spaces', { callers: [{ name: 'a b', keySha256: hashKey('k'), queues: ['x'] }] }, 'callers.0.name'],
  ])('%s', (_label, json, field) => {
    let error: unknown;
    try {
      parseCallers(json, 'transfer-gate/callers');
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(SecretError);
    expect((error as Error).message).toBe(`secret "transfer-gate/callers" is missing or has an invalid field: ${field}`);
    expect((error as Error).message).not.toContain('SENTINEL');
  });
});

describe("a seller's own destinations and payout", () => {
  const entry = { name: 'acme', keySha256: 'a'.repeat(64), queues: ['sales'] };
  it('are read per queue id', () => {
    const [caller] = parseCallers(
      { callers: [{ ...entry, transferTo: { sales: '+15557654321' }, payout: { sales: { amount: 30, currency: 'USD' } } }] },
      'tg/callers',
    );
    expect(caller).toMatchObject({ transferTo: { sales: '+15557654321' }, payout: { sales: { amount: 30, currency: 'USD' } } });
  });
  it.each([
    ['a transferTo that is not E.164 or SIP', { transferTo: { sales: '5557654321' } }],
    ['a payout with three decimals', { payout: { sales: { amount: 1.234, currency: 'USD' } } }],
    ['a key that is not a queue id', { transferTo: { 'Not An Id': '+15557654321' } }],
  ])('refuse %s', (_label, fields) => {
    expect(() => parseCallers({ callers: [{ ...entry, ...fields }] }, 'tg/callers')).toThrow();
  });
});

describe('the callers secret is strict (docs/operators/callers-and-keys.md)', () => {
  const parse = callersParser(new Set(['sales', 'support']));
  const messageOf = (json: unknown) => {
    try {
      parse(json, 'transfer-gate/callers');
    } catch (thrown) {
      expect(thrown).toBeInstanceOf(SecretError);
      return (thrown as Error).message;
    }
    throw new Error('expected the secret to be refused');
  };
  const caller = { name: 'a', keySha256: hashKey('k'), queues: ['sales'] };

  it("accepts route ids where the runtime knows them (a route shares the queues' namespace)", () => {
    const withRoute = callersParser(new Set(['sales', 'medicare']));
    expect([...withRoute({ callers: [{ ...caller, queues: ['medicare'] }] }, 's')[0]!.queues]).toEqual(['medicare']);
  });

  it('accepts known queue ids and *', () => {
    const callers = parse({ callers: [caller, { ...caller, name: 'b', queues: ['*'], admin: true }] }, 's');
    expect(callers.map((each) => [...each.queues])).toEqual([['sales'], ['*']]);
  });

  it('refuses an unknown field, at its path, in a caller and at the top', () => {
    expect(messageOf({ callers: [caller, { ...caller, admn: true }], version: 2 })).toBe(
      'secret "transfer-gate/callers" has unknown fields: callers.1.admn, version',
    );
  });

  it('refuses a queue id the config does not have, at its path, naming the known ones', () => {
    expect(
      messageOf({
        callers: [
          { ...caller, queues: ['sales', 'salse'] },
          { ...caller, queues: ['billing'] },
        ],
      }),
    ).toBe(
      'secret "transfer-gate/callers": callers.0.queues.1: unknown queue "salse" (known: "sales", "support"); ' +
        'callers.1.queues.0: unknown queue "billing" (known: "sales", "support")',
    );
  });

  it('reports invalid fields, unknown fields and unknown queues together', () => {
    const message = messageOf({
      callers: [
        { ...caller, keySha256: 'abcd', admn: true },
        { ...caller, queues: ['nope'] },
      ],
    });
    expect(message).toContain('is missing or has an invalid field: callers.0.keySha256');
    expect(message).toContain('has unknown fields: callers.0.admn');
    expect(message).toContain('callers.1.queues.0: unknown queue "nope"');
  });

  it('prints neither an unknown key that may be a pasted credential nor a queue value that is not an id', () => {
    const sentinel = 'SENTINEL-KEY-0123456789abcdefghijklmnopqrstuvwxyz';
    const message = messageOf({
      callers: [
        { ...caller, [sentinel]: 1 },
        { ...caller, queues: [sentinel] },
      ],
    });
    expect(message).not.toContain('SENTINEL');
    expect(message).toContain('callers.0.(a key that is not a field name)');
  });

  it('the plain parser still refuses unknown fields (local tools without a config)', () => {
    expect(() => parseCallers({ callers: [{ ...caller, admn: true }] }, 's')).toThrow('has unknown fields: callers.0.admn');
  });
});

describe("sellers' limits in the callers secret (docs/operators/limits.md)", () => {
  const entry = { name: 'acme-leads', keySha256: hashKey('k'), queues: ['sales'] };

  it('keeps the limits an entry names, and none for an entry without', () => {
    const [limited, plain] = parseCallers(
      {
        callers: [
          { ...entry, limits: { maxHolds: 2, transfersPerHour: 20, transfersPerDay: 150, pingsPerMinute: 600 } },
          { ...entry, name: 'plain', keySha256: hashKey('p') },
        ],
      },
      'transfer-gate/callers',
    );
    expect(limited?.limits).toEqual({ maxHolds: 2, transfersPerHour: 20, transfersPerDay: 150, pingsPerMinute: 600 });
    expect(plain).not.toHaveProperty('limits');
  });

  it.each([
    ['maxHolds 0', { maxHolds: 0 }, 'callers.0.limits.maxHolds'],
    ['maxHolds over 100', { maxHolds: 101 }, 'callers.0.limits.maxHolds'],
    ['a fractional transfersPerHour', { transfersPerHour: 1.5 }, 'callers.0.limits.transfersPerHour'],
    ['pingsPerMinute 0', { pingsPerMinute: 0 }, 'callers.0.limits.pingsPerMinute'],
  ])('refuses %s, naming its path and no value', (_label, limits, path) => {
    expect(() => parseCallers({ callers: [{ ...entry, limits }] }, 'transfer-gate/callers')).toThrow(
      new SecretError(`secret "transfer-gate/callers" is missing or has an invalid field: ${path}`),
    );
  });

  it('refuses an unknown limit, at its path (the secret is strict)', () => {
    expect(() => parseCallers({ callers: [{ ...entry, limits: { transfersPerWeek: 1 } }] }, 'transfer-gate/callers')).toThrow(
      new SecretError('secret "transfer-gate/callers" has unknown fields: callers.0.limits.transfersPerWeek'),
    );
  });
});
