//! Dot-voting: allowances and caps hold whatever the keys, the tally is a fold of the dots,
//! ranking is deterministic with ties, merges keep every dot; and the screens.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use std::collections::BTreeMap;

use common::*;
use convene::app::{update, Action, AppState, Mode, Overlay};
use convene::model::{CandidateId, CommentId, DecisionId, VoteId};
use convene::model::{Event, Vote};
use crossterm::event::KeyCode;
use proptest::prelude::*;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

const CANDIDATES: [&str; 7] = [
    "Single front door for residents",
    "Fix data sharing first",
    "Pooled prevention budget",
    "Name the villages in the plan",
    "Young people co-design services",
    "Exit plan for the 2027 funding cliff",
    "Shared outcomes dashboard",
];

/// A console on the priorities screen with the candidates typed in.
fn with_candidates() -> AppState {
    let mut state = console();
    update(&mut state, key(KeyCode::F(3)), t0());
    assert_eq!(state.mode, Mode::Vote);
    update(&mut state, key(KeyCode::Char('a')), t0());
    for text in CANDIDATES {
        commit(&mut state, text);
    }
    update(&mut state, key(KeyCode::Esc), t0());
    assert_eq!(state.mode, Mode::Vote);
    state
}

/// Open a vote from the set-up window, adjusting it with its keys first.
fn open_vote(state: &mut AppState, setup_keys: &str) {
    update(state, key(KeyCode::Char('o')), t0());
    assert!(matches!(state.overlay, Some(Overlay::VoteSetup { .. })));
    for c in setup_keys.chars() {
        update(state, key(KeyCode::Char(c)), t0());
    }
    update(state, key(KeyCode::Enter), t0());
    assert_eq!(state.mode, Mode::Casting);
}

fn open(state: &AppState) -> &Vote {
    state.session.voting.open_vote().expect("a vote is open")
}

#[test]
fn candidates_are_typed_in_a_run_and_comments_promoted_with_a_link() {
    let mut state = with_candidates();
    assert_eq!(state.session.voting.standing().count(), 7);
    update(&mut state, key(KeyCode::Esc), t0());
    commit(&mut state, "Transport is the barrier nobody owns");
    update(&mut state, key(KeyCode::Esc), t0());
    let events = persisted(&update(&mut state, key(KeyCode::Char('c')), t0()));
    assert_eq!(
        events,
        vec![Event::CandidateAdded {
            id: CandidateId(8),
            text: "Transport is the barrier nobody owns".into(),
            source: Some(CommentId(1))
        }]
    );
}

#[test]
fn defaults_follow_the_list_and_keys_refuse_beyond_allowance_and_cap() {
    let mut state = with_candidates();
    open_vote(&mut state, "");
    let rules = open(&state).rules.clone();
    assert_eq!((rules.dots, rules.cap), (2, 1), "about a third of 7, and one per candidate on a short list");
    assert_eq!(rules.voters.len(), 6, "the partners and room leads of the template");
    type_text(&mut state, "11");
    assert_eq!(open(&state).on(&rules.voters[0], CandidateId(1)), 1, "the cap refuses a second dot");
    assert!(state.message.as_ref().expect("said why").0.contains("cap"));
    type_text(&mut state, "23");
    assert_eq!(open(&state).used_by(&rules.voters[0]), 2, "the allowance refuses a third");
    assert!(state.message.as_ref().expect("said why").0.contains("used all"));
    // Take one back and place it elsewhere.
    type_text(&mut state, "-2");
    type_text(&mut state, "3");
    assert_eq!(open(&state).on(&rules.voters[0], CandidateId(3)), 1);
    update(&mut state, key(KeyCode::Tab), t0());
    type_text(&mut state, "3");
    assert_eq!(open(&state).totals()[&CandidateId(3)], 2);
}

#[test]
fn closing_then_a_new_round_on_the_top_k_includes_ties_at_the_cut() {
    let mut state = with_candidates();
    open_vote(&mut state, "");
    // Six voters, two dots each: 1 and 2 tie on 3, then 3, 4 and 5 tie on 2, 6 and 7 get none.
    for dots in ["12", "12", "13", "24", "35", "45"] {
        type_text(&mut state, dots);
        update(&mut state, key(KeyCode::Tab), t0());
    }
    let ranking = open(&state).ranking();
    let ranks: Vec<(u32, u32, u32)> = ranking.iter().map(|r| (r.rank, r.candidate.get(), r.dots)).collect();
    assert_eq!(ranks, vec![(1, 1, 3), (1, 2, 3), (3, 3, 2), (3, 4, 2), (3, 5, 2), (6, 6, 0), (6, 7, 0)]);
    update(&mut state, key(KeyCode::Char('!')), t0());
    assert_eq!(state.overlay, Some(Overlay::ConfirmCloseVote));
    let events = persisted(&update(&mut state, key(KeyCode::Enter), t0()));
    assert_eq!(events, vec![Event::VoteClosed { vote: VoteId(1) }]);
    // Top 3: candidates 3, 4 and 5 tie at the cut, so all three come through.
    update(&mut state, key(KeyCode::Char('k')), t0());
    let Some(Overlay::VoteSetup { top, .. }) = state.overlay.clone() else { panic!("set-up window") };
    assert_eq!(top, Some(5));
    update(&mut state, key(KeyCode::Char('<')), t0());
    update(&mut state, key(KeyCode::Char('<')), t0());
    update(&mut state, key(KeyCode::Enter), t0());
    assert_eq!(open(&state).rules.candidates, (1..=5).map(CandidateId).collect::<Vec<_>>());
    assert_eq!(open(&state).rules.title, "Priorities: round 2 (shortlist)");
}

