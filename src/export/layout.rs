//! What each write-up says, in order, as a document: the full session write-up, the shorter
//! summary `convene check` prints, and the series summary. Writers only decide the look.

use super::doc::{plain, styled, words, Block, Column, Document, Line, Style, Table, Verdict};
use super::report::{Outcome, SessionReport, AGENDA_NOTE};
use super::series::{SeriesReport, ATTENDANCE_NOTE, THEMES_NOTE};
use super::text::{count, signed};

/// How much of a session a document shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Everything, every comment included: the write-up.
    Full,
    /// The same facts without the comments' text: what `convene check` prints.
    Summary,
}

/// A session's write-up.
pub fn session(report: &SessionReport, detail: Detail) -> Document {
    let mut blocks = vec![Block::Heading(1, words(&report.title))];
    let mut facts = Vec::new();
    if let Some(series) = &report.series {
        facts.push(("Series".to_string(), words(series)));
    }
    if let Some(date) = &report.date {
        facts.push(("Date".to_string(), words(date)));
    }
    facts.push(("Ran".to_string(), words(report.ran())));
    facts.push(("Comments".to_string(), words(report.comments_summary())));
    facts.push((
        "Source".to_string(),
        words(format!("{} ({})", report.source, count(report.events, "event", "events"))),
    ));
    blocks.push(Block::Facts(facts));
    if let Some(recovery) = &report.recovery {
        blocks.push(Block::Note(words(format!("Note: {recovery}."))));
    }
    blocks.push(Block::Note(words(report.zone_note())));
    attendance(&mut blocks, report);
    agenda(&mut blocks, report);
    rooms(&mut blocks, report);
    messages(&mut blocks, report);
    comments(&mut blocks, report, detail);
    votes(&mut blocks, report);
    decisions(&mut blocks, report);
    Document { title: report.title.clone(), blocks }
}

fn heading(blocks: &mut Vec<Block>, level: u8, text: impl Into<String>) {
    blocks.push(Block::Heading(level, words(text)));
}

/// A name with its remarks: "Tom Hughes (lead)".
fn with_remarks(name: &str, remarks: &[String]) -> Line {
    let mut line = vec![plain(name)];
    if !remarks.is_empty() {
        line.push(plain(" "));
        line.push(styled(Style::Muted, format!("({})", remarks.join("; "))));
    }
    line
}

/// Several lines in one cell or item, separated by ", ".
fn joined(lines: Vec<Line>, none: &str) -> Line {
    if lines.is_empty() {
        return words(none);
    }
    let mut out = Vec::new();
    for (i, line) in lines.into_iter().enumerate() {
        if i > 0 {
            out.push(plain(", "));
        }
        out.extend(line);
    }
    out
}

fn number(n: impl ToString) -> Line {
    words(n.to_string())
}

fn attendance(blocks: &mut Vec<Block>, report: &SessionReport) {
    heading(blocks, 2, "Attendance");
    blocks.push(Block::Paragraph(words(report.attendance_intro())));
    let rows = report
        .attendance
        .iter()
        .map(|org| {
            let people = org.people.iter().map(|p| with_remarks(&p.name, &p.remarks())).collect();
            vec![words(&org.org), words(org.summary()), joined(people, "")]
        })
        .collect();
    blocks.push(Block::Table(Table {
        columns: vec![Column::text("Organisation"), Column::text("Attended"), Column::text("People")],
        rows,
        total: None,
    }));
}

fn agenda(blocks: &mut Vec<Block>, report: &SessionReport) {
    if report.agenda.is_empty() {
        heading(blocks, 2, "Agenda");
        blocks.push(Block::Paragraph(words("No agenda was planned.")));
        return;
    }
    heading(
        blocks,
        2,
        format!(
            "Agenda: {}, {} min planned",
            count(report.agenda.len(), "item", "items"),
            report.planned_minutes
        ),
    );
    let dash = || "–".to_string();
    let rows = report
        .agenda
        .iter()
        .map(|row| {
            vec![
                number(row.number),
                words(&row.title),
                words(format!("{} min", row.planned)),
                words(row.actual.map_or_else(dash, |a| format!("{a} min"))),
                words(row.difference.map_or_else(dash, signed)),
                words(row.started.clone().unwrap_or_else(dash)),
                words(row.ended.clone().unwrap_or_else(dash)),
                words(row.drift.map_or_else(dash, signed)),
                words(row.notes.join("; ")),
            ]
        })
        .collect();
    let total = vec![
        Vec::new(),
        words("Total"),
        words(format!("{} min", report.planned_minutes)),
        words(report.actual_minutes.map_or_else(dash, |a| format!("{a} min"))),
        words(report.total_difference().map_or_else(dash, signed)),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    ];
    blocks.push(Block::Table(Table {
        columns: vec![
            Column::number("#"),
            Column::text("Item"),
            Column::number("Planned"),
            Column::number("Actual"),
            Column::number("Difference"),
            Column::text("Started"),
            Column::text("Ended"),
            Column::number("Drift"),
            Column::text("Notes"),
        ],
        rows,
        total: Some(total),
    }));
    blocks.push(Block::Note(words(AGENDA_NOTE)));
}

