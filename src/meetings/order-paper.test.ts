import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { defaultOrder, proportionalShare, rankGroups, turnSequence, type PartyGroupSize, type TabledOralQuestion } from './order-paper.ts';

const at = (minute: number) => new Date(Date.UTC(2009, 5, 1, 9, minute));

/** n questions for a group, tabled a minute apart from `from`, ids from `firstId`. */
function questionsOf(groupKey: string, n: number, firstId: number, from = 0): TabledOralQuestion[] {
  return Array.from({ length: n }, (_, i) => ({ id: firstId + i, groupKey, tabledAt: at(from + i) }));
}

const LONDON_LIKE: PartyGroupSize[] = [
  { key: 'a', name: 'Alpha Group', members: 11 },
  { key: 'b', name: 'Beta Group', members: 5 },
  { key: 'c', name: 'Gamma Group', members: 3 },
  { key: 'd', name: 'Delta Group', members: 2 },
  { key: 'e', name: 'Epsilon Group', members: 2 },
  { key: 'f', name: 'Independent: Zoe Ind', members: 1 },
];

describe('the turn sequence (quota method)', () => {
  test('for groups of 11/5/3/2/2/1, the first 24 turns', () => {
    const names = 'ABCDEF';
    const turns = turnSequence(LONDON_LIKE, 24).map((i) => names[i]).join(' ');
    assert.equal(turns, 'A B A C A B A D A E A B C A B A C A D A B A E F');
    // 24 turns among 24 members: each group exactly its size.
    const counts = [...'ABCDEF'].map((g) => turns.split(' ').filter((t) => t === g).length);
    assert.deepEqual(counts, [11, 5, 3, 2, 2, 1]);
    // and the next 24 repeat the pattern
    assert.equal(turnSequence(LONDON_LIKE, 48).slice(24).map((i) => names[i]).join(' '), turns);
  });

  test('one group takes every turn', () => {
    assert.deepEqual(turnSequence([{ members: 7 }], 5), [0, 0, 0, 0, 0]);
  });

  test('equal groups alternate, the higher-ranked first', () => {
    assert.deepEqual(turnSequence([{ members: 2 }, { members: 2 }], 6), [0, 1, 0, 1, 0, 1]);
    assert.deepEqual(turnSequence([{ members: 1 }, { members: 1 }, { members: 1 }], 6), [0, 1, 2, 0, 1, 2]);
  });

  test('refuses sizes that are not positive whole numbers', () => {
    assert.throws(() => turnSequence([{ members: 0 }], 1), RangeError);
    assert.throws(() => turnSequence([{ members: 1.5 }], 1), RangeError);
    assert.throws(() => turnSequence([{ members: -2 }], 1), RangeError);
  });

  test('property: every prefix gives each group the floor or the ceiling of its proportional share', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 9 }), fc.integer({ min: 1, max: 120 }), (sizes, length) => {
        const groups = sizes.map((members) => ({ members }));
        const turns = turnSequence(groups, length);
        const taken = sizes.map(() => 0);
        turns.forEach((g, index) => {
          taken[g]! += 1;
          const n = index + 1;
          groups.forEach((group, i) => {
            const share = proportionalShare(groups, group, n);
            assert.ok(taken[i]! >= Math.floor(share) && taken[i]! <= Math.ceil(share), `group ${i} has ${taken[i]} of ${n} turns, share ${share}`);
          });
        });
      }),
      { numRuns: 400 },
    );
  });
});

