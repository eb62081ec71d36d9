//! The one key table: it drives input and feeds both the help overlay and the context bar,
//! so what the screen says and what the keys do can never drift apart.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::state::Mode;

/// Something the user can ask for with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Commit the capture bar as a comment (or save the edit).
    Commit,
    /// Insert a line break in the capture bar.
    NewLine,
    /// Tag with the next theme.
    NextTheme,
    /// Tag with the previous theme.
    PrevTheme,
    /// Wait for a theme key.
    ThemePrefix,
    /// Attribute to the next room (or the plenary).
    NextRoom,
    /// Choose who said it.
    PickAuthor,
    /// Mark as pre-session input (sent in ahead, e.g. by email).
    TogglePreSession,
    /// Undo this console's latest act (any kind: a comment, a dot, a round of rooms...).
    Undo,
    /// Redo what the latest undo undid.
    Redo,
    /// The recent acts, with who and when: undo or redo any of them.
    History,
    /// Leave the capture bar to select comments in the feed.
    Browse,
    /// Back to the capture bar.
    Capture,
    /// Show every key.
    Help,
    /// Leave convene.
    Quit,
    /// Move the selection (or the view) up.
    Up,
    /// Move the selection (or the view) down.
    Down,
    /// Scroll a page up.
    PageUp,
    /// Scroll a page down.
    PageDown,
    /// Oldest comment.
    Top,
    /// Newest comment; follow new ones.
    Bottom,
    /// Edit the selected comment.
    Edit,
    /// Retract the selected comment.
    Retract,
    /// Abandon the current edit or prompt.
    Cancel,
    /// Show the agenda and take single-key timer commands.
    AgendaMode,
    /// Start the session, or move to the next agenda item (ends the agenda after the last).
    NextItem,
    /// Go back to the previous agenda item (reopens it; its time keeps adding up).
    PrevItem,
    /// Pause or resume the current item's timer.
    PauseResume,
    /// Add a minute to the current item.
    ExtendOne,
    /// Add five minutes to the current item.
    ExtendFive,
    /// Take a minute back from the current item.
    TakeBackOne,
    /// Skip the current item (or the next one, before it starts).
    SkipItem,
    /// Show the priorities list and votes.
    VoteScreen,
    /// Type a new candidate priority.
    AddCandidate,
    /// Reword the selected candidate.
    EditCandidate,
    /// Merge two duplicate candidates (press on each).
    MergeCandidate,
    /// Make the selected comment a candidate priority.
    PromoteComment,
    /// Set up and open a vote on the whole list.
    OpenVote,
    /// Open a new round on the last vote's top candidates.
    NextRound,
    /// Place a dot (the candidate keys 1-9, a-z; listed once in the table for help).
    PlaceDot,
    /// Select the next voter.
    NextVoter,
    /// Select the previous voter.
    PrevVoter,
    /// Find a voter by typing part of their name.
    FindVoter,
    /// The next candidate key removes a dot.
    RemoveDot,
    /// Close the open vote.
    CloseVote,
    /// Type a question for a yes/no/abstain decision by organisation.
    OpenDecision,
    /// The selected organisation says yes.
    AnswerYes,
    /// The selected organisation says no.
    AnswerNo,
    /// The selected organisation abstains.
    AnswerAbstain,
    /// Record the decision with the answers given.
    RecordDecision,
    /// Show the breakout rooms.
    RoomsScreen,
    /// Plan the next round of rooms.
    NextRooms,
    /// Plan the current round again.
    ReplanRound,
    /// Stop planning rooms (or, with nothing planning, back to the capture bar).
    CancelPlanning,
    /// Stop planning rooms and take the best plan found so far.
    TakeBestPlan,
    /// Copy this round's rooms, as a list for the call's chat, to the clipboard.
    CopyRound,
    /// Move the selected person to the room whose number is pressed.
    MoveToRoom,
    /// Seat the selected latecomer where they meet the most new people.
    Arrive,
    /// The selected person leaves; nobody else moves.
    Leave,
    /// Switch what the room planner optimises: most new pairings or even spread.
    SwitchObjective,
    /// Replay: play or pause.
    PlayPause,
    /// Replay: the next speed (1x, 2x, 8x, 60x).
    Faster,
    /// Replay: the previous speed.
    Slower,
    /// Replay: one event forward.
    StepForward,
    /// Replay: one event back.
    StepBack,
    /// Replay: the next agenda item, room round or vote.
    NextMarker,
    /// Replay: the previous agenda item, room round or vote.
    PrevMarker,
    /// Replay: type a time to go to.
    SeekTime,
    /// Replay: show the next screen (feed, agenda, priorities).
    NextView,
    /// Show one room's comments in the feed, the next room's, or all again.
    FeedRoom,
    /// Hosting: who is joined, and disconnect one.
    Joiners,
    /// Show the roll call: who is there, walk-ins, deputies.
    CheckInScreen,
    /// The selected person is present.
    MarkPresent,
    /// The selected person is absent.
    MarkAbsent,
    /// Find someone by typing part of their name.
    FindPerson,
    /// Add a walk-in by name and organisation.
    AddWalkIn,
    /// Add a deputy for the selected person.
    AddDeputy,
    /// Switch between the roll call and participation.
    SwitchView,
    /// New decisions count all partner organisations, or only those present.
    SwitchDecisionBase,
    /// Type a message to every room (joined consoles and the shared screen).
    Broadcast,
    /// Joined: hide the facilitator's message until the next one.
    DismissBanner,
    /// After an overrun: propose shorter items to come (planned → proposed), Enter accepts.
    Rebalance,
}

