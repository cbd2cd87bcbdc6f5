//! When `escalate` must look at a referral again although nothing about it has changed.
//!
//! The rules of SPEC §8 (`waiting::escalations_due`) read the clock in two ways only: the London
//! date (working days waiting, SDO, financial-assessment and start dates) and a few instants of
//! the referral's own (an offer's 2-hour deadline, a considering provider's answer-by time, the
//! confirmation form's 2 hours after acceptance). The referral's state as of now and the next
//! provider to approach turn on the same offer instants. So until the earliest of those still to
//! come, or the next London midnight, the same facts give the same escalations, and a run of
//! `escalate` can pass the referral by. A property test holds `escalations_due` to that.

use super::dates::{london_date, start_of_london_day};
use super::responses::confirmation_form_deadline;
use super::waiting::EscalationFacts;
use chrono::{DateTime, Duration, Utc};

/// The first instant after `now` at which the clock alone may change what is due for a
/// referral with these facts: never later than the next London midnight.
pub fn next_check(f: &EscalationFacts, now: DateTime<Utc>) -> DateTime<Utc> {
    let midnight = start_of_london_day(london_date(now) + Duration::days(1));
    let offers = f.offers.iter().flat_map(|o| [Some(o.deadline), o.until]);
    let accepted = f.accepted_at.map(confirmation_form_deadline);
    // A rule fires when now is past an instant (`now > deadline`), so the first moment it can
    // differ is one second after it.
    offers
        .chain([accepted])
        .flatten()
        .map(|t| t + Duration::seconds(1))
        .filter(|t| *t > now)
        .fold(midnight, DateTime::min)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::{parse_holiday_csv, WorkingCalendar};
    use crate::domain::model::{Response, State, Team};
    use crate::domain::responses::OfferFacts;
    use crate::domain::waiting::{escalations_due, ListFacts, Thresholds};
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn cal() -> WorkingCalendar {
        WorkingCalendar::new(parse_holiday_csv(include_str!("../../data/bank-holidays-england-and-wales.csv")).unwrap())
    }

    fn at(minutes: i64) -> DateTime<Utc> {
        // From Friday 23 October 2026 (the clocks go back that weekend).
        DateTime::parse_from_rfc3339("2026-10-23T08:00:00Z").unwrap().with_timezone(&Utc) + Duration::minutes(minutes)
    }

    fn due_keys(f: &EscalationFacts, t: DateTime<Utc>) -> Vec<(String, String)> {
        escalations_due(f, &cal(), &Thresholds::default(), t, london_date(t))
            .into_iter()
            .map(|d| (d.rule.as_str().to_string(), d.trigger))
            .collect()
    }

    #[test]
    fn the_next_check_is_the_first_instant_to_come() {
        let offer = OfferFacts {
            id: 1,
            provider_id: 1,
            offered_at: at(0),
            deadline: at(120),
            response: None,
            responded_at: None,
            reason: None,
            until: None,
            future_start: None,
        };
        let offers = [offer];
        let list = ListFacts {
            state: State::Offered,
            team: Team::Stp,
            list_date: Some(NaiveDate::from_ymd_opt(2026, 10, 20).unwrap()),
            start: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            hospital_discharge: false,
            overstayer: false,
            handback_care_ends: None,
        };
        let f = crate::domain::waiting::tests::facts(list, &offers);
        assert_eq!(next_check(&f, at(10)), at(120) + Duration::seconds(1));
        // After the deadline: the next London midnight (Saturday 00:00 BST is Friday 23:00 UTC).
        assert_eq!(next_check(&f, at(130)), DateTime::parse_from_rfc3339("2026-10-23T23:00:00Z").unwrap());
    }

    fn arb_offer(id: i64) -> impl Strategy<Value = OfferFacts> {
        (0i64..6000, prop::option::of(0usize..5), prop::option::of(0i64..9000)).prop_map(move |(off, resp, until)| {
            OfferFacts {
                id,
                provider_id: id,
                offered_at: at(off),
                deadline: at(off + 120),
                response: resp.map(|k| {
                    [Response::Considering, Response::Decline, Response::Accept, Response::Tentative, Response::Lapsed]
                        [k]
                }),
                responded_at: None,
                reason: None,
                until: until.map(at),
                future_start: None,
            }
        })
    }

    proptest! {
        /// Between now and the next check, the clock alone never changes what is due.
        #[test]
        fn nothing_becomes_due_before_the_next_check(
            offers in prop::collection::vec(arb_offer(1), 0..3),
            state in 0usize..6,
            listed_days_ago in 0i64..20,
            accepted in prop::option::of(0i64..6000),
            sdo_due in prop::option::of(-3i64..6),
            fa_due in prop::option::of(-3i64..6),
            now in 0i64..7000,
            step in 0.0f64..1.0,
        ) {
            let offers: Vec<OfferFacts> = offers.into_iter().enumerate().map(|(i, mut o)| { o.id = i as i64 + 1; o }).collect();
            let now = at(now);
            let today = london_date(now);
            let state = [State::Waiting, State::Offered, State::Considering, State::Accepted, State::Confirmed, State::Active][state];
            let f = EscalationFacts {
                list: ListFacts {
                    state,
                    team: Team::Act,
                    list_date: Some(today - Duration::days(listed_days_ago)),
                    start: today + Duration::days(3),
                    hospital_discharge: false,
                    overstayer: false,
                    handback_care_ends: None,
                },
                offers: &offers,
                needs: None,
                accepted_at: accepted.map(at),
                form_sent: false,
                confirmed_start: Some(today + Duration::days(2)),
                indi_pending: false,
                sdo_due: sdo_due.map(|d| today + Duration::days(d)),
                sdo_sent: false,
                fa_due: fa_due.map(|d| today + Duration::days(d)),
                fa_done: false,
            };
            let next = next_check(&f, now);
            prop_assert!(next > now && next - now <= Duration::hours(25));
            let span = (next - now).num_seconds() - 1;
            let later = now + Duration::seconds((span as f64 * step) as i64);
            prop_assert_eq!(due_keys(&f, later), due_keys(&f, now), "at {} (next check {})", later, next);
        }
    }
}
