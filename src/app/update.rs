//! `update`: the console's only state transition, pure and synchronous.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui_textarea::{CursorMove, Input};

use super::action::{Action, Effect};
use super::agenda;
use super::broadcast;
use super::checkin;
use super::keymap::joiner_may;
use super::keymap::{command_for, popup_command, Command, PopupCommand};
use super::quiet::{self, is_printable, Pending};
use super::remote;
use super::rooms;
use super::state::{new_capture, AppState, Mode, Overlay, Severity, Tags};
use super::vote;
use crate::model::{decide, redo_last, undo_last, Actor, CommentId, Event, Intent, Origin, Request, Stamped};
use crate::view::feed;
use crate::view::{author_label, author_matches, history};

/// Apply an action at time `now`; returns the effects the runtime must carry out.
pub fn update(state: &mut AppState, action: Action, now: DateTime<Utc>) -> Vec<Effect> {
    state.now = now;
    let mut effects = Vec::new();
    let overlay_before = state.overlay.clone();
    match action {
        Action::Key(key) if key.kind != KeyEventKind::Release => on_key(state, key, &mut effects),
        Action::Key(_) => {}
        Action::Paste(text) if quiet::guards(state) => {
            // Pasting on a command screen is text too: it goes to the capture bar whole.
            let text = text.replace("\r\n", "\n").replace('\r', "\n");
            let held: Vec<KeyEvent> = state.keys.pending.take().map(|p| p.key).into_iter().collect();
            quiet::to_capture(state, &held, Some(&text));
        }
        Action::Paste(text) if matches!(state.overlay, Some(Overlay::Broadcast { .. })) => {
            broadcast::paste(state, &text)
        }
        Action::Paste(text) => {
            if state.overlay.is_none() && state.mode.is_typing() {
                // Pasted line breaks stay line breaks: a paste never commits by itself.
                let text = text.replace("\r\n", "\n").replace('\r', "\n");
                state.bar.text.insert_str(text);
                state.bar.draft_dirty = true;
            }
        }
        Action::Resize(columns, rows) => state.size = (columns, rows),
        Action::Tick => {
            settle(state, &mut effects);
            agenda::tick(state, &mut effects);
            broadcast::tick(state, &mut effects)
        }
        Action::Persisted(seq) => {
            state.disk.durable_seq = state.disk.durable_seq.max(seq);
            state.disk.save_error = None;
            if state.unsaved_events() == 0 {
                state.disk.saved_at = Some(now);
            }
            // Quit was asked only because the disk had not caught up: now it has, so quit.
            if state.overlay == Some(Overlay::ConfirmQuit) && !quit_at_stake(state) {
                state.overlay = None;
                state.quitting = true;
                effects.push(Effect::Quit);
            }
        }
        Action::PersistFailed(error) => state.disk.save_error = Some(error),
        Action::Notice(text) => state.message = Some((text, Severity::Warning)),
        Action::Host(news) => remote::on_host_news(state, news, &mut effects),
        Action::Link(news) => remote::on_link_news(state, news, &mut effects),
        Action::Kept(seq) => {
            if let Some(joined) = state.seat.joined_mut() {
                joined.kept_through = joined.kept_through.max(seq);
            }
        }
        Action::PlanningProgress(progress) => {
            if let Some(planning) = state.rooms.planning.as_mut() {
                planning.progress = Some(progress);
            }
        }
        Action::RoomsPlanned(result) => rooms::planned(state, result, &mut effects),
    }
    if state.overlay != overlay_before {
        state.keys.overlay_since = now;
    }
    if state.bar.draft_dirty && state.mode == Mode::Capture {
        state.bar.draft_dirty = false;
        effects.push(Effect::SaveDraft(state.capture_text()));
    }
    effects
}

/// A held key that has stood alone for the quiet window acts now (on the screen it was
/// pressed on; elsewhere it is dropped).
fn settle(state: &mut AppState, effects: &mut Vec<Effect>) {
    let Some(pending) = state.keys.pending.take() else {
        return;
    };
    if !quiet::settled(&pending, state.now, state.keys.quiet) {
        state.keys.pending = Some(pending);
        return;
    }
    if pending.mode == state.mode && state.overlay.is_none() {
        act(state, pending.key, effects);
    }
}

