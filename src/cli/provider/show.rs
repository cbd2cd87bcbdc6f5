//! `hcp provider show P`.

use crate::cli::ctx::Ctx;
use crate::cli::{output, Exit, Outcome};
use crate::store::{providers, reference};

/// Show one provider.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp provider show \"Alpha Care\"")]
pub struct Args {
    /// The provider's name.
    pub name: String,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let (json, ctx_today) = (ctx.json, ctx.today());
    let conn = ctx.store()?.conn();
    let p = providers::get(conn, reference::find_provider(conn, &args.name)?.id)?;
    if json {
        output::json(&p);
        return Ok(Exit::Done);
    }
    let mut t = output::table(&["Provider", &p.name]);
    for (k, v) in [
        ("Id", p.id.to_string()),
        ("Type", p.kind.to_string()),
        ("Areas", p.areas.join(", ")),
        ("Clusters (rank)", p.clusters.join(", ")),
        ("CQC rating", p.cqc_rating.map(|c| c.plain().to_string()).unwrap_or_else(|| "-".into())),
        ("CQC provider id", p.cqc_id.clone().unwrap_or_else(|| "-".into())),
        ("Exceptions list", output::yes(p.exceptions_list).into()),
        (
            "Sanctioned",
            if p.sanctioned { format!("yes: {}", p.sanction_note.clone().unwrap_or_default()) } else { "no".into() },
        ),
        ("Status", p.status.to_string()),
        ("Flexible care", if p.flex { "signed up".into() } else { "no".into() }),
        ("Email", p.email.clone().unwrap_or_default()),
        ("Senior representative", p.senior_email.clone().unwrap_or_default()),
    ] {
        output::row(&mut t, vec![k.to_string(), v]);
    }
    println!("{t}");
    if let Some(d) = p.cqc_rating_date {
        let months = (ctx_today - d).num_days() / 30;
        if months >= 12 {
            output::warn(format!(
                "the CQC rating is from {} ({months} months ago): check CQC for a newer inspection",
                d.format("%d/%m/%Y")
            ));
        } else {
            println!("CQC rating published {} ({months} months ago).", d.format("%d/%m/%Y"));
        }
    }
    let locations = crate::store::cqc::locations_of(conn, p.id)?;
    if !locations.is_empty() {
        println!("CQC locations:");
        for (id, name, pc, checked, rating, _) in locations {
            println!(
                "  {id} {name} ({}) — checked {}, rated {}",
                pc.unwrap_or_default(),
                checked.unwrap_or_else(|| "-".into()),
                rating.unwrap_or_else(|| "-".into())
            );
        }
    }

    Ok(Exit::Done)
}
