//! The agenda: a one-line timer for the header, the full pane (items, countdown, gauge,
//! schedule drift) and the breakout rooms' note. All times come from the fold and `state.now`.

use chrono::Duration;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Gauge, Paragraph};
use ratatui::Frame;
use tui_big_text::{BigText, PixelSize};

use super::theme;
use crate::app::AppState;
use crate::model::agenda::{countdown, minutes, overrun};
use crate::model::rebalance::Proposal;
use crate::model::{ItemKind, Phase};
use crate::view::text::{truncate, visible, width};

/// The current item's clock as words: "12:34 left", "+02:13 over", with the phase's symbol.
fn clock_text(state: &AppState, item: usize) -> (Phase, String) {
    let agenda = &state.session.agenda;
    let phase = agenda.phase(&state.plan, item, state.now);
    let remaining = agenda.remaining(&state.plan, item, state.now);
    let text = if remaining <= Duration::zero() {
        format!("{} over", overrun(-remaining))
    } else {
        format!("{} left", countdown(remaining))
    };
    (phase, text)
}

/// "running 7 min over — projected end 16:07 (planned 16:00)", or none before the start.
pub fn drift_text(state: &AppState) -> Option<String> {
    drift(state, false)
}

/// The drift in few words for narrow screens: "7 min over, ends 16:07".
fn drift_short(state: &AppState) -> Option<String> {
    drift(state, true)
}

fn drift(state: &AppState, short: bool) -> Option<String> {
    let projection = state.session.agenda.projection(&state.plan, state.now)?;
    let at = |t| state.local(t).format("%H:%M").to_string();
    let drift = minutes(projection.drift());
    let (planned, projected) = (at(projection.planned_end), at(projection.projected_end));
    if short && !projection.ended {
        return Some(match drift {
            0 => format!("on time, ends {projected}"),
            d if d > 0 => format!("{d} min over, ends {projected}"),
            d => format!("{} min ahead, ends {projected}", -d),
        });
    }
    Some(match (projection.ended, drift) {
        (true, 0) => format!("ended {projected}, on time"),
        (true, d) if d > 0 => format!("ended {projected}, {d} min over (planned {planned})"),
        (true, d) => format!("ended {projected}, {} min early (planned {planned})", -d),
        (false, 0) => format!("on time — projected end {projected}"),
        (false, d) if d > 0 => {
            format!("running {d} min over — projected end {projected} (planned {planned})")
        }
        (false, d) => format!("running {} min ahead — projected end {projected} (planned {planned})", -d),
    })
}

/// The header's agenda line: where the session stands, in one line.
pub fn timer_line(state: &AppState) -> Line<'static> {
    let plan = &state.plan;
    let agenda = &state.session.agenda;
    if plan.agenda.is_empty() {
        return Line::styled(" No agenda in the plan", theme::dim());
    }
    let drift = if state.size.0 >= 120 { drift_text(state) } else { drift_short(state) }.unwrap_or_default();
    match agenda.current {
        Some(item) => {
            let (phase, clock) = clock_text(state, item);
            let title = visible(&plan.agenda[item].title).into_owned();
            let room = (state.size.0 as usize).saturating_sub(width(&clock) + width(&drift) + 24).max(12);
            let mut spans = vec![
                Span::styled(format!(" {} {} ", phase.symbol(), phase_word(phase)), theme::phase(phase)),
                Span::styled(format!(" {clock} "), theme::phase(phase)),
                Span::styled(format!(" {}/{} ", item + 1, plan.agenda.len()), theme::dim()),
                Span::styled(truncate(&title, room), theme::title()),
            ];
            if !drift.is_empty() {
                spans.push(Span::styled(format!(" · {drift}"), theme::dim()));
            }
            Line::from(spans)
        }
        None if agenda.started_at.is_some() => Line::from(vec![
            Span::styled(" ■ ", theme::title()),
            Span::styled(
                if agenda.ended_at.is_some() { "agenda ended" } else { "between items" },
                theme::title(),
            ),
            Span::styled(format!(" · {drift}"), theme::dim()),
        ]),
        None => Line::from(vec![
            Span::styled(" Agenda ", theme::title()),
            Span::styled(
                format!(
                    "{} items, {} min planned · {}",
                    plan.agenda.len(),
                    plan.planned_minutes(),
                    if state.seat.is_joined() {
                        "the facilitator starts the session"
                    } else {
                        "F5 starts the session"
                    }
                ),
                theme::dim(),
            ),
        ]),
    }
}

/// The word beside the symbol: only the states that need shouting are in capitals.
fn phase_word(phase: Phase) -> &'static str {
    match phase {
        Phase::Running => "NOW",
        Phase::Warning => "NEARLY OUT",
        Phase::Overrun => "OVERRUN",
        Phase::Paused => "PAUSED",
        other => other.label(),
    }
}