fn rooms(blocks: &mut Vec<Block>, report: &SessionReport) {
    if report.rounds.is_empty() {
        return;
    }
    heading(blocks, 2, "Breakout rooms");
    for round in &report.rounds {
        heading(blocks, 3, format!("Round {} (assigned {})", round.number, round.assigned));
        let items = round
            .rooms
            .iter()
            .map(|room| {
                let members = room.members.iter().map(|m| with_remarks(&m.name, &m.remarks())).collect();
                let mut line = vec![styled(Style::Strong, format!("{}:", room.room)), plain(" ")];
                line.extend(joined(members, "nobody"));
                line
            })
            .collect();
        blocks.push(Block::List(items));
        if !round.left.is_empty() {
            blocks.push(Block::Paragraph(words(format!(
                "Left the session during this round: {}.",
                round.left.join("; ")
            ))));
        }
    }
}

fn messages(blocks: &mut Vec<Block>, report: &SessionReport) {
    if report.messages.is_empty() {
        return;
    }
    heading(blocks, 2, "Messages to the rooms");
    let rows = report
        .messages
        .iter()
        .map(|m| {
            let mut sent_by = words(&m.sent_by);
            if m.bell {
                sent_by.push(styled(Style::Muted, " (bell)"));
            }
            vec![words(&m.at), words(&m.text), sent_by]
        })
        .collect();
    blocks.push(Block::Table(Table {
        columns: vec![Column::text("Time"), Column::text("Message"), Column::text("Sent by")],
        rows,
        total: None,
    }));
}

fn comments(blocks: &mut Vec<Block>, report: &SessionReport, detail: Detail) {
    heading(blocks, 2, "Comments by theme");
    blocks.push(Block::Paragraph(words(report.comments_intro())));
    let rows = report
        .theme_counts
        .iter()
        .map(|theme| {
            vec![words(&theme.theme), words(theme.group.clone().unwrap_or_default()), number(theme.count)]
        })
        .collect();
    blocks.push(Block::Table(Table {
        columns: vec![Column::text("Theme"), Column::text("Group"), Column::number("Comments")],
        rows,
        total: Some(vec![words("Total"), Vec::new(), number(report.live)]),
    }));
    let joined_capture = report.captured_by.iter().any(|(who, _)| who.ends_with("(joined)"));
    if report.captured_by.len() > 1 || joined_capture {
        let list: Vec<String> = report.captured_by.iter().map(|(who, n)| format!("{who} {n}")).collect();
        blocks.push(Block::Paragraph(words(format!("Captured by: {}.", list.join(", ")))));
    }
    if detail == Detail::Summary {
        return;
    }
    for theme in &report.comments {
        let group = theme.group.as_deref().map(|g| format!(" · {g}")).unwrap_or_default();
        heading(blocks, 3, format!("{} ({}){group}", theme.theme, theme.count));
        for room in &theme.rooms {
            heading(blocks, 4, format!("{} ({})", room.room, room.comments.len()));
            let items = room
                .comments
                .iter()
                .map(|comment| {
                    let mut by: Vec<String> = comment.author.iter().cloned().collect();
                    by.push(comment.time.clone());
                    if comment.pre_session {
                        by.push("pre-session".to_string());
                    }
                    vec![
                        styled(Style::Said, &comment.text),
                        plain(" — "),
                        styled(Style::Byline, by.join(", ")),
                    ]
                })
                .collect();
            blocks.push(Block::List(items));
        }
    }
}

fn votes(blocks: &mut Vec<Block>, report: &SessionReport) {
    if report.candidates > 0 {
        heading(blocks, 2, "Priorities");
        blocks.push(Block::Paragraph(words(format!(
            "{} on the list.",
            count(report.candidates, "candidate", "candidates")
        ))));
    }
    if report.votes.is_empty() {
        return;
    }
    heading(blocks, 2, "Votes");
    for vote in &report.votes {
        heading(blocks, 3, format!("Vote {}: {}", vote.id, vote.title));
        blocks.push(Block::Paragraph(words(vote.summary())));
        if vote.tally_hidden {
            blocks.push(Block::Paragraph(words("The tally stays hidden until the vote closes.")));
        } else {
            let rows = vote
                .rows
                .iter()
                .map(|row| {
                    vec![
                        words(&row.rank),
                        vec![styled(Style::Said, &row.candidate)],
                        number(row.dots),
                        number(row.voters),
                    ]
                })
                .collect();
            blocks.push(Block::Table(Table {
                columns: vec![
                    Column::number("Rank"),
                    Column::text("Priority"),
                    Column::number("Dots"),
                    Column::number("Voters"),
                ],
                rows,
                total: None,
            }));
        }
        if !vote.not_voted.is_empty() {
            blocks.push(Block::Paragraph(words(format!("No dots from: {}.", vote.not_voted.join(", ")))));
        }
    }
}

