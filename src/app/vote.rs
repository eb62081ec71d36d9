//! Priorities and dot-voting at the console: the long list, opening a vote, taking dots
//! called out on the call, closing, the next round on the top K, and decisions by organisation.

use super::action::Effect;
use super::keymap::Command;
use super::keymap::PopupCommand;
use super::state::{new_capture, AppState, Entry, Mode, Overlay, Severity};
use super::update::record;
use crate::model::{Choice, Event, MajorityRule, VoteRefusal, VoteRules};
use crate::view::{self, LABELS};

/// The mode the voting screen takes: casting while a vote is open, answering while a
/// decision is, otherwise managing the list.
pub fn screen_mode(state: &AppState) -> Mode {
    if state.session.voting.open_decision().is_some() {
        Mode::Deciding
    } else if state.session.voting.open_vote().is_some() {
        Mode::Casting
    } else {
        Mode::Vote
    }
}

fn say(state: &mut AppState, text: impl Into<String>, severity: Severity) {
    state.message = Some((text.into(), severity));
}

/// Carry out a voting command.
pub(super) fn run(state: &mut AppState, command: Command, effects: &mut Vec<Effect>) {
    let voting = &state.session.voting;
    match command {
        Command::VoteScreen => {
            state.mode = screen_mode(state);
            state.priorities.remove_armed = false;
        }
        Command::AddCandidate => start_entry(state, Entry::NewCandidate, ""),
        Command::EditCandidate => {
            match view::standing(&state.session).get(state.priorities.candidate).copied() {
                Some(id) => {
                    let text = voting.candidate(id).map(|c| c.text.clone()).unwrap_or_default();
                    start_entry(state, Entry::EditCandidate(id), &text)
                }
                None => say(state, "no candidate selected", Severity::Info),
            }
        }
        Command::MergeCandidate => {
            let Some(id) = view::standing(&state.session).get(state.priorities.candidate).copied() else {
                return say(state, "no candidate selected", Severity::Info);
            };
            match state.priorities.merge_from.take() {
                None => {
                    state.priorities.merge_from = Some(id);
                    say(
                        state,
                        format!("merging candidate {id}: select the one to keep and press m"),
                        Severity::Info,
                    );
                }
                Some(from) if from == id => say(state, "merge cancelled", Severity::Info),
                Some(from) => {
                    if record(state, Event::CandidatesMerged { into: id, from }, effects) {
                        say(
                            state,
                            format!("candidate {from} merged into {id}; dots and links moved"),
                            Severity::Info,
                        );
                    }
                }
            }
        }
        Command::PromoteComment => {
            let Some(comment) = state.feed.selected.and_then(|id| state.session.comment(id)).cloned() else {
                return;
            };
            let id = voting.next_candidate_id();
            let event = Event::CandidateAdded { id, text: comment.text.clone(), source: Some(comment.id) };
            if record(state, event, effects) {
                say(
                    state,
                    format!("#{} is now candidate {id} on the priorities list", comment.id),
                    Severity::Info,
                );
            }
        }
        Command::OpenVote | Command::NextRound => {
            if voting.open_vote().is_some() {
                return say(state, "a vote is already open", Severity::Warning);
            }
            let top = match (command, voting.latest_vote()) {
                (Command::NextRound, Some(last)) if last.closed => Some(5.min(last.rules.candidates.len())),
                (Command::NextRound, _) => {
                    return say(
                        state,
                        "close a vote first; its top candidates make the next round",
                        Severity::Info,
                    )
                }
                _ => None,
            };
            let count = view::ballot(&state.session, top).len();
            if count == 0 {
                return say(state, "add candidates first (a, or c on a selected comment)", Severity::Info);
            }
            state.overlay = Some(Overlay::VoteSetup {
                dots: VoteRules::default_dots(count),
                cap: VoteRules::default_cap(count),
                by_org: false,
                hidden: false,
                top,
                // Hosting means people are at their own terminals: let them vote there.
                joiners: state.seat.is_hosting(),
            });
        }
        Command::NextVoter | Command::PrevVoter => {
            if let Some(vote) = voting.open_vote() {
                let n = vote.rules.voters.len().max(1);
                state.priorities.voter = if command == Command::NextVoter {
                    (state.priorities.voter + 1) % n
                } else {
                    (state.priorities.voter + n - 1) % n
                };
            }
        }
        Command::FindVoter if voting.open_vote().is_some() => {
            state.overlay = Some(Overlay::VoterSearch { filter: String::new() })
        }
        Command::RemoveDot => {
            state.priorities.remove_armed = !state.priorities.remove_armed;
            let text = if state.priorities.remove_armed {
                "remove: press the candidate's key"
            } else {
                "place dots"
            };
            say(state, text, Severity::Info);
        }
        Command::CloseVote if voting.open_vote().is_some() => state.overlay = Some(Overlay::ConfirmCloseVote),
        Command::OpenDecision => {
            if voting.open_vote().is_some() {
                return say(state, "close the vote before opening a decision", Severity::Warning);
            }
            start_entry(state, Entry::DecisionQuestion, "");
        }
        Command::AnswerYes | Command::AnswerNo | Command::AnswerAbstain => {
            let Some(decision) = voting.open_decision() else {
                return;
            };
            let Some(organisation) = decision.organisations.get(state.priorities.voter).cloned() else {
                return;
            };
            let choice = match command {
                Command::AnswerYes => Choice::Yes,
                Command::AnswerNo => Choice::No,
                _ => Choice::Abstain,
            };
            let id = decision.id;
            let word = choice_word(choice);
            if record(
                state,
                Event::DecisionAnswered { id, organisation: organisation.clone(), choice },
                effects,
            ) {
                // On, visibly, to the next organisation still to answer below this one; never
                // round to the top, so an answer is never recorded against an organisation
                // nobody was looking at.
                let next = state.session.voting.open_decision().and_then(|d| {
                    d.organisations
                        .iter()
                        .enumerate()
                        .skip(state.priorities.voter + 1)
                        .find(|(_, org)| !d.answers.contains_key(*org))
                        .map(|(i, org)| (i, org.clone()))
                });
                let text = match next {
                    Some((index, next)) => {
                        state.priorities.voter = index;
                        format!("{organisation}: {word}; next to answer: {next}")
                    }
                    None => format!(
                        "{organisation}: {word}; none below still to answer (↑ to go back, ! records)"
                    ),
                };
                say(state, text, Severity::Info);
            }
        }
        Command::RecordDecision => {
            if let Some(decision) = voting.open_decision() {
                let id = decision.id;
                if record(state, Event::DecisionRecorded { id }, effects) {
                    if let Some(decision) = state.session.voting.decision(id) {
                        let (yes, no, abstain) = decision.counts();
                        let result = if decision.passes() { "PASSED" } else { "NOT PASSED" };
                        say(
                            state,
                            format!("decision recorded: {result} ({yes} yes, {no} no, {abstain} abstain)"),
                            Severity::Info,
                        );
                    }
                    state.mode = Mode::Vote;
                }
            }
        }
        Command::Up if state.mode == Mode::Deciding => {
            state.priorities.voter = state.priorities.voter.saturating_sub(1)
        }
        Command::Up => state.priorities.candidate = state.priorities.candidate.saturating_sub(1),
        Command::Down => {
            let n = match state.mode {
                Mode::Deciding => voting.open_decision().map_or(0, |d| d.organisations.len()),
                _ => view::standing(&state.session).len(),
            };
            if state.mode == Mode::Deciding {
                state.priorities.voter = (state.priorities.voter + 1).min(n.saturating_sub(1));
            } else {
                state.priorities.candidate = (state.priorities.candidate + 1).min(n.saturating_sub(1));
            }
        }
        _ => {}
    }
}

