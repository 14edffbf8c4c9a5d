//! The config file from the command line: `folio config`, errors that stop folio with status 2, and settings that take effect.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use common::{fixture, seeds};

/// Runs `folio ARGS` with `config_home` as `$XDG_CONFIG_HOME` (never the user's own config).
fn folio_in(config_home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .env("XDG_CONFIG_HOME", config_home)
        .env("FOLIO_STATE_DIR", config_home.join("state"))
        .env("FOLIO_CACHE_DIR", config_home.join("cache"))
        .env_remove("COLUMNS")
        .output()
        .expect("the folio binary runs")
}

/// A temporary config home holding `folio/config.toml` with `text`.
fn config_home(text: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().expect("a temporary folder");
    fs::create_dir(home.path().join("folio")).expect("a folio folder");
    fs::write(home.path().join("folio/config.toml"), text).expect("the config is written");
    home
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn the_default_config_has_every_setting_and_checks_ok() {
    let home = tempfile::tempdir().unwrap();
    let out = folio_in(home.path(), &["config", "--default"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for setting in [
        "\npaths = []",
        "\ntheme = \"default\"",
        "\nlist_width = \"auto\"",
        "\ndate_format = \"%Y-%m-%d\"",
        "\nambiguous_wide = false",
        "\nmouse = false",
        "\nhyperlinks = false",
        "\n[keys]",
        "\n# [keys.list]\n# select_next = [\"j\", \"down\"]",
        "\n# [keys.search_box]",
        "\n# [keys.everywhere]\n# force_quit = [\"ctrl-c\"]",
    ] {
        assert!(text.contains(setting), "{setting:?} missing from:\n{text}");
    }
    let file = home.path().join("default.toml");
    fs::write(&file, &text).unwrap();
    let out = folio_in(home.path(), &["config", "--check", file.to_str().unwrap()]);
    assert_eq!(
        (out.status.code(), stdout(&out)),
        (Some(0), "ok\n".to_owned())
    );
}

#[test]
fn a_binding_added_under_keys_in_the_default_file_takes_effect() {
    let home = tempfile::tempdir().unwrap();
    let text = stdout(&folio_in(home.path(), &["config", "--default"]));
    // What a user does: add a line right under [keys].
    let edited = text.replacen("\n[keys]\n", "\n[keys]\nquit = [\"q\", \"ctrl-q\"]\n", 1);
    let config = folio::config::Config::parse(&edited, std::path::Path::new("c.toml")).unwrap();
    let ctrl_q = ratatui::crossterm::event::KeyEvent::new(
        ratatui::crossterm::event::KeyCode::Char('q'),
        ratatui::crossterm::event::KeyModifiers::CONTROL,
    );
    assert_eq!(
        config.keymap.action(folio::app::Context::List, &ctrl_q),
        Some(folio::app::Action::Quit)
    );
    assert!(config.warnings.is_empty(), "{:?}", config.warnings);
    // The same line shadowed by a table of the part it applies to: --check says so.
    let shadowed = format!("{edited}\n[keys.list]\nquit = [\"x\"]\n");
    let file = home.path().join("shadowed.toml");
    fs::write(&file, &shadowed).unwrap();
    let out = folio_in(home.path(), &["config", "--check", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out)
            .contains("warning: keys.quit: does nothing, [keys.list] binds it too and wins"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn check_prints_the_error_and_exits_2() {
    let home = config_home("# mine\nmouse = true\ntheme = \"neon\"\n");
    let path = home.path().join("folio/config.toml");
    // FILE omitted: the default location.
    let out = folio_in(home.path(), &["config", "--check"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out),
        format!(
            "folio: {}:3: theme: unknown theme \"neon\" (expected default, high-contrast or mono)\n",
            path.display()
        )
    );
    // A good file named on the command line.
    let good = home.path().join("good.toml");
    fs::write(&good, "theme = \"mono\"\n[keys]\nquit = [\"x\"]\n").unwrap();
    let out = folio_in(home.path(), &["config", "--check", good.to_str().unwrap()]);
    assert_eq!(
        (out.status.code(), stdout(&out)),
        (Some(0), "ok\n".to_owned())
    );
    // No file at the default location: the defaults, which are fine.
    let empty = tempfile::tempdir().unwrap();
    let out = folio_in(empty.path(), &["config", "--check"]);
    assert_eq!(
        (out.status.code(), stdout(&out)),
        (Some(0), "ok\n".to_owned())
    );
}

#[test]
fn a_bad_config_stops_every_command_with_status_2() {
    let home = config_home("[keys]\nselect_next = [\"j\"]\nsearch_cancel = [\"esc\", \"j\"]\n");
    for args in [&[][..], &["list"], &["show", "x"], &["search", "中俄"]] {
        let out = folio_in(home.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            out.stdout.is_empty(),
            "nothing on stdout, no escape sequence"
        );
        assert!(
            stderr(&out).contains(
                "config.toml:3: keys.search_cancel: \"j\" is already bound to select_next"
            ),
            "{}",
            stderr(&out)
        );
        assert!(!stderr(&out).contains('\x1b'));
    }
}

#[test]
fn a_missing_config_file_given_by_flag_is_an_error() {
    let home = tempfile::tempdir().unwrap();
    let missing = home.path().join("nope.toml");
    let out = folio_in(
        home.path(),
        &["--config", missing.to_str().unwrap(), "list"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!("folio: {}: no such file\n", missing.display())
    );
    // The flag names the file `config --check` checks, too.
    let out = folio_in(
        home.path(),
        &["config", "--check", "--config", missing.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_flag_wins_over_the_default_location() {
    let home = config_home("theme = \"neon\"\n");
    let good = home.path().join("good.toml");
    fs::write(&good, "theme = \"mono\"\n").unwrap();
    let out = folio_in(home.path(), &["--config", good.to_str().unwrap(), "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn config_paths_are_used_without_a_path_on_the_command_line() {
    let seeds = seeds();
    let home = config_home(&format!("paths = [{:?}]\n", seeds.to_str().unwrap()));
    let out = folio_in(home.path(), &["list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 5);
    assert!(!text.contains("bundled:"), "{text}");
    // A path on the command line wins.
    let links = fixture("links");
    let out = folio_in(home.path(), &["list", links.to_str().unwrap()]);
    assert!(
        stdout(&out).lines().all(|l| l.contains("links")),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_tilde_is_the_home_folder() {
    let home = config_home("paths = [\"~/fixtures/links\"]\n");
    // HOME is the repository's tests folder here: the store and the state go
    // elsewhere, never into the repository.
    let elsewhere = tempfile::tempdir().expect("a temporary folder");
    let out = Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("list")
        .env("XDG_CONFIG_HOME", home.path())
        .env("HOME", Path::new(env!("CARGO_MANIFEST_DIR")).join("tests"))
        .env("FOLIO_CACHE_DIR", elsewhere.path().join("cache"))
        .env("FOLIO_STATE_DIR", elsewhere.path().join("state"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("good-link"), "{}", stdout(&out));
}
