//! Opening and creating session files: parse, check, recover the journal, compact.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use super::beside::{is_temporary_of, read_no_follow, resolve};
use super::format::{format_for, parse_session, session_text_of, to_pretty_ron};
use super::journal::{journal_path, read_journal_at, JournalHeader};
use super::layout::{layout, Layout};
use super::writer::{write_with_events, Start};
use super::{write_atomically, SessionLock, SessionWriter, StoreError};
use crate::model::{Plan, SessionFile, SessionState, FORMAT_VERSION};

/// A session read from disk, with the journal folded in.
#[derive(Debug)]
pub struct Loaded {
    /// Plan and full log, journal included.
    pub file: SessionFile,
    /// The fold of the log.
    pub state: SessionState,
    /// What recovery found.
    pub recovery: Recovery,
}

/// What opening found in a leftover journal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recovery {
    /// Events found only in the journal, now folded in.
    pub recovered_events: usize,
    /// Journal events already in the file (a crash between save and journal clear).
    pub already_saved: usize,
    /// Bytes of an unterminated last journal line, never acknowledged as saved.
    pub torn_bytes: usize,
}

impl Recovery {
    /// Whether the file on disk differs from what was loaded, so it should be rewritten.
    pub fn needs_compaction(&self) -> bool {
        self.recovered_events > 0 || self.already_saved > 0 || self.torn_bytes > 0
    }

    /// A one-line report for the status bar, if there is anything to say.
    pub fn message(&self) -> Option<String> {
        if !self.needs_compaction() {
            return None;
        }
        let mut message = format!("recovered {} event(s) from the journal", self.recovered_events);
        if self.torn_bytes > 0 {
            message.push_str(&format!(
                "; set aside an incomplete last entry ({} bytes, never shown as saved)",
                self.torn_bytes
            ));
        }
        Some(message)
    }
}

/// What loading learnt beyond the session itself.
struct Parts {
    header: JournalHeader,
    /// Events the journal adds to the file's.
    unsaved: Vec<crate::model::Stamped>,
    /// Whether a journal was found beside the file.
    journal_found: bool,
}

/// Read a session and its journal without writing anything or taking the lock.
pub fn load_read_only(path: &Path) -> Result<Loaded, StoreError> {
    let bytes = std::fs::read(path).map_err(StoreError::io(path, "reading"))?;
    let text = session_text_of(path, bytes)?;
    load_text(path, &resolve(path), &text).map(|(loaded, _)| loaded)
}

/// The identity a journal records: the plan's id, or for a file without one, its path.
fn identity(plan: &Plan, resolved: &Path) -> String {
    match &plan.id {
        Some(id) => format!("session {id}"),
        None => format!("the session file {}", resolved.display()),
    }
}

/// The plan's text as the file holds it.
fn plan_text<'t>(text: &'t str, layout: Option<&Layout>) -> &'t str {
    layout.and_then(|l| l.plan.clone()).map_or("", |span| &text[span])
}

/// The journal header of the session at `session`, for a journal opened on its own.
pub(crate) fn header_for(session: &Path) -> Result<JournalHeader, StoreError> {
    let bytes = std::fs::read(session).map_err(StoreError::io(session, "reading"))?;
    let text = session_text_of(session, bytes)?;
    let file = parse_session(session, &text)?;
    Ok(JournalHeader {
        journal: 1,
        session: identity(&file.plan, &resolve(session)),
        plan: plan_text(&text, layout(&text).as_ref()).to_string(),
        format: file.format,
    })
}