describe('the default order', () => {
  test('empty input gives an empty paper', () => {
    assert.deepEqual(defaultOrder([], []), []);
    assert.deepEqual(defaultOrder(LONDON_LIKE, []), []);
  });

  test('one group: its questions in the order tabled (ties on the moment by id)', () => {
    const groups = [{ key: 'g', name: 'Only Group', members: 4 }];
    const questions: TabledOralQuestion[] = [
      { id: 30, groupKey: 'g', tabledAt: at(5) },
      { id: 12, groupKey: 'g', tabledAt: at(1) },
      { id: 11, groupKey: 'g', tabledAt: at(5) },
    ];
    assert.deepEqual(
      defaultOrder(groups, questions).map((p) => [p.position, p.questionId]),
      [
        [1, 12],
        [2, 11],
        [3, 30],
      ],
    );
  });

  test('11/5/3/2/2/1 with plenty of questions follows the turn sequence, each group in tabling order', () => {
    let id = 100;
    const questions = LONDON_LIKE.flatMap((g, i) => {
      const qs = questionsOf(g.key, 12, id, i);
      id += 12;
      return qs;
    });
    const order = defaultOrder(LONDON_LIKE, questions);
    assert.equal(order.length, questions.length);
    assert.equal(
      order
        .slice(0, 24)
        .map((p) => p.groupKey)
        .join(''),
      'abacabadaeabcabacadabaef',
    );
    assert.deepEqual(
      order.filter((p) => p.groupKey === 'b').map((p) => p.questionId),
      questions.filter((q) => q.groupKey === 'b').map((q) => q.id),
    );
  });

  test('a group with no questions left yields its turns to the next in the sequence', () => {
    const questions = [...questionsOf('a', 3, 1), ...questionsOf('b', 1, 10), ...questionsOf('d', 2, 20)];
    const order = defaultOrder(LONDON_LIKE, questions).map((p) => p.groupKey).join('');
    // the sequence A B A C A B A D ...: C has none, B runs out after one, A after three; D and then its second turn
    assert.equal(order, 'abaadd');
  });

  test('ties: equal groups are ranked by first question tabled, then name, then key', () => {
    const groups: PartyGroupSize[] = [
      { key: 'x', name: 'Xylophone Group', members: 2 },
      { key: 'y', name: 'Yellow Group', members: 2 },
    ];
    // y tabled first, so y leads the alternation
    const yFirst = defaultOrder(groups, [...questionsOf('x', 2, 1, 10), ...questionsOf('y', 2, 5, 0)]);
    assert.equal(yFirst.map((p) => p.groupKey).join(''), 'yxyx');
    // same moment: alphabetical by name
    const same = defaultOrder(groups, [...questionsOf('y', 2, 1, 0), ...questionsOf('x', 2, 5, 0)]);
    assert.equal(same.map((p) => p.groupKey).join(''), 'xyxy');
    // same name too: by key
    const twins = rankGroups(
      [
        { key: 'q2', name: 'Independent', members: 1 },
        { key: 'q1', name: 'Independent', members: 1 },
      ],
      [],
    );
    assert.deepEqual(
      twins.map((g) => g.key),
      ['q1', 'q2'],
    );
    // the input order of groups and questions never matters
    const shuffled = defaultOrder([...groups].reverse(), [...questionsOf('x', 2, 5, 0), ...questionsOf('y', 2, 1, 0)].reverse());
    assert.deepEqual(shuffled, same);
  });

  test('a larger group beats an earlier-tabling smaller one on ties', () => {
    const groups: PartyGroupSize[] = [
      { key: 's', name: 'Small', members: 1 },
      { key: 'l', name: 'Large', members: 3 },
    ];
    const order = defaultOrder(groups, [...questionsOf('s', 1, 1, 0), ...questionsOf('l', 4, 10, 30)]);
    assert.equal(order.map((p) => p.groupKey).join(''), 'lllsl');
  });

  test('refuses inconsistent input rather than guessing', () => {
    assert.throws(() => defaultOrder([{ key: 'a', name: 'A', members: 1 }], questionsOf('b', 1, 1)), RangeError);
    assert.throws(() => defaultOrder([{ key: 'a', name: 'A', members: 1 }], [...questionsOf('a', 1, 1), ...questionsOf('a', 1, 1)]), RangeError);
    assert.throws(
      () =>
        defaultOrder(
          [
            { key: 'a', name: 'A', members: 1 },
            { key: 'a', name: 'A again', members: 2 },
          ],
          [],
        ),
      RangeError,
    );
  });

  const world = fc
    .array(fc.record({ members: fc.integer({ min: 1, max: 15 }), questions: fc.integer({ min: 0, max: 8 }), from: fc.integer({ min: 0, max: 50 }) }), {
      minLength: 1,
      maxLength: 7,
    })
    .map((spec) => {
      let id = 1;
      const groups = spec.map((g, i) => ({ key: `g${i}`, name: `Group ${i}`, members: g.members }));
      const questions = spec.flatMap((g, i) => {
        const qs = questionsOf(`g${i}`, g.questions, id, g.from);
        id += g.questions;
        return qs;
      });
      return { groups, questions };
    });

  test('property: every question exactly once, positions 1..n, each group in tabling order', () => {
    fc.assert(
      fc.property(world, ({ groups, questions }) => {
        const order = defaultOrder(groups, questions);
        assert.deepEqual(
          order.map((p) => p.position),
          order.map((_, i) => i + 1),
        );
        assert.deepEqual(
          order.map((p) => p.questionId).sort((a, b) => a - b),
          questions.map((q) => q.id).sort((a, b) => a - b),
        );
        for (const g of groups) {
          const mine = order.filter((p) => p.groupKey === g.key).map((p) => p.questionId);
          const tabled = questions.filter((q) => q.groupKey === g.key).sort((a, b) => a.tabledAt.getTime() - b.tabledAt.getTime() || a.id - b.id);
          assert.deepEqual(
            mine,
            tabled.map((q) => q.id),
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  test("property: each group's share of the first N turns stays within 1 of its proportional share while it has questions", () => {
    fc.assert(
      fc.property(world, ({ groups, questions }) => {
        const order = defaultOrder(groups, questions);
        const total = (key: string) => questions.filter((q) => q.groupKey === key).length;
        const taken = new Map(groups.map((g) => [g.key, 0]));
        let everyoneHasQuestions = groups.every((g) => total(g.key) > 0);
        order.forEach((place, index) => {
          taken.set(place.groupKey, (taken.get(place.groupKey) ?? 0) + 1);
          const n = index + 1;
          for (const g of groups) {
            const mine = taken.get(g.key) ?? 0;
            const share = proportionalShare(groups, g, n);
            // While the group still has questions waiting (or just placed its last), it is never a whole turn behind.
            if (mine < total(g.key) || (mine === total(g.key) && place.groupKey === g.key)) {
              assert.ok(mine > share - 1, `${g.key} has ${mine} of the first ${n}, share ${share}`);
            }
            // While no group has run out, nobody is a whole turn ahead either.
            if (everyoneHasQuestions) assert.ok(mine < share + 1, `${g.key} has ${mine} of the first ${n}, share ${share}`);
          }
          if (groups.some((g) => (taken.get(g.key) ?? 0) >= total(g.key))) everyoneHasQuestions = false;
        });
      }),
      { numRuns: 300 },
    );
  });
});