/// The quiet gate in front of every key: on a command screen a printable key waits; a second
/// printable key within the quiet window makes both text in the capture bar.
fn on_key(state: &mut AppState, key: KeyEvent, effects: &mut Vec<Effect>) {
    if quiet::guards(state) && is_printable(&key) {
        match state.keys.pending.take() {
            Some(first) if !quiet::settled(&first, state.now, state.keys.quiet) => {
                quiet::to_capture(state, &[first.key, key], None);
            }
            Some(first) => {
                // The first key stood alone after all (no tick came between): it acts, and
                // this one starts waiting in turn.
                if first.mode == state.mode {
                    act(state, first.key, effects);
                }
                on_key(state, key, effects);
            }
            None => {
                state.keys.pending = Some(Pending { key, at: state.now, mode: state.mode });
                effects.push(Effect::WakeIn(state.keys.quiet.to_std().unwrap_or_default()));
            }
        }
        return;
    }
    if let Some(first) = state.keys.pending.take() {
        // A deliberate key (arrow, Enter, Esc, F-key, chord) ends the wait: the held key
        // stood alone, so it acts first.
        if first.mode == state.mode && state.overlay.is_none() {
            act(state, first.key, effects);
        }
    }
    act(state, key, effects);
}

fn act(state: &mut AppState, key: KeyEvent, effects: &mut Vec<Effect>) {
    if let Some(overlay) = state.overlay.clone() {
        // Every window's keys come from its layer of the key table.
        let command = popup_command(overlay.popup(), &key);
        // Ctrl+Q leaves from any window (asking when something is at stake).
        if command == Some(PopupCommand::Quit) && overlay != Overlay::ConfirmQuit {
            state.overlay = None;
            run(state, Command::Quit, effects);
            return;
        }
        on_overlay_key(state, overlay, command, key, effects);
        return;
    }
    if matches!(state.mode, Mode::Capture | Mode::Edit) {
        if let Some(said) = direct_tag(state, &key) {
            state.message = Some(said);
            return;
        }
        // `?` on an empty capture bar opens help; anywhere else it is just a character.
        if key.code == KeyCode::Char('?') && state.capture_text().is_empty() {
            state.overlay = Some(Overlay::Help { scroll: 0 });
            return;
        }
    }
    if state.mode == Mode::Casting && key.modifiers.difference(KeyModifiers::SHIFT).is_empty() {
        if let KeyCode::Char(c) = key.code {
            if c.is_ascii_alphanumeric() && vote::cast(state, c, effects) {
                return;
            }
        }
    }
    if state.mode == Mode::CheckIn && checkin::typing_key(state, key, effects) {
        return;
    }
    if state.mode == Mode::Rooms && key.modifiers.is_empty() {
        if let Some(digit) = match key.code {
            KeyCode::Char(c) => c.to_digit(10).filter(|d| *d > 0),
            _ => None,
        } {
            return rooms::run(state, Command::MoveToRoom, Some(digit), effects);
        }
    }
    match command_for(state.mode, &key) {
        Some(command) => run(state, command, effects),
        None if state.mode.is_typing() && state.bar.text.input(Input::from(key)) => {
            state.bar.draft_dirty = true
        }
        None => {}
    }
}

/// Alt+theme key sets a theme, Alt+digit a room: tagging without leaving the keyboard.
/// Alt+key with no such theme or room says so rather than doing nothing.
fn direct_tag(state: &mut AppState, key: &KeyEvent) -> Option<(String, Severity)> {
    let KeyCode::Char(c) = key.code else {
        return None;
    };
    if key.modifiers != KeyModifiers::ALT {
        return None;
    }
    if let Some(index) = theme_index_for_key(state, c) {
        state.bar.tags.theme = Some(index);
        return Some((format!("theme: {}", state.plan.themes[index].name), Severity::Info));
    }
    let Some(digit) = c.to_digit(10) else {
        return Some((format!("no theme has the key '{c}' (F1 lists the theme keys)"), Severity::Warning));
    };
    if digit == 0 {
        state.bar.tags.room = None;
    } else if (digit as usize) <= state.plan.rooms.len() {
        state.bar.tags.room = Some(digit - 1);
    } else {
        return Some((format!("there is no room {digit}"), Severity::Warning));
    }
    Some((format!("room: {}", state.plan.room_name(state.bar.tags.room)), Severity::Info))
}

fn theme_index_for_key(state: &AppState, c: char) -> Option<usize> {
    state.plan.themes.iter().position(|t| t.key.to_lowercase().eq(c.to_lowercase()))
}