/// A candidate key while a vote is open: place (or, when armed, remove) a dot.
pub(super) fn cast(state: &mut AppState, key: char, effects: &mut Vec<Effect>) -> bool {
    let Some(vote) = state.session.voting.open_vote() else {
        return false;
    };
    let Some(position) = LABELS.find(key.to_ascii_lowercase()) else {
        return false;
    };
    let Some(&candidate) = vote.rules.candidates.get(position) else {
        say(state, format!("no candidate has the key {key}"), Severity::Warning);
        return true;
    };
    let voter = if state.seat.is_joined() {
        // A joined terminal casts as its own participant (or organisation), nobody else.
        match super::remote::my_voter(state, vote) {
            Ok(voter) => {
                state.priorities.voter = vote.rules.voters.iter().position(|v| *v == voter).unwrap_or(0);
                voter
            }
            Err(why) => {
                say(state, why, Severity::Warning);
                return true;
            }
        }
    } else {
        let Some(voter) = vote.rules.voters.get(state.priorities.voter).cloned() else {
            return true;
        };
        voter
    };
    let id = vote.id;
    let name = view::voter_name(&state.plan, vote.rules.voter(&voter));
    if state.priorities.remove_armed {
        state.priorities.remove_armed = false;
        if vote.on(&voter, candidate) == 0 {
            say(state, format!("{name} has no dot on {key} to remove"), Severity::Warning);
        } else {
            record(state, Event::DotRemoved { vote: id, voter, candidate }, effects);
        }
        return true;
    }
    // The fold's own refusal, said with the voter's name and the candidate's key (and how to
    // take a dot back); anything else the fold refuses is said in its words by `record`.
    let refusal = vote.check_place(&voter, candidate).err();
    if let Some(VoteRefusal::AllDotsUsed { dots, .. }) = refusal {
        say(
            state,
            format!("{name} has used all {dots} dots (- then a key takes one back)"),
            Severity::Warning,
        );
    } else if let Some(VoteRefusal::AtCap { cap, .. }) = refusal {
        say(state, format!("{name} already has {cap} on {key}: the cap per candidate"), Severity::Warning);
    } else if record(state, Event::DotPlaced { vote: id, voter: voter.clone(), candidate }, effects) {
        if state.seat.is_joined() {
            say(state, format!("dot on {key} sent to the host"), Severity::Info);
            return true;
        }
        let placed = state.session.voting.vote(id);
        let left = placed.map_or(0, |v| v.rules.dots - v.used_by(&voter));
        // A hidden tally keeps where a dot went off the (shared) screen until the close.
        if placed.is_some_and(|v| v.rules.hidden && !v.closed) {
            say(state, format!("{name}: dot placed · {left} left"), Severity::Info);
        } else {
            say(state, format!("{name}: dot on {key} · {left} left"), Severity::Info);
        }
    }
    true
}