/// The note for breakout rooms, once the current breakout item's warning has fired.
pub fn room_note(state: &AppState) -> Option<String> {
    let item = state.session.agenda.current?;
    let planned = state.plan.agenda.get(item)?;
    let note = planned.room_note.as_deref()?;
    let phase = state.session.agenda.phase(&state.plan, item, state.now);
    (planned.kind == ItemKind::Breakout && matches!(phase, Phase::Warning | Phase::Overrun))
        .then(|| format!("⚠ ROOMS: {}", visible(note)))
}

/// Draw the room note across the screen.
pub fn render_banner(frame: &mut Frame, area: Rect, state: &AppState) {
    if let Some(note) = room_note(state) {
        frame.render_widget(
            Paragraph::new(truncate(&note, area.width as usize))
                .style(theme::banner())
                .alignment(Alignment::Center),
            area,
        );
    }
}

/// The agenda pane: the countdown (big when there is room), a gauge, the drift, every item.
pub fn render_pane(frame: &mut Frame, area: Rect, state: &AppState, focused: bool) {
    let block = Block::default()
        .borders(Borders::TOP | Borders::LEFT)
        .border_style(if focused { theme::focused_border() } else { theme::border() })
        .title(Span::styled(" Agenda ", theme::title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let items = item_lines(state, inner.width as usize);
    let needed = items.len() as u16;
    let spare = inner.height.saturating_sub(needed + 3);
    // The countdown is drawn big when it fits; a shared screen is read from across a room.
    let big = match state.session.agenda.current {
        Some(_) if spare >= 9 && inner.width >= 50 => Some(PixelSize::Full),
        Some(_) if spare >= 5 && inner.width >= 26 => Some(PixelSize::Quadrant),
        _ => None,
    };
    let big_rows = match big {
        Some(PixelSize::Full) => 8,
        Some(_) => 4,
        None => 0,
    };
    let [big_area, clock_area, gauge_area, drift_area, _, list_area] = Layout::vertical([
        Constraint::Length(big_rows),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(u16::from(spare > 0)),
        Constraint::Min(0),
    ])
    .areas(inner);
    if let Some(item) = state.session.agenda.current {
        let (phase, clock) = clock_text(state, item);
        if let Some(size) = big {
            let digits = clock.split(' ').next().unwrap_or_default().to_string();
            let text = BigText::builder()
                .pixel_size(size)
                .style(theme::phase(phase))
                .lines(vec![digits.into()])
                .alignment(Alignment::Center)
                .build();
            frame.render_widget(text, big_area);
        }
        let title = visible(&state.plan.agenda[item].title).into_owned();
        let line = Line::from(vec![
            Span::styled(format!(" {} {} {clock} ", phase.symbol(), phase_word(phase)), theme::phase(phase)),
            Span::styled(format!(" {title}"), theme::title()),
        ]);
        frame.render_widget(Paragraph::new(line), clock_area);
        let agenda = &state.session.agenda;
        let allotted = agenda.allotted(&state.plan, item);
        let elapsed = agenda.elapsed(item, state.now);
        let ratio =
            (elapsed.num_milliseconds() as f64 / allotted.num_milliseconds().max(1) as f64).clamp(0.0, 1.0);
        let label = format!("{} of {}:00", elapsed_clock(elapsed), allotted.num_minutes());
        frame.render_widget(
            Gauge::default().ratio(ratio).label(label).gauge_style(theme::phase(phase)).use_unicode(true),
            gauge_area,
        );
    } else {
        let agenda = &state.session.agenda;
        let joined = state.seat.is_joined();
        let text = match (agenda.started_at.is_none(), agenda.ended_at.is_some()) {
            (true, _) if joined => "not started yet",
            (true, _) => "not started · F5 (or n here) starts the first item",
            (false, true) if joined => "■ agenda ended",
            (false, true) => "■ agenda ended · b here reopens the last item",
            (false, false) if joined => "no item running",
            (false, false) => "no item running · F5 (or n here) for the next",
        };
        frame.render_widget(Paragraph::new(Span::styled(format!(" {text}"), theme::dim())), clock_area);
    }
    let drift = if inner.width >= 64 { drift_text(state) } else { drift_short(state) };
    if let Some(drift) = drift {
        frame.render_widget(Paragraph::new(Span::styled(format!(" {drift}"), theme::dim())), drift_area);
    }
    frame.render_widget(Paragraph::new(items), list_area);
}

/// Elapsed time as m:ss, e.g. "3:07".
fn elapsed_clock(duration: Duration) -> String {
    let seconds = duration.num_seconds().max(0);
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// One line per item: symbol, number, title, planned minutes, then actual or what is left.
fn item_lines(state: &AppState, columns: usize) -> Vec<Line<'static>> {
    let agenda = &state.session.agenda;
    state
        .plan
        .agenda
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let phase = agenda.phase(&state.plan, i, state.now);
            let extension = agenda.items.get(i).map_or(0, |t| t.extension_minutes);
            // A rebalanced item shows the plan's minutes and what they became.
            let minutes_now = match agenda.items.get(i).and_then(|t| t.rebalanced) {
                Some(rebalanced) if rebalanced != item.minutes => format!("{}'→{rebalanced}'", item.minutes),
                _ => format!("{}'", item.minutes),
            };
            let planned = match extension {
                0 => minutes_now,
                e => format!("{minutes_now}{e:+}"),
            };
            let outcome = match phase {
                Phase::Done => format!("→ {}'", minutes(agenda.elapsed(i, state.now))),
                Phase::Skipped => "skipped".to_string(),
                Phase::Pending => String::new(),
                _ => clock_text(state, i).1,
            };
            let tail = format!(" {planned:>6} {outcome:<12}");
            let title_room = columns.saturating_sub(width(&tail) + 6);
            let title = truncate(&visible(&item.title), title_room);
            let style = match phase {
                Phase::Pending => ratatui::style::Style::new(),
                Phase::Done | Phase::Skipped => theme::dim(),
                other => theme::phase(other),
            };
            Line::from(vec![
                Span::styled(format!(" {} {:>2}. ", phase.symbol(), i + 1), style),
                Span::styled(
                    format!("{title}{}", " ".repeat(title_room.saturating_sub(width(&title)))),
                    style,
                ),
                Span::styled(tail, style),
            ])
        })
        .collect()
}

