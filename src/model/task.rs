//! A share of work split N ways: task `i` of `N` takes the units `j` with `j % N == i`, so the
//! tasks run on separate processes, machines or cluster jobs and merge afterwards. A sweep splits
//! its items this way, a run its conversations.

/// Task `index` of `of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskSelection {
    index: usize,
    of: usize,
}

/// A task number outside `0..of`, or `of` = 0.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a task from 0 to {} of {of}, found {index}", of.saturating_sub(1))]
pub struct TaskRangeError {
    /// The task asked for.
    pub index: usize,
    /// The number of tasks.
    pub of: usize,
}

impl TaskSelection {
    /// All the work as one task.
    pub const WHOLE: Self = Self { index: 0, of: 1 };

    /// Task `index` of `of` (counted from 0).
    pub fn new(index: usize, of: usize) -> Result<Self, TaskRangeError> {
        if of == 0 || index >= of {
            return Err(TaskRangeError { index, of });
        }
        Ok(Self { index, of })
    }

    /// Its index.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The number of tasks.
    pub fn of(&self) -> usize {
        self.of
    }

    /// Whether unit `j` is this task's.
    pub fn takes(&self, j: u64) -> bool {
        j % self.of as u64 == self.index as u64
    }

    /// Its units among `total`, in order.
    pub fn items(&self, total: usize) -> Vec<usize> {
        (self.index..total).step_by(self.of).collect()
    }

    /// How many of `total` units are its own.
    pub fn share_of(&self, total: u64) -> u64 {
        let of = self.of as u64;
        total / of + u64::from((self.index as u64) < total % of)
    }

    /// The file a task's result goes to: `task-I-of-N.json`.
    pub fn file_name(&self) -> String {
        format!("task-{}-of-{}.json", self.index, self.of)
    }

    /// The task a file name `task-I-of-N.json` names (decimal, no leading zeros, `I < N`), if
    /// it is one.
    pub fn from_file_name(name: &str) -> Option<Self> {
        let (index, of) = name
            .strip_prefix("task-")?
            .strip_suffix(".json")?
            .split_once("-of-")?;
        let task = Self::new(index.parse().ok()?, of.parse().ok()?).ok()?;
        (task.file_name() == name).then_some(task)
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn tasks_take_every_nth_unit() {
        let task = TaskSelection::new(1, 3).unwrap();
        assert_eq!(task.items(8), vec![1, 4, 7]);
        assert!(task.takes(4) && !task.takes(5));
        assert_eq!(task.file_name(), "task-1-of-3.json");
        assert!(TaskSelection::new(3, 3).is_err());
        assert!(TaskSelection::new(0, 0).is_err());
        assert_eq!(TaskSelection::WHOLE.items(3), vec![0, 1, 2]);
        // The shares of 8 units: 3, 3, 2, as `items` counts them.
        for i in 0..3 {
            let task = TaskSelection::new(i, 3).unwrap();
            assert_eq!(task.share_of(8), task.items(8).len() as u64);
        }
    }

    #[test]
    fn only_canonical_task_file_names_name_a_task() {
        assert_eq!(
            TaskSelection::from_file_name("task-2-of-3.json"),
            Some(TaskSelection::new(2, 3).unwrap())
        );
        for name in [
            "task-3-of-3.json",
            "task-02-of-3.json",
            "task-+1-of-3.json",
            "task-1-of-3.json.bak",
            "task-1-of-3-of-4.json",
            "Task-1-of-3.json",
            "task--of-3.json",
        ] {
            assert_eq!(TaskSelection::from_file_name(name), None, "{name}");
        }
    }
}
