//! The `convene` binary: parse the command line, run it, report errors plainly.

use clap::Parser;

fn main() -> std::process::ExitCode {
    match convene::cli::Cli::parse().run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            // `{:#}` prints the whole context chain on one line: what failed and why.
            eprintln!("convene: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
