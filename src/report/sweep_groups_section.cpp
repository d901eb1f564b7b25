// The "sweep-groups" section: for each attribute, one row per group and one column per recipe
// with the group's record-level Pearson residual and p-value, and one sentence on where the
// disparity is significant.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "report/markup.h"
#include "report/report_sections.h"
#include "report/sweep_sections.h"

namespace privaudit::report::detail {

namespace {

// One attribute across the recipes.
struct AttributeAcross {
  std::string name;
  std::vector<const Json*> entries;  // [recipes] the attribute's object in each recipe's "groups", or nullptr
  std::vector<std::string> groups;   // group names in order of first appearance over the recipes
};

std::vector<AttributeAcross> collect_attributes(const Json& recipes) {
  std::vector<AttributeAcross> attributes;
  for (std::size_t r = 0; r < recipes.size(); ++r) {
    for (const auto& entry : array_or_empty(find(&recipes[r], "groups"))) {
      const std::string name = text_at(&entry, "attribute", "n/a");
      auto it = std::find_if(attributes.begin(), attributes.end(),
                             [&](const AttributeAcross& a) { return a.name == name; });
      if (it == attributes.end()) {
        attributes.push_back({name, std::vector<const Json*>(recipes.size(), nullptr), {}});
        it = attributes.end() - 1;
      }
      // A repeated attribute within one recipe keeps its first entry.
      if (it->entries[r] == nullptr) it->entries[r] = &entry;
      for (const auto& group : array_or_empty(find(&entry, "groups"))) {
        const std::string group_name = text_at(&group, "name", "n/a");
        if (std::find(it->groups.begin(), it->groups.end(), group_name) == it->groups.end()) {
          it->groups.push_back(group_name);
        }
      }
    }
  }
  return attributes;
}

const Json* group_in(const Json* attribute, const std::string& name) {
  for (const auto& group : array_or_empty(find(attribute, "groups"))) {
    if (text_at(&group, "name", "n/a") == name) return &group;
  }
  return nullptr;
}

bool is_suppressed(const Json& group) { return text_at(&group, "suppressed") == "true"; }

// Whether the group's record-level p-value is below 0.05 / (groups of the attribute in this
// recipe, suppressed groups included).
bool significant(const Json* attribute, const std::string& name) {
  const Json* group = group_in(attribute, name);
  if (group == nullptr || is_suppressed(*group)) return false;
  const std::size_t tested = array_or_empty(find(attribute, "groups")).size();
  return significance_mark(number_at(group, "p_value"), tested) == "**";
}

std::vector<std::string> significant_groups(const AttributeAcross& attribute, std::size_t recipe) {
  std::vector<std::string> names;
  for (const auto& name : attribute.groups) {
    if (significant(attribute.entries[recipe], name)) names.push_back(name);
  }
  return names;
}

std::string cell(const Json* attribute, const std::string& name) {
  if (attribute == nullptr) return "<td>not analysed</td>";
  const Json* group = group_in(attribute, name);
  if (group == nullptr) return "<td>not listed</td>";
  if (is_suppressed(*group)) return "<td>suppressed</td>";
  const double p = number_at(group, "p_value");
  const std::string mark = significance_mark(p, array_or_empty(find(attribute, "groups")).size());
  return fmt::format("<td>{}{}<span class=\"ci\">{}</span></td>", escape_xml(fixed(number_at(group, "residual"), 2)),
                     mark.empty() ? "" : " <span class=\"mark\">" + mark + "</span>", escape_xml(p_clause(p)));
}

std::string attribute_test_cell(const Json* attribute) {
  if (attribute == nullptr) return "<td>not analysed</td>";
  return fmt::format("<td>{}<span class=\"ci\">Bonferroni {}</span></td>",
                     escape_xml(p_clause(number_at(attribute, "p_value"))),
                     escape_xml(p_value_text(number_at(attribute, "p_bonferroni"))));
}

std::string attribute_table(const AttributeAcross& attribute, const Json& recipes) {
  std::string out = "<table class=\"numbers\">\n<thead><tr><th>Group</th>";
  for (std::size_t r = 0; r < recipes.size(); ++r) out += "<th>" + escape_xml(recipe_label(recipes[r], r)) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& name : attribute.groups) {
    out += "<tr><td>" + escape_xml(name) + "</td>";
    for (const Json* entry : attribute.entries) out += cell(entry, name);
    out += "</tr>\n";
  }
  out += "<tr><td>All groups (χ² test)</td>";
  for (const Json* entry : attribute.entries) out += attribute_test_cell(entry);
  return out + "</tr>\n</tbody>\n</table>\n";
}

// "yes: residual 3.10, p < 0.001".
std::string group_finding(const Json* attribute, const std::string& name) {
  const Json* group = group_in(attribute, name);
  return fmt::format("{}: residual {}, {}", name, fixed(number_at(group, "residual"), 2),
                     p_clause(number_at(group, "p_value")));
}

// Lists the significant findings of the attribute at one recipe: its chi-square test over all
// groups when the Bonferroni-corrected p (over the attributes) is below 0.05, and each group at **.
// Returns "χ² test Bonferroni p = 0.002, no: residual 3.03, p = 0.002", or "" when nothing is.
std::string significance_text(const AttributeAcross& attribute, std::size_t recipe) {
  const Json* entry = attribute.entries[recipe];
  std::vector<std::string> parts;
  const double p_bonferroni = number_at(entry, "p_bonferroni");
  if (p_bonferroni < 0.05) parts.push_back("χ² test Bonferroni " + p_clause(p_bonferroni));
  std::vector<std::string> groups;
  for (const auto& name : significant_groups(attribute, recipe)) groups.push_back(group_finding(entry, name));
  if (!groups.empty()) {
    // Several groups are separated by semicolons, because each finding contains a comma.
    std::string joined = groups.front();
    for (std::size_t i = 1; i < groups.size(); ++i) joined += "; " + groups[i];
    parts.push_back(joined);
  }
  if (parts.empty()) return "";
  return parts.size() == 1 ? parts.front() : parts[0] + ", " + parts[1];
}

// The analysed recipes among `indices`, sorted by whether the attribute is significant there:
// "LABEL (what is significant)" in `significant`, the plain label in `not_significant`, and the
// recipes without an analysis of the attribute in `not_analysed`.
struct RecipesBySignificance {
  std::vector<std::string> significant;
  std::vector<std::string> not_significant;
  std::vector<std::string> not_analysed;
};

RecipesBySignificance sort_recipes(const AttributeAcross& attribute, const Json& recipes,
                                   const std::vector<std::size_t>& indices) {
  RecipesBySignificance sorted;
  for (const std::size_t r : indices) {
    const std::string label = recipe_label(recipes[r], r);
    if (attribute.entries[r] == nullptr) {
      sorted.not_analysed.push_back(label);
      continue;
    }
    const std::string text = significance_text(attribute, r);
    if (text.empty()) {
      sorted.not_significant.push_back(label);
    } else {
      sorted.significant.push_back(label + " (" + text + ")");
    }
  }
  return sorted;
}

// "SUBJECT is significant at A (...), and not at B." for the analysed recipes, whichever way it
// goes; "" when none of them is analysed.
std::string significance_clause(const std::string& subject, const RecipesBySignificance& sorted) {
  if (sorted.significant.empty() && sorted.not_significant.empty()) return "";
  if (sorted.significant.empty()) return subject + " is not significant at any recipe.";
  if (sorted.not_significant.empty()) {
    return subject + " is significant at " + (sorted.significant.size() > 1 ? "every recipe: " : "") +
           join_words(sorted.significant) + ".";
  }
  return subject + " is significant at " + join_words(sorted.significant) + ", and not at " +
         join_words(sorted.not_significant) + ".";
}

// The recipe trained without DP that the DP recipes are compared with: the first one, and only
// when the sweep also has DP recipes. `recipes.size()` when there is none.
std::size_t baseline_recipe(const Json& recipes) {
  const bool any_dp = std::any_of(recipes.begin(), recipes.end(), [](const Json& r) { return recipe_uses_dp(r); });
  if (!any_dp) return recipes.size();
  for (std::size_t r = 0; r < recipes.size(); ++r) {
    if (!recipe_uses_dp(recipes[r])) return r;
  }
  return recipes.size();
}

// Whether the attribute is significant without DP, and at which DP recipes it is. A disparity
// that appears only under DP is named as plainly as one that DP removes.
std::string dp_sentence(const AttributeAcross& attribute, const Json& recipes, std::size_t baseline) {
  // The recipe's label distinguishes the baseline only when several recipes were trained without DP.
  const auto without_dp =
      std::count_if(recipes.begin(), recipes.end(), [](const Json& r) { return !recipe_uses_dp(r); });
  const std::string without = without_dp > 1 ? "Without DP (" + recipe_label(recipes[baseline], baseline) + ")"
                                             : std::string("Without DP");
  std::string sentence;
  std::string subject = "it";
  if (attribute.entries[baseline] == nullptr) {
    sentence = fmt::format("The recipe without DP has no analysis of {}.", attribute.name);
    subject = "the disparity of " + attribute.name;
  } else {
    const std::string text = significance_text(attribute, baseline);
    sentence = text.empty() ? fmt::format("{}, the disparity of {} is not significant.", without, attribute.name)
                            : fmt::format("{}, the disparity of {} is significant ({}).", without, attribute.name, text);
  }

  std::vector<std::size_t> dp_recipes;
  for (std::size_t r = 0; r < recipes.size(); ++r) {
    if (recipe_uses_dp(recipes[r])) dp_recipes.push_back(r);
  }
  const RecipesBySignificance sorted = sort_recipes(attribute, recipes, dp_recipes);
  const std::string clause = significance_clause(subject, sorted);
  if (!clause.empty()) sentence += " Under DP-SGD, " + clause;
  if (!sorted.not_analysed.empty()) {
    sentence += " The attribute is not analysed for " + join_words(sorted.not_analysed) + ".";
  }
  return sentence;
}

// At which recipes the attribute is significant, for a sweep without a recipe to compare with.
std::string recipes_sentence(const AttributeAcross& attribute, const Json& recipes) {
  std::vector<std::size_t> all(recipes.size());
  for (std::size_t r = 0; r < recipes.size(); ++r) all[r] = r;
  const RecipesBySignificance sorted = sort_recipes(attribute, recipes, all);
  std::string sentence = significance_clause("The disparity of " + attribute.name, sorted);
  if (!sorted.not_analysed.empty()) {
    if (!sentence.empty()) sentence += " ";
    sentence += "The attribute is not analysed for " + join_words(sorted.not_analysed) + ".";
  }
  return sentence;
}

}  // namespace