/// A confirmation's answer: Enter (or Ctrl+Q again, to quit) confirms, any other key cancels.
/// None while the window is newer than the quiet window: keys typed on from before it opened
/// neither confirm nor cancel it.
fn confirmation(state: &AppState, command: Option<PopupCommand>) -> Option<bool> {
    if command == Some(PopupCommand::Cancel) {
        return Some(false);
    }
    // Keys typed in the moment after a question opens are typing, not an answer.
    if state.now - state.keys.overlay_since < state.keys.quiet {
        return None;
    }
    Some(matches!(command, Some(PopupCommand::Accept | PopupCommand::Quit)))
}

/// How many acts the history list offers.
pub const HISTORY_LENGTH: usize = 200;

/// The history list: arrows move, Enter undoes (or redoes) the highlighted act, Esc closes.
fn history_key(state: &mut AppState, index: usize, command: Option<PopupCommand>, effects: &mut Vec<Effect>) {
    let acts = history::recent_acts(&state.plan, &state.session, HISTORY_LENGTH);
    let last = acts.len().saturating_sub(1);
    let index = match command {
        Some(PopupCommand::Up) => index.saturating_sub(1),
        Some(PopupCommand::Down) => (index + 1).min(last),
        Some(PopupCommand::PageUp) => index.saturating_sub(10),
        Some(PopupCommand::PageDown) => (index + 10).min(last),
        Some(PopupCommand::Top) => 0,
        Some(PopupCommand::Bottom) => last,
        Some(PopupCommand::Accept) => {
            // Like a confirmation: an Enter typed straight after the key that opened it waits.
            if state.now - state.keys.overlay_since < state.keys.quiet {
                return;
            }
            if let Some(act) = acts.get(index) {
                undo_or_redo(state, act.seq, !act.undone, effects);
            }
            index
        }
        _ => {
            state.overlay = None;
            return;
        }
    };
    state.overlay = Some(Overlay::History { index });
}

