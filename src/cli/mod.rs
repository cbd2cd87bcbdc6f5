//! The command line: parse -> run -> print. One file per leaf command.

pub mod area;
pub mod audit;
pub mod backup;
pub mod calendar;
pub mod capacity;
pub mod cluster;
pub mod confirm;
pub mod ctx;
pub mod demo;
pub mod docs;
pub mod due;
pub mod escalate;
pub mod exit;
pub mod export;
pub mod financial_assessment;
pub mod flex;
pub mod form_sent;
pub mod handback;
pub mod history;
mod history_words;
pub mod import;
pub mod indi;
pub mod init;
pub mod offer;
pub mod output;
pub mod pir;
pub mod provider;
pub mod rate;
pub mod record;
pub mod referral;
pub mod report;
pub mod respond;
pub mod sdo;
pub mod settings;
pub mod view;
pub mod words;

use clap::{Parser, Subcommand};
use ctx::Ctx;
use std::path::PathBuf;

/// What a command reports besides errors: done (0) or saved-but-incomplete (3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Done,
    Incomplete,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Done => 0,
            Exit::Incomplete => 3,
        }
    }
}

pub type Outcome = anyhow::Result<Exit>;

const AFTER_HELP: &str = "\
Examples:
  hcp init
  hcp referral add --client-id 100234 --name \"Zoë O'Brien\" --postcode \"CT1 2EH\" --team act \\
      --referrer \"A Worker\" --start 2026-11-30 --calls-per-day 4 --minutes 30 --doc referral-form
  hcp offer 1 --explain
  hcp respond 1 decline --reason no-capacity
  hcp due

The database is --db PATH, else HCP_DB, else hcp.sqlite in your data directory.
HCP_NOW fixes the time (tests, demos); HCP_USER names the user on the audit log.
Exit codes: 0 done; 1 error (nothing changed); 2 usage error; 3 saved but incomplete.";

/// hcp: home care purchasing for Kent County Council's Purchasing teams.
///
/// Referrals, the cluster allocation protocol, offers and the 2-hour clock, the
/// packages-to-be-placed list, escalations and the Packages spreadsheet, over one SQLite file.
#[derive(Debug, Parser)]
#[command(name = "hcp", version, after_help = AFTER_HELP, propagate_version = true)]
pub struct Cli {
    /// The database file (else HCP_DB, else the data directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Print one JSON document on stdout, for scripts.
    #[arg(long, global = true)]
    pub json: bool,
    /// The user recorded on the audit log (else HCP_USER, else the login name).
    #[arg(long, global = true, value_name = "NAME")]
    pub user: Option<String>,
    /// Colour in tables: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = output::ColorChoice::Auto)]
    pub color: output::ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Init(init::Args),
    Demo(demo::Args),
    /// Referrals: add, update, show, list, find, cancel.
    #[command(subcommand)]
    Referral(Box<referral::Command>),
    Offer(offer::Args),
    Respond(respond::Args),
    FormSent(form_sent::Args),
    /// A provider hands a package back, or gives notice on several (`handback multiple`).
    Handback(handback::Args),
    /// The provider-exit tracker: status, update, report.
    #[command(subcommand)]
    Exit(exit::Command),
    Indi(indi::Args),
    Confirm(confirm::Args),
    Sdo(sdo::Args),
    FinancialAssessment(financial_assessment::Args),
    Escalate(escalate::Args),
    /// Rates and rurality uplifts: set, uplift, list (amounts only with --show-rates).
    #[command(subcommand)]
    Rate(rate::Command),
    /// Flexible domiciliary care: start, end, list episodes.
    #[command(subcommand)]
    Flex(flex::Command),
    /// PIR reviews: the reviews to book, booking one, recording it.
    #[command(subcommand)]
    Pir(pir::Command),
    /// Reports: the weekly wash-up.
    #[command(subcommand)]
    Report(report::Command),
    Due(due::Args),
    History(history::Args),
    /// Providers: add, list, show, update, sanction.
    #[command(subcommand)]
    Provider(provider::Command),
    /// Clusters: list, show, rank the clustered providers.
    #[command(subcommand)]
    Cluster(cluster::Command),
    /// Areas: the order of other contracted providers.
    #[command(subcommand)]
    Area(area::Command),
    /// Import the Packages spreadsheet, clusters or cluster rankings from CSV.
    #[command(subcommand)]
    Import(import::Command),
    /// Export the Packages spreadsheet.
    #[command(subcommand)]
    Export(export::Command),
    /// Bank holidays and working days: show, update from gov.uk.
    #[command(subcommand)]
    Calendar(calendar::Command),
    /// Capacity providers report as coming free: add, list, remove.
    #[command(subcommand)]
    Capacity(capacity::Command),
    /// Local thresholds (RAG days, tolerances): list, set.
    #[command(subcommand)]
    Settings(settings::Command),
    Backup(backup::Args),
    /// The audit log: check it is whole.
    #[command(subcommand)]
    Audit(audit::Command),
    /// Print a shell completion script (bash, zsh, fish, powershell).
    Completions(docs::CompletionsArgs),
    /// Print the manual page.
    Man(docs::ManArgs),
}

