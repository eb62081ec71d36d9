//! The layering the README's Design section draws, checked against the code's `crate::` paths:
//! each folder of `src/` reaches only the folders below it, and `update` and the rest of the
//! console's logic never reach into `ui` (only the seats draw).
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Each folder and the folders it may use (besides itself), as the README draws them.
const ALLOWED: &[(&str, &[&str])] = &[
    ("model", &[]),
    ("rotation", &["model"]),
    ("people", &["model"]),
    ("view", &["model", "rotation"]),
    ("store", &["model", "people", "rotation"]),
    ("replay", &["model"]),
    ("net", &["model", "store"]),
    ("export", &["model", "store", "view"]),
    ("console", &[]),
    ("ui", &["app", "model", "net", "people", "replay", "view"]),
    ("app", &["console", "model", "net", "people", "replay", "rotation", "store", "ui", "view"]),
    ("cli", &["app", "export", "net", "people", "rotation", "store", "ui", "view"]),
];

/// The seats: the only files of `app` that draw, so the only ones that may name `ui`.
const SEATS: &[&str] = &["runtime.rs", "joined.rs", "replay.rs", "present.rs"];

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// The top-level modules a file names as `crate::name`, outside comments.
fn reaches(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

#[test]
fn every_folder_reaches_only_the_folders_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for (folder, allowed) in ALLOWED {
        let files = rust_files(&src.join(folder));
        assert!(!files.is_empty(), "src/{folder} has no files: is the table out of date?");
        for file in files {
            let text = fs::read_to_string(&file).unwrap();
            for name in reaches(&text) {
                let is_folder = ALLOWED.iter().any(|(f, _)| *f == name);
                if is_folder && name != *folder && !allowed.contains(&name.as_str()) {
                    wrong.push(format!("{} uses crate::{name}", file.display()));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "layering broken (README, Design):\n{}", wrong.join("\n"));
}

#[test]
fn only_the_seats_of_the_console_reach_into_ui() {
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app");
    let mut wrong = Vec::new();
    for file in rust_files(&app) {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(&file).unwrap();
        let uses_ui = reaches(&text).contains("ui")
            || text.lines().any(|l| l.trim_start().starts_with("use super::super::ui"));
        if uses_ui && !SEATS.contains(&name.as_str()) {
            wrong.push(file.display().to_string());
        }
    }
    assert!(wrong.is_empty(), "update and the console's logic must not call into ui: {wrong:?}");
}

#[test]
fn every_folder_of_src_is_in_the_table() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let folders: BTreeSet<String> = fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && p.file_name().is_some_and(|n| n != "bin"))
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let listed: BTreeSet<String> = ALLOWED.iter().map(|(f, _)| f.to_string()).collect();
    assert_eq!(folders, listed, "a new folder needs its place in the layering (README, Design)");
}
