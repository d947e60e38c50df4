//! The bottom layer: the words every other layer speaks. Simulated time, users and the two
//! sides of a conversation, a scripted message and its plaintext, the seeded random streams,
//! and measured CPU time.
//! It imports nothing from the rest of doormat, so any layer may use it.

mod message;
pub mod order;
mod series;
mod side;
mod stream;
mod task;
mod time;
mod timing;

pub use self::{
    message::{Scripted, plaintext},
    series::add_series,
    side::Side,
    stream::{PlanDraw, Stream, rng},
    task::{TaskRangeError, TaskSelection},
    time::{DAY, HOUR, SimTime, days, hours},
    timing::{Timing, elapsed_ns},
};

/// A simulated user.
pub type UserId = u32;