/// A key and its modifiers, as written in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chord {
    /// The key.
    pub code: KeyCode,
    /// Ctrl, Alt (Shift is ignored for characters: it is part of the character).
    pub mods: KeyModifiers,
}

const fn key(code: KeyCode) -> Chord {
    Chord { code, mods: KeyModifiers::NONE }
}
const fn ctrl(c: char) -> Chord {
    Chord { code: KeyCode::Char(c), mods: KeyModifiers::CONTROL }
}
const fn alt(code: KeyCode) -> Chord {
    Chord { code, mods: KeyModifiers::ALT }
}
const fn ch(c: char) -> Chord {
    key(KeyCode::Char(c))
}

/// One row of the key table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// Modes in which the keys act.
    pub modes: &'static [Mode],
    /// Keys that trigger it; the first is the one shown in the context bar.
    pub keys: &'static [Chord],
    /// What it does.
    pub command: Command,
    /// A word or two for the context bar; empty keeps it out of the bar (help still lists it).
    pub hint: &'static str,
    /// A sentence for the help overlay.
    pub help: &'static str,
}

const TYPING: &[Mode] = &[Mode::Capture, Mode::Edit];
const CAPTURE: &[Mode] = &[Mode::Capture];
const EDIT: &[Mode] = &[Mode::Edit];
const BROWSE: &[Mode] = &[Mode::Browse];
const AGENDA: &[Mode] = &[Mode::Agenda];
const VOTE: &[Mode] = &[Mode::Vote];
const CASTING: &[Mode] = &[Mode::Casting];
const DECIDING: &[Mode] = &[Mode::Deciding];
const ENTRY: &[Mode] = &[Mode::Entry];
const REPLAY: &[Mode] = &[Mode::Replay];
const ROOMS: &[Mode] = &[Mode::Rooms];
const CHECKIN: &[Mode] = &[Mode::CheckIn];
const SCREENS: &[Mode] =
    &[Mode::Browse, Mode::Agenda, Mode::Vote, Mode::Deciding, Mode::Rooms, Mode::CheckIn];
/// The screens where Esc goes back to the capture bar (on the rooms screen it first stops planning).
/// Where Ctrl+Z and Ctrl+Y undo and redo acts (while editing text they are left to the text).
const UNDOABLE: &[Mode] = &[
    Mode::Capture,
    Mode::Browse,
    Mode::Agenda,
    Mode::Vote,
    Mode::Casting,
    Mode::Deciding,
    Mode::Rooms,
    Mode::CheckIn,
];
const ESC_CAPTURES: &[Mode] = &[Mode::Browse, Mode::Agenda, Mode::Vote, Mode::Deciding, Mode::CheckIn];
const ANY: &[Mode] = &[
    Mode::Capture,
    Mode::Edit,
    Mode::Browse,
    Mode::Agenda,
    Mode::Vote,
    Mode::Casting,
    Mode::Deciding,
    Mode::Entry,
    Mode::Rooms,
    Mode::CheckIn,
];

