//! Intake: a referral's completeness facts, and moving it between `incomplete` and the list
//! (SPEC §5).

use super::calendar::WorkingCalendar;
use super::completeness::{check, CompletenessRules, Missing, ReferralFacts};
use super::dates::london_date;
use super::model::State;
use super::record::Referral;
use chrono::{DateTime, Utc};

/// What the completeness check needs to know about a referral.
pub fn facts(r: &Referral) -> ReferralFacts {
    let received = london_date(r.received_at);
    ReferralFacts {
        team: r.team,
        funding: r.funding,
        known_to_act: r.known_to_act,
        recent_keah: r.in_keah || r.recent_keah,
        bypass_keah: r.bypass_keah,
        risk_flagged: r.risk.is_some(),
        time_critical: r.time_critical.is_some(),
        docs: r.docs.iter().copied().collect(),
        has_cluster: r.cluster_id.is_some(),
        postcode_given: r.postcode.is_some(),
        received,
        start: r.start_date,
        calls_per_day: r.calls_per_day,
        minutes_per_call: r.minutes_per_call,
        days_per_week: r.days_per_week,
        double_handed: r.double_handed,
        weekly_minutes: r.weekly_minutes,
        authorised_weekly_pence: r.authorised_weekly_pence,
        estimated_weekly_pence: r.estimated_weekly_pence,
        enablement_ended: r.enablement_ended,
    }
}

/// Run the completeness check and move the referral between `incomplete` and `waiting`.
///
/// SPEC §5: the list date is when the complete referral reached Purchasing — `completed_at`,
/// which is the received time for a referral complete on arrival (however late it is keyed in)
/// and the time the last missing piece arrived otherwise. A referral that was listed, went back
/// to incomplete and is completed again keeps its first list date.
pub fn recheck(
    r: &mut Referral,
    cal: &WorkingCalendar,
    rules: &CompletenessRules,
    completed_at: DateTime<Utc>,
) -> Vec<Missing> {
    recheck_with(r, cal, rules, completed_at, None)
}

/// `recheck`, with the estimated weekly cost from the rates when the referral gives none.
pub fn recheck_with(
    r: &mut Referral,
    cal: &WorkingCalendar,
    rules: &CompletenessRules,
    completed_at: DateTime<Utc>,
    rate_estimate: Option<i64>,
) -> Vec<Missing> {
    let mut f = facts(r);
    f.estimated_weekly_pence = f.estimated_weekly_pence.or(rate_estimate);
    let missing = check(&f, cal, rules);
    r.missing = missing.iter().map(|m| m.item).collect();
    match (r.state, missing.is_empty()) {
        (State::Incomplete, true) => {
            r.state = State::Waiting;
            r.list_date = Some(r.list_date.unwrap_or(completed_at));
        }
        (State::Waiting, false) => r.state = State::Incomplete,
        _ => {}
    }
    missing
}
