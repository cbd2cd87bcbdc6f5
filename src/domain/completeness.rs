//! Is a referral complete enough to source care? (SPEC §5, Guidance purchasing 1–2.)
//!
//! Facts in, the list of missing or inconsistent items out, each with a sentence the referrer
//! can act on. The missing-information email (Appendix 3) is built from these sentences.

use super::calendar::WorkingCalendar;
use super::model::{Funding, Item, Team};
use super::text::{show_hours, show_pence};
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// What the check needs to know about a referral.
#[derive(Debug, Clone)]
pub struct ReferralFacts {
    pub team: Team,
    pub funding: Option<Funding>,
    pub known_to_act: bool,
    /// Currently in KEaH or had a recent KEaH episode.
    pub recent_keah: bool,
    pub bypass_keah: bool,
    pub risk_flagged: bool,
    pub time_critical: bool,
    pub docs: BTreeSet<Item>,
    /// A cluster is known, from the postcode or given by hand.
    pub has_cluster: bool,
    pub postcode_given: bool,
    pub received: NaiveDate,
    pub start: NaiveDate,
    pub calls_per_day: i64,
    pub minutes_per_call: i64,
    pub days_per_week: i64,
    pub double_handed: bool,
    /// Hours per week, in minutes, as stated or computed.
    pub weekly_minutes: i64,
    pub authorised_weekly_pence: Option<i64>,
    pub estimated_weekly_pence: Option<i64>,
    /// KEaH self-funders: the day enablement ended, when known.
    pub enablement_ended: Option<NaiveDate>,
}

/// Thresholds that are settings, not law.
#[derive(Debug, Clone, Copy)]
pub struct CompletenessRules {
    /// A KEaH referral at or above this weekly cost may come before its financial authorisation.
    pub keah_high_cost_pence: i64,
    /// Hours per week may differ from calls × minutes × 7 by this many minutes.
    pub hours_tolerance_minutes: i64,
    /// KEaH self-funders' grace period after enablement ends.
    pub self_funder_grace_days: u32,
}

impl Default for CompletenessRules {
    fn default() -> Self {
        use super::settings::default_of;
        CompletenessRules {
            keah_high_cost_pence: default_of("referral.keah_high_cost_pence"),
            hours_tolerance_minutes: default_of("referral.hours_tolerance_minutes"),
            self_funder_grace_days: default_of("referral.self_funder_grace_days") as u32,
        }
    }
}

/// One thing the referral lacks, in plain words for the referrer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    pub item: Item,
    pub sentence: String,
}

fn missing(item: Item, sentence: impl Into<String>) -> Missing {
    Missing { item, sentence: sentence.into() }
}

/// Calls a day × minutes a call × days a week: the package's minutes a week (the one place this
/// is computed).
pub fn planned_weekly_minutes(calls_per_day: i64, minutes_per_call: i64, days_per_week: i64) -> i64 {
    calls_per_day.saturating_mul(minutes_per_call).saturating_mul(days_per_week)
}

/// Every item that stops the referral joining the list, in checklist order.
pub fn check(f: &ReferralFacts, cal: &WorkingCalendar, rules: &CompletenessRules) -> Vec<Missing> {
    let mut out = documents_missing(f, rules);
    out.extend(inconsistencies(f, cal, rules));
    out
}

