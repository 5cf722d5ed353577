/** The published JSON Schema of gate.config.json, generated from the zod schema (its single source). */
import * as z from 'zod';
import { gateConfigSchema } from './gate-config';

export function configJsonSchemaText(): string {
  const schema = z.toJSONSchema(gateConfigSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, title: 'transfer-gate gate.config.json' }, null, 2)}\n`;
}
