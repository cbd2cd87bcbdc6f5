//! parse -> run -> print the error with its hints -> exit code 0/1/2/3 (SPEC §13).

use clap::Parser;
use hcp::error::UserError;
use std::process::ExitCode;

fn main() -> ExitCode {
    // A closed pipe (`hcp referral list | head`) ends hcp quietly, as it does any Unix tool.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // No panic message or backtrace reaches the user: say it is a bug, plainly.
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("hcp: internal error: {msg}");
        eprintln!("Hint: this is a bug in hcp; nothing was saved by the command that failed. Please report it with the command you ran.");
    }));
    // --json anywhere: errors too are one JSON object (on stderr), for scripts.
    let json = std::env::args().any(|a| a == "--json");
    let cli = match hcp::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if json && e.kind() == clap::error::ErrorKind::DisplayVersion => {
            println!("{}", serde_json::json!({ "version": env!("CARGO_PKG_VERSION") }));
            return ExitCode::SUCCESS;
        }
        Err(e) if json && e.use_stderr() => {
            let message = e.kind().as_str().map(str::to_string).unwrap_or_else(|| e.to_string());
            let detail = e.to_string();
            let first = detail.lines().next().unwrap_or("").trim_start_matches("error: ").to_string();
            eprintln!(
                "{}",
                serde_json::json!({ "error": if first.is_empty() { message } else { first }, "hints": ["see hcp --help"], "exit": 2 })
            );
            return ExitCode::from(2);
        }
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match hcp::cli::run(cli) {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(err) => {
            let (message, hints, exit) = match err.downcast_ref::<UserError>() {
                Some(ue) => (ue.message.clone(), ue.hints.clone(), ue.exit),
                None => (format!("{err:#}"), Vec::new(), 1),
            };
            if json {
                eprintln!("{}", serde_json::json!({ "error": message, "hints": hints, "exit": exit }));
            } else {
                eprintln!("error: {message}");
                for h in &hints {
                    eprintln!("Hint: {h}");
                }
            }
            ExitCode::from(exit)
        }
    }
}