fn load_text(path: &Path, resolved: &Path, text: &str) -> Result<(Loaded, Parts), StoreError> {
    let mut file = parse_session(path, text)?;
    let format_in_file = file.format;
    let layout = layout(text);
    let problems = file.plan.problems();
    if !problems.is_empty() {
        return Err(plan_error(path, text, layout.as_ref(), problems));
    }
    let header = JournalHeader {
        journal: 1,
        session: identity(&file.plan, resolved),
        plan: plan_text(text, layout.as_ref()).to_string(),
        format: format_in_file,
    };
    let mut recovery = Recovery::default();
    let mut unsaved = Vec::new();
    let journal = journal_path(resolved);
    let contents = read_journal_at(&journal)?;
    let journal_found = contents.is_some();
    if let Some(contents) = contents {
        if let Some(theirs) = &contents.header {
            if theirs.session != header.session {
                return Err(StoreError::ForeignJournal {
                    journal,
                    journal_session: theirs.session.clone(),
                    path: path.to_path_buf(),
                    session: header.session,
                });
            }
        }
        let mut last_saved = file.events.last().map_or(0, |e| e.seq);
        let in_file = file.events.len();
        for event in contents.events {
            if event.seq <= last_saved {
                // Already in the file (a crash between save and journal clear): it must be the
                // very same event, or this journal is another session's.
                let same = file.events[..in_file]
                    .binary_search_by_key(&event.seq, |e| e.seq)
                    .is_ok_and(|i| file.events[i] == event);
                if !same {
                    return Err(StoreError::ForeignJournal {
                        journal,
                        journal_session: format!(
                            "another session (its event #{} differs from this file's)",
                            event.seq
                        ),
                        path: path.to_path_buf(),
                        session: header.session,
                    });
                }
                recovery.already_saved += 1;
            } else {
                recovery.recovered_events += 1;
                last_saved = event.seq;
                unsaved.push(event.clone());
                file.events.push(event);
            }
        }
        recovery.torn_bytes = contents.torn_bytes;
    }
    let state = file.fold().map_err(|source| StoreError::Log {
        path: path.to_path_buf(),
        where_: event_position(text, source.seq)
            .map_or_else(|| " (journal)".to_string(), |(line, column)| format!(":{line}:{column}")),
        source,
    })?;
    Ok((Loaded { file, state, recovery }, Parts { header, unsaved, journal_found }))
}

/// The plan error, each problem with the line and column of what it names.
pub(super) fn plan_error(
    path: &Path,
    text: &str,
    layout: Option<&Layout>,
    problems: Vec<String>,
) -> StoreError {
    let plan = layout.and_then(|l| l.plan.clone()).unwrap_or(0..text.len());
    let locate = |problem: &str| -> usize {
        // The first quoted name in the problem ("nobody", "Room 1") is what to look at.
        problem
            .split('"')
            .nth(1)
            .and_then(|name| text[plan.clone()].find(&format!("\"{name}\"")))
            .map_or(plan.start, |at| plan.start + at)
    };
    let mut first = None;
    let problems = problems
        .into_iter()
        .map(|problem| {
            let (line, column) = super::format::position_of(text.as_bytes(), locate(&problem));
            first.get_or_insert((line, column));
            format!("{line}:{column}: {problem}")
        })
        .collect();
    let (line, column) = first.unwrap_or((1, 1));
    StoreError::Plan { path: path.to_path_buf(), line, column, problems }
}

/// Open a session for a live console: lock it, recover and compact the journal, and hand
/// back a writer that owns the durable copy.
pub fn open_for_writing(path: &Path) -> Result<(Loaded, SessionLock, SessionWriter), StoreError> {
    let lock = SessionLock::acquire(path)?;
    let resolved = lock.path().to_path_buf();
    let bytes = std::fs::read(&resolved).map_err(StoreError::io(path, "reading"))?;
    let text_hash = super::beside::stable_hash(&bytes);
    let text = session_text_of(path, bytes)?;
    let (loaded, parts) = load_text(path, &resolved, &text)?;
    drop(text);
    remove_stray_temporaries(&resolved);
    let mut writer = SessionWriter::start(Start {
        path: resolved,
        held: lock.held(),
        text_hash,
        header: parts.header,
        unsaved: parts.unsaved,
        leftover_journal: parts.journal_found,
        format_needed: format_for(&loaded.file.events),
    })?;
    if parts.journal_found {
        writer.compact()?;
    }
    Ok((loaded, lock, writer))
}

