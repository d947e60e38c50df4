//! The top of the page: the scenario's name and description, the run's facts, and the headline
//! table with one row per design.

use std::fmt::Write;

use super::escape;
use crate::report::{
    Summary,
    numbers::{NBSP, count, decimal, percent, times},
};

pub(super) fn header(page: &mut String, summary: &Summary) {
    let scenario = &summary.scenario;
    let _ = write!(
        page,
        "<header>\n<p class=\"kicker\">doormat report</p>\n<h1>{}</h1>\n",
        escape(&scenario.name)
    );
    let _ = writeln!(
        page,
        "<p class=\"description\">{}</p>",
        escape(&scenario.description)
    );
    let days = scenario.duration_days;
    let facts = [
        ("seed", Some(summary.seed.to_string())),
        (
            "simulated time",
            Some(format!(
                "{}{NBSP}{}",
                decimal(days, if days.fract() == 0.0 { 0 } else { 2 }),
                if days == 1.0 { "day" } else { "days" }
            )),
        ),
        ("users", Some(count(scenario.population.users as f64))),
        ("conversations", Some(count(summary.conversations as f64))),
        ("doormat version", Some(escape(&summary.doormat_version))),
        ("threads", Some(count(summary.threads as f64))),
        (
            "wall time",
            Some(format!("{}{NBSP}s", decimal(summary.wall_seconds, 1))),
        ),
        (
            "throughput",
            Some(format!("{} messages/s", count(summary.messages_per_second))),
        ),
        (
            "peak memory",
            (summary.peak_memory_bytes > 0)
                .then(|| format!("{}{NBSP}MB", count(summary.peak_memory_bytes as f64 / 1e6))),
        ),
    ];
    page.push_str("<dl class=\"facts\">\n");
    for (term, value) in facts {
        if let Some(value) = value {
            let _ = writeln!(page, "<div><dt>{term}</dt><dd>{value}</dd></div>");
        }
    }
    page.push_str(
        "</dl>\n<p class=\"note\">Every figure carries the scenario, its seed and the doormat \
         version that produced it, so a figure taken out of this page still says where it came \
         from. The scenario at the end of the page, run with the same seed and version, gives \
         the same counts again; CPU times are measured and vary.</p>\n\
         </header>\n",
    );
}

pub(super) fn headline(page: &mut String, summary: &Summary) {
    page.push_str(
        "<section id=\"headline\">\n<h2>Headline</h2>\n<table>\n<thead><tr>\
         <th scope=\"col\">design</th><th scope=\"col\">exposed</th>\
         <th scope=\"col\">users touched</th><th scope=\"col\">secrets required</th>\
         <th scope=\"col\">equivalent phones</th>\
         <th scope=\"col\">lawful yield</th><th scope=\"col\">CPU µs/msg (×plain)</th>\
         <th scope=\"col\">wire B/msg (+ vs plain)</th></tr></thead>\n<tbody>\n",
    );
    for design in &summary.designs {
        let exposure = design.exposure.as_ref();
        let mut cpu = decimal(design.cpu_ns_per_message.total / 1_000.0, 1);
        if let Some(ratio) = design.cpu_ratio_vs_plain {
            let _ = write!(cpu, " ({})", times(ratio));
        }
        let mut wire = decimal(design.wire_bytes_per_message, 1);
        if let Some(extra) = design.wire_overhead_vs_plain {
            let sign = if extra < 0.0 { "" } else { "+" };
            let _ = write!(wire, " ({sign}{})", decimal(extra, 1));
        }
        let cells = [
            exposure.map(|e| percent(e.fraction)),
            exposure.map(|e| count(e.users_touched as f64)),
            exposure.map(|e| count(e.secrets_required as f64)),
            exposure
                .and_then(|e| e.equivalent_devices)
                .map(|n| decimal(n, 1)),
            design.lawful.as_ref().map(|l| percent(l.r#yield)),
            Some(cpu),
            Some(wire),
        ];
        let _ = write!(page, "<tr><th scope=\"row\">{}</th>", escape(&design.label));
        for cell in cells {
            let _ = write!(page, "<td>{}</td>", cell.as_deref().unwrap_or("–"));
        }
        page.push_str("</tr>\n");
    }
    page.push_str(
        "</tbody>\n</table>\n<p class=\"legend\"><b>exposed</b>: share of all the run's \
         messages the adversary decrypted with the secrets it stole. <b>secrets required</b>: \
         distinct secrets that exposure needed (1 for a key store, k for a k-of-n split), \
         reported beside it, not divided into it. <b>equivalent phones</b>: the design's \
         exposure divided by what spyware on one plain phone reads over the same dwell (its \
         stored history and its traffic until removal at detection): this leak is like \
         hacking that many phones. <b>lawful yield</b>: share of warranted targets' messages, \
         inside warrant windows, that the authority read. <b>CPU</b> (measured) and <b>wire</b> \
         bytes (exact) are per sent message, against plain in the same run. \
         “–”: not measured in this run.</p>\n</section>\n",
    );
}
