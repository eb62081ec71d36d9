//! A seating of every planned round with live pair counts, so a swap costs O(room size).

use crate::rotation::problem::Round;
use crate::rotation::rules::Rules;

/// Planned rounds plus the meet-count matrix (history included) and the running cost.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan {
    /// People present.
    pub n: usize,
    /// Room of each person per round, `rounds × n`.
    pub room_of: Vec<usize>,
    /// Members of each room per round.
    pub members: Vec<Vec<Vec<usize>>>,
    /// Meetings per pair over history and plan, `n × n`.
    pub meets: Vec<u32>,
    /// Search cost: pair costs plus soft-rule weights.
    pub cost: i64,
}

impl Plan {
    /// Builds a plan from complete rounds (every person seated once per round).
    pub fn from_rounds(rules: &Rules, rounds: &[Round]) -> Plan {
        let n = rules.n;
        let mut room_of = vec![0; rounds.len() * n];
        let mut meets = rules.history.clone();
        for (r, round) in rounds.iter().enumerate() {
            for (room, members) in round.iter().enumerate() {
                for (i, &a) in members.iter().enumerate() {
                    room_of[r * n + a] = room;
                    for &b in &members[i + 1..] {
                        meets[a * n + b] += 1;
                        meets[b * n + a] += 1;
                    }
                }
            }
        }
        let mut plan = Plan { n, room_of, members: rounds.to_vec(), meets, cost: 0 };
        plan.cost = plan.full_cost(rules);
        plan
    }

    /// Cost recomputed from scratch.
    pub fn full_cost(&self, rules: &Rules) -> i64 {
        let n = self.n;
        let mut cost = rules.together_offset;
        for a in 0..n {
            for b in a + 1..n {
                cost += rules.cost_of(self.meets[a * n + b]);
            }
        }
        for round in &self.members {
            for members in round {
                for (i, &a) in members.iter().enumerate() {
                    for &b in &members[i + 1..] {
                        cost += rules.together[a * n + b];
                    }
                }
            }
        }
        cost
    }

    /// Number of planned rounds.
    pub fn rounds(&self) -> usize {
        self.members.len()
    }

    /// Room of `person` in round `r`.
    pub fn room(&self, r: usize, person: usize) -> usize {
        self.room_of[r * self.n + person]
    }

    /// Cost change if `person` left `room` (a room they are in) in one round.
    pub fn leave_cost(&self, rules: &Rules, person: usize, room: &[usize]) -> i64 {
        let n = self.n;
        room.iter()
            .filter(|&&x| x != person)
            .map(|&x| {
                let m = self.meets[person * n + x];
                rules.cost_of(m) - rules.cost_of(m - 1) + rules.together[person * n + x]
            })
            .sum()
    }

    /// Whether swapping `a` and `b` (in different rooms of round `r`) keeps keep-apart rules.
    pub fn swap_allowed(&self, rules: &Rules, r: usize, a: usize, b: usize) -> bool {
        let n = self.n;
        let room_a = &self.members[r][self.room(r, a)];
        let room_b = &self.members[r][self.room(r, b)];
        room_a.iter().all(|&x| x == a || !rules.apart[b * n + x])
            && room_b.iter().all(|&y| y == b || !rules.apart[a * n + y])
    }

    /// Cost change of swapping `a` and `b`, in different rooms of round `r`.
    pub fn swap_delta(&self, rules: &Rules, r: usize, a: usize, b: usize) -> i64 {
        let n = self.n;
        let room_a = &self.members[r][self.room(r, a)];
        let room_b = &self.members[r][self.room(r, b)];
        let mut delta = -self.leave_cost(rules, a, room_a) - self.leave_cost(rules, b, room_b);
        for &x in room_a {
            if x != a {
                delta += rules.gain_cost(self.meets[b * n + x]) + rules.together[b * n + x];
            }
        }
        for &y in room_b {
            if y != b {
                delta += rules.gain_cost(self.meets[a * n + y]) + rules.together[a * n + y];
            }
        }
        delta
    }

    /// Swaps `a` and `b`, in different rooms of round `r`, updating counts and cost.
    pub fn apply_swap(&mut self, rules: &Rules, r: usize, a: usize, b: usize) {
        self.cost += self.swap_delta(rules, r, a, b);
        let n = self.n;
        let ra = self.room(r, a);
        let rb = self.room(r, b);
        for &x in &self.members[r][ra] {
            if x != a {
                self.meets[a * n + x] -= 1;
                self.meets[x * n + a] -= 1;
                self.meets[b * n + x] += 1;
                self.meets[x * n + b] += 1;
            }
        }
        for &y in &self.members[r][rb] {
            if y != b {
                self.meets[b * n + y] -= 1;
                self.meets[y * n + b] -= 1;
                self.meets[a * n + y] += 1;
                self.meets[y * n + a] += 1;
            }
        }
        for slot in self.members[r][ra].iter_mut() {
            if *slot == a {
                *slot = b;
            }
        }
        for slot in self.members[r][rb].iter_mut() {
            if *slot == b {
                *slot = a;
            }
        }
        self.room_of[r * n + a] = rb;
        self.room_of[r * n + b] = ra;
    }

    /// The planned rounds, each room sorted.
    pub fn to_rounds(&self) -> Vec<Round> {
        let mut rounds = self.members.clone();
        for round in &mut rounds {
            for room in round.iter_mut() {
                room.sort_unstable();
            }
        }
        rounds
    }
}