/// Every key binding, in the order help shows them.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    Binding { modes: CAPTURE, keys: &[key(KeyCode::Enter)], command: Command::Commit, hint: "commit", help: "commit the comment (saved once the status line says so)" },
    Binding { modes: EDIT, keys: &[key(KeyCode::Enter)], command: Command::Commit, hint: "save edit", help: "save the edited comment" },
    Binding { modes: TYPING, keys: &[alt(KeyCode::Enter), ctrl('j')], command: Command::NewLine, hint: "", help: "line break inside a comment" },
    Binding { modes: TYPING, keys: &[key(KeyCode::Tab)], command: Command::NextTheme, hint: "theme", help: "next theme" },
    Binding { modes: TYPING, keys: &[key(KeyCode::BackTab)], command: Command::PrevTheme, hint: "", help: "previous theme" },
    Binding { modes: TYPING, keys: &[ctrl('t')], command: Command::ThemePrefix, hint: "theme key", help: "then a theme's key (below) sets it; Alt+key does it in one; - clears" },
    Binding { modes: TYPING, keys: &[ctrl('r')], command: Command::NextRoom, hint: "room", help: "next room (Plenary, Room 1, ...); Alt+digit picks one, Alt+0 the plenary" },
    Binding { modes: TYPING, keys: &[ctrl('o')], command: Command::PickAuthor, hint: "author", help: "choose who said it (type to filter)" },
    Binding { modes: CAPTURE, keys: &[ctrl('p')], command: Command::TogglePreSession, hint: "", help: "mark as pre-session input (sent in ahead, e.g. by email)" },
    Binding { modes: &[Mode::Capture, Mode::Browse], keys: &[ctrl('f')], command: Command::FeedRoom, hint: "", help: "feed shows one room only: Room 1, Room 2, ..., then every room again" },
    Binding { modes: CAPTURE, keys: &[key(KeyCode::Esc)], command: Command::Browse, hint: "select", help: "select comments in the feed to edit or retract" },
    Binding { modes: EDIT, keys: &[key(KeyCode::Esc)], command: Command::Cancel, hint: "cancel", help: "abandon the edit" },
    Binding { modes: CAPTURE, keys: &[key(KeyCode::PageUp)], command: Command::PageUp, hint: "", help: "scroll the feed up" },
    Binding { modes: CAPTURE, keys: &[key(KeyCode::PageDown)], command: Command::PageDown, hint: "", help: "scroll the feed down" },
    Binding { modes: BROWSE, keys: &[key(KeyCode::Up), ch('k')], command: Command::Up, hint: "", help: "select the comment above" },
    Binding { modes: BROWSE, keys: &[key(KeyCode::Down), ch('j')], command: Command::Down, hint: "", help: "select the comment below" },
    Binding { modes: BROWSE, keys: &[key(KeyCode::PageUp)], command: Command::PageUp, hint: "", help: "a page up" },
    Binding { modes: BROWSE, keys: &[key(KeyCode::PageDown)], command: Command::PageDown, hint: "", help: "a page down" },
    Binding { modes: BROWSE, keys: &[key(KeyCode::Home), ch('g')], command: Command::Top, hint: "", help: "oldest comment" },
    Binding { modes: BROWSE, keys: &[key(KeyCode::End), ch('G')], command: Command::Bottom, hint: "", help: "newest comment" },
    Binding { modes: BROWSE, keys: &[ch('e'), key(KeyCode::Enter)], command: Command::Edit, hint: "edit", help: "edit the selected comment's text, theme, room or author" },
    Binding { modes: BROWSE, keys: &[ch('d'), key(KeyCode::Delete)], command: Command::Retract, hint: "retract", help: "retract the selected comment (asks first: Enter retracts; the log keeps it)" },
    Binding { modes: AGENDA, keys: &[ch('n'), key(KeyCode::Right)], command: Command::NextItem, hint: "next", help: "start the session, or the next item (after the last, ends the agenda)" },
    Binding { modes: AGENDA, keys: &[ch('b'), key(KeyCode::Left)], command: Command::PrevItem, hint: "back", help: "back to the previous item (reopens it; its time keeps adding up)" },
    Binding { modes: AGENDA, keys: &[ch(' '), ch('p')], command: Command::PauseResume, hint: "pause", help: "pause or resume the timer" },
    Binding { modes: AGENDA, keys: &[ch('+'), ch('=')], command: Command::ExtendOne, hint: "+1 min", help: "give the current item one more minute" },
    Binding { modes: AGENDA, keys: &[ch('>')], command: Command::ExtendFive, hint: "+5", help: "give the current item five more minutes" },
    Binding { modes: AGENDA, keys: &[ch('-')], command: Command::TakeBackOne, hint: "-1", help: "take a minute back from the current item" },
    Binding { modes: AGENDA, keys: &[ch('x')], command: Command::SkipItem, hint: "skip", help: "skip the current item and start the next (before the start: skip the first)" },
    Binding { modes: &[Mode::Capture, Mode::Browse], keys: &[ctrl('g'), key(KeyCode::F(2))], command: Command::AgendaMode, hint: "agenda", help: "the agenda and its timer keys" },
    Binding { modes: &[Mode::Vote, Mode::Casting, Mode::Deciding], keys: &[key(KeyCode::F(2))], command: Command::AgendaMode, hint: "", help: "the agenda and its timer keys" },
    Binding { modes: &[Mode::Capture, Mode::Browse, Mode::Agenda, Mode::CheckIn], keys: &[key(KeyCode::F(3))], command: Command::VoteScreen, hint: "votes", help: "priorities, dot-votes and decisions" },
    Binding { modes: &[Mode::Browse, Mode::Agenda], keys: &[ch('v')], command: Command::VoteScreen, hint: "", help: "priorities, dot-votes and decisions" },
    Binding { modes: &[Mode::Capture, Mode::Browse, Mode::Agenda, Mode::Vote, Mode::CheckIn], keys: &[key(KeyCode::F(4))], command: Command::RoomsScreen, hint: "rooms", help: "breakout rooms: plan rounds, move people, late arrivals" },
    Binding { modes: &[Mode::Browse, Mode::Agenda], keys: &[ch('r')], command: Command::RoomsScreen, hint: "", help: "breakout rooms" },
    Binding { modes: ROOMS, keys: &[ch('g')], command: Command::NextRooms, hint: "next round", help: "plan the next round in the background (the console stays live): fair to every pair, leads fixed, organisations apart" },
    Binding { modes: ROOMS, keys: &[ch('R')], command: Command::ReplanRound, hint: "replan", help: "plan the current round again (after absences)" },
    Binding { modes: ROOMS, keys: &[key(KeyCode::Esc)], command: Command::CancelPlanning, hint: "capture", help: "stop planning rooms (the screen stays live while a round is planned); otherwise back to the capture bar" },
    Binding { modes: ROOMS, keys: &[key(KeyCode::Enter)], command: Command::TakeBestPlan, hint: "", help: "while a round is being planned: stop and take the best plan found so far" },
    Binding { modes: ROOMS, keys: &[key(KeyCode::Up), ch('k')], command: Command::Up, hint: "", help: "select the person above" },
    Binding { modes: ROOMS, keys: &[key(KeyCode::Down), ch('j')], command: Command::Down, hint: "", help: "select the person below" },
    Binding { modes: ROOMS, keys: &[ch('1')], command: Command::MoveToRoom, hint: "…9 move", help: "1-9: move the selected person to that room (the score updates)" },
    Binding { modes: ROOMS, keys: &[ch('y')], command: Command::CopyRound, hint: "copy for chat", help: "copy this round's rooms to the clipboard as a list to paste into the call's chat (works through SSH and tmux)" },
    Binding { modes: ROOMS, keys: &[ch('a')], command: Command::Arrive, hint: "arrive", help: "seat the selected latecomer where they meet the most new people" },
    Binding { modes: ROOMS, keys: &[ch('o')], command: Command::SwitchObjective, hint: "objective", help: "plan fairly (no pair meets more often than it must, then most new pairings) or for most new pairings alone" },
    Binding { modes: ROOMS, keys: &[ch('l')], command: Command::Leave, hint: "leaves", help: "the selected person leaves; nobody else is moved" },
    Binding { modes: &[Mode::Capture, Mode::Browse, Mode::Agenda, Mode::Vote, Mode::Rooms], keys: &[key(KeyCode::F(9))], command: Command::CheckInScreen, hint: "", help: "check-in: who is there, walk-ins and deputies; participation" },
    Binding { modes: ROOMS, keys: &[ch('c')], command: Command::CheckInScreen, hint: "", help: "check-in: who is there" },
    Binding { modes: CHECKIN, keys: &[key(KeyCode::Up), ch('k')], command: Command::Up, hint: "", help: "select the person above" },
    Binding { modes: CHECKIN, keys: &[key(KeyCode::Down), ch('j')], command: Command::Down, hint: "", help: "select the person below" },
    Binding { modes: CHECKIN, keys: &[ch('p')], command: Command::MarkPresent, hint: "present", help: "the selected person is present (then the next is selected)" },
    Binding { modes: CHECKIN, keys: &[ch('x')], command: Command::MarkAbsent, hint: "absent", help: "the selected person is absent (a correction, too)" },
    Binding { modes: CHECKIN, keys: &[ch('/')], command: Command::FindPerson, hint: "find", help: "find someone: type part of the name (accents and case aside), Enter stays there" },
    Binding { modes: CHECKIN, keys: &[ch('w')], command: Command::AddWalkIn, hint: "walk-in", help: "add a walk-in: type \"Name, Organisation\", Enter adds them as present" },
    Binding { modes: CHECKIN, keys: &[ch('d')], command: Command::AddDeputy, hint: "deputy", help: "add a deputy for the selected person: type their name, Enter adds" },
    Binding { modes: CHECKIN, keys: &[ch('v')], command: Command::SwitchView, hint: "participation", help: "switch between the roll call and who has contributed (comments and dots)" },
    Binding { modes: VOTE, keys: &[ch('b')], command: Command::SwitchDecisionBase, hint: "", help: "new decisions count all partner organisations, or only those present" },
    Binding { modes: BROWSE, keys: &[ch('c')], command: Command::PromoteComment, hint: "candidate", help: "make the selected comment a candidate priority (it keeps the link)" },
    Binding { modes: VOTE, keys: &[ch('a')], command: Command::AddCandidate, hint: "add", help: "type new candidates (Enter adds each, Esc stops)" },
    Binding { modes: VOTE, keys: &[ch('e')], command: Command::EditCandidate, hint: "edit", help: "reword the selected candidate" },
    Binding { modes: VOTE, keys: &[ch('m')], command: Command::MergeCandidate, hint: "merge", help: "merge duplicates: m on one, then m on the one to keep (dots and links move)" },
    Binding { modes: VOTE, keys: &[ch('o')], command: Command::OpenVote, hint: "open vote", help: "set up and open a dot-vote on the whole list" },
    Binding { modes: VOTE, keys: &[ch('k')], command: Command::NextRound, hint: "top K round", help: "new round on the last vote's top K (ties at the cut included)" },
    Binding { modes: VOTE, keys: &[ch('d')], command: Command::OpenDecision, hint: "decision", help: "a yes/no/abstain decision, one voice per organisation" },
    Binding { modes: &[Mode::Vote, Mode::Deciding], keys: &[key(KeyCode::Up)], command: Command::Up, hint: "", help: "select the row above" },
    Binding { modes: &[Mode::Vote, Mode::Deciding], keys: &[key(KeyCode::Down)], command: Command::Down, hint: "", help: "select the row below" },
    Binding { modes: CASTING, keys: &[ch('1')], command: Command::PlaceDot, hint: "…z dot", help: "1-9, a-z: place a dot on that candidate for the selected voter" },
    Binding { modes: CASTING, keys: &[key(KeyCode::Tab), key(KeyCode::Down)], command: Command::NextVoter, hint: "voter", help: "next voter" },
    Binding { modes: CASTING, keys: &[key(KeyCode::BackTab), key(KeyCode::Up)], command: Command::PrevVoter, hint: "", help: "previous voter" },
    Binding { modes: CASTING, keys: &[ch('/')], command: Command::FindVoter, hint: "find voter", help: "find a voter by typing part of their name, Enter picks" },
    Binding { modes: CASTING, keys: &[ch('-')], command: Command::RemoveDot, hint: "remove", help: "then a candidate's key: take one of the voter's dots back" },
    Binding { modes: CASTING, keys: &[ch('!')], command: Command::CloseVote, hint: "close", help: "close the vote (asks first: Enter closes); the tally becomes final" },
    Binding { modes: CASTING, keys: &[key(KeyCode::Esc)], command: Command::Capture, hint: "capture", help: "back to the capture bar (the vote stays open)" },
    Binding { modes: DECIDING, keys: &[ch('y')], command: Command::AnswerYes, hint: "yes", help: "the highlighted organisation says yes (then the next still to answer is highlighted)" },
    Binding { modes: DECIDING, keys: &[ch('n')], command: Command::AnswerNo, hint: "no", help: "the selected organisation says no" },
    Binding { modes: DECIDING, keys: &[ch('a')], command: Command::AnswerAbstain, hint: "abstain", help: "the selected organisation abstains" },
    Binding { modes: DECIDING, keys: &[ch('!')], command: Command::RecordDecision, hint: "record", help: "record the decision with the answers given" },
    Binding { modes: REPLAY, keys: &[ch(' ')], command: Command::PlayPause, hint: "play/pause", help: "play or pause" },
    Binding { modes: REPLAY, keys: &[ch('+'), ch('=')], command: Command::Faster, hint: "faster", help: "faster: 1x, 2x, 8x, 60x" },
    Binding { modes: REPLAY, keys: &[ch('-')], command: Command::Slower, hint: "", help: "slower" },
    Binding { modes: REPLAY, keys: &[key(KeyCode::Right)], command: Command::StepForward, hint: "step", help: "one event forward" },
    Binding { modes: REPLAY, keys: &[key(KeyCode::Left)], command: Command::StepBack, hint: "", help: "one event back" },
    Binding { modes: REPLAY, keys: &[ch(']'), ch('n')], command: Command::NextMarker, hint: "next item", help: "jump to the next agenda item, room round or vote" },
    Binding { modes: REPLAY, keys: &[ch('['), ch('p')], command: Command::PrevMarker, hint: "", help: "jump to the previous agenda item, room round or vote" },
    Binding { modes: REPLAY, keys: &[key(KeyCode::Home), ch('g')], command: Command::Top, hint: "", help: "the start" },
    Binding { modes: REPLAY, keys: &[key(KeyCode::End), ch('G')], command: Command::Bottom, hint: "", help: "the end" },
    Binding { modes: REPLAY, keys: &[ch('t')], command: Command::SeekTime, hint: "go to time", help: "type a time (HH:MM) to go to" },
    Binding { modes: REPLAY, keys: &[key(KeyCode::Tab)], command: Command::NextView, hint: "view", help: "feed, agenda, priorities, rooms" },
    Binding { modes: REPLAY, keys: &[ch('?'), key(KeyCode::F(1))], command: Command::Help, hint: "help", help: "this help" },
    Binding { modes: REPLAY, keys: &[ch('q'), key(KeyCode::Esc), ctrl('q'), ctrl('c')], command: Command::Quit, hint: "quit", help: "leave the replay (the file is never changed)" },
    Binding { modes: ENTRY, keys: &[key(KeyCode::Enter)], command: Command::Commit, hint: "save", help: "save the wording" },
    Binding { modes: ENTRY, keys: &[key(KeyCode::Esc)], command: Command::Cancel, hint: "cancel", help: "stop typing" },
    Binding { modes: ANY, keys: &[key(KeyCode::F(8))], command: Command::Joiners, hint: "", help: "hosting: the joined terminals and the join command; d disconnects one" },
    Binding { modes: ANY, keys: &[key(KeyCode::F(5))], command: Command::NextItem, hint: "", help: "next agenda item, from any screen" },
    Binding { modes: ANY, keys: &[key(KeyCode::F(6))], command: Command::PauseResume, hint: "", help: "pause or resume the timer, from any screen" },
    Binding { modes: ANY, keys: &[key(KeyCode::F(7))], command: Command::ExtendOne, hint: "", help: "one more minute for the current item, from any screen" },
    Binding { modes: ESC_CAPTURES, keys: &[key(KeyCode::Esc), ch('i'), key(KeyCode::Tab)], command: Command::Capture, hint: "capture", help: "back to the capture bar" },
    Binding { modes: ROOMS, keys: &[ch('i'), key(KeyCode::Tab)], command: Command::Capture, hint: "", help: "back to the capture bar" },
    Binding { modes: UNDOABLE, keys: &[ctrl('z')], command: Command::Undo, hint: "undo", help: "undo your latest act, whatever it was (a comment's text comes back to the bar); the log keeps both" },
    Binding { modes: UNDOABLE, keys: &[ctrl('y')], command: Command::Redo, hint: "", help: "redo what the last undo undid (until you do something new)" },
    Binding { modes: ANY, keys: &[key(KeyCode::F(12))], command: Command::History, hint: "", help: "history: the recent acts, who did them and when; Enter undoes or redoes the highlighted one" },
    Binding { modes: SCREENS, keys: &[ch('u')], command: Command::History, hint: "history", help: "history of acts, to undo or redo any of them" },
    Binding { modes: SCREENS, keys: &[ch('?'), key(KeyCode::F(1))], command: Command::Help, hint: "help", help: "this help" },
    Binding { modes: &[Mode::Capture, Mode::Edit, Mode::Entry, Mode::Casting], keys: &[key(KeyCode::F(1))], command: Command::Help, hint: "help", help: "this help (or ? on an empty capture bar)" },
    Binding { modes: SCREENS, keys: &[ch('q')], command: Command::Quit, hint: "quit", help: "quit" },
    Binding { modes: ANY, keys: &[ctrl('q'), ctrl('c')], command: Command::Quit, hint: "", help: "quit, from any window too (asks, Enter quits, if something is not saved yet or terminals are joined)" },
    Binding { modes: ANY, keys: &[key(KeyCode::F(10))], command: Command::Broadcast, hint: "to rooms", help: "a message to every room: joined consoles show it as a banner (Tab: ring their bell or not), the presenter for 2 minutes; Enter sends" },
    // F10 opens the menu bar in some terminals (GNOME Terminal): a command screen has a letter too.
    Binding { modes: SCREENS, keys: &[ch('M')], command: Command::Broadcast, hint: "", help: "a message to every room, as F10 (for terminals that keep F10 for their menu)" },
    Binding { modes: ANY, keys: &[ctrl('l')], command: Command::DismissBanner, hint: "", help: "joined: hide the facilitator's message until the next one" },
    Binding { modes: AGENDA, keys: &[ch('R')], command: Command::Rebalance, hint: "rebalance", help: "running over: shorten the items to come in proportion (never below min_minutes, fixed items kept), shown planned → proposed; Enter accepts, Esc leaves it" },
];