/// Keys of the vote set-up window.
pub(super) fn setup_key(state: &mut AppState, command: Option<PopupCommand>, effects: &mut Vec<Effect>) {
    use PopupCommand as P;
    let Some(Overlay::VoteSetup { mut dots, mut cap, mut by_org, mut hidden, mut top, mut joiners }) =
        state.overlay.clone()
    else {
        return;
    };
    let most = state.session.voting.latest_vote().map_or(0, |v| v.rules.candidates.len());
    match command {
        Some(P::MoreDots) => dots += 1,
        Some(P::FewerDots) => dots = dots.saturating_sub(1).max(1),
        Some(P::RaiseCap) => cap += 1,
        Some(P::LowerCap) => cap = cap.saturating_sub(1).max(1),
        Some(P::ToggleByOrg) => by_org = !by_org,
        Some(P::ToggleHidden) => hidden = !hidden,
        Some(P::ToggleJoiners) => joiners = !joiners,
        Some(P::WiderShortlist) => top = top.map(|k| (k + 1).min(most.max(1))),
        Some(P::NarrowerShortlist) => top = top.map(|k| k.saturating_sub(1).max(1)),
        Some(P::Accept) => {
            state.overlay = None;
            let id = state.session.voting.next_vote_id();
            let round = if top.is_some() { format!("round {id} (shortlist)") } else { format!("round {id}") };
            let rules = VoteRules {
                title: format!("Priorities: {round}"),
                candidates: view::ballot(&state.session, top),
                dots,
                cap,
                voters: view::voters(&state.plan, &state.session, by_org),
                by_org,
                hidden,
                joiners,
            };
            if record(state, Event::VoteOpened { vote: id, rules }, effects) {
                state.priorities.voter = 0;
                state.mode = Mode::Casting;
                say(state, "vote open: Tab picks the voter, a candidate's key places a dot", Severity::Info);
            }
            return;
        }
        Some(P::Cancel) => {
            state.overlay = None;
            return;
        }
        _ => {}
    }
    state.overlay = Some(Overlay::VoteSetup { dots, cap, by_org, hidden, top, joiners });
}

