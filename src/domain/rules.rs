//! The rules that come from settings and the calendar, loaded once per command and passed to
//! the domain's decisions.

use super::calendar::WorkingCalendar;
use super::completeness::CompletenessRules;
use super::waiting::Thresholds;

pub struct Rules {
    pub calendar: WorkingCalendar,
    pub thresholds: Thresholds,
    pub completeness: CompletenessRules,
    /// Days after the start hcp proposes a new-to-ACT client's first review.
    pub pir_target_days: i64,
    /// The TDM limit: a flexed package costing more a week needs a named authoriser.
    pub flex_tdm_limit_pence: i64,
}
