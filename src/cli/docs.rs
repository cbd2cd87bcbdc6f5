//! `hcp completions SHELL` and `hcp man`: shell completion scripts and manual pages, generated
//! from the same command definitions as `--help`.

use super::{Cli, Exit, Outcome};
use crate::error::UserError;
use clap::CommandFactory;

/// Print a completion script for your shell.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:
  hcp completions bash > ~/.local/share/bash-completion/completions/hcp
  hcp completions zsh > ~/.zfunc/_hcp        (with fpath+=~/.zfunc in ~/.zshrc)
  hcp completions fish > ~/.config/fish/completions/hcp.fish")]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Print the manual page (roff), or write one page per command into a folder.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:
  hcp man | man -l -
  hcp man --out-dir ~/.local/share/man/man1   (then: man hcp-referral-add)")]
pub struct ManArgs {
    /// Write hcp.1 and a page for every command (hcp-referral-add.1, …) into this folder.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<std::path::PathBuf>,
}

pub fn completions(args: CompletionsArgs) -> Outcome {
    let mut cmd = Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "hcp", &mut std::io::stdout());
    Ok(Exit::Done)
}

pub fn man(args: ManArgs) -> Outcome {
    let cmd = Cli::command();
    match args.out_dir {
        None => {
            clap_mangen::Man::new(cmd).render(&mut std::io::stdout())?;
        }
        Some(dir) => {
            std::fs::create_dir_all(&dir)
                .map_err(|e| UserError::new(format!("cannot create {}: {e}", dir.display())))?;
            clap_mangen::generate_to(cmd, &dir).map_err(|e| UserError::new(format!("cannot write the pages: {e}")))?;
            println!("Manual pages written to {}.", dir.display());
        }
    }
    Ok(Exit::Done)
}
