//! `hcp referral add|update|show|list|cancel`: intake and the packages-to-be-placed list.

pub mod add;
pub mod cancel;
pub mod find;
pub mod list;
pub mod package;
pub mod show;
pub mod update;

use super::ctx::{Ctx, Rules};
use super::{Exit, Outcome};
use crate::domain::completeness::Missing;
use crate::store::reference;
use crate::store::referrals::Referral;
use anyhow::Result;
use chrono::{DateTime, Utc};
use clap::Subcommand;
use rusqlite::Connection;

#[derive(Debug, Subcommand)]
pub enum Command {
    Add(add::Args),
    Update(update::Args),
    Show(show::Args),
    List(list::Args),
    Cancel(cancel::Args),
    Find(find::Args),
}

pub fn run(ctx: &mut Ctx, c: Command) -> Outcome {
    match c {
        Command::Add(a) => add::run(ctx, a),
        Command::Update(a) => update::run(ctx, a),
        Command::Show(a) => show::run(ctx, a),
        Command::List(a) => list::run(ctx, a),
        Command::Cancel(a) => cancel::run(ctx, a),
        Command::Find(a) => find::run(ctx, a),
    }
}

/// Place the referral from its postcode: MSOA, and the cluster unless one was given by hand.
pub fn place(conn: &Connection, r: &mut Referral) -> Result<()> {
    let found = match &r.postcode {
        Some(pc) => reference::place_of_postcode(conn, pc)?,
        None => None,
    };
    r.msoa_code = found.as_ref().map(|p| p.msoa.clone());
    if !r.cluster_by_hand {
        r.cluster_id = found.and_then(|p| p.cluster_id);
    }
    Ok(())
}

/// Run the completeness check; a referral that passes joins the list (SPEC §5). When the
/// referral gives no estimated weekly cost, the estimate from the rates in force (if any are
/// recorded) is what the authorised amount must cover (SPEC §15).
pub fn recheck(conn: &Connection, r: &mut Referral, rules: &Rules, at: DateTime<Utc>) -> Result<Vec<Missing>> {
    let estimate = match r.estimated_weekly_pence {
        Some(_) => None,
        None => {
            let rurality = reference::rurality_of(conn, r.msoa_code.as_deref())?;
            crate::cli::rate::estimate_for(conn, r, rurality.as_deref())?
        }
    };
    Ok(crate::domain::intake::recheck_with(r, &rules.calendar, &rules.completeness, at, estimate))
}

/// Print the outcome of add/update: the referral, and the missing-information email if incomplete.
pub fn report(ctx: &mut Ctx, id: i64, missing: &[Missing], email_to: Option<&std::path::Path>, force: bool) -> Outcome {
    let db_path = ctx.db_path.clone();
    let rules = ctx.rules()?;
    let now = ctx.now;
    let json = ctx.json;
    let conn = ctx.store()?.conn();
    let view = super::view::load(conn, &rules, now, id)?;
    let email = (!missing.is_empty()).then(|| crate::io::email::missing_information(&view.r, missing));
    let mut email_saved = None;
    if let (Some(path), Some(text)) = (email_to, &email) {
        let target = crate::io::files::Target { path: path.to_path_buf(), force };
        match crate::io::files::write_private(&target, &db_path, text.as_bytes()) {
            Ok(p) => email_saved = Some(p),
            // The referral is saved: say so, and give the email here instead (still exit 3).
            Err(e) => super::output::warn(format!(
                "the referral is saved (id {id}) but the email could not be written to {}: {e:#}; it is printed below",
                path.display()
            )),
        }
    }
    if json {
        super::output::json(&super::output::With {
            base: view.to_json(now),
            extra: serde_json::json!({ "email": email }),
        });
    } else {
        show::print_card(&view);
        if let Some(text) = &email {
            match &email_saved {
                Some(p) => println!("\nIncomplete: the missing-information email is in {}.", p.display()),
                None => println!("\nIncomplete: send this to the referrer.\n\n{text}"),
            }
        }
    }
    Ok(if missing.is_empty() { Exit::Done } else { Exit::Incomplete })
}