/// The proposed rebalance: each item to come, planned → proposed, and the new projected end.
pub fn rebalance_popup(frame: &mut Frame, state: &AppState, proposal: &Proposal) {
    let at = |t| state.local(t).format("%H:%M").to_string();
    let over = minutes(proposal.projected_end - proposal.planned_end);
    let area = frame.area();
    let popup_width = area.width.min(72);
    let inner = popup_width.saturating_sub(2) as usize;
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!(" ‼ running {over} min over"), theme::phase(Phase::Overrun)),
            Span::raw(format!(
                " — projected end {} (planned {})",
                at(proposal.projected_end),
                at(proposal.planned_end)
            )),
        ]),
        Line::raw(" Items to come, shortened in proportion:"),
        Line::raw(""),
    ];
    let tail_width = 26;
    let title_room = inner.saturating_sub(tail_width + 6);
    lines.push(Line::styled(
        format!(" {:>3} {:<title_room$} {:>8} → {:<8}", "", "item", "planned", "proposed"),
        theme::dim(),
    ));
    for item in &proposal.items {
        let title =
            state.plan.agenda.get(item.item).map_or(String::new(), |i| visible(&i.title).into_owned());
        let title = truncate(&title, title_room);
        let pad = " ".repeat(title_room.saturating_sub(width(&title)));
        let (note, style) = if item.fixed {
            ("fixed", theme::dim())
        } else if item.proposed == item.floor {
            ("at minimum", theme::warning())
        } else if item.proposed < item.planned {
            ("", theme::ok())
        } else {
            ("", theme::dim())
        };
        lines.push(Line::from(vec![
            Span::raw(format!(" {:>2}. {title}{pad} {:>7}' → ", item.item + 1, item.planned)),
            Span::styled(format!("{:>3}'", item.proposed), style),
            Span::styled(format!(" {note}"), theme::dim()),
        ]));
    }
    lines.push(Line::raw(""));
    let end = at(proposal.proposed_end);
    lines.push(if proposal.on_time() {
        Line::from(vec![
            Span::raw(format!(" New projected end {end} ")),
            Span::styled(format!("✓ by the planned {}", at(proposal.planned_end)), theme::ok()),
        ])
    } else {
        let still = minutes(proposal.proposed_end - proposal.planned_end);
        Line::from(vec![
            Span::raw(format!(" New projected end {end} ")),
            Span::styled(format!("⚠ still {still} min over: the minimums allow no more"), theme::warning()),
        ])
    });
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled(" Enter", theme::key()),
        Span::raw(" accept   "),
        Span::styled("Esc", theme::key()),
        Span::raw(" leave the agenda as it is"),
    ]));
    let height = lines.len() as u16 + 2;
    let area = super::popup::fixed(area, popup_width, height);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::focused_border())
        .title(Span::styled(" Rebalance the agenda ", theme::title()));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
