//! Figures: generic charts, a run's figures from a hand-written summary, and `doormat plot`.

mod charts;
mod cli;
mod figures;
mod fixture;
mod inspect;
