//! Joining over the network: the wire protocol, the host that accepts joined terminals, and
//! the link a joined terminal keeps to it. The console stamps and stores; this only carries.

pub mod gate;
pub mod host;
pub mod join;
pub mod protocol;

pub use host::{Host, HostConfig, HostNews, Peer, Submission, PRESENTER_NAME};
pub use join::{JoinConfig, Link, LinkNews, Watch};
pub use protocol::{new_client_id, new_token, Outcome, SESSION_CLOSED};

/// The environment variable `convene join` takes the token from (unlike `--token`, other users
/// cannot see it in `ps`).
pub const TOKEN_VARIABLE: &str = "CONVENE_TOKEN";

/// The command a joiner runs, as the host prints it: the token in the environment.
pub fn join_command(address: &str, token: &str) -> String {
    format!("{TOKEN_VARIABLE}={token} convene join {address} --name \"<your name>\"")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_printed_join_command_keeps_the_token_out_of_the_arguments() {
        let command = super::join_command("127.0.0.1:7447", "3f9c");
        assert_eq!(command, "CONVENE_TOKEN=3f9c convene join 127.0.0.1:7447 --name \"<your name>\"");
        assert!(!command.contains("--token"));
    }
}
