//! Dutch formatting of dates and numbers: `1 juni 2023`, `1.234,5`.

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// `2` -> `februari`.
pub fn month_name(month: u32) -> Option<&'static str> {
    let index = usize::try_from(month.checked_sub(1)?).ok()?;
    MONTHS.get(index).copied()
}

/// `2023-06-01` -> `1 juni 2023`.
pub fn format_date_nl(date: &str) -> Option<String> {
    let mut parts = date.get(..10)?.split('-');
    let year = parts.next()?;
    let month: usize = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    let name = MONTHS.get(month.checked_sub(1)?)?;
    Some(format!("{day} {name} {year}"))
}

/// A date as precise as the source gives it: `2023-06-01` -> `1 juni 2023`, `2023-06` -> `juni 2023`.
pub fn format_date_or_month_nl(date: &str) -> Option<String> {
    if date.len() == 7 {
        let (year, month) = date.split_once('-')?;
        let month: usize = month.parse().ok()?;
        let name = MONTHS.get(month.checked_sub(1)?)?;
        return Some(format!("{name} {year}"));
    }
    format_date_nl(date)
}

/// Dutch thousands and decimal separators: 1234.5 -> `1.234,5`.
pub fn format_number_nl(value: f64, decimals: usize) -> String {
    let formatted = format!("{:.*}", decimals, value.abs());
    let (int, frac) = formatted.split_once('.').unwrap_or((&formatted, ""));
    let grouped = group_digits(int);
    let sign = if value < 0.0 && formatted.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{frac}")
    }
}

/// A count with its noun: `1 pagina`, `2 pagina's`, `1.234 bestanden`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    let grouped = group_thousands(u64::try_from(n).unwrap_or(u64::MAX));
    format!("{grouped} {}", if n == 1 { one } else { many })
}

/// `1234` -> `1.234`.
pub fn group_thousands(value: u64) -> String {
    group_digits(&value.to_string())
}

/// Tenths as a Dutch decimal: `32` -> `3,2`, `-5` -> `-0,5`.
pub fn format_tenths(tenths: i64) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let abs = tenths.unsigned_abs();
    format!("{sign}{},{}", group_thousands(abs / 10), abs % 10)
}

/// A dot between every three digits from the right.
fn group_digits(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len().saturating_add(digits.len() / 3));
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && digits.len().saturating_sub(i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_numbers_in_dutch() {
        assert_eq!(format_date_nl("2023-06-01").as_deref(), Some("1 juni 2023"));
        assert_eq!(format_date_nl("2023-13-01"), None);
        assert_eq!(format_number_nl(1234.5, 1), "1.234,5");
        assert_eq!(format_number_nl(-0.04, 1), "0,0");
        assert_eq!(format_number_nl(-1234567.0, 0), "-1.234.567");
        assert_eq!(group_thousands(1_000), "1.000");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(format_tenths(-5), "-0,5");
        assert_eq!(format_tenths(12_345), "1.234,5");
        assert_eq!(count(1, "pagina", "pagina's"), "1 pagina");
        assert_eq!(count(0, "pagina", "pagina's"), "0 pagina's");
        assert_eq!(count(12_000, "bestand", "bestanden"), "12.000 bestanden");
    }
}