/// A window over the screen that takes the keys while it is open: a layer of the key table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Popup {
    /// Every key.
    Help,
    /// A question answered with Enter or Esc: quit, retract, close a vote, take a rebalance.
    Confirm,
    /// The next key picks a theme.
    ThemeKey,
    /// Choose who said it, typing to filter.
    AuthorPicker,
    /// Set up a vote.
    VoteSetup,
    /// Find a voter, typing part of the name.
    VoterSearch,
    /// Hosting: the joined terminals.
    Joiners,
    /// The history of acts.
    History,
    /// Typing a message to the rooms.
    Broadcast,
}

impl Popup {
    /// Whether printable keys are text typed into the window (so no binding may be one).
    pub fn takes_text(self) -> bool {
        matches!(self, Popup::ThemeKey | Popup::AuthorPicker | Popup::VoterSearch | Popup::Broadcast)
    }

    /// Whether a key the window does not bind closes it (lists), or is ignored (questions,
    /// forms and typing, where a stray key must not lose what is set up).
    pub fn closes_on_other_keys(self) -> bool {
        matches!(self, Popup::Help | Popup::Joiners | Popup::History | Popup::ThemeKey)
    }
}

/// What a key does in a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PopupCommand {
    /// Yes / pick / send / save.
    Accept,
    /// No / close, changing nothing.
    Cancel,
    /// Leave convene (asks if something is at stake), whatever window is open.
    Quit,
    /// The row above.
    Up,
    /// The row below.
    Down,
    /// A page up.
    PageUp,
    /// A page down.
    PageDown,
    /// The first row.
    Top,
    /// The last row.
    Bottom,
    /// Delete the last character typed.
    Erase,
    /// No theme.
    ClearTheme,
    /// One more dot per voter.
    MoreDots,
    /// One dot fewer per voter.
    FewerDots,
    /// A higher cap per candidate.
    RaiseCap,
    /// A lower cap per candidate.
    LowerCap,
    /// One voice per organisation, or per attendee.
    ToggleByOrg,
    /// Tally hidden until the vote closes, or shown.
    ToggleHidden,
    /// Joined terminals cast their own dots, or not.
    ToggleJoiners,
    /// One more candidate on the shortlist.
    WiderShortlist,
    /// One candidate fewer on the shortlist.
    NarrowerShortlist,
    /// Show or mask the join token.
    RevealToken,
    /// Copy the join command to the clipboard.
    CopyJoin,
    /// Disconnect the highlighted terminal.
    Disconnect,
    /// Ring the joined consoles' bell with the message, or not.
    ToggleBell,
}

