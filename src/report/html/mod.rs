//! `report.html`: one self-contained page a researcher can open offline, archive or print. It
//! holds the run's headline numbers, its figures as inline SVG, the framework questions answered
//! from this run, and the scenario as run. No scripts, fonts or links to load: a
//! Content-Security-Policy forbids any. It reads the run's [`Summary`]: a section whose block
//! the run lacks (no adversary, no warrants) says which scenario block would add it.

mod header;
mod style;

use std::{
    fmt::Write,
    path::{Path, PathBuf},
};

use self::{
    header::{header, headline},
    style::STYLE,
};
use super::{ReportError, Summary, framework, write_atomic};

/// Renders the page for `summary` with `figures`, each a
/// `(title, SVG markup)` pair shown in order with its title as caption. Text from the summary is
/// HTML-escaped; the SVG markup is trusted (doormat's own plots) and embedded as is.
pub fn render(summary: &Summary, figures: &[(String, String)]) -> Result<String, ReportError> {
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
        escape(&summary.scenario.name)
    );
    header(&mut page, summary);
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
    summary: &Summary,
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

fn framework_section(page: &mut String, summary: &Summary) {
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

fn footer(page: &mut String, summary: &Summary) -> Result<(), ReportError> {
    page.push_str("<footer>\n");
    // Through a JSON value, whose keys come out in alphabetical order, as the page has always
    // shown them.
    let json = serde_json::to_value(&summary.scenario)
        .and_then(|scenario| serde_json::to_string_pretty(&scenario))
        .map_err(|e| ReportError::Encode(format!("report.html: scenario: {e}")))?;
    let _ = write!(
        page,
        "<details>\n<summary>The scenario as run (JSON)</summary>\n<pre>{}</pre>\n\
         </details>\n",
        escape(&json)
    );
    let _ = writeln!(
        page,
        "<p>Written by doormat {} from <code>summary.json</code>.</p>",
        escape(&summary.doormat_version)
    );
    page.push_str("</footer>\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn fixture_json() -> Value {
        serde_json::from_str(include_str!("../../../tests/all/report/summary.json")).unwrap()
    }

    fn load(summary: Value) -> Summary {
        serde_json::from_value(summary).unwrap()
    }

    #[test]
    fn escapes_user_text_everywhere() {
        let mut summary = fixture_json();
        summary["scenario"]["name"] = "<script>alert('x')</script>".into();
        summary["scenario"]["description"] = "a & b <img src=x onerror=alert(1)>".into();
        summary["designs"][0]["label"] = "<b>plain</b>".into();
        let page = render(&load(summary), &[("<i>t</i>".into(), "<svg></svg>".into())]).unwrap();
        assert!(!page.contains("<script"), "unescaped script");
        assert!(!page.contains("<img"), "unescaped img");
        assert!(!page.contains("<b>plain"), "unescaped label");
        assert!(!page.contains("<i>t</i>"), "unescaped title");
        assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assert!(page.contains("a &amp; b &lt;img"));
    }

    #[test]
    fn headline_table_has_one_row_per_design_and_dashes_for_gaps() {
        let mut summary = fixture_json();
        summary["designs"][2]["lawful"] = Value::Null;
        let page = render(&load(summary), &[]).unwrap();
        assert_eq!(page.matches("<tr><th scope=\"row\">").count(), 3);
        assert!(page.contains(
            "<tr><th scope=\"row\">escrow/global/chain</th><td>83.3\u{a0}%</td><td>2,500</td>\
             <td>1</td><td>1,759.5</td><td>80.0\u{a0}%</td><td>62.0 (1.51×)</td>\
             <td>248.9 (+80.5)</td></tr>"
        ));
        assert!(page.contains("<td>3.66×</td>") || page.contains("(3.66×)"));
        assert!(page.contains("<td>–</td>"));
    }

    /// A summary in the first layout: no adversary, lawful or baseline fields anywhere.
    #[test]
    fn renders_a_summary_with_only_old_fields() {
        let summary = json!({
            "schema_version": 1, "doormat_version": "0.1.0", "seed": 1,
            "scenario": {"name": "scaling", "description": "", "seed": 1, "duration_days": 1.0,
                         "population": {"users": 10}, "designs": [{"kind": "plain"}]},
            "conversations": 5, "threads": 1, "wall_seconds": 0.5, "messages_per_second": 10.0,
            "peak_memory_bytes": 0,
            "designs": [{"label": "plain", "wire_bytes_per_message": 160.0,
                         "counts": {"conversations": 5, "handshakes": 5, "sent": 5,
                                    "delivered": 5, "failed": 0, "dh_steps": 2,
                                    "plaintext_bytes": 500, "wire_bytes": 800,
                                    "sent_per_hour": [5]},
                         "wire_overhead_vs_plain": null,
                         "cpu_ns_per_message": {"handshake": 0.0, "ratchet": 0.0, "escrow": 0.0,
                                                "adversary": 0.0, "engine": 0.0,
                                                "total": 40000.0},
                         "cpu_ratio_vs_plain": null, "messages_per_cpu_second": 25000.0}]
        });
        let summary = Summary::from_json(&summary.to_string()).unwrap();
        assert_eq!(summary.baseline, None);
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
        let page = render(&load(fixture_json()), &[("t".into(), svg.into())]).unwrap();
        assert!(!page.contains("<?xml"));
        assert!(page.contains("<svg viewBox=\"0 0 1 1\"></svg>\n<figcaption>Figure 1. t"));
    }
}
