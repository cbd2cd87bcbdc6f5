//! The statistics the reports use, stated exactly: the median of an even count is the mean of
//! the two middle values; the 90th percentile is by nearest rank (the smallest value with at
//! least 90% of values at or below it).

/// The median, or None for no values.
pub fn median(values: &[i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] as f64 } else { (v[n / 2 - 1] + v[n / 2]) as f64 / 2.0 })
}

/// The p-th percentile by nearest rank (p in 1..=100), or None for no values.
pub fn percentile(values: &[i64], p: u32) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_unstable();
    let rank = (p as usize * v.len()).div_ceil(100).max(1);
    Some(v[rank - 1])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hand_computed() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[30, 50]), Some(40.0));
        assert_eq!(median(&[5, 1, 3]), Some(3.0));
        assert_eq!(percentile(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), Some(9));
        assert_eq!(percentile(&[4], 90), Some(4));
        assert_eq!(percentile(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90), Some(10));
    }

    proptest! {
        #[test]
        fn the_median_and_p90_lie_within_the_values(v in proptest::collection::vec(-1000i64..1000, 1..50)) {
            let (lo, hi) = (*v.iter().min().unwrap() as f64, *v.iter().max().unwrap() as f64);
            let m = median(&v).unwrap();
            prop_assert!(lo <= m && m <= hi);
            let p = percentile(&v, 90).unwrap();
            prop_assert!(v.contains(&p));
            prop_assert!(v.iter().filter(|x| **x <= p).count() * 10 >= v.len() * 9);
        }
    }
}