/// Temporary files a killed convene left beside the session and its draft. Only called with
/// the session's lock held, so no other convene is writing them.
fn remove_stray_temporaries(resolved: &Path) {
    let Some(dir) = resolved.parent() else { return };
    let Some(name) = resolved.file_name().and_then(|n| n.to_str()) else { return };
    let draft = format!("{name}.draft");
    let journal = format!("{name}.journal");
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else { continue };
        if is_temporary_of(file_name, name)
            || is_temporary_of(file_name, &draft)
            || is_temporary_of(file_name, &journal)
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Write a brand-new session file, refusing to overwrite anything.
pub fn create_session(path: &Path, contents: &str) -> Result<(), StoreError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(StoreError::io(dir, "creating the directory"))?;
    }
    let mut file =
        OpenOptions::new().write(true).create_new(true).open(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => StoreError::Exists { path: path.to_path_buf() },
            _ => StoreError::io(path, "creating")(e),
        })?;
    file.write_all(contents.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(StoreError::io(path, "writing"))
}

/// Serialise a whole session as pretty RON (for files convene makes up, never to rewrite
/// a file someone wrote).
pub fn session_text(file: &SessionFile) -> Result<String, StoreError> {
    to_pretty_ron(file).map_err(|e| StoreError::Io {
        path: Path::new("(session)").to_path_buf(),
        action: "encoding the session",
        source: std::io::Error::other(e),
    })
}

/// Copy a session to a new file (e.g. the demo's working copy), refusing to overwrite. The
/// text is copied as it is, with any events its journal holds added to the event list.
pub fn copy_session(from: &Path, to: &Path) -> Result<Loaded, StoreError> {
    let bytes = std::fs::read(from).map_err(StoreError::io(from, "reading"))?;
    let text = session_text_of(from, bytes)?;
    let (loaded, parts) = load_text(from, &resolve(from), &text)?;
    let copied = match layout(&text) {
        Some(layout) if !parts.unsaved.is_empty() => {
            let mut out = Vec::new();
            write_with_events(&text, &layout, &parts.unsaved, format_for(&loaded.file.events), &mut out)
                .map_err(StoreError::io(from, "copying"))?;
            String::from_utf8(out).map_err(|e| StoreError::io(from, "copying")(std::io::Error::other(e)))?
        }
        _ => text,
    };
    create_session(to, &copied)?;
    Ok(loaded)
}

/// Copy `original` to a new file, or write `fallback` there when `original` is missing (the
/// demo works from any directory with the example built in).
pub fn copy_session_or(original: &Path, fallback: &str, to: &Path) -> Result<(), StoreError> {
    if original.exists() {
        copy_session(original, to).map(|_| ())
    } else {
        create_session(to, fallback)
    }
}

/// Write a whole session atomically as pretty RON (a file convene makes up from scratch).
pub fn save_session(path: &Path, file: &SessionFile) -> Result<(), StoreError> {
    write_atomically(path, session_text(file)?.as_bytes())
}