/// One row of a window's key table.
#[derive(Debug, Clone, Copy)]
pub struct PopupBinding {
    /// Windows in which the keys act.
    pub popups: &'static [Popup],
    /// Keys that trigger it; the first is the one the window's own hint line shows.
    pub keys: &'static [Chord],
    /// What it does.
    pub command: PopupCommand,
    /// A word or two for the window's hint line; empty keeps it out (help still lists it).
    pub hint: &'static str,
    /// A sentence for the help overlay.
    pub help: &'static str,
}

const EVERY_POPUP: &[Popup] = &[
    Popup::Help,
    Popup::Confirm,
    Popup::ThemeKey,
    Popup::AuthorPicker,
    Popup::VoteSetup,
    Popup::VoterSearch,
    Popup::Joiners,
    Popup::History,
    Popup::Broadcast,
];
const LISTS: &[Popup] = &[Popup::Help, Popup::AuthorPicker, Popup::Joiners, Popup::History];
const TYPED: &[Popup] = &[Popup::AuthorPicker, Popup::VoterSearch, Popup::Broadcast];

/// Every key of every window, in the order help shows them.
#[rustfmt::skip]
pub const POPUP_BINDINGS: &[PopupBinding] = &[
    PopupBinding { popups: &[Popup::Confirm], keys: &[key(KeyCode::Enter)], command: PopupCommand::Accept, hint: "yes", help: "yes (typed within 0.3 s of the question opening, it waits; any other key then means no)" },
    PopupBinding { popups: &[Popup::AuthorPicker, Popup::VoterSearch], keys: &[key(KeyCode::Enter)], command: PopupCommand::Accept, hint: "pick", help: "pick the highlighted (or first) match" },
    PopupBinding { popups: &[Popup::VoteSetup], keys: &[key(KeyCode::Enter)], command: PopupCommand::Accept, hint: "open the vote", help: "open the vote as set up" },
    PopupBinding { popups: &[Popup::History], keys: &[key(KeyCode::Enter)], command: PopupCommand::Accept, hint: "undo / redo", help: "undo the highlighted act, or redo it if it is undone" },
    PopupBinding { popups: &[Popup::Broadcast], keys: &[key(KeyCode::Enter)], command: PopupCommand::Accept, hint: "send", help: "send the message to every room" },
    PopupBinding { popups: &[Popup::Confirm, Popup::AuthorPicker, Popup::VoteSetup, Popup::VoterSearch, Popup::Broadcast, Popup::ThemeKey], keys: &[key(KeyCode::Esc)], command: PopupCommand::Cancel, hint: "cancel", help: "no, or close the window changing nothing" },
    PopupBinding { popups: EVERY_POPUP, keys: &[ctrl('q'), ctrl('c')], command: PopupCommand::Quit, hint: "", help: "quit, whatever window is open (asks, Enter quits, if something is at stake)" },
    PopupBinding { popups: LISTS, keys: &[key(KeyCode::Up)], command: PopupCommand::Up, hint: "↑↓ select", help: "the row above" },
    PopupBinding { popups: LISTS, keys: &[key(KeyCode::Down)], command: PopupCommand::Down, hint: "", help: "the row below" },
    PopupBinding { popups: &[Popup::Help, Popup::Joiners, Popup::History], keys: &[ch('k')], command: PopupCommand::Up, hint: "", help: "the row above" },
    PopupBinding { popups: &[Popup::Help, Popup::Joiners, Popup::History], keys: &[ch('j')], command: PopupCommand::Down, hint: "", help: "the row below" },
    PopupBinding { popups: &[Popup::Help, Popup::History], keys: &[key(KeyCode::PageUp)], command: PopupCommand::PageUp, hint: "", help: "a page up" },
    PopupBinding { popups: &[Popup::Help, Popup::History], keys: &[key(KeyCode::PageDown)], command: PopupCommand::PageDown, hint: "", help: "a page down" },
    PopupBinding { popups: &[Popup::History], keys: &[key(KeyCode::Home)], command: PopupCommand::Top, hint: "", help: "the newest act" },
    PopupBinding { popups: &[Popup::History], keys: &[key(KeyCode::End)], command: PopupCommand::Bottom, hint: "", help: "the oldest act listed" },
    PopupBinding { popups: TYPED, keys: &[key(KeyCode::Backspace)], command: PopupCommand::Erase, hint: "", help: "delete the last character typed" },
    PopupBinding { popups: &[Popup::ThemeKey], keys: &[ch('-'), key(KeyCode::Backspace), key(KeyCode::Delete)], command: PopupCommand::ClearTheme, hint: "- none", help: "no theme (any theme's key sets it)" },
    PopupBinding { popups: &[Popup::VoteSetup], keys: &[ch('+'), ch('=')], command: PopupCommand::MoreDots, hint: "+/- dots", help: "one more dot per voter" },
    PopupBinding { popups: &[Popup::VoteSetup], keys: &[ch('-')], command: PopupCommand::FewerDots, hint: "", help: "one dot fewer per voter" },
    PopupBinding { popups: &[Popup::VoteSetup], keys: &[ch(']')], command: PopupCommand::RaiseCap, hint: "[/] cap", help: "raise the most dots one voter may put on one candidate" },
    PopupBinding { popups: &[Popup::VoteSetup], keys: &[ch('[')], command: PopupCommand::LowerCap, hint: "", help: "lower the cap" },
    PopupBinding { popups: &[Popup::VoteSetup], keys: &[ch('g')], command: PopupCommand::ToggleByOrg, hint: "by org", help: "one voice per organisation, or each attendee" },
    PopupBinding { popups: &[Popup::VoteSetup], keys: &[ch('h')], command: PopupCommand::ToggleHidden, hint: "hidden", help: "tally hidden until the vote closes, or shown" },
    PopupBinding { popups: &[Popup::VoteSetup], keys: &[ch('j')], command: PopupCommand::ToggleJoiners, hint: "joiners", help: "joined terminals cast their own dots, or not" },
    PopupBinding { popups: &[Popup::VoteSetup], keys: &[ch('>')], command: PopupCommand::WiderShortlist, hint: "</> top K", help: "one more candidate on a shortlist round" },
    PopupBinding { popups: &[Popup::VoteSetup], keys: &[ch('<')], command: PopupCommand::NarrowerShortlist, hint: "", help: "one candidate fewer on a shortlist round" },
    PopupBinding { popups: &[Popup::Joiners], keys: &[ch('r')], command: PopupCommand::RevealToken, hint: "show/hide token", help: "show or mask the join token (masked again when the window closes)" },
    PopupBinding { popups: &[Popup::Joiners], keys: &[ch('c')], command: PopupCommand::CopyJoin, hint: "copy join command", help: "copy the join command to your clipboard, never to the shared screen" },
    PopupBinding { popups: &[Popup::Joiners], keys: &[ch('d'), key(KeyCode::Delete)], command: PopupCommand::Disconnect, hint: "disconnect", help: "disconnect the highlighted terminal" },
    PopupBinding { popups: &[Popup::Broadcast], keys: &[key(KeyCode::Tab)], command: PopupCommand::ToggleBell, hint: "bell on/off", help: "ring the joined consoles' bell with the message, or not" },
];

