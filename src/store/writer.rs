//! The durable copy of a live session: appends go to the journal, compaction adds them to
//! the file's event list. The plan's text is never rewritten; nothing is written when nothing
//! changed; a file or journal changed behind convene's back is noticed, not overwritten.

use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::atomic::{replace, Mode};
use super::beside::{stable_hash, FileId};
use super::format::{format_for, to_line};
use super::journal::{journal_path, JournalHeader};
use super::layout::{indent_of, layout, Layout};
use super::lock::Held;
use super::{Journal, StoreError};
use crate::model::{Stamped, FORMAT_VERSION};

/// Owns the on-disk truth of a session while it is open for writing.
pub struct SessionWriter {
    path: PathBuf,
    journal_path: PathBuf,
    held: Held,
    /// The session file as last read or written: which file, and a digest of its bytes.
    on_disk: (FileId, u64),
    header: JournalHeader,
    journal: Option<Journal>,
    /// A journal found at open, to remove once its events are in the file.
    leftover_journal: bool,
    /// Events in the journal that the file does not hold yet.
    unsaved: Vec<Stamped>,
    /// The format the whole log needs (see `format_needed`): a file whose number says less is
    /// brought up to it at the next save that adds events.
    format_needed: u32,
    closed: bool,
}

/// What opening found, for the writer.
pub(crate) struct Start {
    pub path: PathBuf,
    pub held: Held,
    pub text_hash: u64,
    pub header: JournalHeader,
    pub unsaved: Vec<Stamped>,
    pub leftover_journal: bool,
    /// The format the log read at open needs.
    pub format_needed: u32,
}

impl SessionWriter {
    pub(crate) fn start(start: Start) -> Result<SessionWriter, StoreError> {
        let id = with_held(&start.held, FileId::of)
            .ok_or_else(|| released(&start.path))?
            .map_err(StoreError::io(&start.path, "reading"))?;
        Ok(SessionWriter {
            journal_path: journal_path(&start.path),
            path: start.path,
            held: start.held,
            on_disk: (id, start.text_hash),
            header: start.header,
            journal: None,
            leftover_journal: start.leftover_journal,
            unsaved: start.unsaved,
            format_needed: start.format_needed,
            closed: false,
        })
    }

    /// Make events durable (journal + fsync). On error nothing is counted as saved.
    pub fn append(&mut self, events: Vec<Stamped>) -> Result<(), StoreError> {
        if events.is_empty() {
            return Ok(());
        }
        let journal = match self.journal.take() {
            Some(journal) if journal.is_current() => journal,
            Some(_) => {
                // Deleted or replaced under us: appending to it would be appending to nothing.
                self.journal = Some(self.fresh_journal()?);
                return Err(StoreError::JournalLost { journal: self.journal_path.clone() });
            }
            None => self.fresh_journal()?,
        };
        let journal = self.journal.insert(journal);
        journal.append(&events)?;
        self.format_needed = self.format_needed.max(format_for(&events));
        self.unsaved.extend(events);
        Ok(())
    }

    /// A new journal holding every event the file does not hold yet.
    fn fresh_journal(&mut self) -> Result<Journal, StoreError> {
        let fresh = !self.leftover_journal;
        let mut journal = Journal::open_with(&self.journal_path, Some(&self.header), fresh)?;
        if !self.unsaved.is_empty() {
            journal.append(&self.unsaved)?;
        }
        Ok(journal)
    }

    /// Add the journal's events to the file (atomically, the plan's text untouched), then
    /// remove the journal. Does nothing when the file already holds everything.
    pub fn compact(&mut self) -> Result<(), StoreError> {
        if !self.unsaved.is_empty() {
            self.add_unsaved_to_file()?;
        }
        // Everything is in the file: the journal goes (a new one starts with the next event),
        // so no way of ending the process can leave an empty one behind.
        if let Some(journal) = self.journal.take() {
            journal.remove();
        }
        if self.leftover_journal {
            let _ = std::fs::remove_file(&self.journal_path);
            self.leftover_journal = false;
        }
        Ok(())
    }

