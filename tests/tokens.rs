//! The host's token on disk and on the command line, through the real binary: a token file
//! someone else could read is refused, a second host leaves the live host's token alone, and a
//! joiner takes the token from the environment or a file instead of its (public) arguments.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use common::console::Console;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use convene::app::{serve_headless, HostOptions};
use convene::model::Event;
use convene::net::new_token;
use convene::store::load_read_only;

fn convene(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_convene"))
        .args(args)
        .current_dir(dir)
        .env_remove("CONVENE_TOKEN")
        .output()
        .expect("convene runs")
}

#[cfg(unix)]
#[test]
fn a_token_file_others_can_read_is_refused_and_left_as_it_was() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, path) = common::temp_session();
    let token_file = format!("{}.token", path.display());
    let planted = "0123456789abcdef0123456789abcdef01234567";
    std::fs::write(&token_file, planted).expect("planted");
    std::fs::set_permissions(&token_file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let out = convene(&["host", path.to_str().expect("utf-8"), "--listen", "127.0.0.1:0"], dir.path());
    assert!(!out.status.success());
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(message.contains(".token") && message.contains("mode is 644"), "{message}");
    assert!(message.contains("remove the file"), "says what to do: {message}");
    assert_eq!(std::fs::read_to_string(&token_file).expect("kept"), planted);
    let mode = std::fs::metadata(&token_file).expect("kept").permissions().mode() & 0o777;
    assert_eq!(mode, 0o644, "not changed either");
}

#[test]
fn a_second_host_on_the_same_session_is_refused_and_leaves_the_first_hosts_token_alone() {
    let (dir, path) = common::temp_session();
    let file = path.to_str().expect("utf-8");
    let first = Console::start_with(&["host", file, "--listen", "127.0.0.1:0"], &[], dir.path(), (30, 120));
    first.wait_until("the console", |screen| screen.contains("CAPTURE"));
    let token_file = format!("{file}.token");
    let token = std::fs::read_to_string(&token_file).expect("the live host keeps its token");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&token_file).expect("exists").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let second = convene(&["host", file, "--listen", "127.0.0.1:0"], dir.path());
    assert!(!second.status.success());
    let message = String::from_utf8_lossy(&second.stderr);
    assert!(message.contains("held by another convene"), "{message}");
    assert_eq!(std::fs::read_to_string(&token_file).expect("still there"), token, "untouched");
    first.stop();
}

#[test]
fn join_without_a_token_says_where_to_put_it_and_a_token_file_is_read() {
    let (dir, _path) = common::temp_session();
    let out = convene(&["join", "127.0.0.1:9", "--name", "Zoe"], dir.path());
    assert!(!out.status.success());
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(message.contains("CONVENE_TOKEN") && message.contains("--token-file"), "{message}");
    let missing = dir.path().join("no-such-token");
    let out = convene(
        &["join", "127.0.0.1:9", "--name", "Zoe", "--token-file", missing.to_str().expect("utf-8")],
        dir.path(),
    );
    assert!(!out.status.success());
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(message.contains("no-such-token"), "names the file: {message}");
}

#[test]
fn a_joiner_takes_the_token_from_the_environment_or_a_file_not_from_its_arguments() {
    let (dir, path) = common::temp_session();
    let token = new_token();
    let options = HostOptions { listen: "127.0.0.1:0".parse().expect("address"), token: token.clone() };
    let host = serve_headless(&path, options).expect("the host starts");
    let address = host.address.to_string();
    let token_file = dir.path().join("token.txt");
    std::fs::write(&token_file, format!("{token}\n")).expect("written");
    let by_env_outbox = dir.path().join("zoe.outbox");
    let by_file_outbox = dir.path().join("yan.outbox");
    type Way<'a> = (&'a str, Vec<&'a str>, Vec<(&'a str, &'a str)>);
    let ways: [Way; 2] = [
        (
            "from the environment",
            vec!["join", &address, "--name", "Zoe", "--outbox", by_env_outbox.to_str().expect("utf-8")],
            vec![("CONVENE_TOKEN", token.as_str())],
        ),
        (
            "from a file",
            vec![
                "join",
                &address,
                "--name",
                "Yan",
                "--outbox",
                by_file_outbox.to_str().expect("utf-8"),
                "--token-file",
                token_file.to_str().expect("utf-8"),
            ],
            vec![],
        ),
    ];
    for (how, args, env) in &ways {
        assert!(!args.iter().any(|a| a.contains(&token)), "the token is not among the arguments");
        let mut joiner = Console::start_with(args, env, dir.path(), (30, 120));
        joiner.wait_until("the joined console", |screen| screen.contains("CAPTURE"));
        joiner.send(&format!("Token {how}\r"));
        joiner
            .wait_until("the comment back from the host", |screen| screen.contains(&format!("Token {how}")));
        // Stored on the host once the host's log shows it; give the joiner time to hear back.
        let deadline = Instant::now() + Duration::from_secs(20);
        while !std::fs::read_to_string(format!("{}.journal", path.display()))
            .unwrap_or_default()
            .contains(&format!("Token {how}"))
            && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(20));
        }
        joiner.stop();
    }
    host.stop().expect("the host saves");
    let loaded = load_read_only(&path).expect("loads");
    let texts: Vec<&str> = loaded
        .file
        .events
        .iter()
        .filter_map(|e| match &e.event {
            Event::CommentAdded { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(texts, ["Token from the environment", "Token from a file"]);
}
