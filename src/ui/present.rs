//! The presenter screen: what the room on the call needs to see, readable at a distance, from
//! 80x24 to 250x70. Nothing here is a control: no key hints, no paths, no tokens, no status
//! messages, and never anyone's individual dots.

use chrono::{DateTime, Duration, Utc};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;
use tui_big_text::{BigText, PixelSize};

use crate::view::text::{truncate, visible, width, wrap};

/// `text` wrapped to `columns`, each line keeping its indent (spaces) in front.
fn indented(text: &str, columns: usize, first: usize, rest: usize) -> Vec<String> {
    wrap(text, columns, first, rest)
        .into_iter()
        .enumerate()
        .map(|(i, line)| format!("{}{line}", " ".repeat(if i == 0 { first } else { rest })))
        .collect()
}
use super::theme::Palette;
use crate::app::{Panel, Presenter};
use crate::model::agenda::{countdown, minutes, overrun};
use crate::model::{CandidateId, ItemStatus, Phase, Plan, SessionState};
use crate::view::{display_name, label};

/// Everything a panel reads.
struct View<'a> {
    plan: &'a Plan,
    session: &'a SessionState,
    now: DateTime<Utc>,
    palette: Palette,
    authors: bool,
}

impl View<'_> {
    fn clock(&self, at: DateTime<Utc>) -> String {
        crate::view::zone::local(self.plan, at).format("%H:%M").to_string()
    }

    fn name(&self, id: &str) -> String {
        visible(display_name(self.plan, id)).into_owned()
    }
}

/// Draw the presenter.
pub fn render(frame: &mut Frame, presenter: &Presenter) {
    let area = frame.area();
    let palette = presenter.options.palette;
    let Some(plan) = &presenter.plan else {
        frame.render_widget(Paragraph::new("Waiting for the session…").style(palette.dim()), area);
        return;
    };
    let view = View {
        plan,
        session: &presenter.session,
        now: presenter.now,
        palette,
        authors: presenter.options.authors,
    };
    let panel = presenter.panel();
    // Rooms and votes need the rows on a small screen; the countdown shrinks to one line there.
    let compact = area.height < 40 && matches!(panel, Panel::Rooms | Panel::Vote);
    let now_height = if presenter.session.agenda.current.is_none() {
        1
    } else if compact {
        2
    } else if area.height >= 50 && area.width >= 100 {
        9
    } else {
        5
    };
    let message = message_lines(&view, area.width);
    let [top, now_area, message_area, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(now_height),
        Constraint::Length(message.len() as u16),
        Constraint::Fill(1),
    ])
    .areas(area);
    render_top(frame, top, &view, presenter.stale);
    render_now(frame, now_area, &view, compact);
    if !message.is_empty() {
        let lines: Vec<Line> = message.into_iter().map(Line::raw).collect();
        frame.render_widget(Paragraph::new(lines).style(view.palette.banner()), message_area);
    }
    match panel {
        Panel::AgendaAndComments => {
            let [agenda, comments] = if body.width >= 120 {
                Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(body)
            } else {
                let rows = (view.plan.agenda.len() as u16 + 2).min(body.height / 2);
                Layout::vertical([Constraint::Length(rows), Constraint::Fill(1)]).areas(body)
            };
            render_agenda(frame, agenda, &view);
            render_comments(frame, comments, &view);
        }
        Panel::Agenda => render_agenda(frame, body, &view),
        Panel::Comments => render_comments(frame, body, &view),
        Panel::Rooms => render_rooms(frame, body, &view),
        Panel::Vote => render_vote(frame, body, &view),
    }
}

/// The latest message to the rooms while it is news (`shown_for` of session time): a heading
/// and the words, wrapped, never cut below four lines; nothing once it is old.
fn message_lines(view: &View, columns: u16) -> Vec<String> {
    let Some(message) = view.session.latest_broadcast() else {
        return Vec::new();
    };
    let age = view.now - message.at;
    if age < Duration::zero() - Duration::minutes(1) || age > crate::app::broadcast_shown_for() {
        return Vec::new();
    }
    let columns = columns as usize;
    let heading = format!(" ✉ MESSAGE TO THE ROOMS · {}", view.clock(message.at));
    let mut lines = vec![format!("{heading:<columns$}")];
    let mut words = indented(&visible(&message.text), columns.saturating_sub(1), 3, 3);
    if words.len() > 4 {
        words.truncate(4);
        if let Some(last) = words.last_mut() {
            last.push('…');
        }
    }
    lines.extend(words.into_iter().map(|line| format!("{line:<columns$}")));
    lines
}

