//! The pairing history a series brings to room planning: the rounds of breakout rooms held in
//! its earlier sessions, kept by session so the console and `convene rooms` can say where the
//! history came from, and read as one run of rounds by the solver.

use super::session::IdRound;

/// Rounds of rooms held in earlier sessions of a series: sessions, in order, each a list of
/// rounds, each a list of rooms, each the participant ids seated in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PairingHistory {
    sessions: Vec<Vec<IdRound>>,
}

impl PairingHistory {
    /// No history: the first session of a series, or a session in none.
    pub fn new() -> Self {
        PairingHistory::default()
    }

    /// An earlier session's rounds join the history, after those already in it.
    pub fn add_session(&mut self, rounds: Vec<IdRound>) {
        self.sessions.push(rounds);
    }

    /// Every round of every earlier session, oldest first.
    pub fn rounds(&self) -> impl Iterator<Item = &IdRound> {
        self.sessions.iter().flatten()
    }

    /// How many rounds the history holds, over all its sessions.
    pub fn round_count(&self) -> usize {
        self.sessions.iter().map(Vec::len).sum()
    }

    /// How many earlier sessions it was read from (a session without rooms counts too).
    pub fn session_count(&self) -> usize {
        self.sessions.len()
    }

    /// Whether there is no round to remember.
    pub fn is_empty(&self) -> bool {
        self.round_count() == 0
    }
}

impl FromIterator<Vec<IdRound>> for PairingHistory {
    fn from_iter<T: IntoIterator<Item = Vec<IdRound>>>(sessions: T) -> Self {
        PairingHistory { sessions: sessions.into_iter().collect() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(rooms: &[&[&str]]) -> IdRound {
        rooms.iter().map(|room| room.iter().map(|id| id.to_string()).collect()).collect()
    }

    #[test]
    fn rounds_run_on_across_sessions_in_order() {
        let first = vec![round(&[&["ann", "bob"], &["cy", "di"]]), round(&[&["ann", "cy"], &["bob", "di"]])];
        let mut history: PairingHistory = [first.clone()].into_iter().collect();
        history.add_session(Vec::new());
        history.add_session(vec![round(&[&["ann", "di"], &["bob", "cy"]])]);
        assert_eq!((history.session_count(), history.round_count()), (3, 3));
        let rounds: Vec<&IdRound> = history.rounds().collect();
        assert_eq!(rounds[..2], [&first[0], &first[1]]);
        assert_eq!(rounds[2][0], ["ann", "di"]);
        assert!(!history.is_empty());
        assert!(PairingHistory::new().is_empty());
    }
}
