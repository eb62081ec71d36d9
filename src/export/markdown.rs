//! The write-up as Markdown: headings, tables and lists a lead can paste into a document or
//! send as it is. Every piece of text from the session is escaped, so a comment's `*` or `#`
//! is shown, not obeyed.

use std::fmt::Write;

use super::report::{SessionReport, AGENDA_NOTE};
use super::series::{SeriesReport, ATTENDANCE_NOTE, THEMES_NOTE};
use super::text::{count, signed, visible_lines};

/// The write-up of one session.
pub(crate) fn session(report: &SessionReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", line(&report.title));
    let mut facts = Vec::new();
    if let Some(series) = &report.series {
        facts.push(format!("**Series:** {}", line(series)));
    }
    if let Some(date) = &report.date {
        facts.push(format!("**Date:** {}", line(date)));
    }
    facts.push(format!("**Ran:** {}", report.ran()));
    facts.push(format!("**Comments:** {}", report.comments_summary()));
    facts.push(format!("**Source:** {} ({})", line(&report.source), count(report.events, "event", "events")));
    // Two trailing spaces: a line break that keeps the facts in one compact block.
    let _ = writeln!(out, "{}\n", facts.join("  \n"));
    if let Some(recovery) = &report.recovery {
        let _ = writeln!(out, "> Note: {}.\n", line(recovery));
    }
    let _ = writeln!(out, "All times are UTC.\n");

    attendance(&mut out, report);
    agenda(&mut out, report);
    rooms(&mut out, report);
    comments(&mut out, report);
    votes(&mut out, report);
    decisions(&mut out, report);
    trim_end(out)
}

fn attendance(out: &mut String, report: &SessionReport) {
    let _ = writeln!(out, "## Attendance\n");
    let _ = writeln!(out, "{}\n", report.attendance_intro());
    let _ = writeln!(out, "| Organisation | Attended | People |\n|---|---|---|");
    for org in &report.attendance {
        let people: Vec<String> =
            org.people.iter().map(|p| with_remarks(&p.name, &p.remarks(), cell)).collect();
        let _ = writeln!(out, "| {} | {} | {} |", cell(&org.org), org.summary(), people.join(", "));
    }
    out.push('\n');
}

/// A name with its remarks in brackets: "Tom Hughes (lead)".
fn with_remarks(name: &str, remarks: &[String], escape: fn(&str) -> String) -> String {
    if remarks.is_empty() {
        escape(name)
    } else {
        format!("{} ({})", escape(name), escape(&remarks.join("; ")))
    }
}

fn agenda(out: &mut String, report: &SessionReport) {
    let _ = writeln!(out, "## Agenda: planned and actual\n");
    if report.agenda.is_empty() {
        let _ = writeln!(out, "No agenda was planned.\n");
        return;
    }
    let _ = writeln!(
        out,
        "| # | Item | Planned | Actual | Difference | Started | Ended | Drift | Notes |\n\
         |--:|---|--:|--:|--:|---|---|--:|---|"
    );
    let dash = || "–".to_string();
    for row in &report.agenda {
        let _ = writeln!(
            out,
            "| {} | {} | {} min | {} | {} | {} | {} | {} | {} |",
            row.number,
            cell(&row.title),
            row.planned,
            row.actual.map_or_else(dash, |a| format!("{a} min")),
            row.difference.map_or_else(dash, signed),
            row.started.clone().unwrap_or_else(dash),
            row.ended.clone().unwrap_or_else(dash),
            row.drift.map_or_else(dash, signed),
            cell(&row.notes.join("; ")),
        );
    }
    let actual = report.actual_minutes;
    let _ = writeln!(
        out,
        "| | **Total** | **{} min** | **{}** | **{}** | | | | |\n",
        report.planned_minutes,
        actual.map_or_else(dash, |a| format!("{a} min")),
        report.total_difference().map_or_else(dash, signed),
    );
    let _ = writeln!(out, "{AGENDA_NOTE}\n");
}

fn rooms(out: &mut String, report: &SessionReport) {
    if report.rounds.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Breakout rooms\n");
    for round in &report.rounds {
        let _ = writeln!(out, "### Round {} (assigned {})\n", round.number, round.assigned);
        for room in &round.rooms {
            let members: Vec<String> =
                room.members.iter().map(|m| with_remarks(&m.name, &m.remarks(), line)).collect();
            let members = if members.is_empty() { "nobody".to_string() } else { members.join(", ") };
            let _ = writeln!(out, "- **{}:** {members}", line(&room.room));
        }
        if !round.left.is_empty() {
            let left: Vec<String> = round.left.iter().map(|l| line(l)).collect();
            let _ = writeln!(out, "\nLeft the session during this round: {}.", left.join("; "));
        }
        out.push('\n');
    }
}