/// What a key does in a window, if the window's layer of the table binds it.
pub fn popup_command(popup: Popup, event: &KeyEvent) -> Option<PopupCommand> {
    POPUP_BINDINGS
        .iter()
        .filter(|b| b.popups.contains(&popup))
        .find(|b| b.keys.iter().any(|k| k.matches(event)))
        .map(|b| b.command)
}

/// A window's own hint line, from the table: "Enter yes / pick   Esc cancel ...".
pub fn popup_hints(popup: Popup) -> Vec<(String, &'static str)> {
    POPUP_BINDINGS
        .iter()
        .filter(|b| b.popups.contains(&popup) && !b.hint.is_empty())
        .map(|b| {
            // Hints that name their own keys ("+/- dots") stand alone.
            let named =
                b.hint.split_whitespace().next().is_some_and(|w| w.chars().any(|c| !c.is_alphabetic()));
            let key = if named { String::new() } else { b.keys[0].label() };
            (key, b.hint)
        })
        .collect()
}

impl Chord {
    /// Whether a key event is this chord. Shift is part of a character, so it is ignored there.
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let mut mods = event.modifiers;
        if let KeyCode::Char(_) = event.code {
            mods.remove(KeyModifiers::SHIFT);
        }
        let code = match (event.code, self.code) {
            // Some terminals report Ctrl+letter in upper case.
            (KeyCode::Char(a), KeyCode::Char(b)) if !self.mods.is_empty() => a.eq_ignore_ascii_case(&b),
            (a, b) => a == b,
        };
        code && mods == self.mods
    }

    /// How the chord is written on screen, e.g. "Ctrl+R".
    pub fn label(&self) -> String {
        let mut label = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            label.push_str("Ctrl+");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            label.push_str("Alt+");
        }
        label.push_str(&match self.code {
            KeyCode::Char(c) if !self.mods.is_empty() => c.to_ascii_uppercase().to_string(),
            KeyCode::Char(' ') => "Space".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift+Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        });
        label
    }
}

