/** The bundles' stand-in for @smithy/core/event-streams (infra/bundle-aliases.ts) refuses with a message that says why. */
import { readFileSync } from 'node:fs';
import * as standIn from '../../shared/aws-no-event-streams';

const why = /@smithy\/core\/event-streams is not in this bundle \(infra\/bundle-aliases\.ts\)/;

test('every export refuses, naming the alias', () => {
  expect(() => new standIn.EventStreamSerde()).toThrow(why);
  expect(() => standIn.eventStreamSerdeProvider()).toThrow(why);
});

test('it exports every name the SDK protocol classes take from the real module (checked again after an SDK update)', () => {
  const protocol = readFileSync(
    require.resolve('@smithy/core/protocols').replace(/dist-cjs\/submodules\/protocols\/index\.js$/, 'dist-es/submodules/protocols/HttpProtocol.js'),
    'utf8',
  );
  const imports = [...protocol.matchAll(/const \{([^}]*)\} = await import\("@smithy\/core\/event-streams"\)/g)].flatMap((match) =>
    match[1]!.split(',').map((name) => name.trim()),
  );
  expect(imports.sort()).toEqual(Object.keys(standIn).sort());
});
