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
    let cli = match hcp::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match hcp::cli::run(cli) {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(err) => {
            if let Some(ue) = err.downcast_ref::<UserError>() {
                eprintln!("error: {}", ue.message);
                for h in &ue.hints {
                    eprintln!("Hint: {h}");
                }
                return ExitCode::from(ue.exit);
            }
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}
