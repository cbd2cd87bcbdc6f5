//! `hcp capacity list [--area A]`.

use crate::cli::ctx::Ctx;
use crate::cli::{output, Exit, Outcome};
use crate::store::{capacity, reference};

/// List reported capacity, newest first.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp capacity list --area Thanet")]
pub struct Args {
    /// Only this area.
    #[arg(long, value_name = "A")]
    pub area: Option<String>,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let json = ctx.json;
    let conn = ctx.store()?.conn();
    let area = args.area.as_deref().map(|a| reference::find_area(conn, a)).transpose()?;
    let rows: Vec<capacity::Capacity> = capacity::list(conn)?
        .into_iter()
        .filter(|r| area.as_ref().is_none_or(|a| r.area.as_deref() == Some(a.name.as_str())))
        .collect();
    if json {
        output::json(&rows);
        return Ok(Exit::Done);
    }
    let mut t = output::table(&["id", "provider", "where", "area", "h/week", "from", "note"]);
    for r in &rows {
        let place = match (&r.msoa, &r.cluster) {
            (Some(m), _) => format!("{m} {}", r.msoa_name.clone().unwrap_or_default()),
            (None, Some(c)) => format!("cluster {c}"),
            _ => String::new(),
        };
        output::row(
            &mut t,
            vec![
                r.id.to_string(),
                r.provider.clone(),
                place,
                r.area.clone().unwrap_or_default(),
                crate::domain::text::show_hours(r.weekly_minutes),
                crate::domain::dates::show_date(r.from),
                r.note.clone().unwrap_or_default(),
            ],
        );
    }
    println!("{t}");
    Ok(Exit::Done)
}
