//! `report.html`: one self-contained page a researcher can open offline, archive or print. It
//! holds the run's headline numbers, its figures as inline SVG, the framework questions answered
//! from this run, and the scenario as run. No scripts, fonts or links to load: a
//! Content-Security-Policy forbids any. It reads `summary.json` as a JSON value, not as doormat's
//! own types, so a summary from an older or smaller run still renders, minus what it lacks.

use std::{
    fmt::Write,
    path::{Path, PathBuf},
};

use serde_json::Value;

use super::{
    ReportError, framework,
    numbers::{NBSP, count, decimal, number, object, percent, text, times},
    write_atomic,
};

/// Renders the page for `summary` (the contents of `summary.json`) with `figures`, each a
/// `(title, SVG markup)` pair shown in order with its title as caption. Text from the summary is
/// HTML-escaped; the SVG markup is trusted (doormat's own plots) and embedded as is.
pub fn render(summary: &Value, figures: &[(String, String)]) -> Result<String, ReportError> {
    if !summary.is_object() {
        return Err(ReportError::Encode(format!(
            "report.html: the summary must be a JSON object, found {}",
            kind(summary)
        )));
    }
    let name = text(summary, "/scenario/name").unwrap_or("unnamed scenario");
    let mut page =
        String::with_capacity(64 * 1024 + figures.iter().map(|f| f.1.len()).sum::<usize>());
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <link rel=\"icon\" href=\"data:,\">\n<title>doormat report: {}</title>\n\
         <style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        escape(name)
    );
    header(&mut page, summary, name);
    headline(&mut page, summary);
    figures_section(&mut page, figures);
    framework_section(&mut page, summary);
    footer(&mut page, summary)?;
    page.push_str("</main>\n</body>\n</html>\n");
    Ok(page)
}

/// Renders the page and writes it to `dir/report.html` (creating `dir`), atomically.
pub fn write_report(
    dir: &Path,
    summary: &Value,
    figures: &[(String, String)],
) -> Result<PathBuf, ReportError> {
    let page = render(summary, figures)?;
    std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let path = dir.join("report.html");
    write_atomic(&path, page.as_bytes())?;
    Ok(path)
}