fn on_overlay_key(
    state: &mut AppState,
    overlay: Overlay,
    command: Option<PopupCommand>,
    key: KeyEvent,
    effects: &mut Vec<Effect>,
) {
    use PopupCommand as P;
    // What is typed into a window that takes text: a character with no Ctrl or Alt.
    let typed = match key.code {
        KeyCode::Char(c) if key.modifiers.difference(KeyModifiers::SHIFT).is_empty() => Some(c),
        _ => None,
    };
    match overlay {
        Overlay::Help { scroll } => match command {
            Some(P::Up) => state.overlay = Some(Overlay::Help { scroll: scroll.saturating_sub(1) }),
            Some(P::Down) => state.overlay = Some(Overlay::Help { scroll: scroll.saturating_add(1) }),
            Some(P::PageUp) => state.overlay = Some(Overlay::Help { scroll: scroll.saturating_sub(10) }),
            Some(P::PageDown) => state.overlay = Some(Overlay::Help { scroll: scroll.saturating_add(10) }),
            _ => state.overlay = None,
        },
        Overlay::ConfirmQuit => match confirmation(state, command) {
            Some(true) => {
                state.overlay = None;
                state.quitting = true;
                effects.push(Effect::Quit);
            }
            Some(false) => {
                state.overlay = None;
                state.message = Some(("carrying on".into(), Severity::Info));
            }
            None => {}
        },
        Overlay::VoteSetup { .. } => vote::setup_key(state, command, effects),
        Overlay::Broadcast { text, bell } => {
            broadcast::prompt_key(state, text, bell, command, typed, effects)
        }
        Overlay::VoterSearch { filter } => vote::search_key(state, filter, command, typed),
        Overlay::ConfirmCloseVote => match confirmation(state, command) {
            Some(true) => {
                state.overlay = None;
                vote::close_open_vote(state, effects);
            }
            Some(false) => {
                state.overlay = None;
                state.message = Some(("the vote stays open".into(), Severity::Info));
            }
            None => {}
        },
        Overlay::Joiners { index } => {
            let count = state.seat.hosting().map_or(0, |h| h.peers.len());
            match command {
                Some(P::Up) => state.overlay = Some(Overlay::Joiners { index: index.saturating_sub(1) }),
                Some(P::Down) => {
                    state.overlay = Some(Overlay::Joiners { index: (index + 1).min(count.saturating_sub(1)) })
                }
                Some(P::RevealToken) => {
                    if let Some(hosting) = state.seat.hosting_mut() {
                        hosting.token_shown = !hosting.token_shown;
                    }
                    state.overlay = Some(Overlay::Joiners { index });
                }
                Some(P::CopyJoin) => {
                    // To the clipboard, never the shared screen: the token stays masked.
                    if let Some(hosting) = state.seat.hosting() {
                        effects.push(Effect::Copy(hosting.join_command.clone()));
                        state.message = Some((
                            "join command copied to your clipboard: send it to each joiner".into(),
                            Severity::Info,
                        ));
                    }
                    state.overlay = Some(Overlay::Joiners { index });
                }
                Some(P::Disconnect) => {
                    if let Some(peer) = state.seat.hosting().and_then(|h| h.peers.get(index)) {
                        effects.push(Effect::Disconnect(peer.connection));
                        state.message = Some((
                            format!("disconnected {}; they do not rejoin by themselves", peer.name),
                            Severity::Info,
                        ));
                    }
                }
                _ => {
                    // Closing masks the token again.
                    if let Some(hosting) = state.seat.hosting_mut() {
                        hosting.token_shown = false;
                    }
                    state.overlay = None
                }
            }
        }
        Overlay::History { index } => history_key(state, index, command, effects),
        Overlay::ConfirmReplan => match confirmation(state, command) {
            Some(true) => {
                state.overlay = None;
                rooms::start_planning(state, true, effects);
            }
            Some(false) => {
                state.overlay = None;
                state.message = Some(("the round stays as it is".into(), Severity::Info));
            }
            None => {}
        },
        Overlay::ConfirmMoveLead { id, room } => match confirmation(state, command) {
            Some(true) => {
                state.overlay = None;
                rooms::move_person(state, &id, true, room, effects);
            }
            Some(false) => {
                state.overlay = None;
                state.message = Some(("the lead stays in their room".into(), Severity::Info));
            }
            None => {}
        },
        Overlay::ConfirmRetract(id) => match confirmation(state, command) {
            Some(true) => {
                state.overlay = None;
                if record(state, Event::CommentRetracted { id }, effects) {
                    state.message = Some((format!("retracted #{id} (the log keeps it)"), Severity::Info));
                    select_near(state, id);
                }
            }
            Some(false) => {
                state.overlay = None;
                state.message = Some((format!("#{id} kept"), Severity::Info));
            }
            None => {}
        },
        Overlay::ThemeKey => {
            state.overlay = None;
            match (command, typed) {
                (Some(P::ClearTheme), _) => {
                    state.bar.tags.theme = None;
                    state.message = Some(("theme cleared".into(), Severity::Info));
                }
                (None, Some(c)) => match theme_index_for_key(state, c) {
                    Some(index) => {
                        state.bar.tags.theme = Some(index);
                        let name = state.plan.themes[index].name.clone();
                        state.message = Some((format!("theme: {name}"), Severity::Info));
                    }
                    None => state.message = Some((format!("no theme has the key '{c}'"), Severity::Warning)),
                },
                _ => {}
            }
        }
        Overlay::AuthorPicker { mut filter, index } => {
            let matches = author_matches(&state.plan, &filter);
            match (command, typed) {
                (Some(P::Cancel), _) => state.overlay = None,
                (Some(P::Accept), _) => {
                    state.overlay = None;
                    // Row 0 is "nobody in particular".
                    state.bar.tags.author = if index == 0 { None } else { matches.get(index - 1).cloned() };
                    let who = author_label(&state.plan, state.bar.tags.author.as_deref());
                    state.message = Some((format!("author: {who}"), Severity::Info));
                }
                (Some(P::Up), _) => {
                    state.overlay = Some(Overlay::AuthorPicker { filter, index: index.saturating_sub(1) })
                }
                (Some(P::Down), _) => {
                    state.overlay =
                        Some(Overlay::AuthorPicker { filter, index: (index + 1).min(matches.len()) })
                }
                (Some(P::Erase), _) => {
                    filter.pop();
                    let first = usize::from(!author_matches(&state.plan, &filter).is_empty());
                    state.overlay = Some(Overlay::AuthorPicker { filter, index: first });
                }
                (None, Some(c)) => {
                    filter.push(c);
                    let first = usize::from(!author_matches(&state.plan, &filter).is_empty());
                    state.overlay = Some(Overlay::AuthorPicker { filter, index: first });
                }
                _ => {}
            }
        }
        Overlay::Rebalance(proposal) => {
            if let Some(answer) = confirmation(state, command) {
                state.overlay = None;
                agenda::rebalance_answered(state, proposal, answer, effects);
            }
        }
    }
}

