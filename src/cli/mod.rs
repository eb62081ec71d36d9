//! The command line: parse arguments and hand each command to the layer that does the work.
//! Errors surface here as `anyhow` with the file named; `main` prints them and exits 1.

mod check;
mod look;
mod rooms;
mod template;

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Parser, Subcommand};

pub use check::summary;
pub use template::{session_template, session_template_for, session_template_in, session_template_with_id};

use crate::export::Format;
use crate::rotation::Objective;
use crate::store::{copy_session_or, create_session, file_head, load_read_only, same_file, HostToken};
use crate::view::sanitise;

/// Where a presenter reads the session: a file beside the live console, or a host.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PresentSource {
    /// A session file.
    File(PathBuf),
    /// HOST:PORT of `convene host`.
    Host(String),
}

/// Whether `text` reads as HOST:PORT: an IP socket address, or a host name and a port.
fn looks_like_host_port(text: &str) -> bool {
    if text.parse::<std::net::SocketAddr>().is_ok() {
        return true;
    }
    let Some((host, port)) = text.rsplit_once(':') else {
        return false;
    };
    port.parse::<u16>().is_ok()
        && !host.is_empty()
        && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && !host.starts_with(['.', '-'])
}

/// A file that exists is a file; otherwise HOST:PORT is a host; otherwise say what was expected.
fn present_source(argument: &Path) -> anyhow::Result<PresentSource> {
    if argument.exists() {
        return Ok(PresentSource::File(argument.to_path_buf()));
    }
    match argument.to_str() {
        Some(text) if looks_like_host_port(text) => Ok(PresentSource::Host(text.to_string())),
        // A missing file: the loader names it, with what to do.
        Some(text) if text.ends_with(".ron") || text.contains(std::path::MAIN_SEPARATOR) => {
            Ok(PresentSource::File(argument.to_path_buf()))
        }
        _ => anyhow::bail!(
            "{}: no such session file, and not HOST:PORT either: give the path of the session file \
             open live on this machine, or the address `convene host` printed (e.g. 127.0.0.1:7447) \
             with its token in CONVENE_TOKEN",
            sanitise::line(&argument.to_string_lossy())
        ),
    }
}

/// Run the presenter with its options as the command line gave them.
fn present(
    source: &Path,
    token: Option<String>,
    token_file: Option<&Path>,
    panel: &str,
    no_authors: bool,
    theme: &str,
) -> anyhow::Result<()> {
    use crate::app::{palette_from_environment, PanelChoice, PresentOptions};
    let panel = match panel {
        "agenda" => PanelChoice::Agenda,
        "rooms" => PanelChoice::Rooms,
        "vote" => PanelChoice::Vote,
        "comments" => PanelChoice::Comments,
        _ => PanelChoice::Auto,
    };
    let options = PresentOptions {
        panel,
        authors: !no_authors,
        palette: palette_from_environment(look::theme_choice(theme)),
    };
    match present_source(source)? {
        PresentSource::File(file) => {
            if token.is_some() || token_file.is_some() {
                anyhow::bail!(
                    "{} is a session file, which needs no token: --token and --token-file are for HOST:PORT",
                    file.display()
                );
            }
            crate::app::run_present(&file, options)
        }
        PresentSource::Host(address) => {
            let token = join_token(token, token_file, "present")?;
            crate::app::run_present_remote(&address, &token, options)
        }
    }
}

/// The bundled example, so `convene demo` works from any directory.
const EXAMPLE: &str = include_str!("../../sessions/example.ron");

