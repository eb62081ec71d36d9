//! The command line: parse arguments and hand each command to the layer that does the work.
//! Errors surface here as `anyhow` with the file named; `main` prints them and exits 1.

mod check;
mod rooms;
mod template;

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Parser, Subcommand};

pub use check::summary;
pub use template::session_template;

use crate::export::Format;
use crate::rotation::Objective;
use crate::store::{copy_session_or, create_session, load_read_only, same_file, HostToken};

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
    },
    /// Open the live console on a session file.
    Run {
        /// The session file.
        file: PathBuf,
    },
    /// Validate session files and print a short summary of each.
    Check {
        /// One or more session files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Replay a session: the live screens at any moment, read-only.
    Replay {
        /// The session file (never changed; works while it is open live elsewhere).
        file: PathBuf,
    },
    /// Plan breakout rooms for the next rounds: as many new pairings as possible, leads fixed,
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
        /// most-new: fewest repeated pairings; even: no pair meets more often than it must.
        #[arg(long, default_value = "most-new", value_parser = parse_objective)]
        objective: Objective,
        /// table for people, ron for machines.
        #[arg(long, default_value = "table", value_parser = ["table", "ron"])]
        format: String,
    },
    /// Write the session's summary (several files: a series summary).
    Export {
        /// One session file, or several of a series.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// md (Markdown), html (a self-contained page) or csv (comments, one row each).
        #[arg(long, default_value = "md", value_parser = parse_format)]
        format: Format,
        /// Write here instead of standard output (never overwrites a session file).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Run the live console and let note-takers and room leads join from their own terminals.
    Host {
        /// The session file.
        file: PathBuf,
        /// Address to listen on. Loopback by default: another address exposes the session to
        /// the network unencrypted, so use an SSH tunnel across the internet (see README).
        #[arg(long, default_value = "127.0.0.1:7447")]
        listen: std::net::SocketAddr,
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
    },
    /// Open the live console on a fresh copy of the bundled example session.
    Demo {
        /// Directory for the copy (sessions/demo-<date-time>.ron by default).
        #[arg(long, default_value = "sessions")]
        dir: PathBuf,
    },
}

impl Cli {
    /// Carry out the command.
    pub fn run(self) -> anyhow::Result<()> {
        match self.command {
            Command::New { file, title, date } => new_session(&file, &title, date),
            Command::Run { file } => crate::app::run_console(&file),
            Command::Check { files } => check_files(&files),
            Command::Replay { file } => crate::app::run_replay(&file),
            Command::Rooms { file, rounds, seed, time, objective, format } => {
                print!("{}", rooms::plan_rooms(&file, rounds, seed, time, objective, format == "ron")?);
                Ok(())
            }
            Command::Export { files, format, out } => export(&files, format, out.as_deref()),
            Command::Host { file, listen } => host(&file, listen),
            Command::Join { address, token, token_file, name, room, outbox } => {
                let token = join_token(token, token_file.as_deref())?;
                let name = name.trim().to_string();
                anyhow::ensure!(!name.is_empty(), "--name must not be empty: say who is capturing");
                let outbox = outbox.unwrap_or_else(|| default_outbox(&name, &address));
                crate::app::run_joined(crate::app::JoinOptions { address, token, name, room, outbox })
            }
            Command::Demo { dir } => {
                let copy = demo_copy(&dir)?;
                crate::app::run_console(&copy)?;
                println!("The demo session was saved to {}", copy.display());
                Ok(())
            }
        }
    }
}

fn new_session(file: &Path, title: &str, date: Option<String>) -> anyhow::Result<()> {
    let date = match date {
        Some(date) => {
            chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                .with_context(|| format!("--date {date:?}: expected YYYY-MM-DD, e.g. 2026-03-14"))?;
            date
        }
        None => chrono::Local::now().format("%Y-%m-%d").to_string(),
    };
    create_session(file, &session_template(title, &date))?;
    // Prove the template parses before telling anyone to edit it.
    load_read_only(file)?;
    println!("Created {}.", file.display());
    println!("Edit the participants, rooms and agenda in any editor, then:");
    println!("  convene check {}", file.display());
    println!("  convene run {}", file.display());
    Ok(())
}

fn parse_objective(name: &str) -> Result<Objective, String> {
    match name {
        "most-new" => Ok(Objective::MostNewPairings),
        "even" => Ok(Objective::EvenSpread),
        other => Err(format!("unknown objective {other:?}: use most-new or even")),
    }
}

fn parse_format(name: &str) -> Result<Format, String> {
    Format::from_name(name).ok_or_else(|| format!("unknown format {name:?}: use md, html or csv"))
}

fn export(files: &[PathBuf], format: Format, out: Option<&Path>) -> anyhow::Result<()> {
    let mut sessions = Vec::new();
    for file in files {
        sessions.push((file.clone(), load_read_only(file)?));
    }
    let text = match sessions.as_slice() {
        [(path, loaded)] => crate::export::session_report(path, loaded, format)?,
        _ => crate::export::series_report(&sessions, format)?,
    };
    match out {
        Some(out) => {
            if files.iter().any(|f| same_file(f, out)) {
                anyhow::bail!("{}: that is a session file; choose another --out", out.display());
            }
            crate::store::write_atomically(out, text.as_bytes())?;
            eprintln!("Wrote {}", out.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}

fn check_files(files: &[PathBuf]) -> anyhow::Result<()> {
    let mut failed = 0;
    for (i, file) in files.iter().enumerate() {
        if i > 0 {
            println!();
        }
        match load_read_only(file) {
            Ok(loaded) => print!("{}", summary(file, &loaded)),
            Err(error) => {
                eprintln!("error: {error}");
                failed += 1;
            }
        }
    }
    match failed {
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
fn join_token(token: Option<String>, token_file: Option<&Path>) -> anyhow::Result<String> {
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
            "no token: set {TOKEN_VARIABLE} to the token the host printed (e.g. {TOKEN_VARIABLE}=3f9c… convene join ...), or use --token-file FILE"
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