impl Binding {
    /// Whether the keys act in every mode (help lists these once).
    pub fn everywhere(&self) -> bool {
        ANY.iter().all(|mode| self.modes.contains(mode))
    }
}

/// The command a key triggers in a mode, if the table has one.
pub fn command_for(mode: Mode, event: &KeyEvent) -> Option<Command> {
    BINDINGS
        .iter()
        .filter(|b| b.modes.contains(&mode))
        .find(|b| b.keys.iter().any(|k| k.matches(event)))
        .map(|b| b.command)
}

/// The bindings the context bar shows in a mode, in table order (a joined console's only).
pub fn hints(mode: Mode, joined: bool) -> impl Iterator<Item = &'static Binding> {
    BINDINGS
        .iter()
        .filter(move |b| b.modes.contains(&mode) && !b.hint.is_empty() && (!joined || joiner_may(b.command)))
}

/// Whether a joined console may do this: capture, correct its own comments, look at every
/// screen and cast its own dots. Steering the session stays with the facilitator.
pub fn joiner_may(command: Command) -> bool {
    use Command::*;
    matches!(
        command,
        Commit
            | NewLine
            | NextTheme
            | PrevTheme
            | ThemePrefix
            | NextRoom
            | PickAuthor
            | TogglePreSession
            | Undo
            | Redo
            | History
            | Browse
            | Capture
            | Help
            | Quit
            | Up
            | Down
            | PageUp
            | PageDown
            | Top
            | Bottom
            | Edit
            | Retract
            | Cancel
            | AgendaMode
            | VoteScreen
            | RoomsScreen
            | PlaceDot
            | RemoveDot
            | FeedRoom
            | DismissBanner
    )
}