/// convene: a terminal console for facilitated partnership consultation sessions.
#[derive(Debug, Parser)]
#[command(name = "convene", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a session file from the built-in template, ready to edit by hand.
    New {
        /// Where to write it, e.g. sessions/consult-1.ron (never overwritten).
        file: PathBuf,
        /// The session's title.
        #[arg(long)]
        title: String,
        /// The session's date (YYYY-MM-DD); today if omitted.
        #[arg(long)]
        date: Option<String>,
        /// Start the next session of a series from this one: same people, themes, rooms and
        /// agenda (its text, comments included), a new id, title and date, an empty log.
        #[arg(long, value_name = "PREVIOUS")]
        from: Option<PathBuf>,
        /// A registration spreadsheet (CSV) whose people replace the template's placeholders.
        #[arg(long)]
        participants: Option<PathBuf>,
    },
    /// Add and update a session's participants from a registration spreadsheet (CSV), changing
    /// only their entries in the file.
    Import {
        /// The session file (refused while it is open live).
        file: PathBuf,
        /// The spreadsheet: name (or first and last name), organisation, e-mail, role, room;
        /// Zoom's registration report; or a plain "Name, Organisation" list.
        people: PathBuf,
    },
    /// Open the live console on a session file.
    Run {
        /// The session file.
        file: PathBuf,
        #[command(flatten)]
        look: look::Look,
    },
    /// Validate session files and print a short summary of each.
    Check {
        /// One or more session files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// text for people, json for machines (`{"format": 1, "kind": "check", "files": [...]}`).
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
    },
    /// Replay a session: the live screens at any moment, read-only.
    Replay {
        /// The session file (never changed; works while it is open live elsewhere).
        file: PathBuf,
        #[command(flatten)]
        look: look::Look,
    },
    /// The shared screen for the call: a read-only view of a session open live elsewhere that
    /// follows it (agenda and countdown, rooms, votes, comments) with no keys, paths or tokens.
    Present {
        /// The session file (never changed; run beside the live console that has it open), or
        /// HOST:PORT of `convene host` to watch it from elsewhere as a read-only seat.
        #[arg(value_name = "FILE|HOST:PORT")]
        file: PathBuf,
        /// HOST:PORT only: the host's token. Visible to other users in `ps`: prefer CONVENE_TOKEN
        /// or --token-file.
        #[arg(long, conflicts_with = "token_file")]
        token: Option<String>,
        /// HOST:PORT only: read the token from this file (first line).
        #[arg(long, value_name = "FILE")]
        token_file: Option<PathBuf>,
        /// Pin one panel instead of following the session.
        #[arg(long, default_value = "auto", value_parser = ["auto", "agenda", "rooms", "vote", "comments"])]
        panel: String,
        /// Leave comments' authors off the screen.
        #[arg(long)]
        no_authors: bool,
        /// Colours for a dark or light terminal background; auto reads COLORFGBG. NO_COLOR is honoured.
        #[arg(long, default_value = "auto", value_parser = ["auto", "dark", "light"])]
        theme: String,
    },
    /// Plan breakout rooms for the next rounds: fair to every pair (no pair meets more often than it must), leads fixed,
    /// same-organisation pairs kept apart; earlier sessions of the series beside it count.
    Rooms {
        /// The session file (read only).
        file: PathBuf,
        /// Rounds to plan after those already held.
        #[arg(long, default_value_t = 1)]
        rounds: usize,
        /// Seed of the search (same seed, same machine: same plan).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Time the search may take, e.g. 2s or 500ms (it stops early at the lower bound).
        #[arg(long, default_value = "2s", value_parser = humantime::parse_duration)]
        time: std::time::Duration,
        /// fair (the default): no pair meets more often than it must, then fewest repeats;
        /// most-new: fewest repeated pairings however unevenly they fall.
        #[arg(long, default_value = "fair", value_parser = parse_objective)]
        objective: Objective,
        /// table for people, ron for machines, zoom-csv for Zoom's breakout pre-assignment
        /// (one round), text for the call's chat.
        #[arg(long, default_value = "table", value_parser = ["table", "ron", "zoom-csv", "text"])]
        format: String,
        /// With zoom-csv or text: write here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace the --out file even if convene did not write it.
        #[arg(long)]
        force: bool,
    },
    /// Write the session's summary (several files: a series summary).
    Export {
        /// One session file, or several of a series.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// md (Markdown), html (a self-contained page), csv (comments, one row each), json, or
        /// zoom-csv (a held round's rooms as Zoom's pre-assignment file; needs --round).
        #[arg(long, default_value = "md", value_parser = parse_export_format)]
        format: ExportFormat,
        /// With zoom-csv: the round (1 for the first).
        #[arg(long)]
        round: Option<usize>,
        /// Write here instead of standard output. An existing file is replaced only if an
        /// earlier export wrote it: a session, a file kept beside one or anyone else's file
        /// needs --force.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace the --out file even if convene did not write it.
        #[arg(long, requires = "out")]
        force: bool,
        /// CSV for Excel: start with a UTF-8 byte-order mark so accents and £ read right.
        #[arg(long)]
        excel: bool,
    },
    /// Run the live console and let note-takers and room leads join from their own terminals.
    Host {
        /// The session file.
        file: PathBuf,
        /// Address to listen on. Loopback by default: another address exposes the session to
        /// the network unencrypted, so use an SSH tunnel across the internet (see README).
        #[arg(long, default_value = "127.0.0.1:7447")]
        listen: std::net::SocketAddr,
        #[command(flatten)]
        look: look::Look,
    },
    /// Join a hosted session to capture comments from this terminal.
    Join {
        /// HOST:PORT the host printed, e.g. 127.0.0.1:7447.
        address: String,
        /// The token the host printed. Visible to other users in `ps`: prefer the environment
        /// variable CONVENE_TOKEN (the host prints that form) or --token-file.
        #[arg(long, conflicts_with = "token_file")]
        token: Option<String>,
        /// Read the token from this file (first line).
        #[arg(long, value_name = "FILE")]
        token_file: Option<PathBuf>,
        /// Your name as the participant list has it (you vote as that person).
        #[arg(long)]
        name: String,
        /// The room you capture for (1, 2, ...): comments are tagged with it and the feed shows it.
        #[arg(long)]
        room: Option<u32>,
        /// Where unsent comments wait (default: under ~/.local/state/convene/).
        #[arg(long)]
        outbox: Option<PathBuf>,
        #[command(flatten)]
        look: look::Look,
    },
    /// Write a session whose file was removed while it was open, from its journal.
    Recover {
        /// The session file to write again (never overwritten).
        file: PathBuf,
    },
    /// Open the live console on a fresh copy of the bundled example session.
    Demo {
        /// Directory for the copy (sessions/demo-<date-time>.ron by default).
        #[arg(long, default_value = "sessions")]
        dir: PathBuf,
        #[command(flatten)]
        look: look::Look,
    },
}

