/**
 * docs/operators/configuration-reference.md, generated from the published JSON Schema (itself
 * generated from the zod schema the gate runs), so the reference cannot drift from the code.
 * `npm run config-schema` writes both; a test fails while either is out of date.
 */
type Schema = {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  multipleOf?: number;
  default?: unknown;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  prefixItems?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  additionalProperties?: Schema | boolean;
  propertyNames?: Schema;
  if?: Schema;
  then?: Schema;
};

interface Row {
  name: string;
  required: boolean;
  schema: Schema;
}

const maxSafe = Number.MAX_SAFE_INTEGER;

/** A one-line reading of a field's type and bounds. */
export function describeType(schema: Schema): string {
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.enum) return schema.enum.map((value) => `\`${JSON.stringify(value)}\``).join(' or ');
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.map(describeType).join(', or ');
  const type = Array.isArray(schema.type) ? schema.type.join(' or ') : schema.type;
  if (type === 'integer' || type === 'number') return `${type}${bounds(schema)}`;
  if (type === 'string') return `string${stringRule(schema)}`;
  if (type === 'array' && schema.prefixItems) return `[${schema.prefixItems.map(describeType).join(', ')}]`;
  if (type === 'array') return `array${schema.minItems ? ` (at least ${schema.minItems})` : ''} of ${schema.items ? describeType(schema.items) : 'values'}`;
  if (type === 'object' && isSchema(schema.additionalProperties) && !schema.properties) {
    const keys = schema.propertyNames?.pattern ? ` (keys matching \`${schema.propertyNames.pattern}\`)` : '';
    return `map${keys} of ${describeType(schema.additionalProperties)}`;
  }
  if (type === 'object') return 'object';
  return type ?? 'any';
}

function bounds(schema: Schema): string {
  const parts: string[] = [];
  const max = schema.maximum !== undefined && schema.maximum < maxSafe ? schema.maximum : undefined;
  if (schema.minimum !== undefined && max !== undefined) parts.push(`${schema.minimum} to ${max}`);
  else if (schema.minimum !== undefined) parts.push(`>= ${schema.minimum}`);
  else if (max !== undefined) parts.push(`<= ${max}`);
  if (schema.exclusiveMinimum !== undefined) parts.push(`> ${schema.exclusiveMinimum}`);
  if (schema.multipleOf !== undefined) parts.push(`multiple of ${schema.multipleOf}`);
  return parts.length ? `, ${parts.join(', ')}` : '';
}

function stringRule(schema: Schema): string {
  const parts: string[] = [];
  if (schema.pattern && schema.pattern.length <= 80) parts.push(`matching \`${schema.pattern}\``);
  if (schema.minLength !== undefined) parts.push(`at least ${schema.minLength} characters`);
  if (schema.maxLength !== undefined) parts.push(`at most ${schema.maxLength} characters`);
  return parts.length ? `, ${parts.join(', ')}` : '';
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null;
}

/** Rows for an object's fields, nested objects flattened as `parent.child`. */
function rows(schema: Schema, prefix = '', nested = true): Row[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([name, field]) => {
    const row = { name: `${prefix}${name}`, required: required.has(name), schema: field };
    return nested && field.properties ? [row, ...rows(field, `${prefix}${name}.`)] : [row];
  });
}

/** The cross-field rules (`withRules` in the schema) in words. */
function ruleLines(schema: Schema): string[] {
  const fieldsOf = (branches: Schema[]) => branches.map((branch) => (branch.required ?? []).map((name) => `\`${name}\``).join(' and ')).join(', ');
  return (schema.allOf ?? []).flatMap((rule) => {
    if (rule.oneOf) return [`- exactly one of ${fieldsOf(rule.oneOf)}`];
    if (rule.anyOf) return [`- at least one of ${fieldsOf(rule.anyOf)}`];
    const never = (rule as { not?: Schema }).not;
    if (never?.required) return [`- never ${never.required.map((name) => `\`${name}\``).join(' and ')} together`];
    return [];
  });
}

function section(title: string, intro: string[], schema: Schema, nested = true): string[] {
  const rules = ruleLines(schema);
  return ['', `## ${title}`, '', ...intro, ...(intro.length ? [''] : []), table(rows(schema, '', nested)), ...(rules.length ? ['', 'Rules:', ...rules] : [])];
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(fields: readonly Row[]): string {
  const lines = ['| field | required | type and bounds | default | meaning |', '|---|---|---|---|---|'];
  for (const { name, required, schema } of fields) {
    const fallback = schema.default === undefined ? '' : `\`${JSON.stringify(schema.default)}\``;
    lines.push(`| \`${name}\` | ${required ? 'yes' : ''} | ${cell(describeType(schema))} | ${fallback} | ${cell(schema.description ?? '')} |`);
  }
  return lines.join('\n');
}

/** The vendor branches of `queues.items`: `if vendor = X then {...}`. */
function vendorBranches(queue: Schema): Array<{ vendor: string; schema: Schema }> {
  return (queue.allOf ?? []).flatMap((branch) => {
    const vendor = branch.if?.properties?.vendor?.const;
    return typeof vendor === 'string' && branch.then ? [{ vendor, schema: branch.then }] : [];
  });
}

export function configReference(schema: Schema): string {
  const top = schema.properties ?? {};
  const queue = top.queues?.items ?? {};
  const branches = vendorBranches(queue);
  const common = Object.keys(branches[0]?.schema.properties ?? {}).filter(
    (name) => name !== 'vendor' && branches.every((branch) => branch.schema.properties?.[name]),
  );
  const policyNames = Object.keys(top.defaults?.properties ?? {});
  const shared = pick(
    branches[0]?.schema.properties ?? {},
    common.filter((name) => !policyNames.includes(name)),
  );
  const onlyOwn = (branch: Schema) => ({
    ...branch,
    properties: pick(
      branch.properties ?? {},
      Object.keys(branch.properties ?? {}).filter((name) => !common.includes(name) && name !== 'vendor'),
    ),
  });
  const sections = [
    '# Configuration reference: `gate.config.json`',
    '',
    'Generated by `npm run config-schema` from `gate.config.schema.json`, which is generated from the',
    'schema the gate itself validates with: edit the schema, not this page. How to write a config, with',
    'examples, is in [configuration.md](configuration.md).',
    ...section('Top level', [], { ...schema, properties: Object.fromEntries(Object.entries(top).filter(([name]) => name !== '$schema')) }, false),
    ...section('`defaults`: policy fields, each also allowed on a queue', [], top.defaults ?? {}),
    ...section(
      'Every queue',
      [`Fields every queue has, whatever its \`vendor\` (${branches.map((branch) => `\`${branch.vendor}\``).join(', ')}), besides the policy fields above.`],
      { properties: shared, required: branches[0]?.schema.required },
    ),
    ...branches.flatMap(({ vendor, schema: branch }) => section(`Queues with \`"vendor": "${vendor}"\``, [], onlyOwn(branch))),
    ...recordSection('A schedule (each entry of `schedules`)', top.schedules),
    ...recordSection('A route (each entry of `routes`)', top.routes),
    ...recordSection('A budget (each entry of `vendorBudgets`)', top.vendorBudgets),
    '',
  ];
  return sections.join('\n');
}

function recordSection(title: string, record: Schema | undefined): string[] {
  const entry = record?.additionalProperties;
  return isSchema(entry) && entry.properties ? section(title, [], entry) : [];
}

function pick(properties: Record<string, Schema>, names: readonly string[]): Record<string, Schema> {
  return Object.fromEntries(names.map((name) => [name, properties[name]!]));
}