/// The documents checklist (SPEC §5 table).
fn documents_missing(f: &ReferralFacts, rules: &CompletenessRules) -> Vec<Missing> {
    let mut out = Vec::new();
    let has = |i: Item| f.docs.contains(&i);

    // Guidance: authorisation first, except KEaH for a high-cost package (it may follow).
    let keah_high_cost =
        f.team == Team::Keah && f.estimated_weekly_pence.is_some_and(|e| e >= rules.keah_high_cost_pence);
    if !keah_high_cost {
        if !has(Item::FinancialAuthorisation) {
            out.push(missing(
                Item::FinancialAuthorisation,
                "Financial authorisation for the package at the appropriate level.",
            ));
        } else if let (Some(auth), Some(est)) = (f.authorised_weekly_pence, f.estimated_weekly_pence) {
            if auth < est {
                out.push(missing(
                    Item::FinancialAuthorisation,
                    format!(
                        "Financial authorisation at a level covering the estimated weekly cost: {} is authorised but the package is estimated at {} a week.",
                        show_pence(auth),
                        show_pence(est)
                    ),
                ));
            }
        }
    }
    if !has(Item::ReferralForm) {
        out.push(missing(Item::ReferralForm, "A completed Purchasing Referral Form."));
    }
    if !has(Item::ChargingLetter) {
        out.push(missing(Item::ChargingLetter, "The client's signed charging letter."));
    }
    if !has(Item::AisUpdated) {
        out.push(missing(Item::AisUpdated, "Swift/AIS updated with the client's current details."));
    }
    if f.known_to_act && !has(Item::Bica) {
        out.push(missing(Item::Bica, "A complete and current BICA (the client is known to ACT)."));
    }
    if (f.team == Team::Keah || f.recent_keah) && !has(Item::FinalReview) {
        out.push(missing(Item::FinalReview, "The KEaH Final Review Form (referred by KEaH or a recent KEaH episode)."));
    }
    if f.risk_flagged && !has(Item::RiskAssessment) {
        out.push(missing(Item::RiskAssessment, "A risk assessment for the risk flagged on the referral."));
    }
    if (f.time_critical || f.bypass_keah) && !has(Item::TmApproval) {
        let why = match (f.time_critical, f.bypass_keah) {
            (true, true) => "time-critical calls are stipulated and the client is bypassing KEaH",
            (true, false) => "time-critical calls are stipulated",
            _ => "the client is bypassing KEaH",
        };
        out.push(missing(
            Item::TmApproval,
            format!("Team Manager (or Senior Practitioner) approval, because {why}; please forward the request through them."),
        ));
    }
    out
}

