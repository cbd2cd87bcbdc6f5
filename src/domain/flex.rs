//! Flexible domiciliary care (SPEC §16, seed 004): a provider already delivering a KCC-funded
//! package may flex it up, without the case manager's prior approval, to as much as 24 hours a
//! day for at most 7 days. This module decides whether an episode may start and when its day-7
//! review falls.

use super::dates::{london_date, london_to_utc};
use super::model::{ClientGroup, Funding, Service, State};
use crate::error::UserError;
use chrono::{DateTime, Duration, Utc};

/// The longest a flex episode runs before the package needs review.
pub const MAX_DAYS: i64 = 7;

/// What the decision needs to know.
#[derive(Debug, Clone)]
pub struct FlexFacts {
    pub referral: i64,
    pub state: State,
    pub funding: Option<Funding>,
    pub direct_payment: bool,
    pub service: Option<Service>,
    pub client_group: Option<ClientGroup>,
    pub enablement_eligible: bool,
    /// The provider delivering the package: its name and whether it has signed up to flex.
    pub provider: Option<(String, bool)>,
    pub minutes_per_day: i64,
    /// Open episodes, and ended ones, for the same client: (from, ended).
    pub episodes: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>,
    /// The flexed package's weekly cost (the flexed hours every day of the week at the rates
    /// in force), when rates are recorded; the TDM limit; whether an authoriser is named.
    pub weekly_cost_pence: Option<i64>,
    pub tdm_limit_pence: i64,
    pub authorised: bool,
}

fn refuse(msg: String, hint: &str) -> UserError {
    UserError::new(msg).hint(hint.to_string())
}

/// Whether an episode from `from` may start; each refusal says why and what to do.
pub fn may_start(f: &FlexFacts, from: DateTime<Utc>) -> Result<(), UserError> {
    let id = f.referral;
    if f.state != State::Active {
        return Err(refuse(
            format!("referral {id} is {}; only an active package can be flexed", f.state),
            "flexible care tops up care already being delivered",
        ));
    }
    if let Some(fund) = f.funding.filter(|x| *x != Funding::Kcc) {
        return Err(refuse(
            format!("referral {id} is funded {}: flexible care is for packages KCC manages and funds", fund.label()),
            "ask the case manager to arrange extra care instead",
        ));
    }
    if f.direct_payment {
        return Err(refuse(
            format!("referral {id} is on direct payments: no flexible care"),
            "the client arranges extra care through the direct payment",
        ));
    }
    if let Some(s) = f.service.filter(|s| *s != Service::OlderPeopleHomecare) {
        return Err(refuse(
            format!("referral {id} is in {s}: flexible care does not cover Extra Care Housing, SIS or BHAL"),
            "the service's own arrangements apply",
        ));
    }
    match f.client_group {
        Some(ClientGroup::OlderPeople | ClientGroup::PhysicalDisability) => {}
        Some(g) => {
            return Err(refuse(
                format!(
                "referral {id} is in the {g} client group: flexible care is for older people and physical disability"
            ),
                "ask the case manager to review the package",
            ))
        }
        None => {
            return Err(refuse(
                format!("referral {id} has no client group recorded"),
                "the client group is recorded with the referral (referral add --client-group); a placed package cannot be changed in hcp yet, so ask the case manager",
            ))
        }
    }
    if f.enablement_eligible {
        return Err(refuse(
            format!("referral {id} is eligible for enablement: no flexible care"),
            "refer to enablement (KEaH) instead",
        ));
    }
    match &f.provider {
        None => {
            return Err(refuse(
                format!("referral {id} has no provider"),
                "flexible care is given by the provider delivering the package",
            ))
        }
        Some((name, false)) => {
            return Err(refuse(
                format!("{name} has not signed up to flexible care"),
                "sign it up first: hcp provider update P --flex",
            ))
        }
        Some(_) => {}
    }
    if f.minutes_per_day <= 0 || f.minutes_per_day > 24 * 60 {
        return Err(refuse(
            format!(
                "{} hours a day is not possible: flexible care is up to 24 hours a day",
                f.minutes_per_day as f64 / 60.0
            ),
            "give --hours-per-day between 0.25 and 24",
        ));
    }
    if let Some(cost) = f.weekly_cost_pence.filter(|c| *c > f.tdm_limit_pence && !f.authorised) {
        return Err(refuse(
            format!(
                "the flexed package would cost {} a week, above the TDM limit of {}",
                super::text::show_pence(cost),
                super::text::show_pence(f.tdm_limit_pence)
            ),
            "name who authorised it: --authorised-by NAME",
        ));
    }
    // The new episode runs on until it is ended, so it overlaps any episode not ended by then.
    if let Some((start, _)) = f.episodes.iter().find(|(_, end)| end.is_none_or(|e| from < e)) {
        return Err(refuse(
            format!("referral {id} already has a flexible care episode from {}", super::dates::show_instant(*start)),
            "end it first: hcp flex end ID --at T",
        ));
    }
    Ok(())
}