/// Escapes text for HTML content and attribute values.
fn escape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a sentence and sets its `backticked` words as code.
fn prose(sentence: &str) -> String {
    escape(sentence)
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{part}</code>")
            } else {
                part.to_string()
            }
        })
        .collect()
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn header(page: &mut String, summary: &Value, name: &str) {
    let _ = write!(
        page,
        "<header>\n<p class=\"kicker\">doormat report</p>\n<h1>{}</h1>\n",
        escape(name)
    );
    if let Some(description) = text(summary, "/scenario/description") {
        let _ = writeln!(page, "<p class=\"description\">{}</p>", escape(description));
    }
    let seed = summary
        .get("seed")
        .or_else(|| summary.pointer("/scenario/seed"))
        .filter(|s| !s.is_null())
        .map(|s| escape(&s.to_string()));
    let facts = [
        ("seed", seed),
        (
            "simulated time",
            number(summary, "/scenario/duration_days").map(|d| {
                format!(
                    "{}{NBSP}{}",
                    decimal(d, if d.fract() == 0.0 { 0 } else { 2 }),
                    if d == 1.0 { "day" } else { "days" }
                )
            }),
        ),
        (
            "users",
            number(summary, "/scenario/population/users").map(count),
        ),
        (
            "conversations",
            number(summary, "/conversations").map(count),
        ),
        (
            "doormat version",
            text(summary, "/doormat_version").map(escape),
        ),
        ("threads", number(summary, "/threads").map(count)),
        (
            "wall time",
            number(summary, "/wall_seconds").map(|s| format!("{}{NBSP}s", decimal(s, 1))),
        ),
        (
            "throughput",
            number(summary, "/messages_per_second").map(|r| format!("{} messages/s", count(r))),
        ),
        (
            "peak memory",
            number(summary, "/peak_memory_bytes")
                .filter(|b| *b > 0.0)
                .map(|b| format!("{}{NBSP}MB", count(b / 1e6))),
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

fn headline(page: &mut String, summary: &Value) {
    let Some(designs) = summary.get("designs").and_then(Value::as_array) else {
        return;
    };
    page.push_str(
        "<section id=\"headline\">\n<h2>Headline</h2>\n<table>\n<thead><tr>\
         <th scope=\"col\">design</th><th scope=\"col\">exposed</th>\
         <th scope=\"col\">users touched</th><th scope=\"col\">secrets required</th>\
         <th scope=\"col\">equivalent phones</th>\
         <th scope=\"col\">lawful yield</th><th scope=\"col\">CPU µs/msg (×plain)</th>\
         <th scope=\"col\">wire B/msg (+ vs plain)</th></tr></thead>\n<tbody>\n",
    );
    for design in designs.iter().filter(|d| d.is_object()) {
        let exposure = object(design, "/exposure");
        let lawful = object(design, "/lawful");
        let on = |part: Option<&Value>, pointer: &str| part.and_then(|p| number(p, pointer));
        let cpu = number(design, "/cpu_ns_per_message/total").map(|ns| {
            let mut cell = decimal(ns / 1_000.0, 1);
            if let Some(ratio) = number(design, "/cpu_ratio_vs_plain") {
                let _ = write!(cell, " ({})", times(ratio));
            }
            cell
        });
        let wire = number(design, "/wire_bytes_per_message").map(|bytes| {
            let mut cell = decimal(bytes, 1);
            if let Some(extra) = number(design, "/wire_overhead_vs_plain") {
                let sign = if extra < 0.0 { "" } else { "+" };
                let _ = write!(cell, " ({sign}{})", decimal(extra, 1));
            }
            cell
        });
        let cells = [
            on(exposure, "/fraction").map(percent),
            on(exposure, "/users_touched").map(count),
            on(exposure, "/secrets_required").map(count),
            on(exposure, "/equivalent_devices").map(|n| decimal(n, 1)),
            on(lawful, "/yield").map(percent),
            cpu,
            wire,
        ];
        let _ = write!(
            page,
            "<tr><th scope=\"row\">{}</th>",
            escape(text(design, "/label").unwrap_or("?"))
        );
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

fn figures_section(page: &mut String, figures: &[(String, String)]) {
    if figures.is_empty() {
        return;
    }
    page.push_str("<section id=\"figures\">\n<h2>Figures</h2>\n");
    for (i, (title, svg)) in figures.iter().enumerate() {
        let _ = write!(
            page,
            "<figure id=\"figure-{n}\">\n{svg}\n<figcaption>Figure {n}. {title}</figcaption>\n\
             </figure>\n",
            n = i + 1,
            svg = inline_svg(svg),
            title = escape(title),
        );
    }
    page.push_str("</section>\n");
}

/// The `<svg>` element of a standalone SVG file: its XML declaration and doctype mean nothing
/// inside HTML.
fn inline_svg(svg: &str) -> &str {
    svg.find("<svg")
        .map_or(svg, |start| &svg[start..])
        .trim_end()
}

fn framework_section(page: &mut String, summary: &Value) {
    page.push_str(
        "<section id=\"framework\">\n<h2>The National Academies' framework questions, answered \
         from this run</h2>\n<p class=\"intro\">The US National Academies of Sciences, \
         Engineering, and Medicine's report <cite>Decrypting the Encryption Debate: A Framework \
         for Decision Makers</cite> (2018, doi 10.17226/25010) asks a set of questions of any \
         proposal for exceptional access. The questions are paraphrased below; each answer is \
         built only from this run's numbers, for the scenario's assumptions.</p>\n",
    );
    for answer in framework::answers(summary) {
        let _ = write!(
            page,
            "<div class=\"question\">\n<h3>{}</h3>\n<p class=\"asks\">{}</p>\n<ul>\n",
            escape(answer.heading),
            escape(answer.question)
        );
        for finding in &answer.findings {
            let _ = writeln!(page, "<li>{}</li>", prose(finding));
        }
        page.push_str("</ul>\n</div>\n");
    }
    page.push_str("</section>\n");
}

fn footer(page: &mut String, summary: &Value) -> Result<(), ReportError> {
    page.push_str("<footer>\n");
    if let Some(scenario) = summary.get("scenario").filter(|s| !s.is_null()) {
        let json = serde_json::to_string_pretty(scenario)
            .map_err(|e| ReportError::Encode(format!("report.html: scenario: {e}")))?;
        let _ = write!(
            page,
            "<details>\n<summary>The scenario as run (JSON)</summary>\n<pre>{}</pre>\n\
             </details>\n",
            escape(&json)
        );
    }
    let version = text(summary, "/doormat_version").unwrap_or("unknown");
    let _ = writeln!(
        page,
        "<p>Written by doormat {} from <code>summary.json</code>.</p>",
        escape(version)
    );
    page.push_str("</footer>\n");
    Ok(())
}

/// Print-friendly, system fonts only (nothing to download).
const STYLE: &str = r#"
:root { color-scheme: light; --ink: #1a1a1a; --muted: #5a5a5a; --rule: #d0d0d0; --band: #f4f4f4; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1080px; margin: 0 auto; padding: 2rem 1.5rem 3rem; }
h1 { font-size: 2rem; margin: 0 0 .5rem; line-height: 1.2; }
h2 { font-size: 1.35rem; margin: 2.5rem 0 1rem; padding-bottom: .3rem; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .25rem; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: .8rem; color: var(--muted); margin: 0; }
.description { max-width: 75ch; margin: 0 0 1rem; }
.facts { display: flex; flex-wrap: wrap; gap: .5rem 1.75rem; margin: 0 0 1rem; }
.facts div { min-width: 7rem; }
.facts dt { font-size: .75rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
.facts dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
.note, .legend, .intro, .asks { color: var(--muted); font-size: .9rem; max-width: 85ch; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: .95rem; }
th, td { padding: .45rem .6rem; border-bottom: 1px solid var(--rule); text-align: right; white-space: nowrap; }
thead th { border-bottom: 2px solid var(--ink); font-weight: 600; vertical-align: bottom; white-space: normal; }
th:first-child, td:first-child { text-align: left; }
tbody th { font-weight: 600; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .9rem; }
tbody tr:nth-child(even) { background: var(--band); }
figure { margin: 1.5rem 0 2rem; break-inside: avoid; page-break-inside: avoid; }
figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figcaption { margin-top: .5rem; font-size: .9rem; color: var(--muted); text-align: center; }
.question ul { margin: .25rem 0 0; padding-left: 1.25rem; }
.question li { margin: .3rem 0; max-width: 90ch; }
.asks { font-style: italic; margin: 0; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .88em; }
footer { margin-top: 3rem; padding-top: 1rem; border-top: 1px solid var(--rule); font-size: .85rem; color: var(--muted); }
details summary { cursor: pointer; font-weight: 600; color: var(--ink); }
pre { background: var(--band); padding: 1rem; overflow-x: auto; font-size: .8rem; line-height: 1.4;
  white-space: pre-wrap; word-break: break-word; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  table, .question { break-inside: avoid; }
  tbody tr:nth-child(even) { background: none; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> Value {
        serde_json::from_str(include_str!("../../tests/all/report/summary.json")).unwrap()
    }

    #[test]
    fn escapes_user_text_everywhere() {
        let mut summary = fixture();
        summary["scenario"]["name"] = "<script>alert('x')</script>".into();
        summary["scenario"]["description"] = "a & b <img src=x onerror=alert(1)>".into();
        summary["designs"][0]["label"] = "<b>plain</b>".into();
        let page = render(&summary, &[("<i>t</i>".into(), "<svg></svg>".into())]).unwrap();
        assert!(!page.contains("<script"), "unescaped script");
        assert!(!page.contains("<img"), "unescaped img");
        assert!(!page.contains("<b>plain"), "unescaped label");
        assert!(!page.contains("<i>t</i>"), "unescaped title");
        assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assert!(page.contains("a &amp; b &lt;img"));
    }

    #[test]
    fn headline_table_has_one_row_per_design_and_dashes_for_gaps() {
        let mut summary = fixture();
        summary["designs"][2]["lawful"] = Value::Null;
        let page = render(&summary, &[]).unwrap();
        assert_eq!(page.matches("<tr><th scope=\"row\">").count(), 3);
        assert!(page.contains(
            "<tr><th scope=\"row\">escrow/global/chain</th><td>83.3\u{a0}%</td><td>2,500</td>\
             <td>1</td><td>1,759.5</td><td>80.0\u{a0}%</td><td>62.0 (1.51×)</td>\
             <td>248.9 (+80.5)</td></tr>"
        ));
        assert!(page.contains("<td>3.66×</td>") || page.contains("(3.66×)"));
        assert!(page.contains("<td>–</td>"));
    }

    #[test]
    fn renders_a_summary_with_only_old_fields() {
        let summary = serde_json::json!({
            "schema_version": 1, "doormat_version": "0.1.0", "seed": 1,
            "scenario": {"name": "scaling", "seed": 1, "duration_days": 1.0},
            "designs": [{"label": "plain", "wire_bytes_per_message": 160.0,
                         "wire_overhead_vs_plain": null, "cpu_ns_per_message": {"total": 40000.0},
                         "cpu_ratio_vs_plain": null}]
        });
        let page = render(&summary, &[]).unwrap();
        assert!(
            page.contains("<td>–</td><td>–</td><td>–</td><td>–</td><td>40.0</td><td>160.0</td>")
        );
        assert!(page.contains("a <code>lawful</code> block"));
        assert!(!page.contains("id=\"figures\""));
    }

    #[test]
    fn strips_the_xml_prolog_of_figures() {
        let svg = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg viewBox=\"0 0 1 1\"></svg>\n";
        let page = render(&fixture(), &[("t".into(), svg.into())]).unwrap();
        assert!(!page.contains("<?xml"));
        assert!(page.contains("<svg viewBox=\"0 0 1 1\"></svg>\n<figcaption>Figure 1. t"));
    }

    #[test]
    fn rejects_a_summary_that_is_not_an_object() {
        let error = render(&serde_json::json!([1]), &[]).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("must be a JSON object, found an array")
        );
    }
}
