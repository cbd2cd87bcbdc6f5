//! The estimated weekly cost of a package (SPEC §15, seed 002): day hours × the hourly rate ×
//! carers (2 when double-handed), uplifted by the client's MSOA rurality in that cluster, plus
//! nights × the nightly rate. Integer pence throughout, one rounding at the end (half up).

/// What the estimate needs: minutes of care a week (per carer), carers, the hourly rate, the
/// uplift in hundredths of a percent, and the nights with their rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CostFacts {
    pub weekly_minutes: i64,
    pub carers: i64,
    pub hourly_pence: i64,
    pub uplift_basis_points: i64,
    pub sleep_nights: i64,
    pub sleep_night_pence: i64,
    pub wake_nights: i64,
    pub wake_night_pence: i64,
}

/// The estimated weekly cost in pence.
pub fn estimate(f: &CostFacts) -> i64 {
    // Everything over one denominator: minutes → hours (60), basis points (10,000).
    const DEN: i128 = 60 * 10_000;
    let day = i128::from(f.weekly_minutes)
        * i128::from(f.carers)
        * i128::from(f.hourly_pence)
        * (10_000 + i128::from(f.uplift_basis_points));
    let nights = (i128::from(f.sleep_nights) * i128::from(f.sleep_night_pence)
        + i128::from(f.wake_nights) * i128::from(f.wake_night_pence))
        * DEN;
    let total = day + nights;
    ((total + DEN / 2) / DEN) as i64
}

/// A percentage as typed ("10", "7.5") in hundredths of a percent; None if it does not read or
/// is outside 0..=100.
pub fn parse_percent(s: &str) -> Option<i64> {
    let t = s.trim().trim_end_matches('%').trim();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let bp = whole.parse::<i64>().ok()? * 100 + format!("{frac:0<2}").parse::<i64>().ok()?;
    (bp <= 10_000).then_some(bp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(minutes: i64, carers: i64, pence: i64, bp: i64) -> CostFacts {
        CostFacts {
            weekly_minutes: minutes,
            carers,
            hourly_pence: pence,
            uplift_basis_points: bp,
            sleep_nights: 0,
            sleep_night_pence: 0,
            wake_nights: 0,
            wake_night_pence: 0,
        }
    }

    #[test]
    fn the_contract_examples() {
        // 2 calls × 30 minutes × 7 days = 7 hours at £22.50, +10% rural village: £173.25.
        assert_eq!(estimate(&day(420, 1, 2250, 1000)), 17325);
        assert_eq!(estimate(&day(420, 2, 2250, 1000)), 34650);
        assert_eq!(estimate(&day(420, 1, 2250, 0)), 15750);
        let mut n = day(0, 1, 0, 0);
        n.sleep_nights = 2;
        n.sleep_night_pence = 7500;
        n.wake_nights = 1;
        n.wake_night_pence = 12000;
        assert_eq!(estimate(&n), 27000);
    }

    #[test]
    fn one_rounding_half_up() {
        // 25 minutes at £22.51 = 937.916… → 938; +7.5% = 1008.26… → 1008.
        assert_eq!(estimate(&day(25, 1, 2251, 0)), 938);
        assert_eq!(estimate(&day(25, 1, 2251, 750)), 1008);
        // Exactly half a penny rounds up: 1 minute at 30p = 0.5p.
        assert_eq!(estimate(&day(1, 1, 30, 0)), 1);
    }

    #[test]
    fn percentages() {
        assert_eq!(parse_percent("10"), Some(1000));
        assert_eq!(parse_percent("7.5%"), Some(750));
        assert_eq!(parse_percent("0.25"), Some(25));
        assert_eq!(parse_percent("101"), None);
        assert_eq!(parse_percent("ten"), None);
        assert_eq!(parse_percent("-5"), None);
    }

    proptest! {
        #[test]
        fn the_estimate_grows_with_every_input(m in 0i64..10_000, p in 1i64..10_000, bp in 0i64..5_000) {
            let base = estimate(&day(m, 1, p, bp));
            prop_assert!(estimate(&day(m + 60, 1, p, bp)) >= base);
            prop_assert!(estimate(&day(m, 2, p, bp)) >= base);
            prop_assert!(estimate(&day(m, 1, p, bp + 100)) >= base);
            // Within half a penny of the exact value.
            let exact = m as f64 * p as f64 * (10_000 + bp) as f64 / 600_000.0;
            prop_assert!((base as f64 - exact).abs() <= 0.5 + 1e-6);
        }
    }
}
