//! Fitting a construction onto real people: relabel its points and order its rooms so that
//! leads, locks and keep-apart rules hold, or report that it does not fit.

use crate::rotation::problem::Round;
use crate::rotation::rules::Rules;

/// Search nodes allowed when relabelling.
const NODE_LIMIT: u32 = 100_000;

/// The design's rounds over people, rooms in index order, or None if no relabelling found
/// keeps every hard rule of the design's rounds.
pub(crate) fn fit(rules: &Rules, design: &[Round]) -> Option<Vec<Round>> {
    let n = rules.n;
    let rounds = design.len().min(rules.rounds);
    let design = &design[..rounds];
    if !balanced(rules, design) {
        return None;
    }
    let mut fitter = Fitter::new(rules, design);
    let mut constrained: Vec<usize> = (0..n)
        .filter(|&p| !rules.apart_of[p].is_empty() || (0..rounds).any(|r| rules.fixed[r * n + p].is_some()))
        .collect();
    // Leads first (fixed every round), then the most fixed and most kept apart.
    constrained.sort_by_key(|&p| {
        let fixed = (0..rounds).filter(|&r| rules.fixed[r * n + p].is_some()).count();
        (usize::MAX - fixed, usize::MAX - rules.apart_of[p].len())
    });
    if !fitter.assign(&constrained) {
        return None;
    }
    let free: Vec<usize> = (0..n).filter(|&u| fitter.person_at[u].is_none()).collect();
    let mut free_points = free.into_iter();
    for p in 0..n {
        if fitter.point_of[p].is_none() {
            let u = free_points.next()?;
            fitter.point_of[p] = Some(u);
            fitter.person_at[u] = Some(p);
        }
    }
    Some(fitter.rounds())
}

/// Whether every design round seats all `n` points in `rules.rooms` balanced rooms.
fn balanced(rules: &Rules, design: &[Round]) -> bool {
    design.iter().all(|round| {
        let mut seen = vec![false; rules.n];
        round.len() == rules.rooms
            && round.iter().flatten().all(|&u| u < rules.n && !std::mem::replace(&mut seen[u], true))
            && seen.iter().all(|&s| s)
            && round.iter().filter(|room| room.len() == rules.base + 1).count() == rules.big
            && round.iter().all(|room| room.len() == rules.base || room.len() == rules.base + 1)
    })
}

struct Fitter<'a> {
    rules: &'a Rules,
    design: &'a [Round],
    /// Design room of each point per round, `rounds × n`.
    room_of_point: Vec<usize>,
    /// Whether two points ever share a design room, `n × n`.
    together: Vec<bool>,
    point_of: Vec<Option<usize>>,
    person_at: Vec<Option<usize>>,
    /// Room index each design room is shown as, per round.
    index_of: Vec<Vec<Option<usize>>>,
    /// Design room shown at each index, per round.
    room_at: Vec<Vec<Option<usize>>>,
    nodes: u32,
}

impl<'a> Fitter<'a> {
    fn new(rules: &'a Rules, design: &'a [Round]) -> Fitter<'a> {
        let n = rules.n;
        let mut room_of_point = vec![0; design.len() * n];
        let mut together = vec![false; n * n];
        for (r, round) in design.iter().enumerate() {
            for (room, members) in round.iter().enumerate() {
                for &u in members {
                    room_of_point[r * n + u] = room;
                    for &v in members {
                        together[u * n + v] = true;
                    }
                }
            }
        }
        Fitter {
            rules,
            design,
            room_of_point,
            together,
            point_of: vec![None; n],
            person_at: vec![None; n],
            index_of: vec![vec![None; rules.rooms]; design.len()],
            room_at: vec![vec![None; rules.rooms]; design.len()],
            nodes: 0,
        }
    }

    /// Places `pending` people on points by depth-first search.
    fn assign(&mut self, pending: &[usize]) -> bool {
        let Some((&person, rest)) = pending.split_first() else {
            return true;
        };
        let n = self.rules.n;
        for u in 0..n {
            self.nodes += 1;
            if self.nodes > NODE_LIMIT {
                return false;
            }
            if self.person_at[u].is_some() || !self.fits(person, u) {
                continue;
            }
            let claimed = self.claim(person, u);
            if self.assign(rest) {
                return true;
            }
            self.release(person, u, &claimed);
        }
        false
    }

    /// Whether `person` can sit at point `u` given those already placed.
    fn fits(&self, person: usize, u: usize) -> bool {
        let n = self.rules.n;
        let apart_ok = self.rules.apart_of[person]
            .iter()
            .all(|&q| self.point_of[q].is_none_or(|v| !self.together[u * n + v]));
        apart_ok
            && (0..self.design.len()).all(|r| match self.rules.fixed[r * n + person] {
                None => true,
                Some(index) => {
                    let room = self.room_of_point[r * n + u];
                    self.index_of[r][room].is_none_or(|i| i == index)
                        && self.room_at[r][index].is_none_or(|d| d == room)
                }
            })
    }

    /// Seats `person` at `u`; returns the rounds whose room order this newly fixed.
    fn claim(&mut self, person: usize, u: usize) -> Vec<usize> {
        let n = self.rules.n;
        self.point_of[person] = Some(u);
        self.person_at[u] = Some(person);
        let mut claimed = Vec::new();
        for r in 0..self.design.len() {
            if let Some(index) = self.rules.fixed[r * n + person] {
                let room = self.room_of_point[r * n + u];
                if self.index_of[r][room].is_none() {
                    self.index_of[r][room] = Some(index);
                    self.room_at[r][index] = Some(room);
                    claimed.push(r);
                }
            }
        }
        claimed
    }

    fn release(&mut self, person: usize, u: usize, claimed: &[usize]) {
        let n = self.rules.n;
        self.point_of[person] = None;
        self.person_at[u] = None;
        for &r in claimed {
            let room = self.room_of_point[r * n + u];
            if let Some(index) = self.index_of[r][room].take() {
                self.room_at[r][index] = None;
            }
        }
    }

    /// The relabelled rounds, design rooms shown at their claimed indices.
    fn rounds(&self) -> Vec<Round> {
        self.design
            .iter()
            .enumerate()
            .map(|(r, round)| {
                let mut spare = (0..self.rules.rooms).filter(|&i| self.room_at[r][i].is_none());
                let mut rooms = vec![Vec::new(); self.rules.rooms];
                for (room, members) in round.iter().enumerate() {
                    let index = self.index_of[r][room].or_else(|| spare.next()).unwrap_or(room);
                    rooms[index] = members.iter().filter_map(|&u| self.person_at[u]).collect();
                }
                rooms
            })
            .collect()
    }
}
