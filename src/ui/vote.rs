//! The priorities screen: the long list, an open vote's ballot with each voter's dots, the
//! live tally as a sorted bar chart with equal ranks, and decisions by organisation.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::popup::dialog;
use super::theme;
use crate::app::{AppState, Mode};
use crate::model::{Choice, DecisionId, Rejection, Vote, VoterKey};
use crate::view::text::{truncate, visible, width};
use crate::view::{ballot, joiner_voter, label, voter_matches, voter_name};

/// Draw the priorities screen in `area` (it takes the feed's place).
pub fn render_pane(frame: &mut Frame, area: Rect, state: &AppState) {
    let voting = &state.session.voting;
    if state.mode == Mode::Deciding {
        if let Some(decision) = voting.open_decision() {
            return render_decision(frame, area, state, decision.id);
        }
    }
    let shown = voting.open_vote().or(voting.latest_vote());
    let title = match shown {
        Some(vote) => format!(" Priorities · {} ", vote_summary(vote)),
        None => format!(" Priorities · {} candidates, no vote yet ", voting.standing().count()),
    };
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(theme::focused_border())
        .title(Span::styled(visible(&title).into_owned(), theme::title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(inner);
    match shown.filter(|v| !v.closed) {
        Some(vote) => {
            render_ballot(frame, left, state, vote);
            render_tally(frame, right, state, vote);
        }
        None => {
            render_list(frame, left, state);
            match shown {
                Some(vote) => render_tally(frame, right, state, vote),
                None => frame.render_widget(
                    Paragraph::new(vec![
                        Line::styled("How it works", theme::title()),
                        Line::raw("a types candidates; c on a selected comment promotes it."),
                        Line::raw("o sets up a dot-vote; Tab picks a voter; 1-9, a-z place dots."),
                        Line::raw("! closes it; k opens a new round on the top K."),
                        Line::raw("d asks a yes/no/abstain question, one voice per organisation."),
                    ])
                    .wrap(ratatui::widgets::Wrap { trim: true }),
                    right,
                ),
            }
        }
    }
}

/// "vote 2 · 3 dots each, cap 1 · per organisation · tally hidden · 7/12 voted · OPEN"
fn vote_summary(vote: &Vote) -> String {
    let mut parts = vec![
        format!("vote {}: {}", vote.id, vote.rules.title),
        format!("{} dots each, cap {}", vote.rules.dots, vote.rules.cap),
        if vote.rules.by_org {
            "one voice per organisation".into()
        } else {
            "each attendee votes".to_string()
        },
    ];
    if vote.rules.hidden {
        parts.push("tally hidden until close".into());
    }
    parts.push(format!("{}/{} voted", vote.voted(), vote.rules.voters.len()));
    parts.push(if vote.closed { "CLOSED".into() } else { "OPEN".into() });
    parts.join(" · ")
}

/// The long list with the selection, merge mark and links to comments.
fn render_list(frame: &mut Frame, area: Rect, state: &AppState) {
    let columns = area.width as usize;
    let mut lines = vec![Line::styled("Candidates", theme::title())];
    for (i, candidate) in state.session.voting.standing().enumerate() {
        let selected = state.mode == Mode::Vote && i == state.priorities.candidate;
        let marker = if state.priorities.merge_from == Some(candidate.id) {
            "⇢"
        } else if selected {
            "▶"
        } else {
            " "
        };
        let links = match candidate.sources.len() {
            0 => String::new(),
            1 => format!(" (#{})", candidate.sources[0]),
            n => format!(" ({n} comments)"),
        };
        let text = truncate(&visible(&format!("{}{links}", candidate.text)), columns.saturating_sub(6));
        let style = if selected { theme::selected() } else { ratatui::style::Style::new() };
        lines.push(Line::from(vec![
            Span::raw(format!("{marker}{:>3} ", candidate.id)),
            Span::styled(text, style),
        ]));
    }
    if lines.len() == 1 {
        lines.push(Line::styled("none yet: press a to add", theme::dim()));
    }
    frame.render_widget(Paragraph::new(scrolled(lines, area.height, state.priorities.candidate + 1)), area);
}

/// Keep the selected row on screen.
fn scrolled(lines: Vec<Line<'static>>, height: u16, selected: usize) -> Vec<Line<'static>> {
    let height = height as usize;
    let skip = (selected + 1).saturating_sub(height);
    let mut lines = lines;
    if skip > 0 {
        lines.drain(1..=skip.min(lines.len() - 1));
    }
    lines
}

/// The ballot: each candidate's key, its text and the selected voter's dots; then the voters.
fn render_ballot(frame: &mut Frame, area: Rect, state: &AppState, vote: &Vote) {
    // A joined terminal casts only as the person its name matched: it never shows the
    // facilitator's selection as if it were its own.
    let (voter, cannot) = match state.seat.joined() {
        Some(_) if !vote.rules.joiners => {
            (VoterKey::from(""), Some(Rejection::CastOnFacilitatorScreen.to_string()))
        }
        Some(joined) => match joiner_voter(&state.plan, joined.me.as_deref(), vote) {
            Ok(key) => (key, None),
            Err(why) => (VoterKey::from(""), Some(why)),
        },
        None => (
            vote.rules.voters.get(state.priorities.voter).cloned().unwrap_or_else(|| VoterKey::from("")),
            None,
        ),
    };
    let used = vote.used_by(&voter);
    let left = vote.rules.dots.saturating_sub(used);
    // A hidden tally reveals nobody's dots on a shared screen until the close: the count of the
    // selected voter's dots is shown (so the facilitator knows what is left), never where.
    let hidden = vote.rules.hidden && !vote.closed;
    let dots = if hidden {
        format!("{used} placed,")
    } else {
        format!("{}{}", "●".repeat(used as usize), "○".repeat(left as usize))
    };
    let armed = if state.priorities.remove_armed { "  REMOVING: press a key" } else { "" };
    let first = match &cannot {
        Some(why) => Line::from(vec![
            Span::styled("Voter ▶ ", theme::title()),
            Span::styled(format!("none: {why}"), theme::warning()),
        ]),
        None => Line::from(vec![
            Span::styled("Voter ▶ ", theme::title()),
            Span::styled(
                visible(&voter_name(&state.plan, vote.rules.voter(&voter))).into_owned(),
                theme::selected(),
            ),
            Span::raw(format!("  {dots} {left} left")),
            Span::styled(armed, theme::warning()),
        ]),
    };
    let mut lines = vec![first, Line::raw("")];
    let columns = area.width as usize;
    for (i, &candidate) in vote.rules.candidates.iter().enumerate() {
        let text = state.session.voting.candidate(candidate).map(|c| c.text.clone()).unwrap_or_default();
        let mine = vote.on(&voter, candidate);
        let mark = if mine > 0 && !hidden { "●".repeat(mine as usize) } else { String::new() };
        let key = label(i).map_or(' ', |c| c);
        let tail = format!(" {mark:<3}");
        let text = truncate(&visible(&text), columns.saturating_sub(width(&tail) + 4));
        lines.push(Line::from(vec![
            Span::styled(format!(" {key} "), theme::key()),
            Span::raw(text),
            Span::styled(tail, theme::ok()),
        ]));
    }
    lines.push(Line::raw(""));
    let waiting: Vec<String> = vote
        .rules
        .voters
        .iter()
        .filter(|v| vote.used_by(v) < vote.rules.dots)
        .map(|v| voter_name(&state.plan, vote.rules.voter(v)))
        .collect();
    lines.push(Line::styled(format!("Still to place dots ({}):", waiting.len()), theme::dim()));
    lines.push(Line::raw(visible(&waiting.join(", ")).into_owned()));
    frame.render_widget(Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }), area);
}

/// The tally as a sorted bar chart with ranks; hidden while an open vote says so.
fn render_tally(frame: &mut Frame, area: Rect, state: &AppState, vote: &Vote) {
    let heading = if vote.closed { "Result" } else { "Live tally" };
    let mut lines = vec![Line::styled(
        format!("{heading} ({} voted of {})", vote.voted(), vote.rules.voters.len()),
        theme::title(),
    )];
    if vote.rules.hidden && !vote.closed {
        lines.push(Line::styled("hidden until the vote closes", theme::dim()));
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let ranking = vote.ranking();
    let most = ranking.first().map_or(1, |r| r.dots.max(1)) as usize;
    let columns = area.width as usize;
    let bar_room = (columns / 3).max(4);
    for (i, row) in ranking.iter().enumerate() {
        let tied = ranking.iter().filter(|r| r.rank == row.rank).count() > 1;
        let rank = format!("{}{}", row.rank, if tied { "=" } else { " " });
        let text = state.session.voting.candidate(row.candidate).map(|c| c.text.clone()).unwrap_or_default();
        let bar = "█".repeat((row.dots as usize * bar_room).div_ceil(most));
        let text_room = columns.saturating_sub(bar_room + 10);
        let text = truncate(&visible(&text), text_room);
        let pad = " ".repeat(text_room.saturating_sub(width(&text)));
        let style = if i < 3 && row.dots > 0 { theme::ok() } else { ratatui::style::Style::new() };
        lines.push(Line::from(vec![
            Span::styled(format!("{rank:>4} "), theme::title()),
            Span::raw(format!("{text}{pad} ")),
            Span::styled(format!("{:>3} ", row.dots), theme::title()),
            Span::styled(bar, style),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn render_decision(frame: &mut Frame, area: Rect, state: &AppState, id: DecisionId) {
    let Some(decision) = state.session.voting.decision(id) else {
        return;
    };
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(theme::focused_border())
        .title(Span::styled(format!(" Decision {id}: {} ", visible(&decision.question)), theme::title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let (yes, no, abstain) = decision.counts();
    let verdict = if decision.passes() { "would PASS" } else { "would NOT pass" };
    let mut lines = vec![
        Line::styled(format!("Rule: {}", decision.rule_line()), theme::title()),
        Line::raw(format!(
            "So far: {yes} yes · {no} no · {abstain} abstain · {} not answered — {verdict}",
            decision.organisations.len() - decision.answers.len()
        )),
        Line::raw(""),
    ];
    for (i, organisation) in decision.organisations.iter().enumerate() {
        let answer = match decision.answers.get(organisation) {
            Some(Choice::Yes) => "✓ yes",
            Some(Choice::No) => "✗ no",
            Some(Choice::Abstain) => "– abstain",
            None => "· waiting",
        };
        let selected = i == state.priorities.voter;
        let style = if selected { theme::selected() } else { ratatui::style::Style::new() };
        lines.push(Line::from(vec![
            Span::raw(if selected { " ▶ " } else { "   " }),
            Span::styled(format!("{:<36}", truncate(&visible(organisation), 36)), style),
            Span::raw(format!(" {answer}")),
        ]));
    }
    frame.render_widget(Paragraph::new(scrolled(lines, inner.height, state.priorities.voter + 3)), inner);
}

/// The vote set-up window.
pub fn setup(
    frame: &mut Frame,
    state: &AppState,
    (dots, cap): (u32, u32),
    (by_org, hidden, joiners): (bool, bool, bool),
    top: Option<usize>,
) {
    let count = ballot(&state.session, top).len();
    let mut lines = vec![Line::raw(match top {
        Some(k) => format!(
            "Ballot: the top {k} of the last vote, ties included: {count} candidates   (< > change K)"
        ),
        None => format!("Ballot: all {count} candidates on the list"),
    })];
    lines.push(Line::raw(format!("Dots per voter: {dots}   (+ -)")));
    lines.push(Line::raw(format!("Most dots per candidate per voter: {cap}   ([ ])")));
    lines.push(Line::raw(format!(
        "Who votes: {}   (g)",
        if by_org { "one voice per organisation" } else { "each attendee" }
    )));
    lines.push(Line::raw(format!(
        "Tally: {}   (h)",
        if hidden { "hidden until the vote closes" } else { "live" }
    )));
    if state.seat.is_hosting() {
        lines.push(Line::raw(format!(
            "Joined terminals: {}   (j)",
            if joiners { "each may cast their own dots" } else { "watch only" }
        )));
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled("Enter", theme::key()),
        Span::raw(" open the vote   "),
        Span::styled("Esc", theme::key()),
        Span::raw(" cancel"),
    ]));
    dialog(frame, "Open a dot-vote", lines, 72, 11);
}

/// The voter search: what is typed and who it matches; Enter takes the first.
pub fn voter_search(frame: &mut Frame, state: &AppState, filter: &str) {
    let matches = voter_matches(&state.plan, &state.session, filter);
    let mut lines = vec![Line::from(vec![
        Span::styled("Find: ", theme::dim()),
        Span::raw(visible(filter).into_owned()),
        Span::styled("▏", theme::key()),
    ])];
    for (i, (_, name)) in matches.iter().take(8).enumerate() {
        let style = if i == 0 { theme::selected() } else { ratatui::style::Style::new() };
        lines.push(Line::styled(format!("{}{}", if i == 0 { "▶ " } else { "  " }, visible(name)), style));
    }
    if matches.is_empty() {
        lines.push(Line::styled("no voter matches", theme::dim()));
    }
    dialog(frame, "Which voter? Enter picks, Esc cancels", lines, 56, 12);
}

/// Close the vote?
pub fn confirm_close(frame: &mut Frame, state: &AppState) {
    let voted = state.session.voting.open_vote().map_or(0, |v| v.voted());
    let expected = state.session.voting.open_vote().map_or(0, |v| v.rules.voters.len());
    let lines = vec![
        Line::raw(format!("{voted} of {expected} voters have placed dots. The tally becomes final.")),
        Line::raw(""),
        Line::from(vec![
            Span::styled("Enter", theme::key()),
            Span::raw(" close the vote   "),
            Span::styled("any other key", theme::key()),
            Span::raw(" keep it open"),
        ]),
    ];
    dialog(frame, "Close the vote?", lines, 64, 6);
}
