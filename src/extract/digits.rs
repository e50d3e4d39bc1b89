//! Splitting runs of digits.
