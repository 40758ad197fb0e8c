/// A half-open `[start, end)` range of Unicode code points into [`crate::Document::text`].
///
/// Code points (not bytes, not UTF-16 units) because the public record promises that
/// `text[start:end]` in Python yields the span; keeping one unit everywhere avoids the
/// classic off-by-a-multibyte-char bugs at the edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const fn new(start: u32, end: u32) -> Self {
        Span { start, end }
    }

    pub const fn len(self) -> u32 {
        self.end.saturating_sub(self.start)
    }

    pub const fn is_empty(self) -> bool {
        self.end <= self.start
    }

    /// True when `other` lies entirely inside `self`.
    pub const fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub const fn contains_pos(self, pos: u32) -> bool {
        self.start <= pos && pos < self.end
    }

    pub const fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Number of code points both spans share.
    pub fn overlap_len(self, other: Span) -> u32 {
        self.end
            .min(other.end)
            .saturating_sub(self.start.max(other.start))
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// Distance in code points between two spans (0 when they touch or overlap).
    pub fn gap(self, other: Span) -> u32 {
        other
            .start
            .saturating_sub(self.end)
            .max(self.start.saturating_sub(other.end))
    }
}

impl From<(u32, u32)> for Span {
    fn from((start, end): (u32, u32)) -> Self {
        Span { start, end }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_and_gap() {
        let a = Span::new(0, 5);
        let b = Span::new(3, 9);
        let c = Span::new(12, 14);
        assert!(a.overlaps(b));
        assert_eq!(a.overlap_len(b), 2);
        assert!(!a.overlaps(c));
        assert_eq!(a.gap(c), 7);
        assert_eq!(c.gap(a), 7);
        assert_eq!(a.cover(c), Span::new(0, 14));
        assert!(Span::new(0, 14).contains(b));
        assert!(Span::new(4, 4).is_empty());
    }
}