/// The next session of a series: `previous`'s text with a new id and title (and date), and
/// an empty event log; comments and layout of the plan stay as they were.
pub fn next_session_text(previous: &Path, title: &str, date: &str, id: &str) -> Result<String, StoreError> {
    let bytes = std::fs::read(previous).map_err(StoreError::io(previous, "reading"))?;
    let text = session_text_of(previous, bytes)?;
    load_text(previous, &resolve(previous), &text)?;
    let unreadable = || StoreError::Recover {
        path: previous.to_path_buf(),
        reason: "the plan's layout could not be followed; nothing was written".into(),
    };
    let layout = layout(&text).ok_or_else(unreadable)?;
    let plan = layout.plan.clone().ok_or_else(unreadable)?;
    let fields = super::layout::fields(&text, &plan).ok_or_else(unreadable)?;
    let field =
        |name: &str| fields.items.iter().find(|i| i.key.as_ref().is_some_and(|k| &text[k.clone()] == name));
    let title_item = field("title").ok_or_else(unreadable)?;
    let title_key = title_item.key.clone().ok_or_else(unreadable)?;
    let indent = super::layout::indent_of(&text, title_key.start).to_string();
    let quoted = |value: &str| format!("{value:?}");
    let mut edits: Vec<(usize, usize, String)> =
        vec![(title_item.value.start, title_item.value.end, quoted(title))];
    // New fields go just before the title, on lines of their own at its indentation.
    let before_title = |line: String| (title_key.start, title_key.start, format!("{line},\n{indent}"));
    match field("id") {
        Some(item) => edits.push((item.value.start, item.value.end, quoted(id))),
        None => edits.push(before_title(format!("id: {}", quoted(id)))),
    }
    match field("date") {
        Some(item) => edits.push((item.value.start, item.value.end, quoted(date))),
        None => edits.push(before_title(format!("date: {}", quoted(date)))),
    }
    if let Some((_, list)) = &layout.events {
        edits.push((list.open, list.close + 1, "[]".into()));
    }
    edits.sort_by_key(|(start, end, _)| (*start, *end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end, replacement) in edits {
        out.push_str(&text[at..start]);
        out.push_str(&replacement);
        at = end;
    }
    out.push_str(&text[at..]);
    Ok(out)
}

/// Write a session whose file vanished while it was open, from the plan and the log its
/// journal keeps, then remove the journal. Refuses when the file exists.
pub fn recover_session(path: &Path) -> Result<usize, StoreError> {
    if path.exists() {
        return Err(StoreError::Recover {
            path: path.to_path_buf(),
            reason: "the file exists, so there is nothing to recover: `convene run` on it adds any journal left by a crash (nothing was written)".into(),
        });
    }
    let journal = journal_path(path);
    let contents = read_journal_at(&journal)?.ok_or_else(|| StoreError::Recover {
        path: path.to_path_buf(),
        reason: format!("there is no journal {} to recover from (nothing was written)", journal.display()),
    })?;
    let header = contents.header.filter(|h| !h.plan.trim().is_empty()).ok_or_else(|| StoreError::Recover {
        path: path.to_path_buf(),
        reason: format!(
            "{} does not carry the plan (it was written by an older convene); copy a backup of the session to {} and open it to add the journal's events (nothing was written)",
            journal.display(),
            path.display()
        ),
    })?;
    let count = contents.events.len();
    let mut text = format!(
        "#![enable(implicit_some)]\n// Recovered by `convene recover` from {}.\n(\n    format: {},\n    plan: {},\n    events: [",
        journal.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        // What the file said, or what its events need if that is more.
        header.format.max(format_for(&contents.events)).clamp(1, FORMAT_VERSION),
        header.plan
    );
    for event in &contents.events {
        let line = super::format::to_line(event)
            .map_err(|e| StoreError::io(&journal, "encoding an event")(std::io::Error::other(e)))?;
        text.push_str("\n        ");
        text.push_str(&line);
        text.push(',');
    }
    text.push_str("\n    ],\n)\n");
    // Prove it reads before anything is written, and never overwrite.
    load_text(path, &resolve(path), &text).map_err(|e| StoreError::Recover {
        path: path.to_path_buf(),
        reason: format!("the journal's contents do not make a valid session ({e}); nothing was written"),
    })?;
    create_session(path, &text)?;
    let _ = std::fs::remove_file(&journal);
    Ok(count)
}

/// Read a session's draft text beside it (links not followed).
pub(crate) fn read_beside(path: &Path) -> Option<Vec<u8>> {
    read_no_follow(path).ok().flatten()
}

/// The line and column where the event with this sequence number starts.
fn event_position(text: &str, seq: u64) -> Option<(usize, usize)> {
    // Events start "(seq: N," (or "(seq:N," one per line) or "seq: N," on a line of their own.
    text.lines().enumerate().find_map(|(i, line)| {
        let start = line.len() - line.trim_start().len();
        let rest = line[start..].trim_start_matches('(').strip_prefix("seq:")?.trim_start();
        let number = rest.split(|c: char| !c.is_ascii_digit()).next()?;
        (number.parse::<u64>().ok()? == seq).then(|| (i + 1, line[..start].chars().count() + 1))
    })
}
