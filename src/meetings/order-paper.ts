// The Priority Order Paper's default order, as a pure rule: oral questions shared among party groups by their size.
//
// ---- How the default order is made (copy into ARCHITECTURE.md) -------------------------------------------------
// Input: the accepted oral questions for one meeting, each with its asker's party group on the meeting day and
// the moment it was tabled; and each party group's size, counted as the members of the assembly in it on the
// meeting day. A member in no party group on that day counts as a group of one ("Independent"), so
// independents neither pool their turns nor take them from each other.
//
// 1. The groups are ranked: larger group first; then the group whose first oral question for the meeting was
//    tabled earliest (a group with none comes after those with some); then by name; then by key. The rank only
//    ever breaks ties below.
// 2. A sequence of turns is dealt with the quota method of Balinski and Young (1975), which is D'Hondt with a
//    ceiling. For turn n (n = 1, 2, ...), with S the assembly's members in all groups, s the group's size and
//    t the turns it has had so far:
//      - a group may take turn n only if t < n × s / S (taking it will not lift the group past its
//        proportional share of n turns by a whole turn or more);
//      - among those, the turn goes to the group with the largest s / (t + 1) (D'Hondt's quotient);
//      - an exact tie goes to the higher-ranked group (step 1).
//    Every prefix of this sequence gives each group floor(n × s / S) or ceil(n × s / S) turns, never more and
//    never fewer, and the sequence does not depend on how many questions anyone tabled. The arithmetic is done
//    on whole numbers (t × S < n × s; s₁ × (t₂ + 1) against s₂ × (t₁ + 1)), so no rounding can change it.
// 3. The sequence is walked turn by turn: a group's turn takes that group's earliest-tabled question still
//    waiting (ties on the tabled moment by the question's id). A group with no question left yields the turn
//    to the next in the sequence. This goes on until every question has a position, 1, 2, 3 ...
// So while every group still has questions, each group's share of the first N positions is within one of its
// proportional share N × s / S; a group that still has questions never falls a whole turn behind it.
// -----------------------------------------------------------------------------------------------------------------

export interface PartyGroupSize {
  /** Stable identity: a party group's organisation, or one independent member. */
  key: string;
  name: string;
  /** Members of the assembly in the group on the meeting day: a positive whole number. */
  members: number;
}

export interface TabledOralQuestion {
  id: number;
  /** The key of the asker's group on the meeting day. */
  groupKey: string;
  tabledAt: Date;
}

export interface OrderPaperPlace {
  position: number;
  questionId: number;
  groupKey: string;
}

/** Orders groups for tie-breaks: larger first, then earliest first question tabled, then name, then key. */
export function rankGroups(groups: readonly PartyGroupSize[], questions: readonly TabledOralQuestion[]): PartyGroupSize[] {
  const firstTabled = new Map<string, number>();
  for (const q of questions) {
    const at = q.tabledAt.getTime();
    const seen = firstTabled.get(q.groupKey);
    if (seen === undefined || at < seen) firstTabled.set(q.groupKey, at);
  }
  const first = (g: PartyGroupSize) => firstTabled.get(g.key) ?? Number.POSITIVE_INFINITY;
  // Plain code-unit comparison, not localeCompare: the order must not depend on the server's locale.
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...groups].sort((a, b) => b.members - a.members || first(a) - first(b) || text(a.name, b.name) || text(a.key, b.key));
}

/**
 * The first `length` turns of the sequence, as indexes into `ranked` (the groups in rank order: ties go to the
 * lower index). Pure whole-number arithmetic.
 */
export function turnSequence(ranked: readonly Pick<PartyGroupSize, 'members'>[], length: number): number[] {
  checkSizes(ranked);
  const total = ranked.reduce((sum, g) => sum + g.members, 0);
  const taken = ranked.map(() => 0);
  const turns: number[] = [];
  for (let n = 1; n <= length; n++) turns.push(nextTurn(ranked, taken, total, n));
  return turns;
}

function nextTurn(ranked: readonly Pick<PartyGroupSize, 'members'>[], taken: number[], total: number, n: number): number {
  let best = -1;
  for (let i = 0; i < ranked.length; i++) {
    const s = ranked[i]!.members;
    const t = taken[i]!;
    if (t * total >= n * s) continue; // would pass its upper quota
    if (best === -1) {
      best = i;
      continue;
    }
    // s / (t + 1) > s_best / (t_best + 1), cross-multiplied; equal quotients keep the higher-ranked group.
    if (s * (taken[best]! + 1) > ranked[best]!.members * (t + 1)) best = i;
  }
  // Turns so far (n - 1) are fewer than n, the sum of every group's n × s / S: some group is always below quota.
  if (best === -1) throw new Error('no group below its quota: the sizes are inconsistent');
  taken[best]! += 1;
  return best;
}

function checkSizes(groups: readonly Pick<PartyGroupSize, 'members'>[]): void {
  for (const g of groups) {
    if (!Number.isSafeInteger(g.members) || g.members < 1) throw new RangeError(`a party group's size must be a positive whole number, not ${g.members}`);
  }
}

/**
 * The default Priority Order Paper: every question exactly once, positions 1..n, groups interleaved in proportion
 * to their size, each group's questions in the order they were tabled. See the comment at the top of this file.
 */
export function defaultOrder(groups: readonly PartyGroupSize[], questions: readonly TabledOralQuestion[]): OrderPaperPlace[] {
  checkSizes(groups);
  const keys = new Set<string>();
  for (const g of groups) {
    if (keys.has(g.key)) throw new RangeError(`party group ${g.key} is listed twice`);
    keys.add(g.key);
  }
  const ids = new Set<number>();
  for (const q of questions) {
    if (ids.has(q.id)) throw new RangeError(`question ${q.id} is listed twice`);
    if (!keys.has(q.groupKey)) throw new RangeError(`question ${q.id} belongs to ${q.groupKey}, which is not among the groups`);
    ids.add(q.id);
  }
  if (questions.length === 0) return [];

  const ranked = rankGroups(groups, questions);
  const waiting = ranked.map((g) =>
    questions.filter((q) => q.groupKey === g.key).sort((a, b) => a.tabledAt.getTime() - b.tabledAt.getTime() || a.id - b.id),
  );
  const total = ranked.reduce((sum, g) => sum + g.members, 0);
  const taken = ranked.map(() => 0);
  const places: OrderPaperPlace[] = [];
  // Ends: every group gets at least floor(n × s / S) of n turns, so each queue empties by n = (size of queue + 1) × S / s.
  for (let n = 1; places.length < questions.length; n++) {
    const group = nextTurn(ranked, taken, total, n);
    const question = waiting[group]!.shift();
    if (question) places.push({ position: places.length + 1, questionId: question.id, groupKey: question.groupKey });
  }
  return places;
}

/** Each group's proportional share of the first n turns, n × s / S (for explanations and tests). */
export function proportionalShare(groups: readonly Pick<PartyGroupSize, 'members'>[], group: Pick<PartyGroupSize, 'members'>, n: number): number {
  const total = groups.reduce((sum, g) => sum + g.members, 0);
  return (n * group.members) / total;
}