fn render_top(frame: &mut Frame, area: Rect, view: &View, stale: bool) {
    let clock = format!("{}{} ", if stale { "… " } else { "" }, view.clock(view.now));
    let room = (area.width as usize).saturating_sub(width(&clock) + 2);
    let title = truncate(&visible(&view.plan.title), room);
    let gap = (area.width as usize).saturating_sub(width(&title) + 1 + width(&clock));
    let line = Line::from(vec![
        Span::styled(format!(" {title}"), view.palette.title()),
        Span::raw(" ".repeat(gap)),
        Span::styled(clock, view.palette.dim()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

/// The phase in words, capitals only where the room must notice.
fn phase_word(phase: Phase) -> &'static str {
    match phase {
        Phase::Running => "NOW",
        Phase::Warning => "NEARLY OUT OF TIME",
        Phase::Overrun => "OVER TIME",
        Phase::Paused => "PAUSED",
        other => other.label(),
    }
}

fn render_now(frame: &mut Frame, area: Rect, view: &View, compact: bool) {
    let plan = view.plan;
    let agenda = &view.session.agenda;
    let palette = view.palette;
    let Some(item) = agenda.current else {
        let text = if agenda.ended_at.is_some() {
            "■ The session has ended".to_string()
        } else if agenda.started_at.is_some() {
            "■ Between agenda items".to_string()
        } else {
            format!(
                "The session has not started · {} items, {} min planned",
                plan.agenda.len(),
                plan.planned_minutes()
            )
        };
        frame.render_widget(Paragraph::new(Line::styled(format!(" {text}"), palette.title())), area);
        return;
    };
    let phase = agenda.phase(plan, item, view.now);
    let remaining = agenda.remaining(plan, item, view.now);
    let (clock, clock_words) = if remaining <= Duration::zero() {
        let over = overrun(-remaining);
        (over.clone(), format!("{} over", over.trim_start_matches('+')))
    } else {
        let left = countdown(remaining);
        (left.clone(), format!("{left} left"))
    };
    let title = visible(&plan.agenda[item].title).into_owned();
    let state_line = Line::from(vec![
        Span::styled(format!(" {} {} ", phase.symbol(), phase_word(phase)), palette.phase(phase)),
        Span::styled(format!(" {}/{} ", item + 1, plan.agenda.len()), palette.dim()),
        Span::styled(title.clone(), palette.title()),
    ]);
    let drift = drift_words(view).unwrap_or_default();
    if compact {
        let lines = vec![
            state_line,
            Line::from(vec![
                Span::styled(format!(" {clock_words}"), palette.phase(phase)),
                Span::styled(format!(" · {drift}"), palette.dim()),
            ]),
        ];
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let (size, big_width) = if area.height >= 9 { (PixelSize::Full, 8) } else { (PixelSize::Quadrant, 4) };
    let digits = (width(&clock) as u16 * big_width + 2).min(area.width / 2);
    let [big, words] = Layout::horizontal([Constraint::Length(digits), Constraint::Fill(1)]).areas(area);
    let big_area = Rect { x: big.x + 1, width: big.width.saturating_sub(1), ..big };
    frame.render_widget(
        BigText::builder().pixel_size(size).style(palette.phase(phase)).lines(vec![clock.into()]).build(),
        big_area,
    );
    let mut lines =
        vec![Line::styled(format!(" {} {} ", phase.symbol(), phase_word(phase)), palette.phase(phase))];
    let text_width = words.width.saturating_sub(2) as usize;
    for part in indented(&title, text_width.max(8), 1, 1).into_iter().take(2) {
        lines.push(Line::styled(part, palette.title()));
    }
    lines.push(Line::styled(
        format!(" {clock_words} · item {} of {}", item + 1, plan.agenda.len()),
        palette.dim(),
    ));
    if !drift.is_empty() {
        lines.push(Line::styled(format!(" {drift}"), palette.dim()));
    }
    frame.render_widget(Paragraph::new(lines), words);
}

/// "7 min over, ends 16:07" or "on time, ends 16:00".
fn drift_words(view: &View) -> Option<String> {
    let projection = view.session.agenda.projection(view.plan, view.now)?;
    let end = view.clock(projection.projected_end);
    Some(match minutes(projection.drift()) {
        0 => format!("on time, ends {end}"),
        d if d > 0 => format!("{d} min behind, ends {end} (planned {})", view.clock(projection.planned_end)),
        d => format!("{} min ahead, ends {end}", -d),
    })
}

/// When an item was planned to start, and when it started or is now expected to.
type Times = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// Every item's times, once the session has started.
fn schedule(view: &View) -> Vec<Times> {
    let plan = view.plan;
    let agenda = &view.session.agenda;
    let Some(start) = agenda.started_at else {
        return vec![(None, None); plan.agenda.len()];
    };
    let mut planned = start;
    let mut expected = agenda
        .current
        .map_or(view.now, |c| view.now + agenda.remaining(plan, c, view.now).max(Duration::zero()));
    let mut rows = Vec::with_capacity(plan.agenda.len());
    for (i, item) in plan.agenda.iter().enumerate() {
        let timer = &agenda.items[i];
        let actual = match timer.status {
            ItemStatus::Pending if agenda.ended_at.is_none() => {
                let at = expected;
                expected += agenda.allotted(plan, i);
                Some(at)
            }
            ItemStatus::Skipped | ItemStatus::Pending => None,
            _ => timer.started_at,
        };
        rows.push((Some(planned), actual));
        planned += Duration::minutes(item.minutes as i64);
    }
    rows
}

fn panel_block<'a>(title: &'a str, palette: Palette) -> Block<'a> {
    Block::default()
        .borders(Borders::TOP)
        .border_style(palette.border())
        .title(Span::styled(format!(" {title} "), palette.title()))
}

fn render_agenda(frame: &mut Frame, area: Rect, view: &View) {
    let block = panel_block("Agenda", view.palette);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let agenda = &view.session.agenda;
    let times = schedule(view);
    let started = agenda.started_at.is_some();
    // "  14:10 → 14:12" after each title once the session has started; minutes before.
    let tail = if started { 22 } else { 8 };
    let title_room = (inner.width as usize).saturating_sub(tail + 4).max(6);
    let mut lines = Vec::new();
    if started && inner.height as usize > view.plan.agenda.len() {
        lines.push(Line::styled(
            format!("{:<w$}{:>tail$}", "", "planned → actual", w = title_room + 4),
            view.palette.dim(),
        ));
    }
    for (i, item) in view.plan.agenda.iter().enumerate() {
        let phase = agenda.phase(view.plan, i, view.now);
        let current = agenda.current == Some(i);
        let title = truncate(&visible(&item.title), title_room);
        let pad = title_room.saturating_sub(width(&title));
        let when = match times[i] {
            (Some(planned), actual) => {
                let actual = match (actual, agenda.items[i].status) {
                    (_, ItemStatus::Skipped) => "skipped".to_string(),
                    (Some(at), _) => view.clock(at),
                    (None, _) => "—".to_string(),
                };
                format!("{:>3}′ {} → {actual:>7}", item.minutes, view.clock(planned))
            }
            (None, _) => format!("{:>4} min", item.minutes),
        };
        let style = if current { view.palette.title() } else { Style::new() };
        lines.push(Line::from(vec![
            Span::styled(format!(" {} ", phase.symbol()), view.palette.phase(phase)),
            Span::styled(format!("{title}{}", " ".repeat(pad)), style),
            Span::styled(format!(" {when:>tail$}"), view.palette.dim()),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn render_comments(frame: &mut Frame, area: Rect, view: &View) {
    let block = panel_block("Latest comments", view.palette);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let text_width = (inner.width as usize).saturating_sub(1).max(10);
    let mut blocks: Vec<Vec<Line>> = Vec::new();
    let mut used = 0usize;
    for comment in view.session.live_comments().rev() {
        let mut head = vec![Span::styled(format!(" #{} ", comment.id), view.palette.dim())];
        if let Some(theme) = &comment.theme {
            head.push(Span::styled(format!("[{}] ", visible(theme)), view.palette.tag()));
        }
        if comment.room.is_some() {
            head.push(Span::styled(
                format!("{} ", visible(view.plan.room_name(comment.room))),
                view.palette.dim(),
            ));
        }
        if let (true, Some(author)) = (view.authors, comment.author.as_deref()) {
            head.push(Span::styled(view.name(author), view.palette.author()));
        }
        let mut lines = vec![Line::from(head)];
        lines.extend(indented(&visible(&comment.text), text_width, 3, 3).into_iter().map(Line::raw));
        used += lines.len();
        if used > inner.height as usize && !blocks.is_empty() {
            break;
        }
        blocks.push(lines);
    }
    if blocks.is_empty() {
        frame.render_widget(Paragraph::new(Line::styled(" No comments yet.", view.palette.dim())), inner);
        return;
    }
    let lines: Vec<Line> = blocks.into_iter().rev().flatten().collect();
    // Newest at the bottom: when the newest alone overflows, its start stays on screen.
    let skip = lines.len().saturating_sub(inner.height as usize);
    frame.render_widget(Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>()), inner);
}

/// Narrowest room card: a name and a margin.
const CARD_WIDTH: u16 = 26;

fn render_rooms(frame: &mut Frame, area: Rect, view: &View) {
    let rooms = &view.session.rooms;
    let Some(round) = rooms.current() else {
        let block = panel_block("Breakout rooms", view.palette);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        frame.render_widget(Paragraph::new(Line::styled(" No rooms yet.", view.palette.dim())), inner);
        return;
    };
    let title = format!("Breakout rooms · round {}", rooms.rounds.len());
    let block = panel_block(&title, view.palette);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let count = round.rooms.len().max(1) as u16;
    let columns = count.min((inner.width / CARD_WIDTH).max(1));
    let rows = count.div_ceil(columns);
    let row_areas = Layout::vertical(vec![Constraint::Fill(1); rows as usize]).split(inner);
    for (index, members) in round.rooms.iter().enumerate() {
        let (row, column) = (index as u16 / columns, index as u16 % columns);
        let cells =
            Layout::horizontal(vec![Constraint::Fill(1); columns as usize]).split(row_areas[row as usize]);
        render_card(frame, cells[column as usize], view, index, members);
    }
}

fn render_card(frame: &mut Frame, area: Rect, view: &View, index: usize, members: &[String]) {
    let palette = view.palette;
    let room = view.plan.rooms.get(index);
    let name = visible(view.plan.room_name(Some(index as u32))).into_owned();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(palette.border())
        .title(Span::styled(format!(" {name} · {} ", members.len()), palette.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lead = room.and_then(|r| r.lead.as_deref());
    let room_width = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    let mut ordered: Vec<&String> = members.iter().filter(|m| Some(m.as_str()) == lead).collect();
    ordered.extend(members.iter().filter(|m| Some(m.as_str()) != lead));
    for id in ordered {
        let is_lead = Some(id.as_str()) == lead;
        let text =
            if is_lead { format!("★ {} (lead)", view.name(id)) } else { format!("  {}", view.name(id)) };
        lines.push(Line::styled(
            truncate(&text, room_width),
            if is_lead { palette.title() } else { Style::new() },
        ));
    }
    let height = inner.height as usize;
    if lines.len() > height && height > 0 {
        let hidden = lines.len() - (height - 1);
        lines.truncate(height - 1);
        lines.push(Line::styled(format!("  + {hidden} more"), palette.dim()));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn render_vote(frame: &mut Frame, area: Rect, view: &View) {
    let voting = &view.session.voting;
    let decision = voting.open_decision().or(voting.counted_decisions().next_back());
    let vote = voting.open_vote().or(voting.latest_vote());
    let decision_rows = if vote.is_some() { decision.map_or(0, |_| 6) } else { area.height };
    let [vote_area, decision_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(decision_rows)]).areas(area);
    if let Some(vote) = vote {
        render_ballot(frame, vote_area, view, vote);
    } else if decision.is_none() {
        let block = panel_block("Priorities", view.palette);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        frame.render_widget(Paragraph::new(Line::styled(" No vote yet.", view.palette.dim())), inner);
    }
    if let Some(decision) = decision {
        render_decision(frame, decision_area, view, decision);
    }
}

fn render_ballot(frame: &mut Frame, area: Rect, view: &View, vote: &crate::model::Vote) {
    let palette = view.palette;
    let voting = &view.session.voting;
    let state = if vote.closed { "closed: the result" } else { "open" };
    let title = format!("Vote: {} · {state}", visible(&vote.rules.title));
    let block = panel_block(&title, palette);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let hidden = vote.rules.hidden && !vote.closed;
    let rules = format!(
        "{} dot(s) each, at most {} per candidate · {} of {} have voted{}",
        vote.rules.dots,
        vote.rules.cap,
        vote.voted(),
        vote.rules.voters.len(),
        if hidden { " · the tally is hidden until the vote closes" } else { "" }
    );
    let mut lines: Vec<Line> = indented(&rules, (inner.width as usize).saturating_sub(1), 1, 1)
        .into_iter()
        .map(|l| Line::styled(l, palette.dim()))
        .collect();
    let text =
        |id: CandidateId| voting.candidate(id).map_or(String::new(), |c| visible(&c.text).into_owned());
    let full = inner.width as usize;
    if hidden {
        for (position, &id) in vote.rules.candidates.iter().enumerate() {
            let key = label(position).map_or(String::from(" "), String::from);
            let prefix = format!(" {key}  ");
            let mut wrapped =
                indented(&text(id), full.saturating_sub(1), width(&prefix), width(&prefix)).into_iter();
            let first = wrapped.next().unwrap_or_default();
            lines.push(Line::from(vec![
                Span::styled(prefix.clone(), palette.title()),
                Span::raw(first.chars().skip(width(&prefix)).collect::<String>()),
            ]));
            lines.extend(wrapped.map(Line::raw));
        }
    } else {
        let ranking = vote.ranking();
        let most = ranking.first().map_or(0, |r| r.dots).max(1);
        let bar_room = if full >= 120 { 20 } else { 10 };
        let equal: Vec<bool> = ranking
            .iter()
            .enumerate()
            .map(|(i, r)| ranking.iter().enumerate().any(|(j, o)| j != i && o.rank == r.rank))
            .collect();
        for (row, ranked) in ranking.iter().enumerate() {
            let rank = format!("{}{}", ranked.rank, if equal[row] { "=" } else { "." });
            let bar_len = (ranked.dots as usize * bar_room).div_ceil(most as usize);
            let bar = format!("{}{}", "█".repeat(bar_len), " ".repeat(bar_room - bar_len.min(bar_room)));
            let prefix = format!(" {rank:>3} {:>3} {bar} ", ranked.dots);
            let indent = width(&prefix);
            let mut wrapped =
                indented(&text(ranked.candidate), full.saturating_sub(1), indent, indent).into_iter();
            let first = wrapped.next().unwrap_or_default();
            let style = if ranked.rank == 1 && ranked.dots > 0 { palette.ok() } else { Style::new() };
            lines.push(Line::from(vec![
                Span::styled(prefix, style),
                Span::styled(first.chars().skip(indent).collect::<String>(), style),
            ]));
            lines.extend(wrapped.map(Line::raw));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn render_decision(frame: &mut Frame, area: Rect, view: &View, decision: &crate::model::Decision) {
    let palette = view.palette;
    let block = panel_block(if decision.closed { "Decision: recorded" } else { "Decision: open" }, palette);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let (yes, no, abstain) = decision.counts();
    let mut lines: Vec<Line> = indented(&visible(&decision.question), inner.width as usize, 1, 1)
        .into_iter()
        .map(|l| Line::styled(l, palette.title()))
        .collect();
    lines.push(Line::styled(format!(" Rule: {}", decision.rule_line()), palette.dim()));
    let counts =
        format!("yes {yes} · no {no} · abstain {abstain} of {} organisations", decision.organisations.len());
    lines.push(if decision.closed {
        if decision.passes() {
            Line::styled(format!(" ✓ PASSED · {counts}"), palette.ok())
        } else {
            Line::styled(format!(" ✗ NOT PASSED · {counts}"), palette.alarm())
        }
    } else {
        Line::raw(format!(" Answers so far: {counts}"))
    });
    frame.render_widget(Paragraph::new(lines), inner);
}