impl Cli {
    /// Carry out the command.
    pub fn run(self) -> anyhow::Result<()> {
        match self.command {
            Command::New { file, title, date, participants, from } => {
                new_session(&file, &title, date, participants.as_deref(), from.as_deref())
            }
            Command::Import { file, people } => import(&file, &people),
            Command::Recover { file } => {
                let count = crate::store::recover_session(&file)?;
                emit(&format!("Wrote {} with {count} event(s) from its journal.\n", file.display()))
            }
            Command::Run { file, look } => {
                look.apply();
                crate::app::run_console(&file)
            }
            Command::Check { files, format } => check_files(&files, format == "json"),
            Command::Replay { file, look } => {
                look.apply();
                crate::app::run_replay(&file)
            }
            Command::Present { file, token, token_file, panel, no_authors, theme } => {
                present(&file, token, token_file.as_deref(), &panel, no_authors, &theme)
            }
            Command::Rooms { file, rounds, seed, time, objective, format, out, force } => {
                if format == "zoom-csv" || format == "text" {
                    let planned =
                        rooms::plan_rooms_out(&file, rounds, seed, time, objective, format == "zoom-csv")?;
                    return write_out(&[file], out.as_deref(), force, &planned);
                }
                let planned = rooms::plan_rooms(&file, rounds, seed, time, objective, format == "ron")?;
                emit(&sanitise::for_terminal(&planned))
            }
            Command::Export { files, format: ExportFormat::Zoom, round, out, force, .. } => {
                let [file] = files.as_slice() else {
                    anyhow::bail!("--format zoom-csv takes one session file");
                };
                let round = round.context("--format zoom-csv needs --round N (1 for the first round)")?;
                let held = rooms::held_round_for_zoom(file, round)?;
                write_out(&files, out.as_deref(), force, &held)
            }
            Command::Export { files, format: ExportFormat::Report(format), out, force, excel, .. } => {
                export(&files, format, ExportTo { out: out.as_deref(), force, excel })
            }
            Command::Host { file, listen, look } => {
                look.apply();
                host(&file, listen)
            }
            Command::Join { address, token, token_file, name, room, outbox, look } => {
                look.apply();
                let token = join_token(token, token_file.as_deref(), "join")?;
                let name = name.trim().to_string();
                anyhow::ensure!(!name.is_empty(), "--name must not be empty: say who is capturing");
                let outbox = outbox.unwrap_or_else(|| default_outbox(&name, &address));
                crate::app::run_joined(crate::app::JoinOptions { address, token, name, room, outbox })
            }
            Command::Demo { dir, look } => {
                look.apply();
                let copy = demo_copy(&dir)?;
                crate::app::run_console(&copy)?;
                println!("The demo session was saved to {}", copy.display());
                Ok(())
            }
        }
    }
}

