//! The session as a rooms problem, and the rows of the rooms screen, kept between frames.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

use crate::model::{PeopleState, Plan, SessionState};
use crate::rotation::session::SessionProblem;
use crate::rotation::{Objective, PairingHistory, Score};

/// The session as a rotation problem, earlier sessions of the series (`history`) included.
pub fn session_problem(
    plan: &Plan,
    session: &SessionState,
    history: &PairingHistory,
    objective: Objective,
) -> SessionProblem {
    SessionProblem::new(plan, &session.rooms, history, objective)
}

/// Rows of the rooms screen: everyone seated this round (room by room), then the people who
/// sit in rooms but are not seated (late, or not yet assigned), each with their room if any.
pub fn room_rows(session: &SessionState, problem: &SessionProblem) -> Vec<(String, Option<usize>)> {
    let mut rows: Vec<(String, Option<usize>)> = Vec::new();
    if let Some(round) = session.rooms.current() {
        for (i, room) in round.rooms.iter().enumerate() {
            rows.extend(room.iter().map(|id| (id.clone(), Some(i))));
        }
    }
    let seated: HashSet<&str> = rows.iter().map(|(id, _)| id.as_str()).collect();
    // Those who left or were marked absent stay selectable, so `a` can seat them when they come.
    let unseated: Vec<&String> = problem.ids.iter().filter(|id| !seated.contains(id.as_str())).collect();
    rows.extend(unseated.into_iter().map(|id| (id.clone(), None)));
    rows
}

/// What the rooms screen shows of the session: built once per change of the rooms or the
/// people, not once per frame (the problem's score and new faces grow with the people).
#[derive(Debug)]
pub struct RoomsView {
    key: RoomsKey,
    /// The session as a rotation problem.
    pub problem: SessionProblem,
    /// The score of the rounds held so far.
    pub score: Score,
    /// For each room of the current round: each member and how many room-mates are new to them.
    pub faces: Vec<Vec<(String, usize)>>,
    /// The screen's rows (see [`room_rows`]).
    pub rows: Vec<(String, Option<usize>)>,
}

/// What a [`RoomsView`] was built from. The log only grows (undo is an event too), so its last
/// sequence number stands for the rooms; a replaced plan or history changes the counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RoomsKey {
    last_seq: u64,
    objective: Objective,
    history: usize,
    participants: usize,
    rooms: usize,
}

impl RoomsKey {
    fn of(plan: &Plan, session: &SessionState, history: &PairingHistory, objective: Objective) -> RoomsKey {
        RoomsKey {
            last_seq: session.last_seq,
            objective,
            history: history.round_count(),
            participants: plan.participants.len(),
            rooms: plan.rooms.len(),
        }
    }
}

impl RoomsView {
    fn build(
        plan: &Plan,
        session: &SessionState,
        history: &PairingHistory,
        objective: Objective,
    ) -> RoomsView {
        let problem = session_problem(plan, session, history, objective);
        let held = session.rooms.rounds.len();
        let faces = held.checked_sub(1).map(|r| problem.new_faces(r)).unwrap_or_default();
        RoomsView {
            key: RoomsKey::of(plan, session, history, objective),
            score: problem.score_so_far(),
            faces,
            rows: room_rows(session, &problem),
            problem,
        }
    }
}

/// The last [`RoomsView`] built, rebuilt only when what it was built from changed. Shared by
/// the screen (which only reads the state) and the rooms commands.
#[derive(Debug, Default)]
pub struct RoomsCache(Mutex<Option<Arc<RoomsView>>>);

impl RoomsCache {
    /// The rooms view of this session, from the cache when nothing it depends on changed.
    pub fn get(
        &self,
        plan: &Plan,
        session: &SessionState,
        history: &PairingHistory,
        objective: Objective,
    ) -> Arc<RoomsView> {
        // A panic while building leaves no half-built view behind (it is swapped in whole).
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let key = RoomsKey::of(plan, session, history, objective);
        match slot.as_ref() {
            Some(view) if view.key == key => Arc::clone(view),
            _ => {
                let view = Arc::new(RoomsView::build(plan, session, history, objective));
                *slot = Some(Arc::clone(&view));
                view
            }
        }
    }
}

/// A round as plain text for the call's chat: one line per room, the lead first and marked.
/// The console copies it (`y` on the rooms screen) and `convene rooms` prints it.
pub fn chat_text(plan: &Plan, people: &PeopleState, round_number: usize, rooms: &[Vec<String>]) -> String {
    let mut out = format!("Breakout rooms, round {round_number}\n");
    for (i, room) in rooms.iter().enumerate() {
        let lead = plan.rooms.get(i).and_then(|r| r.lead.as_deref());
        let mut members: Vec<&String> = room.iter().collect();
        members.sort_by_key(|id| Some(id.as_str()) != lead);
        let names: Vec<String> = members
            .iter()
            .map(|id| {
                let name = people.person(plan, id).map_or(id.to_string(), |p| p.name.clone());
                if Some(id.as_str()) == lead {
                    format!("{name} (lead)")
                } else {
                    name
                }
            })
            .collect();
        out.push_str(&format!("{}: {}\n", plan.room_name(Some(i as u32)), names.join(", ")));
    }
    out
}

/// The objective in words, for the screen.
pub fn objective_label(objective: Objective) -> &'static str {
    match objective {
        Objective::MostNewPairings => "most new pairings (some pairs may meet more often)",
        Objective::EvenSpread => "fair (no pair meets more often than needed)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Participant, Role, Room};

    #[test]
    fn chat_text_puts_the_lead_first() {
        let person = |id: &str, role: Role| Participant {
            id: id.into(),
            name: id.to_uppercase(),
            org: id.into(),
            role,
            email: None,
        };
        let plan = Plan {
            id: None,
            title: "t".into(),
            series: None,
            date: None,
            time_zone: None,
            themes: vec![],
            participants: vec![person("lee", Role::RoomLead), person("ann", Role::Partner)],
            rooms: vec![Room { name: "Blue, upstairs".into(), lead: Some("lee".into()) }],
            agenda: vec![],
            timer_bell: false,
        };
        let rooms = vec![vec!["ann".to_string(), "lee".to_string()]];
        assert_eq!(
            chat_text(&plan, &PeopleState::default(), 2, &rooms),
            "Breakout rooms, round 2\nBlue, upstairs: LEE (lead), ANN\n"
        );
    }
}