    fn add_unsaved_to_file(&mut self) -> Result<(), StoreError> {
        match FileId::at(&self.path).map_err(StoreError::io(&self.path, "checking"))? {
            None => return Err(self.rescue()),
            Some(id) if id != self.on_disk.0 => return Err(self.changed()),
            Some(_) => {}
        }
        let bytes = std::fs::read(&self.path).map_err(StoreError::io(&self.path, "reading"))?;
        if stable_hash(&bytes) != self.on_disk.1 {
            return Err(self.changed());
        }
        let text = String::from_utf8(bytes).map_err(|_| self.changed())?;
        let layout = layout(&text).ok_or_else(|| {
            StoreError::io(&self.path, "finding the event list")(std::io::Error::other(format!(
                "its text could not be followed, so it was not overwritten; every event is kept in {}",
                self.journal_path.display()
            )))
        })?;
        let mut hash = 0;
        let file = replace(&self.path, Mode::KeepOr(0o666), |out| {
            let mut hashing = Hashing::new(out);
            write_with_events(&text, &layout, &self.unsaved, self.format_needed, &mut hashing)?;
            hash = hashing.hash;
            Ok(())
        })?;
        let id = FileId::of(&file).map_err(StoreError::io(&self.path, "reading"))?;
        if let Ok(mut held) = self.held.lock() {
            // The new file is locked already; holding it keeps the lock on the session's name.
            if held.is_some() {
                *held = Some(file);
            }
        }
        self.on_disk = (id, hash);
        self.unsaved.clear();
        Ok(())
    }

    fn changed(&self) -> StoreError {
        StoreError::Changed { path: self.path.clone(), journal: self.journal_path.clone() }
    }

    /// The file vanished: put the whole log (still readable through the open file) and the
    /// plan into the journal, so `convene recover` can write the session again.
    fn rescue(&mut self) -> StoreError {
        let vanished = StoreError::Vanished { path: self.path.clone(), journal: self.journal_path.clone() };
        let old = with_held(&self.held, |mut file| {
            let mut text = String::new();
            file.rewind().and_then(|()| file.read_to_string(&mut text)).map(|_| text)
        });
        let Some(Ok(old)) = old else { return vanished };
        let Ok(file) = super::format::parse_session(&self.path, &old) else { return vanished };
        let header = match to_line(&self.header) {
            Ok(line) => line,
            Err(_) => return vanished,
        };
        let written = replace(&self.journal_path, Mode::Private, |out| {
            writeln!(out, "{header}")?;
            for event in file.events.iter().chain(&self.unsaved) {
                writeln!(out, "{}", to_line(event).map_err(std::io::Error::other)?)?;
            }
            Ok(())
        });
        match written.and_then(|_| Journal::open_with(&self.journal_path, None, false)) {
            Ok(journal) => {
                // Later appends go on after the rescued log; the rescue is redone from scratch
                // at the next compaction, so nothing is counted twice.
                self.journal = Some(journal);
                vanished
            }
            Err(error) => error,
        }
    }

    /// Add what the journal holds to the file, remove the journal and stop: what the console
    /// calls on quit and on SIGTERM or SIGHUP. Calling it again does nothing.
    pub fn close(&mut self) -> Result<(), StoreError> {
        if self.closed {
            return Ok(());
        }
        self.compact()?;
        if let Some(journal) = self.journal.take() {
            journal.remove();
        }
        self.closed = true;
        Ok(())
    }

    /// Events appended since the file was last rewritten.
    pub fn since_compaction(&self) -> usize {
        self.unsaved.len()
    }