/// Keys of the voter search: type to narrow, Enter picks the first match, Esc cancels.
pub(super) fn search_key(
    state: &mut AppState,
    mut filter: String,
    command: Option<PopupCommand>,
    typed: Option<char>,
) {
    match (command, typed) {
        (Some(PopupCommand::Accept), _) => {
            state.overlay = None;
            match view::voter_matches(&state.plan, &state.session, &filter).first().cloned() {
                Some((index, name)) => {
                    state.priorities.voter = index;
                    say(state, format!("voting now: {name}"), Severity::Info);
                }
                None => say(state, format!("no voter matches \"{filter}\""), Severity::Warning),
            }
        }
        (Some(PopupCommand::Cancel), _) => state.overlay = None,
        (Some(PopupCommand::Erase), _) => {
            filter.pop();
            state.overlay = Some(Overlay::VoterSearch { filter });
        }
        (None, Some(c)) => {
            filter.push(c);
            state.overlay = Some(Overlay::VoterSearch { filter });
        }
        _ => {}
    }
}

/// Close the open vote after confirmation.
pub(super) fn close_open_vote(state: &mut AppState, effects: &mut Vec<Effect>) {
    if let Some(vote) = state.session.voting.open_vote() {
        let id = vote.id;
        if record(state, Event::VoteClosed { vote: id }, effects) {
            state.mode = Mode::Vote;
            say(
                state,
                format!("vote {id} closed: k opens a new round on the top candidates"),
                Severity::Info,
            );
        }
    }
}

fn start_entry(state: &mut AppState, entry: Entry, text: &str) {
    let capture = std::mem::replace(&mut state.bar.text, new_capture(text));
    let tags = std::mem::take(&mut state.bar.tags);
    state.bar.stash = Some((capture, tags));
    state.priorities.entry = Some((entry, state.mode));
    state.mode = Mode::Entry;
}

/// Leave the entry line, restoring the comment being typed before it.
pub(super) fn end_entry(state: &mut AppState) {
    if let Some((capture, tags)) = state.bar.stash.take() {
        state.bar.text = capture;
        state.bar.tags = tags;
    }
    state.mode = state.priorities.entry.take().map_or(Mode::Vote, |(_, back)| back);
}

/// Enter on the entry line: add or reword a candidate, or open a decision.
pub(super) fn commit_entry(state: &mut AppState, effects: &mut Vec<Effect>) {
    let text = state.capture_text().trim().to_string();
    let Some((entry, _)) = state.priorities.entry else {
        return;
    };
    if text.is_empty() {
        return say(state, "type the wording first (Esc cancels)", Severity::Warning);
    }
    let event = match entry {
        Entry::NewCandidate => {
            Event::CandidateAdded { id: state.session.voting.next_candidate_id(), text, source: None }
        }
        Entry::EditCandidate(id) => Event::CandidateEdited { id, text },
        Entry::DecisionQuestion => {
            let (organisations, base) = crate::app::checkin::decision_base(state);
            Event::DecisionOpened {
                id: state.session.voting.next_decision_id(),
                question: text,
                rule: MajorityRule::MajorityOfPartners,
                organisations,
                base,
            }
        }
    };
    if record(state, event, effects) {
        end_entry(state);
        if entry == Entry::DecisionQuestion {
            state.priorities.voter = 0;
            state.mode = Mode::Deciding;
        } else if entry == Entry::NewCandidate {
            // Straight back in for the next one: lists are typed in runs.
            start_entry(state, Entry::NewCandidate, "");
        }
    }
}

fn choice_word(choice: Choice) -> &'static str {
    match choice {
        Choice::Yes => "yes",
        Choice::No => "no",
        Choice::Abstain => "abstains",
    }
}