pub fn run(cli: Cli) -> Outcome {
    let mut ctx = Ctx::from_env(cli.db, cli.json, cli.user, cli.color)?;
    dispatch(&mut ctx, cli.command).map_err(crate::store::explain)
}

impl Command {
    /// Whether this command may create the database when it does not exist yet. Setting up
    /// (`init`, the demo, adding providers and referrals, importing, ranking, settings) may, and
    /// says where; everything else on a missing database is an error naming the path and
    /// `hcp init`, so a wrong HCP_DB never looks like lost data.
    fn creates_database(&self) -> bool {
        match self {
            Command::Init(_) | Command::Demo(_) => true,
            Command::Referral(c) => matches!(**c, referral::Command::Add(_)),
            Command::Provider(c) => matches!(c, provider::Command::Add(_)),
            Command::Cluster(c) => matches!(c, cluster::Command::Rank(_)),
            Command::Area(_) => true,
            Command::Import(import::Command::Packages(a)) => !a.dry_run,
            Command::Import(_) => true,
            Command::Calendar(c) => matches!(c, calendar::Command::Update(_)),
            Command::Capacity(c) => matches!(c, capacity::Command::Add(_)),
            Command::Settings(c) => matches!(c, settings::Command::Set { .. }),
            Command::Rate(c) => !matches!(c, rate::Command::List(_)),
            _ => false,
        }
    }
}

fn dispatch(ctx: &mut Ctx, command: Command) -> Outcome {
    ctx.may_create = command.creates_database();
    ctx.announce_new = !matches!(command, Command::Init(_) | Command::Demo(_));
    match command {
        Command::Init(a) => init::run(ctx, a),
        Command::Demo(a) => demo::run(ctx, a),
        Command::Referral(c) => referral::run(ctx, *c),
        Command::Offer(a) => offer::run(ctx, a),
        Command::Respond(a) => respond::run(ctx, a),
        Command::FormSent(a) => form_sent::run(ctx, a),
        Command::Handback(a) => handback::run(ctx, a),
        Command::Exit(c) => exit::run(ctx, c),
        Command::Indi(a) => indi::run(ctx, a),
        Command::Confirm(a) => confirm::run(ctx, a),
        Command::Sdo(a) => sdo::run(ctx, a),
        Command::FinancialAssessment(a) => financial_assessment::run(ctx, a),
        Command::Escalate(a) => escalate::run(ctx, a),
        Command::Report(c) => report::run(ctx, c),
        Command::Pir(c) => pir::run(ctx, c),
        Command::Flex(c) => flex::run(ctx, c),
        Command::Rate(c) => rate::run(ctx, c),
        Command::Due(a) => due::run(ctx, a),
        Command::History(a) => history::run(ctx, a),
        Command::Provider(c) => provider::run(ctx, c),
        Command::Cluster(c) => cluster::run(ctx, c),
        Command::Area(c) => area::run(ctx, c),
        Command::Import(c) => import::run(ctx, c),
        Command::Export(c) => export::run(ctx, c),
        Command::Calendar(c) => calendar::run(ctx, c),
        Command::Capacity(c) => capacity::run(ctx, c),
        Command::Settings(c) => settings::run(ctx, c),
        Command::Backup(a) => backup::run(ctx, a),
        Command::Audit(c) => audit::run(ctx, c),
        Command::Completions(a) => docs::completions(a),
        Command::Man(a) => docs::man(a),
    }
}
