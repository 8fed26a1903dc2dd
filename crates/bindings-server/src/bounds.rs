//! The bounds of a numeric parameter (`minimum`, `maximum`, their
//! exclusive forms, `multipleOf`), checked where the parameter's type does
//! not carry them (a plain `i64` for an inline `integer` schema).

use std::fmt::Display;

use crate::{Problem, ProblemKind};

/// A numeric parameter's bounds, as the spec gives them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NumberBounds {
    /// What the parameter is, for the message (`query parameter `limit``).
    pub label: &'static str,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub multiple_of: Option<f64>,
}

impl NumberBounds {
    /// Why `value` breaks the bounds, if it does. A value whose text is
    /// not a number (a type with a display of its own) is not checked.
    fn problem(&self, value: &str) -> Option<String> {
        let number: f64 = value.parse().ok()?;
        let low = self
            .minimum
            .filter(|min| number < *min || (self.exclusive_minimum && number == *min));
        if let Some(min) = low {
            let than = if self.exclusive_minimum {
                "above"
            } else {
                "at least"
            };
            return Some(format!("{value} is not {than} {min}"));
        }
        let high = self
            .maximum
            .filter(|max| number > *max || (self.exclusive_maximum && number == *max));
        if let Some(max) = high {
            let than = if self.exclusive_maximum {
                "below"
            } else {
                "at most"
            };
            return Some(format!("{value} is not {than} {max}"));
        }
        let multiple = self
            .multiple_of
            .filter(|m| *m > 0.0 && (number / m).fract() != 0.0);
        multiple.map(|m| format!("{value} is not a multiple of {m}"))
    }
}

/// `value`, or the problem saying which bound it breaks.
pub fn within<T: Display>(
    value: T,
    bounds: &NumberBounds,
    kind: ProblemKind,
) -> Result<T, Problem> {
    match bounds.problem(&value.to_string()) {
        Some(why) => Err(Problem::new(kind, format!("{}: {why}", bounds.label))),
        None => Ok(value),
    }
}

/// [`within`] for an optional parameter: `None` passes.
pub fn within_optional<T: Display>(
    value: Option<T>,
    bounds: &NumberBounds,
    kind: ProblemKind,
) -> Result<Option<T>, Problem> {
    value.map(|value| within(value, bounds, kind)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PER_PAGE: NumberBounds = NumberBounds {
        label: "query parameter `per_page`",
        minimum: Some(1.0),
        maximum: Some(1000.0),
        exclusive_minimum: false,
        exclusive_maximum: false,
        multiple_of: None,
    };

    #[test]
    fn refuses_values_out_of_bounds() {
        assert!(within(5, &PER_PAGE, ProblemKind::InvalidQuery).is_ok());
        let low = within(0, &PER_PAGE, ProblemKind::InvalidQuery);
        assert_eq!(
            low.map_err(|p| p.message().to_owned()),
            Err("query parameter `per_page`: 0 is not at least 1".to_owned())
        );
        assert!(within(1001, &PER_PAGE, ProblemKind::InvalidQuery).is_err());
        assert!(within_optional(None::<i64>, &PER_PAGE, ProblemKind::InvalidQuery).is_ok());
    }
}
