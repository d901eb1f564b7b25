// The "methods" section: provenance (tool, input, seeds, configuration, timing) and a short
// explanation of each metric in the report.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/dp_guarantee.h"
#include "report/markup.h"
#include "report/report_sections.h"

namespace privaudit::report::detail {

namespace {

std::string fact_row(const std::string& label, const std::string& value) {
  return table_row({escape_xml(label), value});
}

std::string seconds_text(double seconds) {
  if (std::isnan(seconds)) return "n/a";
  if (seconds < 1.0) return fmt::format("{:.2f} s", seconds);
  return seconds < 60.0 ? fmt::format("{:.1f} s", seconds) : fmt::format("{:.1f} min", seconds / 60.0);
}

// Indented JSON like dump(2), but an array of numbers, strings, booleans or nulls stays on one
// line, so that grids such as rmia_offline_a_grid do not take one line per value.
void pretty_json(const Json& value, int indent, std::string& out) {
  const auto dump = [](const Json& v) { return v.dump(-1, ' ', false, Json::error_handler_t::replace); };
  const std::string pad(static_cast<std::size_t>(indent + 2), ' ');
  const std::string close_pad(static_cast<std::size_t>(indent), ' ');
  if (value.is_object() && !value.empty()) {
    out += "{\n";
    std::size_t i = 0;
    for (const auto& item : value.items()) {
      out += pad + dump(Json(item.key())) + ": ";
      pretty_json(item.value(), indent + 2, out);
      out += ++i < value.size() ? ",\n" : "\n";
    }
    out += close_pad + "}";
  } else if (value.is_array() && std::any_of(value.begin(), value.end(), [](const Json& v) { return v.is_structured(); })) {
    out += "[\n";
    for (std::size_t i = 0; i < value.size(); ++i) {
      out += pad;
      pretty_json(value[i], indent + 2, out);
      out += i + 1 < value.size() ? ",\n" : "\n";
    }
    out += close_pad + "]";
  } else if (value.is_array()) {
    out += "[";
    for (std::size_t i = 0; i < value.size(); ++i) out += (i == 0 ? "" : ", ") + dump(value[i]);
    out += "]";
  } else {
    out += dump(value);
  }
}

struct MetricNote {
  const char* term;
  const char* explanation;
};

// Plain-language definitions, in the order a reader meets the metrics in the report.
constexpr MetricNote kMetricNotes[] = {
    {"Signal",
     "For each model and pool record, the logit-scaled confidence of the true label, log(p / (1 − p)), computed "
     "from the logits. Models are usually more confident on the records they trained on."},
    {"Record AUC, binormal",
     "For one record, the signals of the models that trained on it (IN) against those that did not (OUT): "
     "Φ((mean IN − mean OUT) / √(var IN + var OUT)). It is not floored at 0.5, so values below 0.5 show records "
     "whose signal points the other way."},
    {"Record AUC, empirical",
     "The Mann-Whitney statistic U / (n IN × n OUT) of the same two sets of signals, ties counted half: the "
     "model-free alternative to the binormal AUC."},
    {"Hanley-McNeil standard error",
     "The standard error of an AUC from its value and the two sample sizes (Hanley and McNeil, Radiology 1982)."},
    {"Joint patient test",
     "Per model, the sum of the signals of all of a patient's records. A patient is IN or OUT of a model as a whole, "
     "so the AUC of these sums is the patient's joint AUC: what an attacker who combines all the patient's records "
     "can reach. The maximum record AUC is the single most exposed record."},
    {"Tail confirmation (winner's curse)",
     "The records with the highest estimated AUC are partly there because noise pushed their estimate up. The "
     "models are split into two halves with a fixed seed; half A selects the units above a threshold and half B "
     "re-measures them. The confirmed count is free of that selection bias, although some chance passes remain."},
    {"Survival function",
     "The share of records (patients) whose AUC exceeds x, with a pointwise 95% band from Greenwood's variance, "
     "which without censoring is the binomial band of a proportion."},
    {"LiRA",
     "Likelihood-ratio attack (Carlini et al., IEEE S&P 2022). Online: the target model's signal is compared with "
     "Gaussian fits of the reference models' IN and OUT signals for the same record. Offline: only OUT references, "
     "one-sided."},
    {"RMIA",
     "Relative membership inference attack (Zarifzadeh, Liu and Shokri, ICML 2024): the ratio of the record's "
     "probability under the target model to its average under the reference models, compared with the same ratio "
     "for population records. The offline variant approximates the IN models with a parameter a, tuned on "
     "reference models only."},
    {"Loss attack", "The target model's own signal ranks the records: a more confident record is called a member."},
    {"TPR at fixed FPR",
     "The share of members an attack finds while wrongly accusing only 0.1% or 1% of non-members, interpolated on "
     "each target's ROC curve, then mean and SD over targets."},
    {"Pearson residual",
     "For a group with share s of the pool, the expected count among the top_n most exposed units is E = s × top_n; "
     "with O the observed count, the residual is (O − E) / √E. Its p-value is a two-sided normal test; * marks "
     "p < 0.05 and ** p < 0.05 divided by the number of groups of the attribute (Bonferroni)."},
    {"χ² test with Bonferroni correction",
     "Σ (O − E)² / E over an attribute's groups with (groups − 1) degrees of freedom asks whether the attribute "
     "matters at all. Its p-value is multiplied by the number of attributes tested, capped at 1."},
    {"Bootstrap confidence interval",
     "Percentile interval from resampling each group's patients with replacement, taking all records of a drawn "
     "patient, because records of one patient are not independent."},
    {"Small-cell suppression",
     "Groups with fewer patients than the reporting minimum appear without any numbers, so that the report cannot "
     "single out a handful of patients. They still count in the χ² test and the Spearman correlation."},
    {"Spearman's rho",
     "Rank correlation between the groups' shares of the pool and their Pearson residuals."},
};

}  // namespace

std::string render_methods_section(const Json& summary) {
  std::string out = "<section id=\"methods\">\n<h2>Methods and provenance</h2>\n";

  // 1. Provenance facts.
  out += "<table class=\"settings\">\n<tbody>\n";
  out += fact_row("Tool", escape_xml(text_at(&summary, "tool", "privaudit") + " " + text_at(&summary, "version", "n/a")));
  const Json* input = find(&summary, "input");
  out += fact_row("Input file", "<code>" + escape_xml(text_at(input, "path", "n/a")) + "</code>");
  out += fact_row("Input SHA-256", "<code class=\"hash\">" + escape_xml(text_at(input, "sha256", "n/a")) + "</code>");
  out += fact_row("Input size", escape_xml(fmt::format("{} rows, {} columns", count_text(number_at(input, "rows")),
                                                       count_text(number_at(input, "columns")))));
  const Json* counts = find(&summary, "counts");
  out += fact_row("Audit pool", escape_xml(fmt::format("{} records of {} patients",
                                                       count_text(number_at(counts, "pool_records")),
                                                       count_text(number_at(counts, "pool_patients")))));
  out += fact_row("Test split", escape_xml(fmt::format("{} records of {} patients, never trained on",
                                                       count_text(number_at(counts, "test_records")),
                                                       count_text(number_at(counts, "test_patients")))));
  out += fact_row("Models (M)", escape_xml(count_text(number(find(&summary, "models")))));
  const Json* model = find_path(summary, {"config", "model"});
  if (model != nullptr) {
    // Logistic regression and the small CNN have no size to set; resnet1d counts blocks and wrn
    // is named as in the literature (WRN-depth-widen).
    const std::string kind = text_at(model, "kind", "n/a");
    std::string shape = kind;
    if (kind == "wrn") {
      shape = "wrn, WRN-" + text_at(model, "depth") + "-" + text_at(model, "width");
    } else if (kind == "resnet1d") {
      shape += ", " + text_at(model, "depth") + " residual blocks";
    } else if (kind != "logistic" && kind != "cnn") {
      if (find(model, "width") != nullptr) shape += ", width " + text_at(model, "width");
      if (find(model, "depth") != nullptr) shape += ", depth " + text_at(model, "depth");
    }
    const Json* parameters = find_path(summary, {"training", "parameters"});
    if (parameters != nullptr) shape += ", " + count_text(number(parameters)) + " parameters";
    out += fact_row("Model", escape_xml(shape));
  }
  const Json* seeds = find(&summary, "seeds");
  if (seeds != nullptr && seeds->is_object()) {
    std::string list;
    for (const auto& item : seeds->items()) {
      list += fmt::format("{}{} <code>{}</code>", list.empty() ? "" : "; ", escape_xml(item.key()),
                          escape_xml(text(&item.value(), "n/a")));
    }
    out += fact_row("Seeds", list);
  }
  const Json* timing = find(&summary, "timing");
  out += fact_row("Timing", escape_xml(fmt::format(
                                "plan {}, training {}, analysis {}", seconds_text(number_at(timing, "plan_seconds")),
                                seconds_text(number_at(timing, "train_seconds")),
                                seconds_text(number_at(timing, "analyze_seconds")))));
  const double model_seconds = number(find_path(summary, {"training", "model_seconds_total"}));
  if (std::isfinite(model_seconds)) {
    out += fact_row("Training time summed over models", escape_xml(seconds_text(model_seconds)));
  }
  out += "</tbody>\n</table>\n";

  // 2. The DP-SGD guarantee, when the models were trained with it.
  const std::optional<DpGuarantee> dp = read_dp_guarantee(summary);
  if (dp) out += dp_methods_html(*dp);

  // 3. Full configuration.
  const Json* config = find(&summary, "config");
  if (config != nullptr) {
    out += "<h3>Configuration</h3>\n<p>Every setting of the run, as resolved from defaults, the configuration file and "
           "the command line. The same configuration and seeds give the same results.</p>\n";
    std::string config_text;
    pretty_json(*config, 0, config_text);
    out += "<pre class=\"config\">" + escape_xml(config_text) + "</pre>\n";
  } else {
    out += "<p class=\"missing\">The configuration is not in this summary.</p>\n";
  }

  // 4. Metrics.
  out += "<h3>Metrics</h3>\n<dl class=\"metrics\">\n";
  for (const auto& note : kMetricNotes) {
    out += fmt::format("<dt>{}</dt><dd>{}</dd>\n", escape_xml(note.term), escape_xml(note.explanation));
  }
  out += "</dl>\n";
  return out + "</section>\n";
}

}  // namespace privaudit::report::detail
