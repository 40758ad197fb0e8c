//! Scorers. (Skeleton: to be filled in.)