fn new_session(
    file: &Path,
    title: &str,
    date: Option<String>,
    people: Option<&Path>,
    from: Option<&Path>,
) -> anyhow::Result<()> {
    let date = match date {
        Some(date) => {
            chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                .with_context(|| format!("--date {date:?}: expected YYYY-MM-DD, e.g. 2026-03-14"))?;
            date
        }
        None => chrono::Local::now().format("%Y-%m-%d").to_string(),
    };
    let journal = crate::store::journal_path(file);
    if journal.exists() {
        anyhow::bail!(
            "{} is left from an earlier session of that name and may hold its comments: run `convene recover {}` or move the journal aside first (nothing was written)",
            journal.display(),
            file.display()
        );
    }
    let id = crate::store::random_hex(16);
    let zone = crate::view::zone::machine_zone(
        std::env::var("TZ").ok().as_deref(),
        crate::store::localtime_link().as_deref(),
    );
    let mut text = match from {
        Some(previous) => crate::store::next_session_text(previous, title, &date, &id)?,
        None => session_template_for(title, &date, &zone, &id),
    };
    let mut imported = None;
    if let Some(people) = people {
        let registrants = crate::store::read_registrants(people)?;
        let template_plan = crate::store::parse_session(file, &text)?.plan;
        let (with_people, plan) = crate::people::template_with_people(
            &text,
            &template_plan,
            &registrants,
            &people.display().to_string(),
        )?;
        text = with_people;
        imported = Some(plan.participants.len());
    }
    create_session(file, &text)?;
    // Prove the file parses before telling anyone to edit it.
    load_read_only(file)?;
    let mut said = format!("Created {}", file.display());
    if let Some(previous) = from {
        said.push_str(&format!(" as the next session after {}", previous.display()));
    }
    said.push_str(".\n");
    if let (Some(count), Some(people)) = (imported, people) {
        said.push_str(&format!("{count} participant(s) from {}.\n", people.display()));
    }
    said.push_str(&format!(
        "Edit the participants, rooms and agenda in any editor, then:\n  convene check {0}\n  convene run {0}\n",
        file.display()
    ));
    emit(&said)
}

/// Write to standard output; a closed pipe (`convene check ... | head`) comes back as an error
/// that `main` treats as a quiet end, never a panic.
fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes()).and_then(|()| out.flush())?;
    Ok(())
}