std::string render_sweep_groups_section(const Json& sweep) {
  std::string out = "<section id=\"sweep-groups\">\n<h2>Groups</h2>\n";
  const Json& recipes = sweep_recipes(sweep);
  const std::vector<AttributeAcross> attributes = collect_attributes(recipes);
  if (attributes.empty()) {
    out += "<p class=\"missing\">No recipe in this sweep file has a group analysis, so there is no group disparity to "
           "compare.</p>\n";
    return out + "</section>\n";
  }
  const double min_patients = number_at(&sweep, "min_group_patients");
  out += fmt::format(
      "<p>Each cell is a group's Pearson residual (O − E) / √E among the most exposed records of one recipe, with its "
      "p-value under it. A positive residual means that the group has more records among the most exposed than its "
      "share of the pool predicts. ** p &lt; 0.05 / (groups of the attribute), Bonferroni over the groups; * p &lt; "
      "0.05. An attribute counts as significant at a recipe when its χ² test over all groups has a p below 0.05 after "
      "Bonferroni correction over the attributes, or when one of its groups has **. Groups with fewer than {} "
      "patients are suppressed: none of their numbers are shown.</p>\n",
      escape_xml(std::isnan(min_patients) ? "the reporting minimum of" : count_text(min_patients)));

  std::set<std::string> used_ids;
  const std::size_t baseline = baseline_recipe(recipes);
  for (const auto& attribute : attributes) {
    std::string id = slug(attribute.name);
    for (int k = 2; used_ids.count(id) > 0; ++k) id = slug(attribute.name) + "-" + std::to_string(k);
    used_ids.insert(id);
    out += fmt::format("<article class=\"attribute\" id=\"sweep-attribute-{}\">\n<h3>{}</h3>\n", id,
                       escape_xml(attribute.name));
    const std::string sentence = baseline < recipes.size() ? dp_sentence(attribute, recipes, baseline)
                                                           : recipes_sentence(attribute, recipes);
    out += "<p>" + escape_xml(sentence) + "</p>\n";
    if (attribute.groups.empty()) {
      out += "<p class=\"missing\">This attribute has no groups in any recipe.</p>\n</article>\n";
      continue;
    }
    out += attribute_table(attribute, recipes);
    out += "</article>\n";
  }
  return out + "</section>\n";
}

}  // namespace privaudit::report::detail
