//! Round-by-round greedy construction that keeps every hard rule (Triska & Musliu 2012 in
//! spirit: each person joins the room where they meet the fewest people already met).

use crate::rotation::error::RotationError;
use crate::rotation::problem::Round;
use crate::rotation::rules::Rules;
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Search nodes allowed per round when seating people with keep-apart rules.
const NODE_LIMIT: u32 = 50_000;

/// Extends `start` (complete rounds, possibly none) to `rules.rounds` rounds.
pub(crate) fn construct(
    rules: &Rules,
    start: &[Round],
    rng: &mut ChaCha8Rng,
) -> Result<Vec<Round>, RotationError> {
    let n = rules.n;
    let mut meets = rules.history.clone();
    add_meets(&mut meets, n, start);
    let mut rounds: Vec<Round> = start.to_vec();
    for r in start.len()..rules.rounds {
        let round = seat_round(rules, r, &meets, rng)?;
        add_meets(&mut meets, n, std::slice::from_ref(&round));
        rounds.push(round);
    }
    Ok(rounds)
}

/// Adds the pairs of `rounds` to a meet-count table.
fn add_meets(meets: &mut [u32], n: usize, rounds: &[Round]) {
    for round in rounds {
        for room in round {
            for (i, &a) in room.iter().enumerate() {
                for &b in &room[i + 1..] {
                    meets[a * n + b] += 1;
                    meets[b * n + a] += 1;
                }
            }
        }
    }
}

/// One round being seated.
struct RoundBuilder<'a> {
    rules: &'a Rules,
    meets: &'a [u32],
    rooms: Vec<Vec<usize>>,
    big_used: usize,
    /// Keep-apart partners already in each room, `n × rooms`.
    blocked: Vec<u32>,
    nodes: u32,
}

impl RoundBuilder<'_> {
    fn has_space(&self, room: usize) -> bool {
        let len = self.rooms[room].len();
        len < self.rules.base || (len == self.rules.base && self.big_used < self.rules.big)
    }

    fn allowed(&self, person: usize, room: usize) -> bool {
        self.has_space(room) && self.blocked[person * self.rules.rooms + room] == 0
    }

    fn join_cost(&self, person: usize, room: usize) -> i64 {
        let n = self.rules.n;
        self.rooms[room]
            .iter()
            .map(|&x| self.rules.gain_cost(self.meets[person * n + x]) + self.rules.together[person * n + x])
            .sum()
    }

    fn place(&mut self, person: usize, room: usize) {
        if self.rooms[room].len() == self.rules.base {
            self.big_used += 1;
        }
        self.rooms[room].push(person);
        for &q in &self.rules.apart_of[person] {
            self.blocked[q * self.rules.rooms + room] += 1;
        }
    }

    fn unplace(&mut self, person: usize, room: usize) {
        self.rooms[room].retain(|&x| x != person);
        if self.rooms[room].len() == self.rules.base {
            self.big_used -= 1;
        }
        for &q in &self.rules.apart_of[person] {
            self.blocked[q * self.rules.rooms + room] -= 1;
        }
    }

    /// Rooms `person` may join, cheapest first (ties in the shuffled order of `rooms`).
    fn options(&self, person: usize, rooms: &[usize]) -> Vec<usize> {
        let mut open: Vec<(i64, usize)> = rooms
            .iter()
            .filter(|&&room| self.allowed(person, room))
            .map(|&room| (self.join_cost(person, room), room))
            .collect();
        open.sort_by_key(|&(cost, _)| cost);
        open.into_iter().map(|(_, room)| room).collect()
    }

    /// Depth-first seating of people with keep-apart rules, most constrained first.
    /// Returns the person left without a seat on failure.
    fn seat_constrained(&mut self, pending: &mut Vec<usize>, rooms: &[usize]) -> Result<(), usize> {
        let Some((index, fewest)) = pending
            .iter()
            .enumerate()
            .map(|(i, &p)| {
                let open = rooms.iter().filter(|&&room| self.allowed(p, room)).count();
                (i, open)
            })
            .min_by_key(|&(i, open)| (open, usize::MAX - self.rules.apart_of[pending[i]].len()))
        else {
            return Ok(());
        };
        let person = pending.swap_remove(index);
        if fewest == 0 {
            pending.push(person);
            return Err(person);
        }
        for room in self.options(person, rooms) {
            self.nodes += 1;
            if self.nodes > NODE_LIMIT {
                break;
            }
            self.place(person, room);
            if self.seat_constrained(pending, rooms).is_ok() {
                return Ok(());
            }
            self.unplace(person, room);
        }
        pending.push(person);
        Err(person)
    }
}

/// Seats round `r` given meetings so far.
fn seat_round(rules: &Rules, r: usize, meets: &[u32], rng: &mut ChaCha8Rng) -> Result<Round, RotationError> {
    let n = rules.n;
    let mut builder = RoundBuilder {
        rules,
        meets,
        rooms: vec![Vec::new(); rules.rooms],
        big_used: 0,
        blocked: vec![0; n * rules.rooms],
        nodes: 0,
    };
    let mut constrained = Vec::new();
    let mut free = Vec::new();
    for p in 0..n {
        match rules.fixed[r * n + p] {
            Some(room) => builder.place(p, room),
            None if rules.apart_of[p].is_empty() => free.push(p),
            None => constrained.push(p),
        }
    }
    let mut room_order: Vec<usize> = (0..rules.rooms).collect();
    room_order.shuffle(rng);
    constrained.shuffle(rng);
    builder
        .seat_constrained(&mut constrained, &room_order)
        .map_err(|person| RotationError::NoSeat { person, round: r })?;
    free.shuffle(rng);
    for p in free {
        let mut best: Option<(i64, usize)> = None;
        let mut ties = 0u32;
        for room in 0..rules.rooms {
            if !builder.has_space(room) {
                continue;
            }
            let cost = builder.join_cost(p, room);
            match best {
                Some((b, _)) if cost > b => {}
                Some((b, _)) if cost == b => {
                    ties += 1;
                    if rng.random_range(0..ties) == 0 {
                        best = Some((cost, room));
                    }
                }
                _ => {
                    best = Some((cost, room));
                    ties = 1;
                }
            }
        }
        // Balanced capacities sum to exactly `n`, so a free person always finds space.
        let Some((_, room)) = best else {
            return Err(RotationError::NoSeat { person: p, round: r });
        };
        builder.place(p, room);
    }
    Ok(builder.rooms)
}