fn import(file: &Path, people: &Path) -> anyhow::Result<()> {
    let merge = crate::store::import_people(file, people)?;
    if merge.added.is_empty() && merge.updated.is_empty() && merge.rooms.is_empty() {
        println!(
            "{}: everyone in {} is already listed as is; nothing changed.",
            file.display(),
            people.display()
        );
        return Ok(());
    }
    println!(
        "{}: {} participant(s) added, {} updated, {} room lead(s) set from {}.",
        file.display(),
        merge.added.len(),
        merge.updated.len(),
        merge.rooms.len(),
        people.display()
    );
    // A long sheet names the first few; the file itself lists everyone.
    let some = |ids: &[String]| match ids.len() {
        n if n > 20 => format!("{}, and {} more", ids[..20].join(", "), n - 20),
        _ => ids.join(", "),
    };
    if !merge.added.is_empty() {
        println!("Added: {}", some(&merge.added));
    }
    if !merge.updated.is_empty() {
        println!("Updated: {}", some(&merge.updated));
    }
    Ok(())
}

/// What `export --format` names: one of the reports, or a round for Zoom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ExportFormat {
    Report(Format),
    Zoom,
}

fn parse_export_format(name: &str) -> Result<ExportFormat, String> {
    if name.trim().eq_ignore_ascii_case("zoom-csv") {
        return Ok(ExportFormat::Zoom);
    }
    Format::from_name(name)
        .map(ExportFormat::Report)
        .ok_or_else(|| format!("unknown format {name:?}: use md, html, csv, json or zoom-csv"))
}

/// Rooms for the call: the text to standard output or `--out`, and who was left out on stderr.
fn write_out(
    files: &[PathBuf],
    out: Option<&Path>,
    force: bool,
    rooms: &rooms::RoomsOut,
) -> anyhow::Result<()> {
    for line in &rooms.left_out {
        eprintln!("not pre-assigned: {}", sanitise::line(line));
    }
    match out {
        Some(out) => {
            check_out(files, out, force)?;
            crate::store::write_atomically(out, rooms.text.as_bytes())?;
            eprintln!("Wrote {}", out.display());
        }
        None => emit(&sanitise::for_terminal(&rooms.text))?,
    }
    Ok(())
}

fn parse_objective(name: &str) -> Result<Objective, String> {
    Objective::from_name(name).ok_or_else(|| format!("unknown objective {name:?}: use fair or most-new"))
}

/// Where `convene export` writes, and how.
struct ExportTo<'a> {
    out: Option<&'a Path>,
    force: bool,
    excel: bool,
}

/// Refuse, before any work, an --out that is a session being read, or (without --force) a
/// file convene did not write.
fn check_out(files: &[PathBuf], out: &Path, force: bool) -> anyhow::Result<()> {
    if files.iter().any(|f| same_file(f, out)) {
        anyhow::bail!("{}: that is a session being exported; choose another --out", out.display());
    }
    if !force {
        let head = file_head(out, crate::export::target::HEAD_BYTES)?;
        if let Some(why) = crate::export::target::refusal(out, head.as_deref()) {
            anyhow::bail!(
                "--out {}: {why}; nothing was written. Choose another --out, or add --force to replace it.",
                sanitise::line(&out.display().to_string())
            );
        }
    }
    Ok(())
}

fn export(files: &[PathBuf], format: Format, to: ExportTo<'_>) -> anyhow::Result<()> {
    anyhow::ensure!(
        !to.excel || format == Format::Csv,
        "--excel only applies to --format csv (it adds the byte-order mark Excel needs)"
    );
    if let Some(out) = to.out {
        check_out(files, out, to.force)?;
    }
    let mut sessions = Vec::new();
    for file in files {
        // A problem in the plan quotes its text: shown safely, like everything else printed.
        let loaded =
            load_read_only(file).map_err(|e| anyhow::anyhow!(sanitise::multiline(&e.to_string())))?;
        sessions.push((file.clone(), loaded));
    }
    let mut text = match sessions.as_slice() {
        [(path, loaded)] => crate::export::session_report(path, loaded, format)?,
        _ => crate::export::series_report(&sessions, format)?,
    };
    if to.excel {
        text = crate::export::for_excel(&text);
    }
    match to.out {
        Some(out) => {
            crate::store::write_atomically(out, text.as_bytes())?;
            eprintln!("Wrote {}", sanitise::line(&out.display().to_string()));
        }
        None => emit(&sanitise::for_terminal(&text))?,
    }
    Ok(())
}

