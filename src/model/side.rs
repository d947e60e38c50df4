//! The two sides of a conversation.

/// One side of a conversation: `A` is the pair's lower user id, `B` the higher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// The pair's lower user id.
    A,
    /// The pair's higher user id.
    B,
}

impl Side {
    /// Both sides, in order.
    pub const BOTH: [Side; 2] = [Side::A, Side::B];

    /// The other side.
    pub fn other(self) -> Side {
        match self {
            Side::A => Side::B,
            Side::B => Side::A,
        }
    }

    /// 0 for `A`, 1 for `B`: the side's slot in a per-side array.
    pub fn index(self) -> usize {
        match self {
            Side::A => 0,
            Side::B => 1,
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn the_other_side_of_the_other_side_is_the_side() {
        for side in Side::BOTH {
            assert_ne!(side.other(), side);
            assert_eq!(side.other().other(), side);
            assert_eq!(Side::BOTH[side.index()], side);
        }
    }
}