/// Also incomplete (SPEC §5): facts that do not add up.
fn inconsistencies(f: &ReferralFacts, cal: &WorkingCalendar, rules: &CompletenessRules) -> Vec<Missing> {
    let mut out = Vec::new();
    if !f.has_cluster {
        let s = if f.postcode_given {
            "A Kent postcode we can place in a cluster (the postcode given is not in Kent's table); please check it."
        } else {
            "The client's postcode."
        };
        out.push(missing(Item::Postcode, s));
    }
    if f.start < f.received {
        out.push(missing(
            Item::StartBeforeReceived,
            format!(
                "A requested start date on or after the date of referral (start {} is before received {}).",
                f.start.format("%d/%m/%Y"),
                f.received.format("%d/%m/%Y")
            ),
        ));
    }
    if f.weekly_minutes <= 0 || f.calls_per_day <= 0 || f.minutes_per_call <= 0 {
        out.push(missing(
            Item::HoursNotPositive,
            "The package: calls per day, minutes per call and hours per week must all be more than zero.",
        ));
    } else {
        // The hours may be the client's hours, or carer hours when the calls are double-handed.
        let expected = planned_weekly_minutes(f.calls_per_day, f.minutes_per_call, f.days_per_week);
        let close = |e: i64| (e - f.weekly_minutes).abs() <= rules.hours_tolerance_minutes;
        if !close(expected) && (!f.double_handed || !close(expected * 2)) {
            out.push(missing(
                Item::HoursMismatch,
                format!(
                    "Hours per week that match the calls: {} calls a day of {} minutes, {} days a week, is {} hours a week{}, but the referral says {}.",
                    f.calls_per_day,
                    f.minutes_per_call,
                    f.days_per_week,
                    show_hours(expected),
                    if f.double_handed { format!(" ({} carer hours)", show_hours(expected * 2)) } else { String::new() },
                    show_hours(f.weekly_minutes)
                ),
            ));
        }
    }
    if f.team == Team::Keah && f.funding == Some(Funding::SelfFunder) {
        if let Some(ended) = f.enablement_ended {
            let grace_end = cal.add_working_days(ended, rules.self_funder_grace_days);
            if f.received <= grace_end {
                out.push(missing(
                    Item::SelfFunderGrace,
                    format!(
                        "This self-funder's {}-working-day grace period after enablement ends on {}; refer after that if care has not been found.",
                        rules.self_funder_grace_days,
                        grace_end.format("%d/%m/%Y")
                    ),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A complete STP referral: the four documents every referral needs, nothing flagged.
    fn complete() -> ReferralFacts {
        ReferralFacts {
            team: Team::Stp,
            funding: Some(Funding::Kcc),
            known_to_act: false,
            recent_keah: false,
            bypass_keah: false,
            risk_flagged: false,
            time_critical: false,
            docs: [Item::FinancialAuthorisation, Item::ReferralForm, Item::ChargingLetter, Item::AisUpdated]
                .into_iter()
                .collect(),
            has_cluster: true,
            postcode_given: true,
            received: d("2026-11-23"),
            start: d("2026-11-30"),
            calls_per_day: 4,
            minutes_per_call: 30,
            days_per_week: 7,
            double_handed: false,
            weekly_minutes: 840,
            authorised_weekly_pence: None,
            estimated_weekly_pence: None,
            enablement_ended: None,
        }
    }

    fn items(f: &ReferralFacts) -> Vec<Item> {
        check(f, &WorkingCalendar::default(), &CompletenessRules::default()).into_iter().map(|m| m.item).collect()
    }

    fn without(doc: Item) -> ReferralFacts {
        let mut f = complete();
        f.docs.remove(&doc);
        f
    }

    #[test]
    fn a_complete_referral_misses_nothing() {
        assert!(items(&complete()).is_empty());
    }

    #[test]
    fn the_four_documents_are_always_required() {
        for doc in [Item::FinancialAuthorisation, Item::ReferralForm, Item::ChargingLetter, Item::AisUpdated] {
            assert_eq!(items(&without(doc)), vec![doc]);
        }
    }

    #[test]
    fn bica_only_when_known_to_act() {
        let mut f = complete();
        f.known_to_act = true;
        assert_eq!(items(&f), vec![Item::Bica]);
        f.docs.insert(Item::Bica);
        assert!(items(&f).is_empty());
    }

    #[test]
    fn final_review_when_keah_referral_or_recent_episode() {
        let mut f = complete();
        f.team = Team::Keah;
        assert_eq!(items(&f), vec![Item::FinalReview]);
        let mut g = complete();
        g.recent_keah = true;
        assert_eq!(items(&g), vec![Item::FinalReview]);
        g.docs.insert(Item::FinalReview);
        assert!(items(&g).is_empty());
    }

    #[test]
    fn risk_assessment_when_a_risk_is_flagged() {
        let mut f = complete();
        f.risk_flagged = true;
        assert_eq!(items(&f), vec![Item::RiskAssessment]);
        f.docs.insert(Item::RiskAssessment);
        assert!(items(&f).is_empty());
    }

    #[test]
    fn tm_approval_for_time_critical_calls_or_bypassing_keah() {
        let mut f = complete();
        f.time_critical = true;
        assert_eq!(items(&f), vec![Item::TmApproval]);
        let mut g = complete();
        g.bypass_keah = true;
        let got = check(&g, &WorkingCalendar::default(), &CompletenessRules::default());
        assert_eq!(got.len(), 1);
        assert!(got[0].sentence.contains("bypassing KEaH"));
        g.docs.insert(Item::TmApproval);
        assert!(items(&g).is_empty());
    }

    #[test]
    fn authorisation_must_cover_the_estimated_cost() {
        let mut f = complete();
        f.authorised_weekly_pence = Some(20_000);
        f.estimated_weekly_pence = Some(25_000);
        let got = check(&f, &WorkingCalendar::default(), &CompletenessRules::default());
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].item, Item::FinancialAuthorisation);
        assert!(got[0].sentence.contains("£200.00") && got[0].sentence.contains("£250.00"));
        f.authorised_weekly_pence = Some(25_000);
        assert!(items(&f).is_empty());
    }

    #[test]
    fn keah_high_cost_package_may_come_before_authorisation() {
        let mut f = without(Item::FinancialAuthorisation);
        f.team = Team::Keah;
        f.docs.insert(Item::FinalReview);
        f.estimated_weekly_pence = Some(60_000);
        assert!(items(&f).is_empty());
        // Below the high-cost line the authorisation is still needed.
        f.estimated_weekly_pence = Some(30_000);
        assert_eq!(items(&f), vec![Item::FinancialAuthorisation]);
        // The exception is KEaH's alone.
        let mut g = without(Item::FinancialAuthorisation);
        g.estimated_weekly_pence = Some(60_000);
        assert_eq!(items(&g), vec![Item::FinancialAuthorisation]);
    }

    #[test]
    fn postcode_and_cluster() {
        let mut f = complete();
        f.has_cluster = false;
        let got = check(&f, &WorkingCalendar::default(), &CompletenessRules::default());
        assert_eq!(got[0].item, Item::Postcode);
        assert!(got[0].sentence.contains("not in Kent"));
        f.postcode_given = false;
        let got = check(&f, &WorkingCalendar::default(), &CompletenessRules::default());
        assert_eq!(got[0].sentence, "The client's postcode.");
    }

    #[test]
    fn start_before_received() {
        let mut f = complete();
        f.start = d("2026-11-22");
        assert_eq!(items(&f), vec![Item::StartBeforeReceived]);
        f.start = d("2026-11-23");
        assert!(items(&f).is_empty());
    }

    #[test]
    fn hours_must_match_calls_within_tolerance() {
        let mut f = complete();
        f.weekly_minutes = 840 + 15;
        assert!(items(&f).is_empty());
        f.weekly_minutes = 840 + 16;
        assert_eq!(items(&f), vec![Item::HoursMismatch]);
        f.weekly_minutes = 600;
        let got = check(&f, &WorkingCalendar::default(), &CompletenessRules::default());
        assert!(got[0].sentence.contains("14 hours") && got[0].sentence.contains("says 10"));
    }

    #[test]
    fn hours_must_be_positive() {
        let mut f = complete();
        f.weekly_minutes = 0;
        assert_eq!(items(&f), vec![Item::HoursNotPositive]);
        let mut g = complete();
        g.calls_per_day = 0;
        g.weekly_minutes = 0;
        assert_eq!(items(&g), vec![Item::HoursNotPositive]);
    }

    #[test]
    fn keah_self_funder_grace_period_uses_working_days() {
        let cal = WorkingCalendar::new(
            super::super::calendar::parse_holiday_csv(include_str!("../../data/bank-holidays-england-and-wales.csv"))
                .unwrap(),
        );
        let mut f = complete();
        f.team = Team::Keah;
        f.funding = Some(Funding::SelfFunder);
        f.docs.insert(Item::FinalReview);
        // Enablement ended Friday 18 December 2026: the 5th working day after is Tuesday 29
        // December (Christmas Day and the substitute Boxing Day are skipped).
        f.enablement_ended = Some(d("2026-12-18"));
        f.received = d("2026-12-29");
        f.start = d("2027-01-04");
        let got = check(&f, &cal, &CompletenessRules::default());
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].item, Item::SelfFunderGrace);
        assert!(got[0].sentence.contains("29/12/2026"));
        f.received = d("2026-12-30");
        assert!(check(&f, &cal, &CompletenessRules::default()).is_empty());
        // Not a self-funder: no grace period applies.
        f.received = d("2026-12-21");
        f.funding = Some(Funding::Kcc);
        assert!(check(&f, &cal, &CompletenessRules::default()).is_empty());
    }
}