/// All the keys of a binding, as help writes them ("e / Enter").
pub fn keys_label(binding: &Binding) -> String {
    binding.keys.iter().map(Chord::label).collect::<Vec<_>>().join(" / ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn no_key_means_two_things_in_one_mode() {
        let mut modes = ANY.to_vec();
        modes.push(Mode::Replay);
        let mut clashes = Vec::new();
        for mode in modes {
            let rows: Vec<_> = BINDINGS.iter().filter(|b| b.modes.contains(&mode)).collect();
            for (i, a) in rows.iter().enumerate() {
                for b in &rows[i + 1..] {
                    for ka in a.keys.iter().filter(|ka| b.keys.contains(ka)) {
                        clashes.push(format!(
                            "{} bound to {:?} and {:?} in {mode:?}",
                            ka.label(),
                            a.command,
                            b.command
                        ));
                    }
                }
            }
        }
        assert!(clashes.is_empty(), "{clashes:#?}");
    }

    #[test]
    fn no_key_means_two_things_in_one_window_and_typing_windows_bind_no_character() {
        let mut clashes = Vec::new();
        for popup in EVERY_POPUP {
            let rows: Vec<_> = POPUP_BINDINGS.iter().filter(|b| b.popups.contains(popup)).collect();
            for (i, a) in rows.iter().enumerate() {
                for b in &rows[i + 1..] {
                    for ka in a.keys.iter().filter(|ka| b.keys.contains(ka)) {
                        clashes.push(format!(
                            "{} bound to {:?} and {:?} in {popup:?}",
                            ka.label(),
                            a.command,
                            b.command
                        ));
                    }
                }
            }
            if popup.takes_text() && *popup != Popup::ThemeKey {
                for row in &rows {
                    for k in
                        row.keys.iter().filter(|k| matches!(k.code, KeyCode::Char(_)) && k.mods.is_empty())
                    {
                        clashes.push(format!(
                            "{} is typed text in {popup:?}, not {:?}",
                            k.label(),
                            row.command
                        ));
                    }
                }
            }
            let quits = rows.iter().any(|b| b.command == PopupCommand::Quit);
            assert!(quits, "{popup:?} offers no way to quit");
        }
        assert!(clashes.is_empty(), "{clashes:#?}");
    }

    #[test]
    fn shift_is_part_of_a_character_and_ctrl_is_case_blind() {
        assert_eq!(
            command_for(Mode::Browse, &press(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Command::Bottom)
        );
        assert_eq!(
            command_for(Mode::Capture, &press(KeyCode::Char('R'), KeyModifiers::CONTROL)),
            Some(Command::NextRoom)
        );
        assert_eq!(command_for(Mode::Capture, &press(KeyCode::Char('q'), KeyModifiers::NONE)), None);
    }

    #[test]
    fn every_mode_offers_help_and_quit() {
        for mode in [Mode::Capture, Mode::Edit, Mode::Browse] {
            let commands: Vec<_> =
                BINDINGS.iter().filter(|b| b.modes.contains(&mode)).map(|b| b.command).collect();
            assert!(commands.contains(&Command::Help), "{mode:?} has no help key");
            assert!(commands.contains(&Command::Quit), "{mode:?} has no quit key");
        }
    }
}
