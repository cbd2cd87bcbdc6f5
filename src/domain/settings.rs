//! The thresholds that are local policy, not law: each setting's name, default, range and
//! meaning, in one place. `hcp settings set` checks the range; the rules are built from the
//! stored values or these defaults.

use super::calendar::WorkingCalendar;
use super::completeness::CompletenessRules;
use super::rules::Rules;
use super::waiting::Thresholds;

/// One setting.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    pub key: &'static str,
    pub default: i64,
    pub min: i64,
    pub max: i64,
    pub meaning: &'static str,
}

const fn setting(key: &'static str, default: i64, min: i64, max: i64, meaning: &'static str) -> Setting {
    Setting { key, default, min, max, meaning }
}

pub const SETTINGS: &[Setting] = &[
    setting("rag.amber_days", 5, 1, 60, "working days waiting before a referral turns amber"),
    setting("rag.red_days", 10, 1, 120, "working days waiting before a referral turns red"),
    setting("rag.start_passed_red_days", 5, 1, 60, "working days past the requested start before red"),
    setting(
        "flex.tdm_limit_pence",
        300_000,
        0,
        10_000_000,
        "weekly cost of a flexed package above which a named authoriser is needed",
    ),
    setting("pir.target_days", 42, 14, 55, "days after the start hcp proposes a new-to-ACT client's first review"),
    setting("rag.handback_red_days", 5, 0, 60, "red when a handed-back package's care ends within this many days"),
    setting(
        "escalate.area_teleconference",
        5,
        1,
        1000,
        "referrals waiting in one area before an all-provider teleconference",
    ),
    setting(
        "referral.keah_high_cost_pence",
        50_000,
        0,
        10_000_000,
        "KEaH weekly cost (pence) at which authorisation may follow the referral",
    ),
    setting(
        "referral.hours_tolerance_minutes",
        15,
        0,
        600,
        "minutes a week hours may differ from calls × minutes × days",
    ),
    setting("referral.self_funder_grace_days", 5, 0, 60, "KEaH self-funders' grace period in working days"),
    setting("exit.high_hours_minutes", 840, 60, 10_080, "exit tracker: minutes a week that count as high hours (14 h)"),
];

pub fn find(key: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.key == key)
}

/// A setting's default (0 for a name that is not a setting: a bug caught by the tests).
pub fn default_of(key: &str) -> i64 {
    find(key).map(|s| s.default).unwrap_or(0)
}

impl Setting {
    /// The value if it is in range, else the range in words.
    pub fn check(&self, value: i64) -> Result<i64, String> {
        if (self.min..=self.max).contains(&value) {
            Ok(value)
        } else {
            Err(format!("{} takes a whole number from {} to {}", self.key, self.min, self.max))
        }
    }
}

/// The rules from the calendar and each setting's value (`value(key)`: stored, else default).
pub fn rules(calendar: WorkingCalendar, value: impl Fn(&Setting) -> i64) -> Rules {
    let v = |key: &str| find(key).map(&value).unwrap_or(0);
    Rules {
        calendar,
        thresholds: Thresholds {
            amber_days: v("rag.amber_days") as u32,
            red_days: v("rag.red_days") as u32,
            start_passed_red_days: v("rag.start_passed_red_days") as u32,
            handback_red_days: v("rag.handback_red_days"),
            area_teleconference: v("escalate.area_teleconference") as usize,
        },
        completeness: CompletenessRules {
            keah_high_cost_pence: v("referral.keah_high_cost_pence"),
            hours_tolerance_minutes: v("referral.hours_tolerance_minutes"),
            self_funder_grace_days: v("referral.self_funder_grace_days") as u32,
        },
        pir_target_days: v("pir.target_days"),
        flex_tdm_limit_pence: v("flex.tdm_limit_pence"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_is_in_its_own_range() {
        for s in SETTINGS {
            assert_eq!(s.check(s.default), Ok(s.default), "{}", s.key);
            assert!(s.check(s.max + 1).is_err() && s.check(s.min - 1).is_err());
        }
    }

    #[test]
    fn the_rules_defaults_come_from_the_settings() {
        let r = rules(WorkingCalendar::new(std::iter::empty()), |s| s.default);
        assert_eq!((r.thresholds.amber_days, r.thresholds.red_days), (5, 10));
        assert_eq!(r.completeness.hours_tolerance_minutes, 15);
        let d = Thresholds::default();
        assert_eq!((d.amber_days, d.red_days, d.handback_red_days), (5, 10, 5));
    }
}
