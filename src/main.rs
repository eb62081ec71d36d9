//! The `convene` binary: parse the command line, run it, report errors plainly.

use clap::Parser;

fn main() -> std::process::ExitCode {
    match convene::cli::Cli::parse().run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        // The reader of our output went away (`convene check ... | head`): nothing more to say.
        Err(error) if closed_pipe(&error) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            // `{:#}` prints the whole context chain on one line: what failed and why.
            // Quoted file text and names can carry escapes: shown, never obeyed by the terminal.
            eprintln!("convene: {}", convene::view::sanitise::multiline(&format!("{error:#}")));
            std::process::ExitCode::FAILURE
        }
    }
}

/// Whether the error, or anything it wraps, is a write to a pipe nobody reads any more.
fn closed_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