fn check_files(files: &[PathBuf], as_json: bool) -> anyhow::Result<()> {
    let (out, errors) = check::check(files, as_json)?;
    emit(&out)?;
    for error in &errors {
        eprintln!("error: {error}");
    }
    match errors.len() {
        0 => Ok(()),
        n => anyhow::bail!("{n} of {} file(s) failed the check", files.len()),
    }
}

/// Copy the example to a new timestamped file in `dir`, never touching the original.
fn demo_copy(dir: &Path) -> anyhow::Result<PathBuf> {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let copy = dir.join(format!("demo-{stamp}.ron"));
    copy_session_or(Path::new("sessions/example.ron"), EXAMPLE, &copy)?;
    Ok(copy)
}

fn host(file: &Path, listen: std::net::SocketAddr) -> anyhow::Result<()> {
    // Refused here, before anything else, if another convene is hosting this session: its
    // token file is left alone.
    let (kept, left_over) = HostToken::claim(file, crate::net::new_token)?;
    if left_over {
        eprintln!("convene: the last hosting of this session did not end cleanly; joiners reconnect with the same token");
    }
    let token = kept.token().to_string();
    let result = crate::app::run_host(file, crate::app::HostOptions { listen, token });
    // Kept only when the process dies without getting here (a crash, a kill): then the
    // restarted host takes the same token and joiners reconnect by themselves.
    kept.remove();
    result
}

/// The join token: `--token`, else `--token-file`, else `$CONVENE_TOKEN`.
fn join_token(token: Option<String>, token_file: Option<&Path>, command: &str) -> anyhow::Result<String> {
    use crate::net::TOKEN_VARIABLE;
    if let Some(token) = token {
        return Ok(token);
    }
    if let Some(file) = token_file {
        return Ok(crate::store::read_token_file(file)?);
    }
    match std::env::var(TOKEN_VARIABLE) {
        Ok(token) if !token.trim().is_empty() => Ok(token.trim().to_string()),
        _ => anyhow::bail!(
            "no token: set {TOKEN_VARIABLE} to the token the host printed (e.g. {TOKEN_VARIABLE}=3f9c… convene {command} ...), or use --token-file FILE"
        ),
    }
}

/// `~/.local/state/convene/<name>@<host>.outbox` (or `$XDG_STATE_HOME`), one per name and host.
fn default_outbox(name: &str, address: &str) -> PathBuf {
    let plain = |text: &str| -> String {
        text.chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c.to_ascii_lowercase() } else { '_' })
            .collect()
    };
    let file = format!("{}@{}.outbox", plain(name), plain(address));
    let state = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/state")));
    match state {
        Some(dir) => dir.join("convene").join(file),
        None => PathBuf::from(file),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn present_takes_an_existing_file_as_a_file_and_host_port_as_a_host() {
        let dir = tempfile::tempdir().expect("temp dir");
        // A file named like an address is still the file: the user's file comes first.
        let odd = dir.path().join("127.0.0.1:7447");
        std::fs::write(&odd, "").expect("write");
        assert_eq!(present_source(&odd).expect("a file"), PresentSource::File(odd.clone()));
        for address in ["127.0.0.1:7447", "[::1]:7447", "facilitator.example.org:7447", "localhost:1"] {
            assert_eq!(
                present_source(Path::new(address)).expect("an address"),
                PresentSource::Host(address.to_string())
            );
        }
        let missing = dir.path().join("consult-1.ron");
        assert_eq!(present_source(&missing).expect("a file"), PresentSource::File(missing.clone()));
        let error = present_source(Path::new("consult")).expect_err("neither").to_string();
        assert!(error.contains("no such session file, and not HOST:PORT"), "{error}");
        assert!(!looks_like_host_port("host:port") && !looks_like_host_port(":7447"));
        assert!(!looks_like_host_port("127.0.0.1:99999"));
    }
}