fn decisions(blocks: &mut Vec<Block>, report: &SessionReport) {
    if report.decisions.is_empty() {
        return;
    }
    heading(blocks, 2, "Decisions");
    for decision in &report.decisions {
        heading(blocks, 3, format!("Decision {}: {}", decision.id, decision.question));
        let verdict = match decision.outcome {
            Outcome::Passed => Verdict::Passed,
            Outcome::NotPassed => Verdict::Failed,
            Outcome::Open => Verdict::Open,
        };
        blocks.push(Block::Paragraph(vec![
            styled(Style::Verdict(verdict), format!("Result: {}", decision.outcome.label())),
            plain(format!(" — {}. Rule: {}.", decision.counts(), decision.rule)),
        ]));
        let items = decision
            .answers
            .iter()
            .map(|(answer, orgs)| {
                vec![styled(Style::Strong, format!("{answer}:")), plain(format!(" {}", orgs.join(", ")))]
            })
            .collect();
        blocks.push(Block::List(items));
    }
}

/// The summary of several sessions of a series.
pub fn series(report: &SeriesReport) -> Document {
    let mut blocks = vec![Block::Heading(1, words(&report.title)), Block::Paragraph(words(report.intro()))];
    let dash = || "–".to_string();

    heading(&mut blocks, 2, "Sessions");
    let rows = report
        .sessions
        .iter()
        .map(|s| {
            vec![
                words(format!("S{}", s.number)),
                words(&s.title),
                words(s.date.clone().unwrap_or_else(dash)),
                words(&s.source),
                words(&s.attendance),
                number(s.rounds),
                number(s.comments),
            ]
        })
        .collect();
    blocks.push(Block::Table(Table {
        columns: vec![
            Column::text("#"),
            Column::text("Session"),
            Column::text("Date"),
            Column::text("File"),
            Column::text("Attended"),
            Column::number("Rounds"),
            Column::number("Comments"),
        ],
        rows,
        total: None,
    }));

    let session_columns = || report.sessions.iter().map(|s| Column::number(&format!("S{}", s.number)));
    heading(&mut blocks, 2, "Comments per theme");
    blocks.push(Block::Note(words(THEMES_NOTE)));
    let rows = report
        .themes
        .iter()
        .map(|theme| {
            let mut row = vec![words(&theme.theme), words(theme.group.clone().unwrap_or_default())];
            row.extend(theme.counts.iter().map(|c| words(c.map_or_else(dash, |n| n.to_string()))));
            row.push(number(theme.total()));
            row
        })
        .collect();
    let mut total = vec![words("Total"), Vec::new()];
    total.extend(report.sessions.iter().map(|s| number(s.comments)));
    total.push(number(report.total_comments()));
    let mut columns = vec![Column::text("Theme"), Column::text("Group")];
    columns.extend(session_columns());
    columns.push(Column::number("Total"));
    blocks.push(Block::Table(Table { columns, rows, total: Some(total) }));

    heading(&mut blocks, 2, "Attendance by organisation");
    blocks.push(Block::Note(words(ATTENDANCE_NOTE)));
    let rows = report
        .attendance
        .iter()
        .map(|org| {
            let mut row = vec![words(&org.org)];
            row.extend(org.cells.iter().map(|c| words(c.clone().unwrap_or_else(dash))));
            row
        })
        .collect();
    let mut columns = vec![Column::text("Organisation")];
    columns.extend(session_columns());
    blocks.push(Block::Table(Table { columns, rows, total: None }));
    if !report.absences.is_empty() {
        let items = report
            .absences
            .iter()
            .map(|(number, names)| words(format!("Absent from S{number}: {}", names.join(", "))))
            .collect();
        blocks.push(Block::List(items));
    }

    heading(&mut blocks, 2, "Who met whom");
    if report.people.is_empty() {
        blocks.push(Block::Paragraph(words("No breakout rooms were used.")));
        return Document { title: report.title.clone(), blocks };
    }
    blocks.push(Block::Paragraph(words(report.meetings_intro())));
    let rows = report
        .people
        .iter()
        .map(|p| {
            vec![words(&p.name), words(&p.org), number(p.rounds), number(p.people_met), number(p.orgs_met)]
        })
        .collect();
    blocks.push(Block::Table(Table {
        columns: vec![
            Column::text("Participant"),
            Column::text("Organisation"),
            Column::number("Rounds"),
            Column::number("People met"),
            Column::number("Organisations met"),
        ],
        rows,
        total: None,
    }));
    heading(&mut blocks, 3, "Pairs who shared a room more than once");
    if report.repeat_pairs.is_empty() {
        blocks.push(Block::Paragraph(words("None: no two people shared a room twice.")));
    } else {
        let rows = report
            .repeat_pairs
            .iter()
            .map(|p| vec![words(format!("{} and {}", p.a, p.b)), number(p.times)])
            .collect();
        blocks.push(Block::Table(Table {
            columns: vec![Column::text("Pair"), Column::number("Rounds together")],
            rows,
            total: None,
        }));
    }
    Document { title: report.title.clone(), blocks }
}
