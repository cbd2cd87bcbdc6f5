//! `hcp provider update NAME …`: correct or change a provider — contract, areas, CQC rating,
//! exceptions list, emails, status, CQC Provider ID, flexible care — each change audited.

use crate::cli::ctx::Ctx;
use crate::cli::{output, Exit, Outcome};
use crate::domain::model::{CqcRating, ProviderStatus, ProviderType};
use crate::error::UserError;
use crate::store::events::Event;
use crate::store::{providers, reference};

/// Change a provider. A suspended or exited provider is never offered anything; setting it
/// active again opens it to offers.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:
  hcp provider update \"Grim Care\" --cqc-rating good
  hcp provider update \"Alpha Care\" --status suspended
  hcp provider update \"Delta Care\" --area Thanet --email offers@delta.example.org
  hcp provider update \"Alpha Care\" --cqc-id 1-101669897 --flex")]
pub struct Args {
    /// The provider (any case; close names are suggested).
    pub name: String,
    /// The provider's contract with KCC.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<ProviderType>,
    /// Another area the provider covers (repeatable).
    #[arg(long = "area", value_name = "A")]
    pub areas: Vec<String>,
    /// The rating at the provider's most recent CQC inspection.
    #[arg(long, value_name = "RATING")]
    pub cqc_rating: Option<CqcRating>,
    /// Now on KCC's exceptions list.
    #[arg(long, conflicts_with = "no_exceptions_list")]
    pub exceptions_list: bool,
    /// No longer on the exceptions list.
    #[arg(long)]
    pub no_exceptions_list: bool,
    /// Where offers go.
    #[arg(long, value_name = "E")]
    pub email: Option<String>,
    /// The senior representative copied on decline emails.
    #[arg(long, value_name = "E")]
    pub senior_email: Option<String>,
    /// active, suspended (no new offers) or exited.
    #[arg(long, value_name = "STATUS")]
    pub status: Option<ProviderStatus>,
    /// CQC's Provider ID, which links CQC's files to this provider.
    #[arg(long, value_name = "ID")]
    pub cqc_id: Option<String>,
    /// Signed up to flexible domiciliary care.
    #[arg(long, conflicts_with = "no_flex")]
    pub flex: bool,
    /// No longer signed up to flexible care.
    #[arg(long)]
    pub no_flex: bool,
}

fn text(flag: &str, v: &str) -> anyhow::Result<Option<String>> {
    let v = v.trim();
    if v.chars().any(char::is_control) {
        return Err(UserError::usage(format!("--{flag} holds a control character")).into());
    }
    if flag.ends_with("email") {
        crate::domain::text::check_email(v).map_err(|why| UserError::usage(format!("--{flag} '{v}' {why}")))?;
    }
    Ok(Some(v.to_string()).filter(|s| !s.is_empty()))
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let (now_s, user, json) = (ctx.now_str(), ctx.user.clone(), ctx.json);
    let store = ctx.store()?;
    let p = store.write(|tx| {
        let before = providers::get(tx, reference::find_provider(tx, &args.name)?.id)?;
        let mut p = before.clone();
        if let Some(k) = args.kind {
            p.kind = k;
        }
        if args.cqc_rating.is_some() {
            p.cqc_rating = args.cqc_rating;
        }
        if args.exceptions_list || args.no_exceptions_list {
            p.exceptions_list = args.exceptions_list;
        }
        if let Some(e) = &args.email {
            p.email = text("email", e)?;
        }
        if let Some(e) = &args.senior_email {
            p.senior_email = text("senior-email", e)?;
        }
        if let Some(s) = args.status {
            p.status = s;
        }
        if let Some(id) = &args.cqc_id {
            p.cqc_id = text("cqc-id", id)?;
        }
        if args.flex || args.no_flex {
            p.flex = args.flex;
        }
        providers::update(tx, &p)?;
        for a in &args.areas {
            providers::add_area(tx, p.id, reference::find_area(tx, a)?.id)?;
        }
        let after = providers::get(tx, p.id)?;
        let (b, a) = (serde_json::to_value(&before)?, serde_json::to_value(&after)?);
        if b != a {
            Event::new("provider updated", "provider", &now_s, &now_s, &user)
                .on(Some(p.id), None)
                .change(Some(b), Some(a))
                .append(tx)?;
        }
        Ok(after)
    })?;
    if json {
        output::json(&p);
    } else {
        println!(
            "Provider {} updated: {} ({}, {}), areas: {}",
            p.id,
            p.name,
            p.kind,
            p.status,
            if p.areas.is_empty() { "none".into() } else { p.areas.join(", ") }
        );
    }
    Ok(Exit::Done)
}
