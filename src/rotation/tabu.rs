//! Tabu search over swaps of two people in different rooms of one round (Dotú & Van
//! Hentenryck, "Scheduling Social Golfers Locally", 2005): at least one of the two is in
//! conflict, moves are tabu for a short random tenure unless they beat the best plan, and a
//! stalled search restarts from the best plan with random swaps.

use crate::rotation::plan::Plan;
use crate::rotation::rules::Rules;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// When the search stops.
pub(crate) struct Limits<'a> {
    /// Wall-clock cap (None when the budget is too large to represent).
    pub deadline: Option<Instant>,
    /// Cap on moves; perturbation swaps are not counted.
    pub max_iterations: Option<u64>,
    /// Set by another thread to stop at once with the best plan so far.
    pub cancel: Option<&'a AtomicBool>,
}

/// Why the search stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// The goal was reached (or nobody could gain from moving).
    Goal,
    /// `Limits::max_iterations` moves were made.
    Iterations,
    /// The deadline passed.
    Deadline,
    /// `Limits::cancel` was set.
    Cancelled,
}

/// The best plan found and the moves spent.
pub(crate) struct Outcome {
    /// Lowest-cost plan seen.
    pub best: Plan,
    /// Moves made.
    pub iterations: u64,
    /// Why it stopped.
    pub stop: Stop,
}

/// One candidate swap: `a` and `b` trade rooms in `round`, changing the cost by `delta`.
#[derive(Clone, Copy)]
struct Move {
    delta: i64,
    round: usize,
    a: usize,
    b: usize,
}

/// Improves `start` until `done` accepts the best plan or a limit is hit; `watch` sees the
/// best plan and the moves made after every move (to report progress).
pub(crate) fn improve(
    rules: &Rules,
    start: Plan,
    limits: &Limits,
    rng: &mut ChaCha8Rng,
    done: &dyn Fn(&Plan) -> bool,
    watch: &mut dyn FnMut(&Plan, u64),
) -> Outcome {
    let mut search = Search::new(rules, start);
    let stop = search.run(limits, rng, done, watch);
    Outcome { best: search.best, iterations: search.iteration, stop }
}

struct Search<'a> {
    rules: &'a Rules,
    plan: Plan,
    best: Plan,
    /// Whether each person may move in each round (leads and locks may not), `rounds × n`.
    movable: Vec<bool>,
    /// Keep-together partners of each person.
    partners: Vec<Vec<usize>>,
    /// Iteration until which a person may not move in a round, `rounds × n`.
    tabu_until: Vec<u64>,
    iteration: u64,
    /// Scratch for the round being scanned: cost of each person leaving their room.
    leave: Vec<i64>,
    /// Scratch: cost of each person joining each room (as if they were not in it), `n × rooms`.
    join: Vec<i64>,
    /// Scratch: keep-apart partners of each person in each room, `n × rooms`.
    apart_count: Vec<u32>,
    /// Whether the last scan found anyone in conflict.
    any_conflict: bool,
}

