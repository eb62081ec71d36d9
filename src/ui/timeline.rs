//! The replay screen: the live screens as they were at the replayed moment, and a timeline
//! bar with markers for agenda items, room rounds and votes.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::{agenda, feed, header, help, rooms, side, status, theme, vote};
use crate::app::{Overlay, ReplayApp, ReplayView};
use crate::replay::MarkerKind;
use crate::view::text::{truncate, visible};

/// Draw the whole replay console.
pub fn render_replay(frame: &mut Frame, app: &ReplayApp) {
    let state = &app.view;
    let [top, body, timeline, hints, status_line] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    header::render(frame, top, state);
    let (main, side_area) = super::layout::with_side_panel(body);
    match app.screen {
        ReplayView::Feed => feed::render(frame, main, state),
        ReplayView::Agenda => agenda::render_pane(frame, main, state, true),
        ReplayView::Votes => vote::render_pane(frame, main, state),
        ReplayView::Rooms => rooms::render_pane(frame, main, state),
    }
    if let Some(area) = side_area {
        side::render(frame, area, state);
    }
    render_timeline(frame, timeline, app);
    status::render_hints(frame, hints, state);
    let message = state.message.as_ref().map_or(String::new(), |(m, _)| visible(m).into_owned());
    let line = Line::from(vec![
        Span::styled(" REPLAY · read-only, the file is never changed ", theme::dim()),
        Span::raw(message),
    ]);
    frame.render_widget(Paragraph::new(line), status_line);
    if let Some(Overlay::Help { scroll }) = &state.overlay {
        help::render(frame, state, *scroll);
    }
}

/// Three lines: marker letters, the bar with the playhead, and where we are.
fn render_timeline(frame: &mut Frame, area: Rect, app: &ReplayApp) {
    let replay = &app.replay;
    let width = area.width.saturating_sub(2).max(1) as usize;
    let (first, last) = replay.span();
    let total = (last - first).num_milliseconds().max(1) as f64;
    let column = |at: chrono::DateTime<chrono::Utc>| {
        ((((at - first).num_milliseconds() as f64 / total) * (width - 1) as f64).round() as usize)
            .min(width - 1)
    };
    // Letters, not colours alone: A agenda item, R room round, V vote or decision.
    let mut marks = vec![' '; width];
    for marker in &replay.markers {
        let letter = match marker.kind {
            MarkerKind::Agenda => 'A',
            MarkerKind::Rooms => 'R',
            MarkerKind::Vote => 'V',
        };
        let slot = &mut marks[column(marker.at)];
        if *slot == ' ' || letter == 'A' {
            *slot = letter;
        }
    }
    let head = column(replay.now);
    let bar: String = (0..width)
        .map(|i| {
            if i == head {
                '●'
            } else if i < head {
                '━'
            } else {
                '─'
            }
        })
        .collect();
    let state = if app.playing {
        format!("▶ playing {}x", app.speed())
    } else {
        format!("⏸ paused ({}x)", app.speed())
    };
    let clock = app.view.local(replay.now).format("%H:%M:%S");
    let current =
        replay.markers.iter().rev().find(|m| m.position <= replay.position && m.kind == MarkerKind::Agenda);
    let mut info = vec![
        Span::styled(format!(" {clock} "), theme::title()),
        Span::styled(format!("{state} "), theme::key()),
        Span::styled(format!("· event {}/{} ", replay.position, replay.events().len()), theme::dim()),
    ];
    if let Some(marker) = current {
        info.push(Span::raw(format!("· {} ", truncate(&visible(&marker.label), 40))));
    }
    if let Some(skipped) = replay.compressed {
        info.push(Span::styled(
            format!("· ⏩ {} min of quiet skipped ", skipped.num_minutes().max(1)),
            theme::warning(),
        ));
    }
    if let Some(typed) = &app.prompt {
        info.push(Span::styled(format!("· go to time (HH:MM, Enter): {typed}▏"), theme::warning()));
    }
    let lines = vec![
        Line::styled(format!(" {}", marks.iter().collect::<String>()), theme::title()),
        Line::styled(format!(" {bar}"), theme::key()),
        Line::from(info),
    ];
    frame.render_widget(Paragraph::new(lines), area);
}
