use doormat::sweep::{Stats, student_t_975};

#[test]
fn one_two_three_has_the_student_t_half_width() {
    let stats = Stats::of(&[1.0, 2.0, 3.0]);
    assert_eq!(stats.n, 3);
    assert_eq!(stats.mean, Some(2.0));
    assert_eq!(stats.sd, Some(1.0));
    // t(0.975, 2) = 4.302653; 4.302653 × 1 / √3 = 2.484138.
    assert!((stats.ci95.unwrap() - 2.484).abs() < 5e-4, "{stats:?}");
    assert_eq!((stats.min, stats.max), (Some(1.0), Some(3.0)));
}

#[test]
fn the_t_quantile_falls_towards_the_normal_one() {
    assert_eq!(student_t_975(0), None);
    assert!((student_t_975(1).unwrap() - 12.706).abs() < 1e-3);
    assert!((student_t_975(10).unwrap() - 2.228).abs() < 1e-3);
    let mut last = f64::INFINITY;
    for df in 1..200 {
        let t = student_t_975(df).unwrap();
        assert!(t < last && t > 1.959_96, "df {df}: {t}");
        last = t;
    }
}

#[test]
fn missing_values_shrink_n_and_a_single_value_has_no_interval() {
    let one = Stats::of(&[0.5]);
    assert_eq!(
        (one.n, one.mean, one.sd, one.ci95),
        (1, Some(0.5), None, None)
    );
    let none = Stats::of(&[]);
    assert_eq!((none.n, none.mean, none.min), (0, None, None));
}