fn comments(out: &mut String, report: &SessionReport) {
    let _ = writeln!(out, "## Comments by theme\n");
    let _ = writeln!(out, "{}\n", report.comments_intro());
    let _ = writeln!(out, "| Theme | Group | Comments |\n|---|---|--:|");
    for theme in &report.theme_counts {
        let group = theme.group.as_deref().map(cell).unwrap_or_default();
        let _ = writeln!(out, "| {} | {group} | {} |", cell(&theme.theme), theme.count);
    }
    let _ = writeln!(out, "| **Total** | | **{}** |\n", report.live);
    for theme in &report.comments {
        let group = theme.group.as_deref().map(|g| format!(" · {}", line(g))).unwrap_or_default();
        let _ = writeln!(out, "### {} ({}){group}\n", line(&theme.theme), theme.count);
        for room in &theme.rooms {
            let _ = writeln!(out, "#### {} ({})\n", line(&room.room), room.comments.len());
            for comment in &room.comments {
                let mut by: Vec<String> = comment.author.iter().map(|a| line(a)).collect();
                by.push(comment.time.clone());
                if comment.pre_session {
                    by.push("pre-session".to_string());
                }
                let _ = writeln!(out, "- {} — *{}*", item(&comment.text), by.join(", "));
            }
            out.push('\n');
        }
    }
}

fn votes(out: &mut String, report: &SessionReport) {
    if report.votes.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Votes\n");
    for vote in &report.votes {
        let _ = writeln!(out, "### Vote {}: {}\n", vote.id, line(&vote.title));
        let _ = writeln!(out, "{}\n", line(&vote.summary()));
        if vote.tally_hidden {
            let _ = writeln!(out, "The tally stays hidden until the vote closes.\n");
        } else {
            let _ = writeln!(out, "| Rank | Priority | Dots | Voters |\n|--:|---|--:|--:|");
            for row in &vote.rows {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    row.rank,
                    cell(&row.candidate),
                    row.dots,
                    row.voters
                );
            }
            out.push('\n');
        }
        if !vote.not_voted.is_empty() {
            let names: Vec<String> = vote.not_voted.iter().map(|n| line(n)).collect();
            let _ = writeln!(out, "No dots from: {}.\n", names.join(", "));
        }
    }
}

fn decisions(out: &mut String, report: &SessionReport) {
    if report.decisions.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Decisions\n");
    for decision in &report.decisions {
        let _ = writeln!(out, "### Decision {}: {}\n", decision.id, line(&decision.question));
        let _ = writeln!(
            out,
            "**Result: {}** — {}.  \nRule: {}.\n",
            decision.outcome.label(),
            decision.counts(),
            line(&decision.rule)
        );
        for (answer, orgs) in &decision.answers {
            let orgs: Vec<String> = orgs.iter().map(|o| line(o)).collect();
            let _ = writeln!(out, "- **{answer}:** {}", orgs.join(", "));
        }
        out.push('\n');
    }
}

