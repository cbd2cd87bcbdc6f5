//! The wash-up report as text: Markdown (pastes into an email), CSV (one block per section, a
//! `section` column first) and self-contained HTML (inline CSS and SVG charts, no scripts, no
//! links, A4 portrait). All from the same figures, and the same figures give the same bytes.

use super::report::{headings as h, Doc, Section};
use crate::domain::washup::Washup;

fn fig(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), |x| if x.fract() == 0.0 { format!("{x:.0}") } else { format!("{x:.1}") })
}

fn hours(h: f64) -> String {
    format!("{h:.2}")
}

/// The rows of each section. Every format draws from these.
pub fn sections(w: &Washup) -> Vec<Section> {
    let mut out = list_sections(w);
    out.extend(other_sections(w));
    out
}

/// The summary, the list, the AMT list and the providers' responses.
fn list_sections(w: &Washup) -> Vec<Section> {
    let s = &w.summary;
    let mut out = vec![(
        "summary",
        h(&["figure", "value"]),
        vec![
            vec!["on the list at the start".into(), s.on_list_start.to_string()],
            vec!["on the list at the end".into(), s.on_list_end.to_string()],
            vec!["new referrals".into(), s.new.to_string()],
            vec!["returned incomplete".into(), s.returned_incomplete.to_string()],
            vec!["placed".into(), s.placed.to_string()],
            vec!["cancelled".into(), s.cancelled.to_string()],
            vec!["handed back".into(), s.handed_back.to_string()],
            vec!["median working days to acceptance".into(), fig(s.median_wd_to_accept)],
            vec!["90th percentile working days to acceptance".into(), fig(s.p90_wd_to_accept.map(|x| x as f64))],
        ],
    )];
    out.push((
        "packages to be placed",
        h(&["RAG", "packages", "hours a week"]),
        ["red", "amber", "green"]
            .iter()
            .map(|k| {
                let f = w.rag.get(k).cloned().unwrap_or_default();
                vec![k.to_string(), f.count.to_string(), hours(f.hours)]
            })
            .collect(),
    ));
    out.push((
        "AMT list (10+ working days)",
        h(&["referral", "client id", "working days", "cluster", "hours a week"]),
        w.amt
            .iter()
            .map(|a| {
                vec![
                    a.referral.to_string(),
                    a.client_id.clone(),
                    a.working_days_waiting.to_string(),
                    a.cluster.clone().unwrap_or_default(),
                    hours(a.hours_per_week),
                ]
            })
            .collect(),
    ));
    out.push((
        "provider responses",
        h(&[
            "provider",
            "offers",
            "accepted",
            "tentative",
            "declined",
            "declines by reason",
            "lapsed",
            "median minutes",
        ]),
        w.providers
            .iter()
            .map(|p| {
                let reasons =
                    p.declines_by_reason.iter().map(|(r, n)| format!("{r} {n}")).collect::<Vec<_>>().join(", ");
                vec![
                    p.provider.clone(),
                    p.offers.to_string(),
                    p.accepted.to_string(),
                    p.tentative.to_string(),
                    p.declined.to_string(),
                    reasons,
                    p.lapsed.to_string(),
                    fig(p.median_response_minutes),
                ]
            })
            .collect(),
    ));
    let mut cuts = Vec::new();
    for p in &w.providers {
        for (class, c) in &p.by_rurality {
            cuts.push(vec![
                p.provider.clone(),
                class.clone(),
                c.offers.to_string(),
                c.accepted.to_string(),
                c.declined.to_string(),
                c.lapsed.to_string(),
            ]);
        }
    }
    out.push(("responses by rurality", h(&["provider", "rurality", "offers", "accepted", "declined", "lapsed"]), cuts));
    out
}