#[test]
fn merging_duplicates_moves_dots_and_links() {
    let mut state = with_candidates();
    open_vote(&mut state, "");
    type_text(&mut state, "12");
    update(&mut state, key(KeyCode::Tab), t0());
    type_text(&mut state, "2");
    update(&mut state, key(KeyCode::Char('!')), t0());
    update(&mut state, key(KeyCode::Enter), t0());
    let before: u32 = state.session.voting.votes[0].totals().values().sum();
    // m on candidate 2, then m on candidate 1 keeps 1.
    update(&mut state, key(KeyCode::Down), t0());
    update(&mut state, key(KeyCode::Char('m')), t0());
    update(&mut state, key(KeyCode::Up), t0());
    let events = persisted(&update(&mut state, key(KeyCode::Char('m')), t0()));
    assert_eq!(events, vec![Event::CandidatesMerged { into: CandidateId(1), from: CandidateId(2) }]);
    let vote = &state.session.voting.votes[0];
    assert_eq!(vote.totals().values().sum::<u32>(), before);
    assert_eq!(vote.totals()[&CandidateId(1)], 3);
    assert_eq!(state.session.voting.standing().count(), 6);
}

#[test]
fn a_decision_by_organisation_states_its_rule_and_records_the_result() {
    let mut state = with_candidates();
    update(&mut state, key(KeyCode::Char('d')), t0());
    assert_eq!(state.mode, Mode::Entry);
    commit(&mut state, "Sign off the draft priorities");
    assert_eq!(state.mode, Mode::Deciding);
    let organisations = state.session.voting.open_decision().expect("open").organisations.clone();
    assert_eq!(organisations.len(), 3, "all partner organisations: A, B, C (not the working group)");
    type_text(&mut state, "yna");
    let events = persisted(&update(&mut state, key(KeyCode::Char('!')), t0()));
    assert_eq!(events, vec![Event::DecisionRecorded { id: DecisionId(1) }]);
    let decision = &state.session.voting.decisions[0];
    assert_eq!(decision.counts(), (1, 1, 1));
    assert!(!decision.passes(), "1 of 3 is not more than half of the partners");
    assert!(decision.rule_line().contains("all 3 partner organisations"), "{}", decision.rule_line());
    assert!(state.message.as_ref().expect("result said").0.contains("NOT PASSED"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever keys a hurried facilitator presses, no voter exceeds the allowance or the cap,
    /// the tally equals dots placed minus removed, and ranking follows the counts exactly.
    #[test]
    fn no_key_sequence_breaks_the_allowance_or_the_cap(
        setup in "[+\\-\\[\\]]{0,6}",
        keys in prop::collection::vec(prop_oneof![
            "[1-9a]".prop_map(|s| KeyCode::Char(s.chars().next().unwrap_or('1'))),
            Just(KeyCode::Char('-')),
            Just(KeyCode::Tab),
            Just(KeyCode::BackTab),
        ], 0..200),
    ) {
        let mut state = with_candidates();
        open_vote(&mut state, &setup);
        let mut placed: BTreeMap<CandidateId, i64> = BTreeMap::new();
        for code in keys {
            for event in persisted(&update(&mut state, key(code), t0())) {
                match event {
                    Event::DotPlaced { candidate, .. } => *placed.entry(candidate).or_default() += 1,
                    Event::DotRemoved { candidate, .. } => *placed.entry(candidate).or_default() -= 1,
                    _ => {}
                }
            }
            let vote = open(&state);
            for voter in &vote.rules.voters {
                prop_assert!(vote.used_by(voter) <= vote.rules.dots);
                for &c in &vote.rules.candidates {
                    prop_assert!(vote.on(voter, c) <= vote.rules.cap);
                }
            }
        }
        let vote = open(&state);
        for (candidate, total) in vote.totals() {
            prop_assert_eq!(total as i64, placed.get(&candidate).copied().unwrap_or(0));
        }
        let ranking = vote.ranking();
        prop_assert_eq!(&ranking, &vote.clone().ranking(), "deterministic");
        for row in &ranking {
            let above = ranking.iter().filter(|r| r.dots > row.dots).count() as u32;
            prop_assert_eq!(row.rank, above + 1, "equal counts share a rank");
        }
        // Merging any two candidates keeps every dot.
        let total: u32 = vote.totals().values().sum();
        let mut voting = state.session.voting.clone();
        voting.merge(CandidateId(1), CandidateId(2)).expect("merge");
        prop_assert_eq!(voting.votes[0].totals().values().sum::<u32>(), total);
    }
}

fn screen(state: &mut AppState, width: u16, height: u16) -> String {
    update(state, Action::Resize(width, height), t0());
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|frame| {
            convene::ui::render(frame, state);
        })
        .expect("draw");
    terminal.backend().to_string()
}

#[test]
fn voting_screen_snapshots() {
    let mut state = with_candidates();
    open_vote(&mut state, "");
    for dots in ["12", "13", "2"] {
        type_text(&mut state, dots);
        update(&mut state, key(KeyCode::Tab), t0());
    }
    persist_all(&mut state);
    insta::assert_snapshot!("vote_open_100x30", screen(&mut state, 100, 30));

    let mut hidden = with_candidates();
    open_vote(&mut hidden, "h");
    type_text(&mut hidden, "12");
    persist_all(&mut hidden);
    insta::assert_snapshot!("vote_hidden_80x24", screen(&mut hidden, 80, 24));

    for dots in ["4", "5", "45", "12", "6"] {
        type_text(&mut state, dots);
        update(&mut state, key(KeyCode::Tab), t0());
    }
    update(&mut state, key(KeyCode::Char('!')), t0());
    update(&mut state, key(KeyCode::Enter), t0());
    persist_all(&mut state);
    insta::assert_snapshot!("vote_closed_with_ties_100x30", screen(&mut state, 100, 30));
}

#[test]
fn people_who_left_are_not_expected_to_vote() {
    let mut state = with_candidates();
    let leaver = convene::view::voters(&state.plan, &state.session, false)[3].clone();
    let stamped = convene::model::Stamped {
        seq: state.session.last_seq + 1,
        at: t0(),
        by: convene::model::Actor::Facilitator,
        origin: None,
        event: Event::ParticipantLeft { id: leaver.to_string() },
    };
    state.session.apply(&state.plan, &stamped).expect("valid");
    open_vote(&mut state, "");
    assert!(!open(&state).rules.voters.contains(&leaver));
    assert_eq!(open(&state).rules.voters.len(), 5);
}

#[test]
fn a_voter_is_found_by_typing_part_of_their_name() {
    let mut state = with_candidates();
    open_vote(&mut state, "");
    update(&mut state, key(KeyCode::Char('/')), t0());
    assert!(matches!(state.overlay, Some(Overlay::VoterSearch { .. })));
    type_text(&mut state, "THREE");
    update(&mut state, key(KeyCode::Enter), t0());
    let voter = open(&state).rules.voters[state.priorities.voter].clone();
    assert_eq!(voter, "partner3");
    // Keys go back to placing dots for that voter.
    type_text(&mut state, "1");
    assert_eq!(open(&state).on(&"partner3".into(), CandidateId(1)), 1);
}

#[test]
fn a_joined_console_shows_whom_it_casts_as_never_someone_else() {
    use convene::app::{Joined, Seat};
    use convene::model::Actor;
    let mut state = with_candidates();
    open_vote(&mut state, "j");
    assert!(open(&state).rules.joiners, "joined terminals cast their own dots in this vote");
    let facilitators_pick = screen(&mut state, 100, 30);
    assert!(facilitators_pick.contains("Voter ▶ Room lead 1"), "{facilitators_pick}");

    // The same session on a joined terminal whose name matched nobody on the list.
    state.actor = Actor::NoteTaker("Visitor".into());
    state.seat = Seat::Joined(Joined { name: "Visitor".into(), online: true, ..Joined::default() });
    let stranger = screen(&mut state, 100, 30);
    assert!(stranger.contains("Voter ▶ none: your name is not on the participant"), "{stranger}");
    assert!(!stranger.contains("Voter ▶ Room lead 1"), "{stranger}");

    // Matched to Partner two: it casts as Partner two, whatever the facilitator selected.
    state.actor = Actor::NoteTaker("Partner two".into());
    state.seat = Seat::Joined(Joined {
        name: "Partner two".into(),
        me: Some("partner2".into()),
        online: true,
        ..Joined::default()
    });
    let partner = screen(&mut state, 100, 30);
    assert!(partner.contains("Voter ▶ Partner two"), "{partner}");

    // In a vote cast on the facilitator's screen, a joined terminal casts as nobody.
    let mut on_screen = with_candidates();
    open_vote(&mut on_screen, "");
    assert!(!open(&on_screen).rules.joiners);
    on_screen.actor = state.actor.clone();
    on_screen.seat = state.seat.clone();
    let shown = screen(&mut on_screen, 100, 30);
    assert!(shown.contains("Voter ▶ none: this vote is cast on the"), "{shown}");
}
