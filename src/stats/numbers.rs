//! Exact statistics for small survey counts: percentages rounded from the exact fraction, half away
//! from zero, as CBS publishes them; scale mean and median; Dutch number formatting.

pub use crate::nl::{format_tenths, group_thousands};

/// A count as a share of `n` in tenths of a percent, rounded half away from zero from the exact
/// fraction: 3 of 48 is 6.25% -> 63 (6,3%), where float formatting would give 6,2%.
pub fn percent_tenths(count: u64, n: u64) -> Option<u64> {
    if n == 0 {
        return None;
    }
    let numerator = u128::from(count).checked_mul(1000)?;
    u64::try_from(round_half_up(numerator, u128::from(n))?).ok()
}

/// `numerator / d` rounded half up, as `(2 * numerator + d) / (2 * d)`; `None` when `d` is zero or
/// the intermediate overflows.
fn round_half_up(numerator: u128, d: u128) -> Option<u128> {
    numerator
        .checked_mul(2)?
        .checked_add(d)?
        .checked_div(d.checked_mul(2)?)
}

/// `479` -> `47,9%`.
pub fn format_percent(tenths: u64) -> String {
    format!("{},{}%", group_thousands(tenths / 10), tenths % 10)
}

/// Whether rounded shares that should make up a whole do not add up to exactly 100,0%.
pub fn rounding_mismatch(tenths: &[u64]) -> bool {
    !tenths.is_empty() && checked_total(tenths.iter().copied()) != Some(1000)
}

/// The sum of counts, or `None` when it does not fit: never a wrapped figure.
fn checked_total(counts: impl IntoIterator<Item = u64>) -> Option<u64> {
    counts
        .into_iter()
        .try_fold(0u64, |total, count| total.checked_add(count))
}

/// Mean of a scale in tenths, rounded half away from zero from the exact fraction.
pub fn scale_mean_tenths(values: &[(i64, u64)]) -> Option<i64> {
    let total = checked_total(values.iter().map(|(_, c)| *c))?;
    if total == 0 {
        return None;
    }
    let sum = values.iter().try_fold(0i128, |sum, (v, c)| {
        sum.checked_add(i128::from(*v).checked_mul(i128::from(*c))?)
    })?;
    let numerator = sum.checked_mul(10)?;
    // Half away from zero: round the magnitude half up, then put the sign back.
    let magnitude =
        i128::try_from(round_half_up(numerator.unsigned_abs(), u128::from(total))?).ok()?;
    let rounded = if numerator >= 0 {
        magnitude
    } else {
        magnitude.checked_neg()?
    };
    i64::try_from(rounded).ok()
}

/// Median of a scale in halves (the average of the two middle answers when the count is even):
/// returns twice the median, so `7` means 3,5.
pub fn scale_median_doubled(values: &[(i64, u64)]) -> Option<i64> {
    let mut sorted: Vec<(i64, u64)> = values.iter().copied().filter(|(_, c)| *c > 0).collect();
    sorted.sort_by_key(|(v, _)| *v);
    let total = checked_total(sorted.iter().map(|(_, c)| *c))?;
    if total == 0 {
        return None;
    }
    // 1-based positions of the middle answer(s).
    let low = total.div_ceil(2);
    let high = (total / 2).checked_add(1)?;
    let at = |position: u64| -> Option<i64> {
        let mut seen = 0u64;
        for (value, count) in &sorted {
            seen = seen.checked_add(*count)?;
            if seen >= position {
                return Some(*value);
            }
        }
        None
    };
    if total % 2 == 1 {
        at(low)?.checked_mul(2)
    } else {
        at(low)?.checked_add(at(high)?)
    }
}

/// A doubled median as Dutch text: `6` -> `3`, `7` -> `3,5`.
pub fn format_doubled(doubled: i64) -> String {
    if doubled % 2 == 0 {
        (doubled / 2).to_string()
    } else {
        // Odd: a whole number and a half, i.e. `format_tenths(doubled * 5)` without the overflow.
        let sign = if doubled < 0 { "-" } else { "" };
        format!("{sign}{},5", group_thousands(doubled.unsigned_abs() / 2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_from_the_exact_fraction_half_away_from_zero() {
        assert_eq!(percent_tenths(3, 48), Some(63)); // 6.25 -> 6.3, float formatting says 6.2
        assert_eq!(percent_tenths(23, 48), Some(479));
        assert_eq!(percent_tenths(22, 48), Some(458));
        assert_eq!(percent_tenths(1, 8), Some(125)); // 12.5 exactly
        assert_eq!(percent_tenths(1, 16), Some(63)); // 6.25 -> 6.3
        assert_eq!(percent_tenths(1, 3), Some(333));
        assert_eq!(percent_tenths(2, 3), Some(667));
        assert_eq!(percent_tenths(0, 5), Some(0));
        assert_eq!(percent_tenths(1, 0), None);
    }

    #[test]
    fn formats_dutch_percentages() {
        assert_eq!(format_percent(479), "47,9%");
        assert_eq!(format_percent(63), "6,3%");
        assert_eq!(format_percent(1000), "100,0%");
        assert_eq!(format_percent(0), "0,0%");
        assert_eq!(group_thousands(1234567), "1.234.567");
    }

    #[test]
    fn notes_when_rounded_shares_do_not_add_up() {
        // 1/3 + 1/3 + 1/3 -> 33,3 + 33,3 + 33,3 = 99,9
        let shares: Vec<u64> = [1, 1, 1]
            .iter()
            .map(|c| percent_tenths(*c, 3).unwrap())
            .collect();
        assert!(rounding_mismatch(&shares));
        let shares: Vec<u64> = [23, 22, 3]
            .iter()
            .map(|c| percent_tenths(*c, 48).unwrap())
            .collect();
        assert_eq!(shares.iter().sum::<u64>(), 1000);
        assert!(!rounding_mismatch(&shares));
    }

    #[test]
    fn scale_mean_and_median() {
        // Question 17 of the follow-up monitor: 1,6,6,8,1 on a 1..5 scale.
        let q17 = [(1, 1), (2, 6), (3, 6), (4, 8), (5, 1)];
        assert_eq!(scale_mean_tenths(&q17), Some(31)); // 68/22 = 3.09 -> 3,1
        assert_eq!(scale_median_doubled(&q17), Some(6)); // 11th and 12th answers are both 3
        let even = [(1, 1), (2, 1), (4, 1), (5, 1)];
        assert_eq!(scale_median_doubled(&even), Some(6)); // (2 + 4) / 2 = 3
        let half = [(3, 1), (4, 1)];
        assert_eq!(scale_median_doubled(&half), Some(7));
        assert_eq!(format_doubled(7), "3,5");
        assert_eq!(format_doubled(6), "3");
        assert_eq!(scale_mean_tenths(&[(1, 1), (2, 1)]), Some(15));
        assert_eq!(scale_mean_tenths(&[(1, 0)]), None);
        assert_eq!(format_tenths(32), "3,2");
    }
}
