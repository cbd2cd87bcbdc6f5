//! `hcp provider sanction P --on|--off --note N`.

use crate::cli::ctx::Ctx;
use crate::cli::{output, Exit, Outcome};
use crate::store::events::Event;
use crate::store::{providers, reference};

/// Put a provider under sanction (no new offers without a joint decision) or lift it.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  hcp provider sanction \"Beta Care\" --on --note \"contract breach\"\n  hcp provider sanction \"Beta Care\" --off --note \"improvement plan met\""
)]
pub struct Args {
    /// The provider's name.
    pub name: String,
    /// Put the provider under sanction: no new packages without a joint decision.
    #[arg(long, conflicts_with = "off", required_unless_present = "off")]
    pub on: bool,
    /// Lift the sanction.
    #[arg(long)]
    pub off: bool,
    /// Why.
    #[arg(long)]
    pub note: Option<String>,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let (now_s, user, json) = (ctx.now_str(), ctx.user.clone(), ctx.json);
    let store = ctx.store()?;
    let p = store.write(|tx| {
        let id = reference::find_provider(tx, &args.name)?.id;
        let before = providers::get(tx, id)?;
        providers::set_sanction(tx, id, args.on, args.note.as_deref())?;
        let after = providers::get(tx, id)?;
        Event::new(
            if args.on { "provider sanctioned" } else { "provider sanction lifted" },
            "provider",
            &now_s,
            &now_s,
            &user,
        )
        .on(Some(id), None)
        .details(serde_json::json!({ "note": args.note }))
        .change(
            Some(serde_json::json!({ "sanctioned": before.sanctioned })),
            Some(serde_json::json!({ "sanctioned": after.sanctioned })),
        )
        .append(tx)?;
        Ok(after)
    })?;
    if json {
        output::json(&p);
    } else {
        println!(
            "{}: sanction {}",
            p.name,
            if p.sanctioned { "on — skipped for new offers unless a joint decision allows" } else { "lifted" }
        );
    }
    Ok(Exit::Done)
}