impl<'a> Search<'a> {
    fn new(rules: &'a Rules, start: Plan) -> Search<'a> {
        let n = rules.n;
        let rounds = start.rounds();
        let movable = rules.fixed.iter().map(Option::is_none).collect();
        let partners = (0..n).map(|a| (0..n).filter(|&b| rules.together[a * n + b] < 0).collect()).collect();
        Search {
            rules,
            best: start.clone(),
            plan: start,
            movable,
            partners,
            tabu_until: vec![0; rounds * n],
            iteration: 0,
            leave: vec![0; n],
            join: vec![0; n * rules.rooms],
            apart_count: vec![0; n * rules.rooms],
            any_conflict: false,
        }
    }

    fn run(
        &mut self,
        limits: &Limits,
        rng: &mut ChaCha8Rng,
        done: &dyn Fn(&Plan) -> bool,
        watch: &mut dyn FnMut(&Plan, u64),
    ) -> Stop {
        let n = self.rules.n;
        let people_slots = (n * self.plan.rounds()) as u64;
        // Long enough to leave a plateau by sideways moves, short enough to restart often.
        let stall_limit = 200 + 4 * people_slots;
        let mut since_best = 0u64;
        let mut kicks_in_a_row = 0u64;
        if done(&self.best) {
            return Stop::Goal;
        }
        loop {
            watch(&self.best, self.iteration);
            if limits.max_iterations.is_some_and(|cap| self.iteration >= cap) {
                return Stop::Iterations;
            }
            // Checked every move: on large problems one move scans millions of pairs.
            if limits.deadline.is_some_and(|d| Instant::now() >= d) {
                return Stop::Deadline;
            }
            if limits.cancel.is_some_and(|flag| flag.load(Ordering::Relaxed)) {
                return Stop::Cancelled;
            }
            self.iteration += 1;
            let Some(chosen) = self.best_move(rng) else {
                if !self.any_conflict {
                    // No one is in conflict: no plan costs less than this one.
                    if self.plan.cost < self.best.cost {
                        self.best.clone_from(&self.plan);
                    }
                    return Stop::Goal;
                }
                kicks_in_a_row += 1;
                self.kick(rng, kicks_in_a_row);
                continue;
            };
            let tenure = 2 + rng.random_range(0..(3 + n as u64 / 8));
            self.tabu_until[chosen.round * n + chosen.a] = self.iteration + tenure;
            self.tabu_until[chosen.round * n + chosen.b] = self.iteration + tenure;
            self.plan.apply_swap(self.rules, chosen.round, chosen.a, chosen.b);
            if self.plan.cost < self.best.cost {
                self.best.clone_from(&self.plan);
                since_best = 0;
                kicks_in_a_row = 0;
                if done(&self.best) {
                    return Stop::Goal;
                }
            } else {
                since_best += 1;
                if since_best > stall_limit {
                    since_best = 0;
                    kicks_in_a_row += 1;
                    self.plan.clone_from(&self.best);
                    self.kick(rng, kicks_in_a_row);
                }
            }
        }
    }

    /// Random allowed swaps, more for each failed restart in a row, then clears tabu.
    fn kick(&mut self, rng: &mut ChaCha8Rng, strength: u64) {
        let n = self.rules.n;
        let rounds = self.plan.rounds();
        if rounds == 0 || n < 2 {
            return;
        }
        let swaps = 2 + (strength.min(8) as usize) * (n * rounds).div_ceil(64);
        let mut done = 0;
        let mut tries = 0;
        while done < swaps && tries < swaps * 20 {
            tries += 1;
            let r = rng.random_range(0..rounds);
            let a = rng.random_range(0..n);
            let b = rng.random_range(0..n);
            if !self.movable[r * n + a]
                || !self.movable[r * n + b]
                || self.plan.room(r, a) == self.plan.room(r, b)
                || !self.plan.swap_allowed(self.rules, r, a, b)
            {
                continue;
            }
            self.plan.apply_swap(self.rules, r, a, b);
            done += 1;
        }
        self.tabu_until.iter_mut().for_each(|t| *t = 0);
    }

    /// Whether `a` gains from moving in round `r`: a room-mate costs more than nothing, or a
    /// keep-together partner sits elsewhere.
    fn in_conflict(&self, r: usize, a: usize) -> bool {
        let n = self.rules.n;
        let room = self.plan.room(r, a);
        let members = &self.plan.members[r][room];
        members.iter().any(|&x| {
            x != a && {
                let m = self.plan.meets[a * n + x];
                // Room-mates have met at least in this round, so `m >= 1`.
                self.rules.cost_of(m) - self.rules.cost_of(m - 1) + self.rules.together[a * n + x] > 0
            }
        }) || self.partners[a].iter().any(|&q| self.plan.room(r, q) != room)
    }

    /// The best non-tabu swap (or tabu one beating the best plan), ties broken at random.
    ///
    /// Per round, the cost of people joining rooms is tabulated first, so each candidate swap
    /// then costs `O(1)` however large the rooms.
    fn best_move(&mut self, rng: &mut ChaCha8Rng) -> Option<Move> {
        let rules = self.rules;
        let n = rules.n;
        let rooms = rules.rooms;
        let mut chosen: Option<Move> = None;
        let mut ties = 0u32;
        self.any_conflict = false;
        for r in 0..self.plan.rounds() {
            let conflicted: Vec<usize> =
                (0..n).filter(|&a| self.movable[r * n + a] && self.in_conflict(r, a)).collect();
            if conflicted.is_empty() {
                continue;
            }
            self.any_conflict = true;
            self.tabulate(r, &conflicted);
            let plan = &self.plan;
            for a in conflicted {
                let room_a = plan.room(r, a);
                let a_tabu = self.tabu_until[r * n + a] > self.iteration;
                for (room_b, members_b) in plan.members[r].iter().enumerate() {
                    if room_b == room_a {
                        continue;
                    }
                    for &b in members_b {
                        if !self.movable[r * n + b] {
                            continue;
                        }
                        let ab = a * n + b;
                        let apart = u32::from(rules.apart[ab]);
                        if self.apart_count[a * rooms + room_b] > apart
                            || self.apart_count[b * rooms + room_a] > apart
                        {
                            continue;
                        }
                        // Neither meets the other in the room they join.
                        let lost = rules.gain_cost(plan.meets[ab]) + rules.together[ab];
                        let delta = self.join[a * rooms + room_b] + self.join[b * rooms + room_a]
                            - 2 * lost
                            - self.leave[a]
                            - self.leave[b];
                        let tabu = a_tabu || self.tabu_until[r * n + b] > self.iteration;
                        if tabu && plan.cost + delta >= self.best.cost {
                            continue;
                        }
                        match chosen {
                            Some(c) if delta > c.delta => {}
                            Some(c) if delta == c.delta => {
                                ties += 1;
                                if rng.random_range(0..ties) == 0 {
                                    chosen = Some(Move { delta, round: r, a, b });
                                }
                            }
                            _ => {
                                chosen = Some(Move { delta, round: r, a, b });
                                ties = 1;
                            }
                        }
                    }
                }
            }
        }
        chosen
    }

    /// Fills `leave` for round `r`, and `join` and `apart_count` where a swap with one of
    /// `conflicted` reads them: every person into the rooms of the conflicted, the conflicted
    /// into every room. Late in a search few rooms hold conflicts, so this is far below `n²`.
    fn tabulate(&mut self, r: usize, conflicted: &[usize]) {
        let rules = self.rules;
        let n = rules.n;
        let rooms = rules.rooms;
        let plan = &self.plan;
        let mut hot = vec![false; rooms];
        for &a in conflicted {
            hot[plan.room(r, a)] = true;
        }
        let cell = |p: usize, members: &[usize]| -> (i64, u32) {
            members.iter().fold((0, 0), |(join, apart), &x| {
                let px = p * n + x;
                (
                    join + rules.gain_cost(plan.meets[px]) + rules.together[px],
                    apart + u32::from(rules.apart[px]),
                )
            })
        };
        for (room, members) in plan.members[r].iter().enumerate() {
            let mut fill = |p: usize| {
                let slot = p * rooms + room;
                (self.join[slot], self.apart_count[slot]) = cell(p, members);
            };
            if hot[room] {
                (0..n).for_each(&mut fill);
            } else {
                conflicted.iter().copied().for_each(&mut fill);
            }
        }
        for p in 0..n {
            let room = plan.room(r, p);
            self.leave[p] = plan.leave_cost(rules, p, &plan.members[r][room]);
        }
    }
}
