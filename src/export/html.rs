//! The write-up as one self-contained HTML page: inline styles, no scripts, no external
//! assets, so it can be emailed or archived as a single file. Every piece of text from the
//! session is HTML-escaped; comment text is marked `dir="auto"` so right-to-left scripts read
//! the right way round.

use std::fmt::Write;

use super::report::{Outcome, SessionReport, AGENDA_NOTE};
use super::series::{SeriesReport, ATTENDANCE_NOTE, THEMES_NOTE};
use super::text::{count, signed, visible_lines};

const STYLE: &str = "\
body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif;\
line-height:1.5;color:#1f2328;background:#fff;max-width:62rem;margin:2rem auto;padding:0 1.25rem}
h1{font-size:1.8rem;margin:0 0 .5rem}
h2{font-size:1.35rem;margin-top:2.5rem;padding-bottom:.25rem;border-bottom:2px solid #d0d7de}
h3{font-size:1.1rem;margin-top:1.75rem}
h4{font-size:1rem;margin:1.25rem 0 .25rem;color:#444}
.facts{margin:0 0 1rem;padding:0;list-style:none}
.facts li{margin:.1rem 0}
.muted,.by{color:#57606a}
.by{font-size:.9em;white-space:nowrap}
table{border-collapse:collapse;margin:.75rem 0 1rem}
th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tr.total td{font-weight:600;background:#f6f8fa}
ul.comments{padding-left:1.25rem}
ul.comments li{margin:.3rem 0}
.tag{font-size:.8em;border:1px solid #8c959f;border-radius:.3rem;padding:0 .3rem;margin-left:.25rem}
.passed{color:#1a7f37;font-weight:600}
.failed{color:#cf222e;font-weight:600}
.open{color:#9a6700;font-weight:600}
@media print{body{max-width:none;margin:0}h2,h3,h4{break-after:avoid}tr,li{break-inside:avoid}}
";

/// The write-up of one session.
pub(crate) fn session(report: &SessionReport) -> String {
    let mut out = String::new();
    head(&mut out, &report.title);
    let _ = writeln!(out, "<h1>{}</h1>", esc(&report.title));
    let _ = writeln!(out, "<ul class=\"facts\">");
    if let Some(series) = &report.series {
        let _ = writeln!(out, "<li><strong>Series:</strong> {}</li>", esc(series));
    }
    if let Some(date) = &report.date {
        let _ = writeln!(out, "<li><strong>Date:</strong> {}</li>", esc(date));
    }
    let _ = writeln!(out, "<li><strong>Ran:</strong> {}</li>", esc(&report.ran()));
    let _ = writeln!(out, "<li><strong>Comments:</strong> {}</li>", esc(&report.comments_summary()));
    let _ = writeln!(
        out,
        "<li><strong>Source:</strong> {} ({})</li>",
        esc(&report.source),
        count(report.events, "event", "events")
    );
    let _ = writeln!(out, "</ul>");
    if let Some(recovery) = &report.recovery {
        let _ = writeln!(out, "<p class=\"muted\">Note: {}.</p>", esc(recovery));
    }
    let _ = writeln!(out, "<p class=\"muted\">All times are UTC.</p>");

    attendance(&mut out, report);
    agenda(&mut out, report);
    rooms(&mut out, report);
    comments(&mut out, report);
    votes(&mut out, report);
    decisions(&mut out, report);
    let _ = writeln!(out, "</body>\n</html>");
    out
}

fn head(out: &mut String, title: &str) {
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>",
        esc(title)
    );
}

fn attendance(out: &mut String, report: &SessionReport) {
    let _ = writeln!(out, "<h2>Attendance</h2>");
    let _ = writeln!(out, "<p>{}</p>", esc(&report.attendance_intro()));
    let _ = writeln!(
        out,
        "<table>\n<thead><tr><th>Organisation</th><th>Attended</th><th>People</th></tr></thead>\n<tbody>"
    );
    for org in &report.attendance {
        let people: Vec<String> = org.people.iter().map(|p| with_remarks(&p.name, &p.remarks())).collect();
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&org.org),
            esc(&org.summary()),
            people.join(", ")
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>");
}

/// A name with its remarks in muted brackets: "Tom Hughes (lead)".
fn with_remarks(name: &str, remarks: &[String]) -> String {
    if remarks.is_empty() {
        esc(name)
    } else {
        format!("{} <span class=\"muted\">({})</span>", esc(name), esc(&remarks.join("; ")))
    }
}

fn agenda(out: &mut String, report: &SessionReport) {
    let _ = writeln!(out, "<h2>Agenda: planned and actual</h2>");
    if report.agenda.is_empty() {
        let _ = writeln!(out, "<p>No agenda was planned.</p>");
        return;
    }
    let _ = writeln!(
        out,
        "<table>\n<thead><tr><th class=\"n\">#</th><th>Item</th><th class=\"n\">Planned</th>\
         <th class=\"n\">Actual</th><th class=\"n\">Difference</th><th>Started</th><th>Ended</th>\
         <th class=\"n\">Drift</th><th>Notes</th></tr></thead>\n<tbody>"
    );
    let dash = || "–".to_string();
    for row in &report.agenda {
        let _ = writeln!(
            out,
            "<tr><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{} min</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            row.number,
            esc(&row.title),
            row.planned,
            row.actual.map_or_else(dash, |a| format!("{a} min")),
            row.difference.map_or_else(dash, signed),
            esc(row.started.as_deref().unwrap_or("–")),
            esc(row.ended.as_deref().unwrap_or("–")),
            row.drift.map_or_else(dash, signed),
            esc(&row.notes.join("; ")),
        );
    }
    let actual = report.actual_minutes;
    let _ = writeln!(
        out,
        "<tr class=\"total\"><td></td><td>Total</td><td class=\"n\">{} min</td><td class=\"n\">{}</td>\
         <td class=\"n\">{}</td><td></td><td></td><td></td><td></td></tr>\n</tbody>\n</table>",
        report.planned_minutes,
        actual.map_or_else(dash, |a| format!("{a} min")),
        report.total_difference().map_or_else(dash, signed),
    );
    let _ = writeln!(out, "<p class=\"muted\">{}</p>", esc(AGENDA_NOTE));
}

fn rooms(out: &mut String, report: &SessionReport) {
    if report.rounds.is_empty() {
        return;
    }
    let _ = writeln!(out, "<h2>Breakout rooms</h2>");
    for round in &report.rounds {
        let _ = writeln!(
            out,
            "<h3>Round {} <span class=\"muted\">(assigned {})</span></h3>",
            round.number,
            esc(&round.assigned)
        );
        let _ = writeln!(out, "<ul>");
        for room in &round.rooms {
            let members: Vec<String> =
                room.members.iter().map(|m| with_remarks(&m.name, &m.remarks())).collect();
            let members = if members.is_empty() { "nobody".to_string() } else { members.join(", ") };
            let _ = writeln!(out, "<li><strong>{}:</strong> {members}</li>", esc(&room.room));
        }
        let _ = writeln!(out, "</ul>");
        if !round.left.is_empty() {
            let _ =
                writeln!(out, "<p>Left the session during this round: {}.</p>", esc(&round.left.join("; ")));
        }
    }
}

fn comments(out: &mut String, report: &SessionReport) {
    let _ = writeln!(out, "<h2>Comments by theme</h2>");
    let _ = writeln!(out, "<p>{}</p>", esc(&report.comments_intro()));
    let _ = writeln!(
        out,
        "<table>\n<thead><tr><th>Theme</th><th>Group</th><th class=\"n\">Comments</th></tr></thead>\n<tbody>"
    );
    for theme in &report.theme_counts {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
            esc(&theme.theme),
            esc(theme.group.as_deref().unwrap_or("")),
            theme.count
        );
    }
    let _ = writeln!(
        out,
        "<tr class=\"total\"><td>Total</td><td></td><td class=\"n\">{}</td></tr>\n</tbody>\n</table>",
        report.live
    );
    for theme in &report.comments {
        let group = theme
            .group
            .as_deref()
            .map(|g| format!(" <span class=\"muted\">· {}</span>", esc(g)))
            .unwrap_or_default();
        let _ = writeln!(out, "<h3>{} ({}){group}</h3>", esc(&theme.theme), theme.count);
        for room in &theme.rooms {
            let _ = writeln!(
                out,
                "<h4>{} ({})</h4>\n<ul class=\"comments\">",
                esc(&room.room),
                room.comments.len()
            );
            for comment in &room.comments {
                let mut by: Vec<String> = comment.author.iter().map(|a| esc(a)).collect();
                by.push(esc(&comment.time));
                let tag = if comment.pre_session { "<span class=\"tag\">pre-session</span>" } else { "" };
                let _ = writeln!(
                    out,
                    "<li><span dir=\"auto\">{}</span> <span class=\"by\">— {}</span>{tag}</li>",
                    multiline(&comment.text),
                    by.join(", ")
                );
            }
            let _ = writeln!(out, "</ul>");
        }
    }
}

fn votes(out: &mut String, report: &SessionReport) {
    if report.votes.is_empty() {
        return;
    }
    let _ = writeln!(out, "<h2>Votes</h2>");
    for vote in &report.votes {
        let _ = writeln!(out, "<h3>Vote {}: {}</h3>", vote.id, esc(&vote.title));
        let _ = writeln!(out, "<p>{}</p>", esc(&vote.summary()));
        if vote.tally_hidden {
            let _ = writeln!(out, "<p>The tally stays hidden until the vote closes.</p>");
        } else {
            let _ = writeln!(
                out,
                "<table>\n<thead><tr><th class=\"n\">Rank</th><th>Priority</th><th class=\"n\">Dots</th>\
                 <th class=\"n\">Voters</th></tr></thead>\n<tbody>"
            );
            for row in &vote.rows {
                let _ = writeln!(
                    out,
                    "<tr><td class=\"n\">{}</td><td dir=\"auto\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                    esc(&row.rank),
                    esc(&row.candidate),
                    row.dots,
                    row.voters
                );
            }
            let _ = writeln!(out, "</tbody>\n</table>");
        }
        if !vote.not_voted.is_empty() {
            let _ = writeln!(out, "<p>No dots from: {}.</p>", esc(&vote.not_voted.join(", ")));
        }
    }
}

fn decisions(out: &mut String, report: &SessionReport) {
    if report.decisions.is_empty() {
        return;
    }
    let _ = writeln!(out, "<h2>Decisions</h2>");
    for decision in &report.decisions {
        let class = match decision.outcome {
            Outcome::Passed => "passed",
            Outcome::NotPassed => "failed",
            Outcome::Open => "open",
        };
        let _ = writeln!(out, "<h3>Decision {}: {}</h3>", decision.id, esc(&decision.question));
        let _ = writeln!(
            out,
            "<p><span class=\"{class}\">Result: {}</span> — {}.<br>Rule: {}.</p>",
            decision.outcome.label(),
            decision.counts(),
            esc(&decision.rule)
        );
        let _ = writeln!(out, "<ul>");
        for (answer, orgs) in &decision.answers {
            let _ = writeln!(out, "<li><strong>{}:</strong> {}</li>", esc(answer), esc(&orgs.join(", ")));
        }
        let _ = writeln!(out, "</ul>");
    }
}

/// The summary of several sessions of a series.
pub(crate) fn series(report: &SeriesReport) -> String {
    let mut out = String::new();
    head(&mut out, &report.title);
    let _ = writeln!(out, "<h1>{}</h1>", esc(&report.title));
    let _ = writeln!(out, "<p>{}</p>", esc(&report.intro()));

    let _ = writeln!(out, "<h2>Sessions</h2>");
    let _ = writeln!(
        out,
        "<table>\n<thead><tr><th>#</th><th>Session</th><th>Date</th><th>File</th><th>Attended</th>\
         <th class=\"n\">Rounds</th><th class=\"n\">Comments</th></tr></thead>\n<tbody>"
    );
    for s in &report.sessions {
        let _ = writeln!(
            out,
            "<tr><td>S{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            s.number,
            esc(&s.title),
            esc(s.date.as_deref().unwrap_or("–")),
            esc(&s.source),
            esc(&s.attendance),
            s.rounds,
            s.comments
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>");

    let headers: String =
        report.sessions.iter().map(|s| format!("<th class=\"n\">S{}</th>", s.number)).collect();
    let _ = writeln!(out, "<h2>Comments per theme</h2>");
    let _ = writeln!(out, "<p class=\"muted\">{}</p>", esc(THEMES_NOTE));
    let _ = writeln!(
        out,
        "<table>\n<thead><tr><th>Theme</th><th>Group</th>{headers}<th class=\"n\">Total</th></tr></thead>\n<tbody>"
    );
    for theme in &report.themes {
        let cells: String = theme
            .counts
            .iter()
            .map(|c| format!("<td class=\"n\">{}</td>", c.map_or_else(|| "–".to_string(), |n| n.to_string())))
            .collect();
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td>{cells}<td class=\"n\">{}</td></tr>",
            esc(&theme.theme),
            esc(theme.group.as_deref().unwrap_or("")),
            theme.total()
        );
    }
    let totals: String =
        report.sessions.iter().map(|s| format!("<td class=\"n\">{}</td>", s.comments)).collect();
    let _ = writeln!(
        out,
        "<tr class=\"total\"><td>Total</td><td></td>{totals}<td class=\"n\">{}</td></tr>\n</tbody>\n</table>",
        report.total_comments()
    );

    let _ = writeln!(out, "<h2>Attendance by organisation</h2>");
    let _ = writeln!(out, "<p class=\"muted\">{}</p>", esc(ATTENDANCE_NOTE));
    let _ = writeln!(out, "<table>\n<thead><tr><th>Organisation</th>{headers}</tr></thead>\n<tbody>");
    for org in &report.attendance {
        let cells: String = org
            .cells
            .iter()
            .map(|c| format!("<td class=\"n\">{}</td>", esc(c.as_deref().unwrap_or("–"))))
            .collect();
        let _ = writeln!(out, "<tr><td>{}</td>{cells}</tr>", esc(&org.org));
    }
    let _ = writeln!(out, "</tbody>\n</table>");
    if !report.absences.is_empty() {
        let _ = writeln!(out, "<ul>");
        for (number, names) in &report.absences {
            let _ = writeln!(out, "<li>Absent from S{number}: {}</li>", esc(&names.join(", ")));
        }
        let _ = writeln!(out, "</ul>");
    }

    let _ = writeln!(out, "<h2>Who met whom</h2>");
    if report.people.is_empty() {
        let _ = writeln!(out, "<p>No breakout rooms were used.</p>\n</body>\n</html>");
        return out;
    }
    let _ = writeln!(out, "<p>{}</p>", esc(&report.meetings_intro()));
    let _ = writeln!(
        out,
        "<table>\n<thead><tr><th>Participant</th><th>Organisation</th><th class=\"n\">Rounds</th>\
         <th class=\"n\">People met</th><th class=\"n\">Organisations met</th></tr></thead>\n<tbody>"
    );
    for person in &report.people {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&person.name),
            esc(&person.org),
            person.rounds,
            person.people_met,
            person.orgs_met
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>");
    let _ = writeln!(out, "<h3>Pairs who shared a room more than once</h3>");
    if report.repeat_pairs.is_empty() {
        let _ = writeln!(out, "<p>None: no two people shared a room twice.</p>");
    } else {
        let _ = writeln!(
            out,
            "<table>\n<thead><tr><th>Pair</th><th class=\"n\">Rounds together</th></tr></thead>\n<tbody>"
        );
        for pair in &report.repeat_pairs {
            let _ = writeln!(
                out,
                "<tr><td>{} and {}</td><td class=\"n\">{}</td></tr>",
                esc(&pair.a),
                esc(&pair.b),
                pair.times
            );
        }
        let _ = writeln!(out, "</tbody>\n</table>");
    }
    let _ = writeln!(out, "</body>\n</html>");
    out
}

/// Session text made safe for HTML on one line: markup escaped, control characters visible.
fn esc(text: &str) -> String {
    visible_lines(text).iter().map(|l| escape(l)).collect::<Vec<_>>().join(" ")
}

/// Session text that may span lines: each line escaped, joined with `<br>`.
fn multiline(text: &str) -> String {
    visible_lines(text).iter().map(|l| escape(l)).collect::<Vec<_>>().join("<br>")
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_line_breaks_kept() {
        assert_eq!(
            esc("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
        assert_eq!(multiline("a\nb<"), "a<br>b&lt;");
        assert_eq!(esc("bell\u{7}"), "bell\u{2407}");
    }
}
