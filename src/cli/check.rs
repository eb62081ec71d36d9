//! `convene check`: the short summary printed for a valid session file.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use crate::model::agenda::minutes;
use crate::model::{Actor, Phase};
use crate::store::Loaded;

/// Who was there, counted as the exports count it; only when the log can tell.
fn attendance_line(out: &mut String, loaded: &Loaded) {
    use crate::export::attendance::{attendance, Presence};
    let orgs = attendance(loaded);
    let people = orgs.iter().flat_map(|o| &o.people);
    if people.clone().all(|p| p.presence == Presence::NotRecorded) {
        return;
    }
    let expected: usize = orgs.iter().map(|o| o.expected()).sum();
    let attended: usize = orgs.iter().map(|o| o.attended()).sum();
    let walk_ins: usize = orgs.iter().map(|o| o.walk_ins()).sum();
    let absent: Vec<&str> =
        people.filter(|p| p.presence == Presence::Absent).map(|p| p.name.as_str()).collect();
    let _ = write!(out, "Attendance: {attended} of {expected} expected");
    if walk_ins > 0 {
        let _ = write!(out, ", +{walk_ins} walk-in(s) or deputies");
    }
    if !absent.is_empty() {
        let _ = write!(out, "; absent: {}", absent.join(", "));
    }
    out.push('\n');
}