fn run(state: &mut AppState, command: Command, effects: &mut Vec<Effect>) {
    if state.seat.is_joined() && !joiner_may(command) {
        state.message = Some(("the facilitator's console does that".into(), Severity::Warning));
        return;
    }
    match command {
        Command::Commit => commit(state, effects),
        Command::NewLine => {
            state.bar.text.insert_newline();
            state.bar.draft_dirty = true;
        }
        Command::NextTheme | Command::PrevTheme => {
            let count = state.plan.themes.len();
            if count == 0 {
                state.message = Some(("the plan defines no themes".into(), Severity::Warning));
                return;
            }
            // Cycle through "no theme" too, so a tag can be taken off.
            let position = state.bar.tags.theme.map_or(0, |i| i + 1);
            let next = if command == Command::NextTheme {
                (position + 1) % (count + 1)
            } else {
                (position + count) % (count + 1)
            };
            state.bar.tags.theme = next.checked_sub(1);
        }
        Command::ThemePrefix => state.overlay = Some(Overlay::ThemeKey),
        Command::NextRoom => {
            let count = state.plan.rooms.len() as u32;
            state.bar.tags.room = match state.bar.tags.room {
                None if count > 0 => Some(0),
                Some(r) if r + 1 < count => Some(r + 1),
                _ => None,
            };
        }
        Command::PickAuthor => {
            let index = state
                .bar
                .tags
                .author
                .as_ref()
                .and_then(|a| author_matches(&state.plan, "").iter().position(|id| id == a))
                .map_or(0, |i| i + 1);
            state.overlay = Some(Overlay::AuthorPicker { filter: String::new(), index });
        }
        Command::TogglePreSession => {
            state.bar.tags.pre_session = !state.bar.tags.pre_session;
            let word = if state.bar.tags.pre_session { "on" } else { "off" };
            state.message = Some((format!("pre-session input: {word}"), Severity::Info));
        }
        Command::Undo => undo(state, effects),
        Command::Redo => redo(state, effects),
        Command::History => state.overlay = Some(Overlay::History { index: 0 }),
        Command::Browse => {
            state.mode = Mode::Browse;
            state.feed.selected = state.shown().last().copied();
            if state.feed.selected.is_none() {
                state.message = Some(("no comments to select yet".into(), Severity::Info));
                state.mode = Mode::Capture;
            }
        }
        Command::Capture => {
            state.mode = Mode::Capture;
            state.feed.selected = None;
            state.feed.bottom = None;
        }
        Command::AgendaMode => state.mode = Mode::Agenda,
        Command::NextItem
        | Command::PrevItem
        | Command::PauseResume
        | Command::ExtendOne
        | Command::ExtendFive
        | Command::TakeBackOne
        | Command::SkipItem => agenda::steer(state, command, effects),
        Command::Help => state.overlay = Some(Overlay::Help { scroll: 0 }),
        Command::FeedRoom => {
            let count = state.plan.rooms.len() as u32;
            state.feed.room = match state.feed.room {
                None if count > 0 => Some(0),
                Some(r) if r + 1 < count => Some(r + 1),
                _ => None,
            };
            state.feed.bottom = None;
            let shown =
                state.feed.room.map_or("every room".to_string(), |r| state.plan.room_name(Some(r)).into());
            state.message = Some((format!("the feed shows {shown}"), Severity::Info));
        }
        Command::Joiners => match state.seat.hosting() {
            Some(_) => state.overlay = Some(Overlay::Joiners { index: 0 }),
            None => {
                state.message = Some((
                    "no terminals can join: open the session with `convene host` for that".into(),
                    Severity::Info,
                ))
            }
        },
        Command::Quit => {
            if quit_at_stake(state) {
                state.overlay = Some(Overlay::ConfirmQuit);
            } else {
                state.quitting = true;
                effects.push(Effect::Quit);
            }
        }
        Command::Up | Command::Down if state.mode == Mode::Rooms => rooms::run(state, command, None, effects),
        Command::Up | Command::Down if state.mode == Mode::CheckIn => checkin::run(state, command, effects),
        Command::CheckInScreen
        | Command::MarkPresent
        | Command::MarkAbsent
        | Command::FindPerson
        | Command::AddWalkIn
        | Command::AddDeputy
        | Command::SwitchView
        | Command::SwitchDecisionBase => checkin::run(state, command, effects),
        Command::RoomsScreen
        | Command::NextRooms
        | Command::ReplanRound
        | Command::CancelPlanning
        | Command::TakeBestPlan
        | Command::CopyRound
        | Command::MoveToRoom
        | Command::Arrive
        | Command::Leave
        | Command::SwitchObjective => rooms::run(state, command, None, effects),
        Command::Up | Command::Down if matches!(state.mode, Mode::Vote | Mode::Deciding) => {
            vote::run(state, command, effects)
        }
        Command::VoteScreen
        | Command::AddCandidate
        | Command::EditCandidate
        | Command::MergeCandidate
        | Command::PromoteComment
        | Command::OpenVote
        | Command::NextRound
        | Command::NextVoter
        | Command::PrevVoter
        | Command::RemoveDot
        | Command::FindVoter
        | Command::CloseVote
        | Command::OpenDecision
        | Command::AnswerYes
        | Command::AnswerNo
        | Command::AnswerAbstain
        | Command::RecordDecision => vote::run(state, command, effects),
        // Handled before the table lookup (candidate keys) or only in the replay console.
        Command::PlaceDot
        | Command::PlayPause
        | Command::Faster
        | Command::Slower
        | Command::StepForward
        | Command::StepBack
        | Command::NextMarker
        | Command::PrevMarker
        | Command::SeekTime
        | Command::NextView => {}
        Command::Up
        | Command::Down
        | Command::PageUp
        | Command::PageDown
        | Command::Top
        | Command::Bottom => scroll(state, command),
        Command::Edit => start_edit(state),
        Command::Retract => {
            if let Some(id) = state.feed.selected {
                // Refused before asking, when this console may not retract it.
                match decide(
                    &state.plan,
                    &state.session,
                    &state.actor,
                    Intent::Ask(Request::RetractComment { id }),
                ) {
                    Ok(_) => state.overlay = Some(Overlay::ConfirmRetract(id)),
                    Err(rejection) => state.message = Some((rejection.to_string(), Severity::Warning)),
                }
            }
        }
        Command::Broadcast => broadcast::open_prompt(state),
        Command::DismissBanner => broadcast::dismiss(state),
        Command::Cancel if state.mode == Mode::Entry => vote::end_entry(state),
        Command::Cancel => {
            end_edit(state);
            state.message = Some(("edit abandoned".into(), Severity::Info));
        }
        Command::Rebalance => agenda::steer(state, command, effects),
    }
}