/// The day-7 review: 7 days after the start, at the same London time.
pub fn day7_due(from: DateTime<Utc>) -> DateTime<Utc> {
    let local = from.with_timezone(&chrono_tz::Europe::London).naive_local() + Duration::days(MAX_DAYS);
    london_to_utc(local).unwrap_or(from + Duration::days(MAX_DAYS))
}

/// The London days an episode covers within [start, end): for the wash-up's days and hours.
pub fn days_within(from: DateTime<Utc>, ended: Option<DateTime<Utc>>, start: DateTime<Utc>, end: DateTime<Utc>) -> i64 {
    let a = from.max(start);
    let b = ended.unwrap_or(end).min(end);
    if b <= a {
        return 0;
    }
    let (da, db) = (london_date(a), london_date(b - Duration::seconds(1)));
    (db - da).num_days() + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::parse_instant;

    fn t(s: &str) -> DateTime<Utc> {
        parse_instant(s).unwrap()
    }

    fn facts() -> FlexFacts {
        FlexFacts {
            referral: 1,
            state: State::Active,
            funding: Some(Funding::Kcc),
            direct_payment: false,
            service: None,
            client_group: Some(ClientGroup::OlderPeople),
            enablement_eligible: false,
            provider: Some(("Tern Care".into(), true)),
            minutes_per_day: 24 * 60,
            episodes: vec![],
            weekly_cost_pence: Some(378_000),
            tdm_limit_pence: 300_000,
            authorised: true,
        }
    }

    #[test]
    fn each_refusal_names_its_reason() {
        let from = t("2026-11-23 14:00");
        assert!(may_start(&facts(), from).is_ok());
        type Change = Box<dyn Fn(&mut FlexFacts)>;
        let cases: Vec<(Change, &str)> = vec![
            (Box::new(|f| f.state = State::Confirmed), "only an active package"),
            (Box::new(|f| f.funding = Some(Funding::SelfFunder)), "Self Funder"),
            (Box::new(|f| f.funding = Some(Funding::Chc)), "CHC"),
            (Box::new(|f| f.direct_payment = true), "direct payments"),
            (Box::new(|f| f.service = Some(Service::ExtraCare)), "Extra Care"),
            (Box::new(|f| f.client_group = Some(ClientGroup::LearningDisability)), "learning-disability"),
            (Box::new(|f| f.client_group = Some(ClientGroup::MentalHealth)), "mental-health"),
            (Box::new(|f| f.client_group = None), "no client group"),
            (Box::new(|f| f.enablement_eligible = true), "enablement"),
            (Box::new(|f| f.provider = Some(("Tern Care".into(), false))), "not signed up"),
            (Box::new(|f| f.minutes_per_day = 25 * 60), "25 hours a day"),
            (Box::new(|f| f.episodes = vec![(t("2026-11-22 10:00"), None)]), "already has"),
            (Box::new(|f| f.authorised = false), "above the TDM limit of £3,000.00"),
        ];
        for (change, words) in cases {
            let mut f = facts();
            change(&mut f);
            let e = may_start(&f, from).expect_err(words);
            assert!(e.to_string().contains(words), "{e} should say {words}");
        }
    }

    #[test]
    fn an_ended_episode_does_not_block_a_later_one() {
        let mut f = facts();
        f.episodes = vec![(t("2026-11-10 10:00"), Some(t("2026-11-12 10:00")))];
        assert!(may_start(&f, t("2026-11-23 14:00")).is_ok());
        // But a new one may not start inside it.
        assert!(may_start(&f, t("2026-11-11 09:00")).is_err());
    }

    #[test]
    fn day_seven_is_the_same_london_time_a_week_later_across_the_clock_change() {
        assert_eq!(day7_due(t("2026-11-23 14:00")), t("2026-11-30 14:00"));
        // 24 October 2026 14:00 BST → 31 October 14:00 GMT... the clocks go back on 25 October.
        assert_eq!(day7_due(t("2026-10-24 14:00")), t("2026-10-31 14:00"));
        assert_eq!(day7_due(t("2026-10-24 14:00")) - t("2026-10-24 14:00"), Duration::hours(7 * 24 + 1));
    }

    #[test]
    fn days_within_counts_london_days_in_the_period() {
        let (s, e) = (t("2026-11-23 00:00"), t("2026-11-30 00:00"));
        assert_eq!(days_within(t("2026-11-23 14:00"), None, s, e), 7);
        assert_eq!(days_within(t("2026-11-20 14:00"), Some(t("2026-11-24 10:00")), s, e), 2);
        assert_eq!(days_within(t("2026-11-10 14:00"), Some(t("2026-11-12 10:00")), s, e), 0);
    }
}