/// A plain-text summary: title, attendance by organisation, agenda, comments per theme.
pub fn summary(path: &Path, loaded: &Loaded) -> String {
    let plan = &loaded.file.plan;
    let state = &loaded.state;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: ok (format {}, {} events)",
        path.display(),
        loaded.file.format,
        loaded.file.events.len()
    );
    let date = plan.date.as_deref().unwrap_or("no date");
    match &plan.series {
        Some(series) => writeln!(out, "  {} — {series} ({date})", plan.title),
        None => writeln!(out, "  {} ({date})", plan.title),
    }
    .ok();
    if let Some(message) = loaded.recovery.message() {
        let _ = writeln!(out, "  note: {message}; `convene run` will fold it into the file");
    }

    let mut by_org: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for person in &plan.participants {
        by_org.entry(person.org.as_str()).or_default().push(person.name.as_str());
    }
    let _ = writeln!(out, "\nParticipants: {} from {} organisations", plan.participants.len(), by_org.len());
    for (org, names) in &by_org {
        let _ = writeln!(out, "  {org} ({}): {}", names.len(), names.join(", "));
    }

    attendance_line(&mut out, loaded);

    let rooms = &state.rooms;
    let name = |id: &str| state.person(plan, id).map_or(id.to_string(), |p| p.name.clone());
    for (round, assigned) in rooms.rounds.iter().enumerate() {
        let _ = writeln!(out, "\nRooms, round {}:", round + 1);
        for (i, members) in assigned.rooms.iter().enumerate() {
            let names: Vec<String> = members.iter().map(|id| name(id)).collect();
            let _ = writeln!(out, "  {}: {}", plan.room_name(Some(i as u32)), names.join(", "));
        }
    }
    // Only someone who was there can have left.
    let left: Vec<&String> = rooms
        .left
        .iter()
        .filter(|id| state.people().came(id) || rooms.rounds.iter().any(|r| r.room_of(id).is_some()))
        .collect();
    if !left.is_empty() {
        let names: Vec<String> = left.iter().map(|id| name(id)).collect();
        let _ = writeln!(out, "  left during the session: {}", names.join(", "));
    }

    let _ = writeln!(out, "\nAgenda: {} items, {} min planned", plan.agenda.len(), plan.planned_minutes());
    let agenda = &state.agenda;
    // A finished session has no "now"; the last event is the latest moment the file knows.
    let now = state.last_at.unwrap_or_default();
    for (i, item) in plan.agenda.iter().enumerate() {
        let actual = match agenda.phase(plan, i, now) {
            Phase::Pending if agenda.started_at.is_some() => "not reached".to_string(),
            Phase::Pending => String::new(),
            Phase::Skipped => "skipped".to_string(),
            _ => {
                let actual = minutes(agenda.elapsed(i, now));
                let extension = agenda.items[i].extension_minutes;
                let extended =
                    if extension != 0 { format!(", extended {extension:+}") } else { String::new() };
                format!("actual {actual:>3} min ({:+}{extended})", actual - item.minutes as i64)
            }
        };
        let _ = writeln!(out, "  {:>2}. {:<44} {:>3} min   {actual}", i + 1, item.title, item.minutes);
    }
    if let Some(projection) = agenda.projection(plan, now) {
        let at = |t: chrono::DateTime<chrono::Utc>| t.format("%H:%M UTC").to_string();
        let drift = minutes(projection.drift());
        let end = if projection.ended { "ended" } else { "last event" };
        let _ = writeln!(
            out,
            "  started {}, {end} {} (planned end {}): {}",
            at(projection.started_at),
            at(if projection.ended { projection.projected_end } else { now }),
            at(projection.planned_end),
            match drift {
                0 => "on time".to_string(),
                d if d > 0 => format!("{d} min over"),
                d => format!("{} min early", -d),
            }
        );
    }

    let live = state.live.len();
    let retracted = state.comments.len() - live;
    let _ = write!(out, "\nComments: {live}");
    if retracted > 0 {
        let _ = write!(out, " (+{retracted} retracted)");
    }
    let _ = writeln!(out);
    let width = plan.themes.iter().map(|t| t.name.chars().count()).max().unwrap_or(0).max(8);
    for theme in &plan.themes {
        let count = state.theme_count(Some(&theme.name));
        let group = theme.group.as_deref().map(|g| format!("   ({g})")).unwrap_or_default();
        let _ = writeln!(out, "  {:<width$} {:>4}{group}", theme.name, count);
    }
    let untagged = state.theme_count(None);
    if untagged > 0 {
        let _ = writeln!(out, "  {:<width$} {:>4}", "untagged", untagged);
    }
    // Who captured them: the shared console, or terminals joined to it.
    let mut capturers: Vec<(String, usize)> = Vec::new();
    for comment in state.live_comments() {
        let who = match &comment.captured_by {
            Actor::Facilitator => "the facilitator's console".to_string(),
            Actor::NoteTaker(name) => format!("{name} (joined)"),
        };
        match capturers.iter_mut().find(|(name, _)| *name == who) {
            Some((_, count)) => *count += 1,
            None => capturers.push((who, 1)),
        }
    }
    if capturers.len() > 1 || capturers.iter().any(|(name, _)| name.ends_with("(joined)")) {
        capturers.sort_by_key(|(_, count)| std::cmp::Reverse(*count));
        let list: Vec<String> = capturers.iter().map(|(name, count)| format!("{name} {count}")).collect();
        let _ = writeln!(out, "  captured by: {}", list.join(", "));
    }
    let voting = &state.voting;
    if !voting.candidates.is_empty() {
        let _ = writeln!(out, "\nPriorities: {} candidates on the list", voting.standing().count());
    }
    for vote in &voting.votes {
        let state_word = if vote.closed { "closed" } else { "OPEN" };
        let _ = writeln!(
            out,
            "\nVote {} ({state_word}): {} — {} dots each, cap {}, {}{}, {} of {} voted",
            vote.id,
            vote.rules.title,
            vote.rules.dots,
            vote.rules.cap,
            if vote.rules.by_org { "one voice per organisation" } else { "each attendee" },
            if vote.rules.joiners { " (joined terminals cast their own)" } else { "" },
            vote.voted(),
            vote.rules.voters.len()
        );
        let ranking = vote.ranking();
        for row in &ranking {
            let tied = ranking.iter().filter(|r| r.rank == row.rank).count() > 1;
            let text = voting.candidate(row.candidate).map_or("?", |c| c.text.as_str());
            let rank = format!("{}{}", row.rank, if tied { "=" } else { "" });
            let dots = if row.dots == 1 { "dot " } else { "dots" };
            let _ =
                writeln!(out, "  {rank:>4}. {text:<55} {:>3} {dots} from {} voter(s)", row.dots, row.voters);
        }
    }
    for decision in &voting.decisions {
        let (yes, no, abstain) = decision.counts();
        let result = match (decision.closed, decision.passes()) {
            (false, _) => "still open",
            (true, true) => "PASSED",
            (true, false) => "NOT PASSED",
        };
        let _ = writeln!(
            out,
            "\nDecision {}: {} — {result}: {yes} yes, {no} no, {abstain} abstain, {} no answer\n  Rule: {}",
            decision.id,
            decision.question,
            decision.organisations.len() - decision.answers.len(),
            decision.rule_line()
        );
    }
    out
}
