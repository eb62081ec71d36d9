//! Messages to the rooms from the facilitator's console: the prompt typed under the broadcast
//! key, and the messages the agenda sends by itself — when a breakout item's warning fires (its
//! `room_note`), when it ends (its time runs out, or the facilitator moves on), and when a vote
//! opens in which joined terminals cast their own dots (while hosting). Joined consoles show the latest as a
//! banner until dismissed; the presenter shows it for `SHOWN_FOR`.

use chrono::{DateTime, Duration, Utc};

use super::action::Effect;
use super::keymap::PopupCommand;
use super::state::{AppState, Mode, Overlay, Severity};
use super::update::record;
use crate::model::agenda::{ItemTimer, DEFAULT_WARN_MINUTES};
use crate::model::{Actor, Broadcast, BroadcastCause, Event, ItemKind, ItemStatus, MAX_BROADCAST_CHARS};

/// How long a message stays on the shared screen, and how old one may be for a joined console
/// that (re)connects to still show it and ring for it: older ones are history, not news.
pub fn shown_for() -> Duration {
    Duration::minutes(2)
}

/// The agenda's own words when a breakout item ends.
pub const ENDED_TEXT: &str = "Breakout over: please come back to the main room";
/// The agenda's own words when a vote opens for joined terminals.
pub const VOTE_TEXT: &str = "Voting is open: place your dots now";

/// The prompt: start typing a message to every room (the bell on by default).
pub(super) fn open_prompt(state: &mut AppState) {
    state.overlay = Some(Overlay::Broadcast { text: String::new(), bell: true });
}

/// A key in the prompt: text, Backspace, Tab (bell on/off), Enter sends, Esc cancels.
pub(super) fn prompt_key(
    state: &mut AppState,
    mut text: String,
    bell: bool,
    command: Option<PopupCommand>,
    typed: Option<char>,
    effects: &mut Vec<Effect>,
) {
    match (command, typed) {
        (Some(PopupCommand::Cancel), _) => {
            state.overlay = None;
            state.message = Some(("nothing sent to the rooms".into(), Severity::Info));
        }
        (Some(PopupCommand::Accept), _) => {
            state.overlay = None;
            if !send(state, text.clone(), bell, None, effects) {
                // Refused (empty, too long): the words come back to be fixed.
                state.overlay = Some(Overlay::Broadcast { text, bell });
            }
        }
        (Some(PopupCommand::ToggleBell), _) => state.overlay = Some(Overlay::Broadcast { text, bell: !bell }),
        (Some(PopupCommand::Erase), _) => {
            text.pop();
            state.overlay = Some(Overlay::Broadcast { text, bell });
        }
        (None, Some(c)) => {
            add(&mut text, &c.to_string());
            state.overlay = Some(Overlay::Broadcast { text, bell });
        }
        _ => {}
    }
}

/// Pasted text joins the message on one line, within the length a banner takes.
pub(super) fn paste(state: &mut AppState, pasted: &str) {
    if let Some(Overlay::Broadcast { text, .. }) = state.overlay.as_mut() {
        add(text, &pasted.replace(['\r', '\n'], " "));
    }
}

fn add(text: &mut String, more: &str) {
    let room = MAX_BROADCAST_CHARS.saturating_sub(text.chars().count());
    text.extend(more.chars().filter(|c| !c.is_control()).take(room));
}

/// Record a message to the rooms and say so on the status line; false if refused.
pub(super) fn send(
    state: &mut AppState,
    text: String,
    bell: bool,
    cause: Option<BroadcastCause>,
    effects: &mut Vec<Effect>,
) -> bool {
    let said = text.trim().to_string();
    let sent = record(state, Event::Broadcast { text: said.clone(), bell, cause }, effects);
    if sent {
        let to =
            if state.seat.is_hosting() { "every room and the shared screen" } else { "the shared screen" };
        state.message = Some((format!("» sent to {to}: {said}"), Severity::Info));
    }
    sent
}

/// Whether this console speaks for the agenda: the facilitator's while hosting, when there are
/// rooms on other terminals to tell (a solo console's log is not filled with messages to no
/// one; its own screen shows the room note), never a joined one.
fn speaks_for_agenda(state: &AppState) -> bool {
    state.seat.is_hosting() && state.actor == Actor::Facilitator
}

/// When the current item was made current this time (a reopened item counts from its reopening).
fn opened_at(timer: &ItemTimer) -> Option<DateTime<Utc>> {
    let since = timer.ended_at.filter(|_| matches!(timer.status, ItemStatus::Running | ItemStatus::Paused));
    match since {
        Some(ended) => timer.runs.iter().map(|run| run.from).find(|from| *from >= ended),
        None => timer.started_at,
    }
}

/// Whether the agenda already sent this message since `since`.
fn sent_since(state: &AppState, cause: BroadcastCause, since: Option<DateTime<Utc>>) -> bool {
    state
        .session
        .broadcasts
        .iter()
        .rev()
        .take_while(|b| since.is_none_or(|since| b.at >= since))
        .any(|b| b.cause == Some(cause))
}