/// Whether quitting now would leave something behind: events not on disk, a joiner's unsent
/// requests, an edit or a draft under way, or joined terminals.
fn quit_at_stake(state: &AppState) -> bool {
    let unsaved = state.unsaved_events() + state.seat.joined().map_or(0, |j| j.unsent.len() as u64);
    let draft = !state.capture_text().trim().is_empty() && state.mode == Mode::Capture;
    let joiners = state.seat.hosting().is_some_and(|h| !h.peers.is_empty());
    unsaved > 0 || state.disk.save_error.is_some() || state.mode == Mode::Edit || draft || joiners
}

/// Stamp an event, fold it in, and ask for it to be persisted. False if the fold refused it.
/// A joined console sends it to the host instead, which records it (or says why not).
pub(super) fn record(state: &mut AppState, event: Event, effects: &mut Vec<Effect>) -> bool {
    if state.seat.is_joined() {
        return remote::submit(state, event, effects);
    }
    let events = match decide(&state.plan, &state.session, &state.actor, Intent::of_event(event)) {
        Ok(events) => events,
        Err(rejection) => {
            state.message = Some((rejection.to_string(), Severity::Warning));
            return false;
        }
    };
    let before = broadcast::Before::of(state);
    for event in &events {
        if let Err(error) = record_as(state, state.actor.clone(), None, event.clone(), effects) {
            state.message = Some((format!("not recorded: {error}"), Severity::Error));
            return false;
        }
    }
    // The rooms hear by themselves when a breakout ends or a vote opens for them.
    broadcast::follow(state, before, &events, effects);
    true
}

/// When an item that tags comments with a theme starts (or the agenda moves back to it), the
/// capture bar takes that theme, and the status line says so; an edit under way keeps its own.
pub(super) fn follow_agenda(state: &mut AppState, event: &Event) {
    let Event::AgendaItemStarted { item } = event else {
        return;
    };
    let Some(theme) = state.plan.agenda.get(*item as usize).and_then(|i| i.theme.clone()) else {
        return;
    };
    let Some(index) = state.plan.themes.iter().position(|t| t.name == theme) else {
        return;
    };
    if state.bar.editing.is_some() {
        return;
    }
    state.bar.tags.theme = Some(index);
    if state.message.is_none() {
        state.message = Some((format!("theme: {theme}, as this agenda item asks"), Severity::Info));
    }
}