/// Referral quality, handbacks, capacity, non-contracted placements, reviews, escalations.
fn other_sections(w: &Washup) -> Vec<Section> {
    let mut out = Vec::new();
    let q = &w.referral_quality;
    let mut quality: Vec<Vec<String>> =
        q.by_item.iter().map(|(k, n)| vec!["missing item".into(), k.clone(), n.to_string()]).collect();
    quality.extend(q.by_team.iter().map(|(k, n)| vec!["referring team".into(), k.clone(), n.to_string()]));
    out.push(("referral quality", h(&["by", "what", "returned incomplete"]), quality));
    out.push((
        "handbacks",
        h(&["date", "referral", "client id", "provider", "reason", "multiple", "re-added"]),
        w.handbacks
            .iter()
            .map(|b| {
                vec![
                    b.date.format("%d/%m/%Y").to_string(),
                    b.referral.to_string(),
                    b.client_id.clone(),
                    b.provider.clone().unwrap_or_default(),
                    b.reason.clone().unwrap_or_default(),
                    yes(b.multiple),
                    yes(b.re_added),
                ]
            })
            .collect(),
    ));
    out.push((
        "capacity reported",
        h(&["provider", "MSOA", "cluster", "hours a week", "from"]),
        w.capacity
            .iter()
            .map(|c| {
                vec![
                    c.provider.clone(),
                    c.msoa.clone().unwrap_or_default(),
                    c.cluster.clone().unwrap_or_default(),
                    hours(c.hours_per_week),
                    c.from.format("%d/%m/%Y").to_string(),
                ]
            })
            .collect(),
    ));
    let nc = &w.non_contracted;
    let mut ncr: Vec<Vec<String>> = nc
        .placed
        .iter()
        .map(|p| vec!["placed".into(), p.referral.to_string(), p.client_id.clone(), p.provider.clone()])
        .collect();
    ncr.extend(
        nc.move_back_candidates
            .iter()
            .map(|p| vec!["could move back".into(), p.referral.to_string(), p.client_id.clone(), p.provider.clone()]),
    );
    out.push(("non-contracted", h(&["what", "referral", "client id", "provider"]), ncr));
    let r = &w.reviews;
    out.push((
        "reviews",
        h(&["figure", "value"]),
        vec![
            vec!["PIRs booked".into(), r.booked.to_string()],
            vec!["PIRs due".into(), r.due.to_string()],
            vec!["PIRs overdue".into(), r.overdue.to_string()],
            vec!["AIS updates overdue".into(), r.ais_overdue.to_string()],
        ],
    ));
    out.push((
        "escalations",
        h(&["figure", "value"]),
        vec![
            vec!["raised".into(), w.escalations.raised.to_string()],
            vec!["resolved".into(), w.escalations.resolved.to_string()],
        ],
    ));
    let fx = &w.flex;
    let mut flex = vec![
        vec!["episodes started".into(), fx.started.to_string()],
        vec!["episodes ended".into(), fx.ended.to_string()],
        vec!["days of flexed care".into(), fx.days.to_string()],
        vec!["extra hours".into(), format!("{:.2}", fx.extra_hours)],
    ];
    flex.extend(fx.outcomes.iter().map(|(k, n)| vec![format!("outcome: {k}"), n.to_string()]));
    flex.extend(fx.by_provider.iter().map(|(k, n)| vec![format!("started by {k}"), n.to_string()]));
    out.push(("flexible care", h(&["figure", "value"]), flex));
    out
}

fn yes(b: bool) -> String {
    if b { "yes" } else { "no" }.into()
}

pub fn title(w: &Washup) -> String {
    format!("Wash-up: {}, {} to {}", w.area, w.from.format("%d/%m/%Y"), w.to.format("%d/%m/%Y"))
}

/// Each area's report as a document of sections.
pub fn docs(reports: &[Washup]) -> Vec<Doc> {
    reports.iter().map(|w| Doc { title: title(w), key: w.area.clone(), sections: sections(w) }).collect()
}

/// Markdown: a heading per area and section, a pipe table each.
pub fn markdown(reports: &[Washup]) -> String {
    super::report::markdown(&docs(reports))
}

/// CSV: one block per section, each row led by its section and area; a header row per block.
pub fn csv(reports: &[Washup]) -> anyhow::Result<Vec<u8>> {
    super::report::csv(&docs(reports), "area")
}
