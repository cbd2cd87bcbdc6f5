//! The wash-up's counting, on histories built by hand.

use super::replay::{replay, RawEvent};
use super::*;
use crate::domain::calendar::WorkingCalendar;
use chrono::TimeZone;
use serde_json::{json, Map, Value};

fn t(d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap()
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => unreachable!(),
    }
}

fn record(state: &str, accepted: Option<&str>) -> Map<String, Value> {
    obj(json!({"state": state, "team": "stp", "client_id": "1", "cluster_id": 1, "list_date": "2026-11-20T10:00:00Z",
        "accepted_at": accepted, "start_date": "2026-12-07", "weekly_minutes": 420, "missing": []}))
}

fn ev(id: i64, at: DateTime<Utc>, event: &str, before: Option<Value>) -> RawEvent {
    RawEvent { id, at, event: event.into(), details: Value::Null, before: before.map(obj) }
}

/// Listed Friday 20 (before the week), offered Monday 23, accepted Tuesday 24; and, after the
/// week, confirmed on Monday 30. The week is 23..=29 November.
fn history() -> History {
    let mut now = record("confirmed", Some("2026-11-24T10:00:00Z"));
    now.insert("confirmed_at".into(), json!("2026-11-30T09:00:00Z"));
    let events = vec![
        ev(4, t(30, 9), "placement confirmed", Some(json!({"state": "accepted", "confirmed_at": null}))),
        ev(2, t(23, 10), "offer made", Some(json!({"state": "waiting"}))),
        ev(3, t(24, 10), "response: accept", Some(json!({"state": "offered", "accepted_at": null}))),
    ];
    replay(7, &now, t(20, 10), events, t(23, 0), t(30, 0))
}

#[test]
fn replay_undoes_later_events_and_keeps_the_periods_changes_in_order() {
    let h = history();
    assert_eq!(h.at_start.as_ref().map(|s| s.state), Some(State::Waiting));
    let states: Vec<State> = h.changes.iter().map(|c| c.after.state).collect();
    assert_eq!(states, vec![State::Offered, State::Accepted], "the confirmation on the 30th is after the week");
    assert_eq!(h.at(t(24, 9)).map(|s| s.state), Some(State::Offered));
    assert_eq!(h.at_end().map(|s| s.state), Some(State::Accepted));
    assert_eq!(h.changes[1].before.as_ref().map(|s| s.state), Some(State::Offered));
}

#[test]
fn a_referral_created_after_the_period_is_not_in_it_and_one_created_in_it_is_new() {
    let now = record("waiting", None);
    let after = replay(8, &now, t(30, 10), vec![ev(9, t(30, 10), "referral added", None)], t(23, 0), t(30, 0));
    assert!(after.at_start.is_none() && after.changes.is_empty());
    let inside = replay(8, &now, t(25, 10), vec![ev(9, t(25, 10), "referral added", None)], t(23, 0), t(30, 0));
    assert!(inside.at_start.is_none());
    assert_eq!(inside.changes.len(), 1);
    assert!(inside.changes[0].before.is_none());
    // Imported in the period (no event of its own): new from when it was created.
    let imported = replay(8, &now, t(25, 10), vec![], t(23, 0), t(30, 0));
    assert_eq!(imported.changes.len(), 1);
    assert_eq!(imported.changes[0].event, "referral imported");
}

fn facts(histories: Vec<History>, offers: Vec<OfferFact>) -> Facts {
    Facts {
        area: "Test".into(),
        from: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        to: NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
        histories,
        offers,
        capacity: vec![],
        escalations: vec![],
        reviews: vec![],
        flex: vec![],
        clusters: BTreeMap::from([(1, "Canterbury".to_string())]),
        providers: BTreeMap::new(),
    }
}

fn offer(provider: &str, at: DateTime<Utc>, answer: Option<(Response, DateTime<Utc>)>) -> OfferFact {
    OfferFact {
        referral: 7,
        provider: provider.into(),
        tier: Tier::Clustered,
        offered_at: at,
        deadline: at + Duration::hours(2),
        response: answer.map(|a| a.0),
        responded_at: answer.map(|a| a.1),
        reason: answer.filter(|a| a.0 == Response::Decline).map(|_| DeclineReason::Geography),
        rurality: Some("Urban city and town".into()),
    }
}

#[test]
fn the_summary_counts_a_placement_with_its_working_days() {
    let w = compute(&facts(vec![history()], vec![]), &WorkingCalendar::new(vec![]), &Thresholds::default());
    assert_eq!((w.summary.on_list_start, w.summary.on_list_end, w.summary.placed), (1, 0, 1));
    assert_eq!(w.summary.new, 0);
    // Listed Friday 20, accepted Tuesday 24: Monday and Tuesday are 2 working days.
    assert_eq!(w.wd_to_accept, vec![2]);
    assert_eq!(w.summary.median_wd_to_accept, Some(2.0));
    // The list day by day: waiting on Sunday 22 → offered Monday (on the list) → placed Tuesday.
    let on_list: Vec<usize> = w.list_by_day.iter().map(|d| d.red + d.amber + d.green).collect();
    assert_eq!(on_list, vec![1, 0, 0, 0, 0, 0, 0]);
}

#[test]
fn responses_are_as_of_the_periods_end() {
    let offers = vec![
        offer("A", t(23, 9), Some((Response::Decline, t(23, 9) + Duration::minutes(30)))),
        offer("A", t(24, 9), Some((Response::Decline, t(24, 9) + Duration::minutes(51)))),
        // Offered Sunday 22:30; answered Monday 30th after the week: lapsed as of the week's end.
        offer("B", t(29, 22) + Duration::minutes(30), Some((Response::Accept, t(30, 1)))),
        // Offered Sunday 23:30: its 2 hours run past the week, so it is neither answered nor lapsed.
        offer("C", t(29, 23) + Duration::minutes(30), None),
    ];
    let w = compute(&facts(vec![], offers), &WorkingCalendar::new(vec![]), &Thresholds::default());
    let a = &w.providers[0];
    assert_eq!((a.offers, a.declined, a.median_response_minutes), (2, 2, Some(40.5)));
    assert_eq!(a.declines_by_reason.get("geography"), Some(&2));
    let cut = &a.by_rurality["Urban city and town"];
    assert_eq!((cut.offers, cut.declined, cut.accepted, cut.lapsed), (2, 2, 0, 0));
    let b = &w.providers[1];
    assert_eq!((b.lapsed, b.accepted), (0, 0), "B's 2 hours ran until 00:30 on the 30th: still open at the end");
    let c = &w.providers[2];
    assert_eq!((c.offers, c.lapsed, c.accepted), (1, 0, 0));
}

#[test]
fn iso_weeks_and_the_last_complete_week() {
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    assert_eq!(iso_week("2026-W48"), Some((d(11, 23), d(11, 29))));
    assert_eq!(iso_week("2026-w01"), Some((NaiveDate::from_ymd_opt(2025, 12, 29).unwrap(), d(1, 4))));
    assert_eq!(iso_week("2026-W54"), None);
    assert_eq!(iso_week("2026-48"), None);
    assert_eq!(last_complete_week(d(12, 2)), (d(11, 23), d(11, 29)));
    assert_eq!(last_complete_week(d(11, 30)), (d(11, 23), d(11, 29)), "on a Monday, the week just ended");
    assert_eq!(last_complete_week(d(11, 29)), (d(11, 16), d(11, 22)), "on a Sunday the week is not complete");
}