/// Stamp an event as `by`, fold it in and ask for it to be persisted; its sequence number, or
/// why the fold refused it.
pub(super) fn record_as(
    state: &mut AppState,
    by: Actor,
    origin: Option<Origin>,
    event: Event,
    effects: &mut Vec<Effect>,
) -> Result<u64, String> {
    let stamped = Stamped {
        seq: state.session.last_seq + 1,
        // Never earlier than the last event, so a clock stepping back cannot reorder the log.
        at: state.now.max(state.session.last_at.unwrap_or(state.now)),
        by,
        origin,
        event,
    };
    state.session.apply(&state.plan, &stamped).map_err(|error| error.to_string())?;
    follow_agenda(state, &stamped.event);
    let seq = stamped.seq;
    effects.push(Effect::Persist(stamped));
    Ok(seq)
}

fn commit(state: &mut AppState, effects: &mut Vec<Effect>) {
    let text = state.capture_text();
    if text.trim().is_empty() {
        state.message = Some(("nothing to commit: type a comment first".into(), Severity::Warning));
        return;
    }
    if state.mode == Mode::Entry {
        return vote::commit_entry(state, effects);
    }
    if let Some(id) = state.bar.editing {
        save_edit(state, id, text, effects);
        return;
    }
    let id = state.session.next_comment_id();
    let tags = state.bar.tags.clone();
    let event = Event::CommentAdded {
        id,
        text,
        theme: state.theme_name(&tags).map(str::to_string),
        room: tags.room,
        author: tags.author.clone(),
        pre_session: tags.pre_session,
    };
    if record(state, event, effects) {
        state.bar.text = new_capture("");
        state.bar.draft_dirty = true;
        state.feed.bottom = None;
        state.message = None;
    }
}

fn start_edit(state: &mut AppState) {
    let Some(comment) = state.feed.selected.and_then(|id| state.session.comment(id)).cloned() else {
        return;
    };
    // Said before anything is typed: a joined console may correct only what it captured.
    let intent = Intent::Ask(Request::EditComment { id: comment.id, text: comment.text.clone() });
    if let Err(rejection) = decide(&state.plan, &state.session, &state.actor, intent) {
        state.message = Some((rejection.to_string(), Severity::Warning));
        return;
    }
    let tags = Tags {
        theme: comment
            .theme
            .as_deref()
            .and_then(|name| state.plan.themes.iter().position(|t| t.name == name)),
        room: comment.room,
        author: comment.author.clone(),
        pre_session: comment.pre_session,
    };
    let capture = std::mem::replace(&mut state.bar.text, new_capture(&comment.text));
    let stashed = std::mem::replace(&mut state.bar.tags, tags);
    state.bar.stash = Some((capture, stashed));
    state.bar.editing = Some(comment.id);
    state.mode = Mode::Edit;
}

fn save_edit(state: &mut AppState, id: CommentId, text: String, effects: &mut Vec<Effect>) {
    let Some(before) = state.session.comment(id).cloned() else {
        end_edit(state);
        return;
    };
    let tags = state.bar.tags.clone();
    let theme = state.theme_name(&tags).map(str::to_string);
    let mut changed = false;
    if text != before.text {
        changed |= record(state, Event::CommentEdited { id, text }, effects);
    }
    if theme != before.theme || tags.room != before.room || tags.author != before.author {
        let event = Event::CommentRetagged { id, theme, room: tags.room, author: tags.author };
        changed |= record(state, event, effects);
    }
    let message = if changed { format!("#{id} updated") } else { format!("#{id} unchanged") };
    end_edit(state);
    state.mode = Mode::Browse;
    state.feed.selected = Some(id);
    state.message = Some((message, Severity::Info));
}

fn end_edit(state: &mut AppState) {
    if let Some((capture, tags)) = state.bar.stash.take() {
        state.bar.text = capture;
        state.bar.tags = tags;
    }
    state.bar.editing = None;
    state.mode = Mode::Browse;
}

/// Ctrl+Z: undo this console's latest act that still counts, whatever it was. A comment's
/// text comes back to an empty capture bar, so a mis-tagged comment is fixed in seconds.
fn undo(state: &mut AppState, effects: &mut Vec<Effect>) {
    let intent = match undo_last(&state.session, &state.actor) {
        Ok(intent) => intent,
        Err(rejection) => {
            state.message = Some((rejection.to_string(), Severity::Warning));
            return;
        }
    };
    let Intent::Ask(Request::Undo { seq }) = intent else {
        return;
    };
    undo_or_redo(state, seq, true, effects);
}

