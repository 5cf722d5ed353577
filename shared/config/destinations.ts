/**
 * Where a "yes" sends the call, and on what terms (docs/callers/routes-and-destinations.md):
 * `transferTo` per queue (a seller may have its own per queue), `payout` per queue or in
 * `defaults`. The gate only reports them; it dials nothing and bills nothing.
 */
import * as z from 'zod/mini';
import '../zod-locale';

/** E.164 (`+` and 8 to 15 digits) or a `sip:` / `sips:` URI with a user or host part. */
export const transferToPattern = /^(?:\+[1-9][0-9]{7,14}|sips?:[^\s<>"]{1,250})$/;

export const transferTo = z
  .string()
  .check(
    z.regex(transferToPattern, 'must be an E.164 number (+ and 8 to 15 digits) or a sip: / sips: URI'),
    z.describe('Where a yes sends the call: an E.164 number such as +15551234567, or a SIP URI such as sip:sales@pbx.example.com'),
  );

/** ISO 4217: three capital letters. */
const currency = z
  .string()
  .check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code such as USD'), z.describe('The ISO 4217 code of the amount, e.g. USD'));

/** At most two decimals, checked on the cents so 0.1 + 0.2-style floats are judged by their written form. */
const amount = z
  .number()
  .check(z.minimum(0), z.multipleOf(0.01, 'must have at most 2 decimals'), z.describe('What the buyer pays for a qualifying call, in `currency`'));

export const payoutSchema = z
  .strictObject({
    amount,
    currency,
    minDurationSeconds: z.optional(z.number().check(z.int(), z.minimum(0), z.describe('How long the call must last to be paid'))),
  })
  .check(z.describe('Payout terms echoed on a yes (the gate reports them; it does not bill)'));
export type Payout = z.output<typeof payoutSchema>;
