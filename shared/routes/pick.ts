/**
 * Which member of a route takes the call (docs/callers/routes-and-destinations.md): pure, so the
 * rules are tested without a clock or a store. The result is the pick order of the members that
 * said yes: the first is chosen, and when its hold is refused at placement the next is tried.
 */
import type { RoutePick } from '../config/routes';

export interface MemberYes {
  queue: string;
  /** Free agents net of holds (`availableAgents - heldAgents`); null when the yes has no count. */
  room: number | null;
}

export interface PickRules {
  pick: RoutePick;
  weights?: Readonly<Record<string, number>>;
  /** A number in [0, 1), as Math.random; injected so tests can seed it. */
  random?: () => number;
}

/** `yeses` in the members' list order; returns them in the order they should be tried. */
export function pickOrder(yeses: readonly MemberYes[], rules: PickRules): MemberYes[] {
  switch (rules.pick) {
    case 'first':
      return [...yeses];
    case 'most_available':
      return byRoom(yeses);
    case 'weighted':
      return weightedOrder(yeses, rules.weights ?? {}, rules.random ?? Math.random);
  }
}

/** Most room first; a yes without a count last; ties keep the list order (a stable sort). */
function byRoom(yeses: readonly MemberYes[]): MemberYes[] {
  const rank = (yes: MemberYes) => (yes.room === null ? -Infinity : yes.room);
  return [...yeses].sort((a, b) => rank(b) - rank(a));
}

/** Draws without replacement, each draw in proportion to the remaining members' weights. */
function weightedOrder(yeses: readonly MemberYes[], weights: Readonly<Record<string, number>>, random: () => number): MemberYes[] {
  const left = [...yeses];
  const order: MemberYes[] = [];
  while (left.length > 0) {
    const total = left.reduce((sum, yes) => sum + weightOf(yes, weights), 0);
    let ticket = random() * total;
    let index = 0;
    while (index < left.length - 1 && ticket >= weightOf(left[index]!, weights)) {
      ticket -= weightOf(left[index]!, weights);
      index += 1;
    }
    order.push(...left.splice(index, 1));
  }
  return order;
}

/** Config validation gives every member of a weighted route a positive weight; 1 keeps a stray member drawable. */
function weightOf(yes: MemberYes, weights: Readonly<Record<string, number>>): number {
  return weights[yes.queue] ?? 1;
}