/// Ctrl+Y: redo what the latest undo undid, unless something new was done since.
fn redo(state: &mut AppState, effects: &mut Vec<Effect>) {
    match redo_last(&state.session, &state.actor) {
        Ok(Intent::Ask(Request::Redo { seq })) => undo_or_redo(state, seq, false, effects),
        Ok(_) => {}
        Err(rejection) => state.message = Some((rejection.to_string(), Severity::Warning)),
    }
}

/// Undo (or redo) the act event `seq` belongs to, and say what happened in words.
pub(super) fn undo_or_redo(state: &mut AppState, seq: u64, undo: bool, effects: &mut Vec<Effect>) {
    let what = history::act_words(&state.plan, &state.session, seq);
    let comment = match crate::model::undo::find(state.session.log(), seq).map(|e| &e.event) {
        Some(Event::CommentAdded { id, .. }) => state.session.comment(*id).cloned(),
        _ => None,
    };
    let event = if undo { Event::Undone { seq } } else { Event::Redone { seq } };
    if !record(state, event, effects) {
        return;
    }
    let joined = state.seat.is_joined();
    let message = match (undo, joined) {
        (true, false) => format!("undone: {what} (Ctrl+Y redoes; the log keeps both)"),
        (false, false) => format!("redone: {what}"),
        (true, true) => format!("asked the host to undo: {what}"),
        (false, true) => format!("asked the host to redo: {what}"),
    };
    state.message = Some((message, Severity::Info));
    let Some(comment) = comment else {
        return;
    };
    if !undo {
        // Redoing a comment whose text an undo gave back: the bar lets it go again.
        if state.mode == Mode::Capture && state.capture_text() == comment.text {
            state.bar.text = new_capture("");
            state.bar.draft_dirty = true;
        }
        return;
    }
    if state.mode == Mode::Capture && state.capture_text().is_empty() {
        state.bar.text = new_capture(&comment.text);
        state.bar.tags = Tags {
            theme: comment
                .theme
                .as_deref()
                .and_then(|name| state.plan.themes.iter().position(|t| t.name == name)),
            room: comment.room,
            author: comment.author,
            pre_session: comment.pre_session,
        };
        state.bar.text.move_cursor(CursorMove::Bottom);
        state.bar.text.move_cursor(CursorMove::End);
        state.bar.draft_dirty = true;
        let done = if joined { "asked the host to undo" } else { "undid" };
        state.message = Some((
            format!("{done} comment #{}: its text is back in the capture bar (Ctrl+Y redoes)", comment.id),
            Severity::Info,
        ));
    }
    if state.feed.selected == Some(comment.id) {
        select_near(state, comment.id);
    }
}

/// After `id` leaves the feed, select its neighbour (or leave Browse if the feed is empty).
fn select_near(state: &mut AppState, id: CommentId) {
    let live = state.shown();
    let position = live.partition_point(|other| *other < id);
    let near = live.get(position).or_else(|| live.last()).copied();
    state.feed.selected = near;
    if state.feed.selected.is_none() && state.mode == Mode::Browse {
        state.mode = Mode::Capture;
    }
}

fn scroll(state: &mut AppState, command: Command) {
    let live_len = state.shown().len();
    if live_len == 0 {
        return;
    }
    let page = feed::page_size(state.feed.viewport);
    let bottom = state.feed.bottom.unwrap_or(live_len - 1);
    if state.mode == Mode::Browse {
        let current = state
            .feed
            .selected
            .map_or(live_len - 1, |id| state.shown().partition_point(|other| *other < id))
            .min(live_len - 1);
        let target = match command {
            Command::Up => current.saturating_sub(1),
            Command::Down => (current + 1).min(live_len - 1),
            Command::PageUp => current.saturating_sub(page),
            Command::PageDown => (current + page).min(live_len - 1),
            Command::Top => 0,
            _ => live_len - 1,
        };
        let shown = state.shown();
        let new_bottom = feed::bottom_showing(
            &state.feed_look(),
            &state.session,
            shown,
            bottom,
            target,
            state.feed.viewport,
        );
        state.feed.selected = Some(shown[target]);
        state.feed.bottom = Some(new_bottom);
    } else {
        let target = match command {
            Command::PageUp => bottom.saturating_sub(page),
            _ => bottom + page,
        };
        state.feed.bottom = (target < live_len - 1).then_some(target);
    }
}