/// On each tick: the running breakout item's warning and its running out are told to the rooms,
/// once per opening of the item (the log says whether it was already, so a console reopened
/// after a crash does not say it twice).
pub(super) fn tick(state: &mut AppState, effects: &mut Vec<Effect>) {
    if !speaks_for_agenda(state) {
        return;
    }
    let agenda = &state.session.agenda;
    let Some(item) = agenda.current else {
        return;
    };
    let Some(planned) = state.plan.agenda.get(item) else {
        return;
    };
    if planned.kind != ItemKind::Breakout || agenda.items[item].status != ItemStatus::Running {
        return;
    }
    let since = opened_at(&agenda.items[item]);
    let remaining = agenda.remaining(&state.plan, item, state.now);
    let warn = Duration::minutes(i64::from(planned.warn_minutes.unwrap_or(DEFAULT_WARN_MINUTES)));
    let index = item as u32;
    if remaining <= Duration::zero() {
        let cause = BroadcastCause::ItemEnded { item: index };
        if !sent_since(state, cause, since) {
            send(state, ENDED_TEXT.into(), true, Some(cause), effects);
        }
    } else if remaining <= warn {
        let cause = BroadcastCause::Warning { item: index };
        if !sent_since(state, cause, since) {
            let text =
                planned.room_note.clone().filter(|note| !note.trim().is_empty()).unwrap_or_else(|| {
                    let minutes = planned.warn_minutes.unwrap_or(DEFAULT_WARN_MINUTES);
                    format!("{minutes} minute{} left: time to wrap up", if minutes == 1 { "" } else { "s" })
                });
            send(state, text, true, Some(cause), effects);
        }
    }
}

/// Where the agenda stood before an act, to tell afterwards whether a breakout item ended.
#[derive(Debug, Clone, Copy)]
pub(super) struct Before {
    current: Option<(usize, Option<DateTime<Utc>>)>,
}

impl Before {
    /// The agenda as it stands now.
    pub(super) fn of(state: &AppState) -> Before {
        let agenda = &state.session.agenda;
        Before { current: agenda.current.map(|item| (item, opened_at(&agenda.items[item]))) }
    }
}

/// After the facilitator's console recorded `events`: a breakout item left before its time ran
/// out tells the rooms to come back, and a vote open to joined terminals tells them to vote.
pub(super) fn follow(state: &mut AppState, before: Before, events: &[Event], effects: &mut Vec<Effect>) {
    if !speaks_for_agenda(state) {
        return;
    }
    if let Some((item, since)) = before.current {
        let breakout = state.plan.agenda.get(item).is_some_and(|i| i.kind == ItemKind::Breakout);
        let cause = BroadcastCause::ItemEnded { item: item as u32 };
        if breakout && state.session.agenda.current != Some(item) && !sent_since(state, cause, since) {
            send(state, ENDED_TEXT.into(), true, Some(cause), effects);
        }
    }
    for event in events {
        if let Event::VoteOpened { vote, rules } = event {
            if rules.joiners {
                send(
                    state,
                    VOTE_TEXT.into(),
                    true,
                    Some(BroadcastCause::VoteOpened { vote: *vote }),
                    effects,
                );
            }
        }
    }
}

/// The message a console shows as its banner: on a joined console the latest, unless
/// dismissed; in the replay the latest for `shown_for` after it was sent, as the presenter did.
pub fn banner(state: &AppState) -> Option<&Broadcast> {
    let latest = state.session.latest_broadcast()?;
    match state.seat.joined() {
        Some(joined) => (latest.seq > joined.dismissed).then_some(latest),
        None if state.mode == Mode::Replay => {
            let age = state.now - latest.at;
            (age >= Duration::zero() && age <= shown_for()).then_some(latest)
        }
        None => None,
    }
}

/// Joined: a message arrived from the host. A fresh one shows (and rings, once, if asked); one
/// older than `shown_for` arrives with the log on (re)connecting and is history, not news.
pub(super) fn arrived(state: &mut AppState, broadcast: &Broadcast, effects: &mut Vec<Effect>) {
    let fresh = state.now - broadcast.at <= shown_for();
    let Some(joined) = state.seat.joined_mut() else {
        return;
    };
    if !fresh {
        joined.dismissed = joined.dismissed.max(broadcast.seq);
        return;
    }
    if broadcast.bell && broadcast.seq > joined.rung {
        joined.rung = broadcast.seq;
        effects.push(Effect::Bell);
    }
}

/// Joined: hide the banner until the next message.
pub(super) fn dismiss(state: &mut AppState) {
    let latest = state.session.latest_broadcast().map_or(0, |b| b.seq);
    match state.seat.joined_mut() {
        Some(joined) if latest > joined.dismissed => {
            joined.dismissed = latest;
            state.message = Some(("message hidden".into(), Severity::Info));
        }
        _ => state.message = Some(("no message to hide".into(), Severity::Info)),
    }
}