    /// The session file (links resolved).
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for SessionWriter {
    fn drop(&mut self) {
        // A journal with nothing in it is clutter; one with events is what a crash keeps.
        if let Some(journal) = &self.journal {
            if !journal.has_events() {
                journal.remove();
            }
        }
    }
}

fn with_held<T>(held: &Held, f: impl FnOnce(&std::fs::File) -> T) -> Option<T> {
    let guard = held.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    guard.as_ref().map(f)
}

fn released(path: &Path) -> StoreError {
    StoreError::io(path, "writing")(std::io::Error::other("the session's lock was already released"))
}

/// `text` with `events` added at the end of its event list, and its format number raised to
/// `format` (what the whole log then needs, see `format_needed`) if it says less; every other
/// byte as it was.
pub(crate) fn write_with_events(
    text: &str,
    layout: &Layout,
    events: &[Stamped],
    format: u32,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    if let Some(span) = &layout.format {
        let format = format.max(format_for(events)).min(FORMAT_VERSION);
        // A number this build cannot read as one (it parsed, so it is odd spelling) is
        // replaced only when an event needs more than format 1.
        let says = text[span.clone()].trim().parse::<u32>().unwrap_or(1);
        if format > says {
            // Only the number changes, so an older convene refuses the file as newer.
            edits.push((span.start, span.end, format.to_string()));
        }
    }
    let mut lines = Vec::with_capacity(events.len());
    for event in events {
        lines.push(to_line(event).map_err(std::io::Error::other)?);
    }
    match &layout.events {
        Some((key, list)) => {
            let outer = indent_of(text, key.start);
            let inner = format!("{outer}    ");
            if let (Some(last), false) = (list.items.last(), list.trailing_comma) {
                edits.push((last.value.end, last.value.end, ",".into()));
            }
            let gap_start = text[..list.close].trim_end().len().max(list.open + 1);
            let mut block = String::new();
            for line in &lines {
                block.push('\n');
                block.push_str(&inner);
                block.push_str(line);
                block.push(',');
            }
            block.push('\n');
            block.push_str(outer);
            edits.push((gap_start, list.close, block));
        }
        None => {
            let top = &layout.top;
            if let (Some(last), false) = (top.items.last(), top.trailing_comma) {
                edits.push((last.value.end, last.value.end, ",".into()));
            }
            let gap_start = text[..top.close].trim_end().len().max(top.open + 1);
            let mut block = String::from("\n    events: [");
            for line in &lines {
                block.push_str("\n        ");
                block.push_str(line);
                block.push(',');
            }
            block.push_str("\n    ],\n");
            edits.push((gap_start, top.close, block));
        }
    }
    edits.sort_by_key(|(start, end, _)| (*start, *end));
    let mut at = 0;
    for (start, end, replacement) in edits {
        out.write_all(&text.as_bytes()[at..start])?;
        out.write_all(replacement.as_bytes())?;
        at = end;
    }
    out.write_all(&text.as_bytes()[at..])
}

/// A writer that keeps the stable hash of what passes through it.
struct Hashing<W> {
    inner: W,
    hash: u64,
}

impl<W: Write> Hashing<W> {
    fn new(inner: W) -> Self {
        Hashing { inner, hash: stable_hash(b"") }
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash =
            buf[..n].iter().fold(self.hash, |hash, b| (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3));
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    use super::*;
    use crate::model::{Actor, CommentId, Event, Origin};

    fn event(seq: u64, origin: Option<Origin>) -> Stamped {
        Stamped {
            seq,
            at: chrono::DateTime::from_timestamp(1_773_496_800, 0).unwrap(),
            by: Actor::Facilitator,
            origin,
            event: Event::CommentAdded {
                id: CommentId(seq as u32),
                text: "a ] and a // in text".into(),
                theme: None,
                room: None,
                author: None,
                pre_session: false,
            },
        }
    }

    fn appended(text: &str, events: &[Stamped]) -> String {
        let mut out = Vec::new();
        write_with_events(text, &layout(text).unwrap(), events, 1, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn marked(seq: u64, event: Event) -> Stamped {
        Stamped { event, ..event_at(seq) }
    }

    fn event_at(seq: u64) -> Stamped {
        event(seq, None)
    }

    #[test]
    fn only_the_number_changes_when_an_event_needs_format_2() {
        let text = "(\n    format: 1, // old\n    plan: (title: \"x\"),\n    events: [],\n)\n";
        let joined = Some(Origin { client: "c".into(), seq: 1 });
        let out = appended(text, &[event(1, joined)]);
        assert!(out.starts_with(
            "(\n    format: 2, // old\n    plan: (title: \"x\"),\n    events: [\n        (seq:1,"
        ));
        assert!(out.ends_with(",\n    ],\n)\n"), "{out}");
        let plain = appended(text, &[event(1, None)]);
        assert!(plain.contains("format: 1, // old"), "no origin, no new format: {plain}");
    }

    #[test]
    fn only_the_number_changes_when_an_event_needs_format_3() {
        let text = "(\n    format: 2, // old\n    plan: (title: \"x\"),\n    events: [],\n)\n";
        let already_3 = text.replace("format: 2", "format: 3");
        let needing_3 = [
            Event::Undone { seq: 1 },
            Event::Redone { seq: 1 },
            Event::Broadcast { text: "Back in 2 minutes".into(), bell: false, cause: None },
            Event::AgendaRebalanced { items: Vec::new() },
            Event::ParticipantCheckedIn { id: "ana".into() },
        ];
        for event in needing_3 {
            let what = event.describe();
            let events = [event_at(1), marked(2, event)];
            let out = appended(text, &events);
            assert!(out.starts_with("(\n    format: 3, // old\n"), "{what}: {out}");
            // Added to a file that says 3 already, the same events give the same text.
            assert_eq!(out, appended(&already_3, &events), "{what}: only the number changes");
        }
        let plain = appended(text, &[event_at(1), marked(2, Event::TimerPaused)]);
        assert!(plain.contains("format: 2, // old"), "nothing that needs 3, no new format: {plain}");
        let joined = Some(Origin { client: "c".into(), seq: 1 });
        let out = appended(&text.replace("format: 2", "format: 1"), &[event(1, joined)]);
        assert!(out.contains("format: 2, // old"), "an origin needs 2, not 3: {out}");
    }

    #[test]
    fn a_log_that_needs_format_3_raises_the_number_at_the_next_save_and_it_never_goes_down() {
        let text = "(format: 2, plan: (title: \"x\"), events: [])";
        // Undo marks written by a build that did not raise the number: the log read at open
        // needs 3, so the next save says so even for a plain comment.
        let mut out = Vec::new();
        write_with_events(text, &layout(text).unwrap(), &[event_at(5)], 3, &mut out).unwrap();
        assert!(String::from_utf8(out).unwrap().starts_with("(format: 3, plan"));
        let newer = appended(&text.replace("format: 2", "format: 3"), &[event_at(1)]);
        assert!(newer.starts_with("(format: 3, plan"), "{newer}");
    }

    #[test]
    fn events_go_after_the_last_one_with_a_comma_added_and_comments_kept() {
        let text = "(format: 2, plan: (title: \"x\"), events: [\n  (seq: 1, at: \"2026-03-14T14:00:00Z\", by: Facilitator, event: CommentAdded(id: 1, text: \"y\")) // first\n])";
        let out = appended(text, &[event(2, None)]);
        assert!(out.contains("text: \"y\")), // first\n    (seq:2,"), "{out}");
        let missing = "(format: 2, plan: (title: \"x\"))";
        let out = appended(missing, &[event(1, None)]);
        assert!(
            out.starts_with("(format: 2, plan: (title: \"x\"),\n    events: [\n        (seq:1,"),
            "{out}"
        );
        assert!(crate::store::parse_session(std::path::Path::new("t.ron"), &out).is_ok(), "{out}");
    }
}
