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
    let json = ctx.json;
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
    Ok(Exit::Done)
}
