/**
 * Aircall: who is in a queue, and each member's live availability, for as few API calls as
 * possible. The company's ~120 calls/min are shared by every integration on the account
 * (docs/operators/vendors/aircall.md), so each call saved here is one another integration keeps.
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { VendorError } from '../errors';
import { vendorEndpoint } from './http-client';
import { vendorCount } from './counts';

const aircallId = z.pipe(z.union([vendorCount, z.string().check(z.regex(/^\d{1,20}$/))]), z.transform(String));

// Member ids only: names, e-mails and the working-hours fields `available` / `availability_status` are not parsed.
export const aircallTeamBodySchema = z.object({ team: z.object({ users: z.array(z.object({ id: aircallId })) }) });

export const aircallAvailabilitiesPageSchema = z.object({
  users: z.array(z.object({ id: aircallId, availability: z.string() })),
  meta: z.object({
    total: z.optional(vendorCount),
    per_page: z.optional(vendorCount.check(z.minimum(1))),
    current_page: z.optional(vendorCount.check(z.minimum(1))),
    // Required (null on the last page): a missing link would silently count the rest as offline.
    next_page_link: z.nullable(z.string()),
  }),
});
export type AircallAvailabilitiesPage = z.output<typeof aircallAvailabilitiesPageSchema>;

export const aircallUserAvailabilitySchema = z.object({ availability: z.string() });

/** One authenticated GET inside the check's budget; throws a VendorError. */
export type AircallGet = <S extends z.ZodMiniType>(url: URL, schema: S) => Promise<z.output<S>>;

export const aircallPerPage = 50; // the documented maximum
const teamTtlMs = 10 * 60_000;
const perUserConcurrency = 4;

/** Team members, kept 10 minutes per (base URL, company, team): membership changes rarely, calls are scarce. */
export class AircallTeamCache {
  private readonly teams = new Map<string, { members: string[]; fetchedAt: number }>();

  constructor(private readonly now: () => number) {}

  async members(key: string, fetchMembers: () => Promise<string[]>): Promise<string[]> {
    const cached = this.teams.get(key);
    if (cached && this.now() - cached.fetchedAt < teamTtlMs) return cached.members;
    const members = await fetchMembers();
    this.teams.set(key, { members, fetchedAt: this.now() });
    return members;
  }
}

export async function readAircallTeamMembers(get: AircallGet, baseUrl: string, teamId: string): Promise<string[]> {
  const body = await get(vendorEndpoint(baseUrl, `/v1/teams/${teamId}`), aircallTeamBodySchema);
  return [...new Set(body.team.users.map((user) => user.id))];
}

/**
 * Live availability of each member found (a member absent from the map was not listed).
 * Page 1 first; then whichever costs fewer calls: the remaining pages, or one call per missing member.
 */
export async function readAircallMemberStatuses(get: AircallGet, baseUrl: string, members: readonly string[]): Promise<Map<string, string>> {
  const wanted = new Set(members);
  const statuses = new Map<string, string>();
  const firstUrl = vendorEndpoint(baseUrl, '/v1/users/availabilities', { page: '1', per_page: String(aircallPerPage) });
  let page = await get(firstUrl, aircallAvailabilitiesPageSchema);
  recordMembers(page, wanted, statuses);
  const missing = members.filter((id) => !statuses.has(id));
  // One call per missing member vs. at most one per remaining page: per-user only when strictly fewer (a walk may also stop early).
  if (missing.length > 0 && missing.length < remainingPages(page) && (await readEachMember(get, baseUrl, missing, statuses))) {
    return statuses;
  }
  const visited = new Set([firstUrl.href]);
  while (page.meta.next_page_link !== null && statuses.size < wanted.size) {
    page = await get(followableLink(page.meta.next_page_link, firstUrl, visited), aircallAvailabilitiesPageSchema);
    recordMembers(page, wanted, statuses);
  }
  return statuses;
}

/** Every user's live status, all pages: the company-wide read that queues on one secret share. Ids and statuses only. */
export async function readAircallAllStatuses(get: AircallGet, baseUrl: string): Promise<Record<string, string>> {
  const statuses: Record<string, string> = {};
  const firstUrl = vendorEndpoint(baseUrl, '/v1/users/availabilities', { page: '1', per_page: String(aircallPerPage) });
  const visited = new Set([firstUrl.href]);
  let page = await get(firstUrl, aircallAvailabilitiesPageSchema);
  // Ids are digits only (aircallId), so no vendor string can reach the object's prototype.
  for (;;) {
    for (const user of page.users) statuses[user.id] = user.availability;
    if (page.meta.next_page_link === null) return statuses;
    page = await get(followableLink(page.meta.next_page_link, firstUrl, visited), aircallAvailabilitiesPageSchema);
  }
}

function recordMembers(page: AircallAvailabilitiesPage, wanted: ReadonlySet<string>, statuses: Map<string, string>) {
  for (const user of page.users) if (wanted.has(user.id)) statuses.set(user.id, user.availability);
}

/** Pages after this one, from `meta.total`; unknown total means walking is the only estimate. */
function remainingPages(page: AircallAvailabilitiesPage): number {
  const { total, per_page: perPage = aircallPerPage, current_page: currentPage = 1, next_page_link: next } = page.meta;
  if (next === null) return 0;
  if (total === undefined) return Number.POSITIVE_INFINITY;
  return Math.max(1, Math.ceil(total / perPage) - currentPage);
}

/**
 * `next_page_link` is vendor-supplied: followed only on the configured origin and endpoint, so that
 * no answer can send the gate, with its credentials, to a host the config did not name.
 */
function followableLink(link: string, firstUrl: URL, visited: Set<string>): URL {
  let url: URL;
  try {
    url = new URL(link, firstUrl);
  } catch {
    throw new VendorError('bad_payload', 'Aircall next_page_link is not a URL');
  }
  if (url.origin !== firstUrl.origin || url.username || url.password || url.pathname !== firstUrl.pathname) {
    throw new VendorError('bad_payload', 'Aircall next_page_link points outside the configured base URL');
  }
  if (visited.has(url.href)) throw new VendorError('bad_payload', 'Aircall next_page_link repeats a page already read');
  visited.add(url.href);
  return url;
}

/**
 * A few at a time; the first failure stops further calls. False when a member answered 404: that
 * may be a deleted user or an endpoint this account lacks (its body is assumed), and walking the
 * pages answers both correctly, so the caller walks instead of counting anyone offline on a guess.
 */
async function readEachMember(get: AircallGet, baseUrl: string, ids: readonly string[], statuses: Map<string, string>): Promise<boolean> {
  let next = 0;
  let stopped = false;
  let complete = true;
  const worker = async () => {
    while (next < ids.length && !stopped) {
      const id = ids[next++]!;
      try {
        statuses.set(id, (await get(vendorEndpoint(baseUrl, `/v1/users/${id}/availability`), aircallUserAvailabilitySchema)).availability);
      } catch (error) {
        stopped = true;
        if (!(error instanceof VendorError && error.status === 404)) throw error;
        complete = false;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(perUserConcurrency, ids.length) }, worker));
  return complete;
}