/// The summary of several sessions of a series.
pub(crate) fn series(report: &SeriesReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", line(&report.title));
    let _ = writeln!(out, "{}\n", report.intro());

    let _ = writeln!(out, "## Sessions\n");
    let _ = writeln!(
        out,
        "| # | Session | Date | File | Attended | Rounds | Comments |\n|--:|---|---|---|---|--:|--:|"
    );
    for s in &report.sessions {
        let _ = writeln!(
            out,
            "| S{} | {} | {} | {} | {} | {} | {} |",
            s.number,
            cell(&s.title),
            s.date.as_deref().map_or_else(|| "–".to_string(), cell),
            cell(&s.source),
            s.attendance,
            s.rounds,
            s.comments
        );
    }
    out.push('\n');

    let headers: Vec<String> = report.sessions.iter().map(|s| format!("S{}", s.number)).collect();
    let aligns = "--:|".repeat(headers.len());
    let _ = writeln!(out, "## Comments per theme\n");
    let _ = writeln!(out, "{THEMES_NOTE}\n");
    let _ = writeln!(out, "| Theme | Group | {} | Total |\n|---|---|{aligns}--:|", headers.join(" | "));
    for theme in &report.themes {
        let cells: Vec<String> =
            theme.counts.iter().map(|c| c.map_or_else(|| "–".to_string(), |n| n.to_string())).collect();
        let group = theme.group.as_deref().map(cell).unwrap_or_default();
        let _ =
            writeln!(out, "| {} | {group} | {} | {} |", cell(&theme.theme), cells.join(" | "), theme.total());
    }
    let totals: Vec<String> = report.sessions.iter().map(|s| format!("**{}**", s.comments)).collect();
    let _ = writeln!(out, "| **Total** | | {} | **{}** |\n", totals.join(" | "), report.total_comments());

    let _ = writeln!(out, "## Attendance by organisation\n");
    let _ = writeln!(out, "{ATTENDANCE_NOTE}\n");
    let _ = writeln!(out, "| Organisation | {} |\n|---|{aligns}", headers.join(" | "));
    for org in &report.attendance {
        let cells: Vec<String> =
            org.cells.iter().map(|c| c.clone().unwrap_or_else(|| "–".to_string())).collect();
        let _ = writeln!(out, "| {} | {} |", cell(&org.org), cells.join(" | "));
    }
    out.push('\n');
    for (number, names) in &report.absences {
        let names: Vec<String> = names.iter().map(|n| line(n)).collect();
        let _ = writeln!(out, "- Absent from S{number}: {}", names.join(", "));
    }
    if !report.absences.is_empty() {
        out.push('\n');
    }

    let _ = writeln!(out, "## Who met whom\n");
    if report.people.is_empty() {
        let _ = writeln!(out, "No breakout rooms were used.");
        return trim_end(out);
    }
    let _ = writeln!(out, "{}\n", report.meetings_intro());
    let _ = writeln!(
        out,
        "| Participant | Organisation | Rounds | People met | Organisations met |\n|---|---|--:|--:|--:|"
    );
    for person in &report.people {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            cell(&person.name),
            cell(&person.org),
            person.rounds,
            person.people_met,
            person.orgs_met
        );
    }
    out.push('\n');
    let _ = writeln!(out, "### Pairs who shared a room more than once\n");
    if report.repeat_pairs.is_empty() {
        let _ = writeln!(out, "None: no two people shared a room twice.");
    } else {
        let _ = writeln!(out, "| Pair | Rounds together |\n|---|--:|");
        for pair in &report.repeat_pairs {
            let _ = writeln!(out, "| {} and {} | {} |", cell(&pair.a), cell(&pair.b), pair.times);
        }
    }
    trim_end(out)
}

fn trim_end(mut out: String) -> String {
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// Session text on one line (headings, names): line breaks become spaces.
fn line(text: &str) -> String {
    visible_lines(text).iter().map(|l| escape(l)).collect::<Vec<_>>().join(" ")
}

/// Session text in a table cell: `|` would end the cell, a line break the row.
fn cell(text: &str) -> String {
    visible_lines(text).iter().map(|l| escape(l).replace('|', "\\|")).collect::<Vec<_>>().join("<br>")
}

/// Session text as a list item: later lines indented so they stay in the item, with a hard
/// break (two trailing spaces) so the comment's own line breaks show.
fn item(text: &str) -> String {
    visible_lines(text).iter().map(|l| escape(l.trim_start())).collect::<Vec<_>>().join("  \n  ")
}

/// Backslash-escape what Markdown would read as markup: inline markers anywhere, and block
/// markers (heading, quote, list, rule) at the start of a line.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let starts_block = match text.chars().next() {
        Some('#' | '>' | '-' | '+' | '=' | '*' | '_') => true,
        Some(c) if c.is_ascii_digit() => {
            let after = text.trim_start_matches(|c: char| c.is_ascii_digit());
            after.starts_with('.') || after.starts_with(')')
        }
        _ => false,
    };
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '~' => out.push('\\'),
            // An ampersand only matters where it starts an entity such as `&amp;`.
            '&' if looks_like_entity(&chars[i + 1..]) => out.push('\\'),
            '.' | ')' if starts_block && chars[..i].iter().all(|c| c.is_ascii_digit()) => out.push('\\'),
            _ if i == 0 && starts_block && !c.is_ascii_digit() => out.push('\\'),
            _ => {}
        }
        out.push(c);
    }
    out
}

fn looks_like_entity(rest: &[char]) -> bool {
    let name: Vec<&char> = rest.iter().take_while(|c| c.is_ascii_alphanumeric() || **c == '#').collect();
    !name.is_empty() && rest.get(name.len()) == Some(&';')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_session_text_is_shown_not_obeyed() {
        assert_eq!(escape("# not a heading"), "\\# not a heading");
        assert_eq!(escape("- not a list"), "\\- not a list");
        assert_eq!(escape("2027. A year"), "2027\\. A year");
        assert_eq!(escape("2027 funding cliff. Now"), "2027 funding cliff. Now");
        assert_eq!(escape("*bold* and <b>tag</b> [link](x)"), "\\*bold\\* and \\<b>tag\\</b> \\[link\\](x)");
        assert_eq!(escape("R&D &amp; more"), "R&D \\&amp; more");
        assert_eq!(escape("1,200 volunteers"), "1,200 volunteers");
        assert_eq!(cell("a | b\nc"), "a \\| b<br>c");
        assert_eq!(item("first\n  - second"), "first  \n  \\- second");
    }
}
