//! `hcp capacity list [--area A]`.

use crate::cli::ctx::Ctx;
use crate::cli::{output, Exit, Outcome};
use crate::store::reference;
use serde_json::json;

/// List reported capacity, newest first.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp capacity list --area Thanet")]
pub struct Args {
    #[arg(long, value_name = "A")]
    pub area: Option<String>,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let json = ctx.json;
    let conn = &ctx.store()?.conn;
    let area = args.area.as_deref().map(|a| reference::find_area(conn, a)).transpose()?;
    let mut stmt = conn.prepare(
        "SELECT cap.id, p.name, cap.msoa_code, m.hcl_name, c.name, cap.weekly_minutes, cap.from_date, cap.note,
                COALESCE(a1.name, a2.name)
         FROM capacity cap JOIN providers p ON p.id = cap.provider_id
         LEFT JOIN msoas m ON m.code = cap.msoa_code
         LEFT JOIN cluster_msoas cm ON cm.msoa_code = cap.msoa_code LEFT JOIN clusters c1 ON c1.id = cm.cluster_id LEFT JOIN areas a1 ON a1.id = c1.area_id
         LEFT JOIN clusters c ON c.id = cap.cluster_id LEFT JOIN areas a2 ON a2.id = c.area_id
         ORDER BY cap.from_date DESC, cap.id DESC",
    )?;
    type Row =
        (i64, String, Option<String>, Option<String>, Option<String>, i64, String, Option<String>, Option<String>);
    let rows: Vec<Row> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get::<_, Option<String>>(8)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|r| area.as_ref().is_none_or(|a| r.8.as_deref() == Some(a.name.as_str())))
        .collect();
    if json {
        output::json(&rows.iter().map(|r| json!({"id": r.0, "provider": r.1, "msoa": r.2, "msoa_name": r.3, "cluster": r.4, "hours": r.5 as f64 / 60.0, "from": r.6, "note": r.7, "area": r.8})).collect::<Vec<_>>());
        return Ok(Exit::Done);
    }
    let mut t = output::table(&["id", "provider", "where", "area", "h/week", "from", "note"]);
    for r in &rows {
        let place = match (&r.2, &r.4) {
            (Some(m), _) => format!("{m} {}", r.3.clone().unwrap_or_default()),
            (None, Some(c)) => format!("cluster {c}"),
            _ => String::new(),
        };
        t.add_row(vec![
            r.0.to_string(),
            r.1.clone(),
            place,
            r.8.clone().unwrap_or_default(),
            crate::domain::text::show_hours(r.5),
            r.6.clone(),
            r.7.clone().unwrap_or_default(),
        ]);
    }
    println!("{t}");
    Ok(Exit::Done)
}
