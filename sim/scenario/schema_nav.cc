#include "scenario/schema_nav.h"

#include <algorithm>

#include "scenario/finding.h"

namespace shardsim::scenario_internal {

const json& resolve(const json& root, const json& schema) {
  const json* current = &schema;
  // A bounded loop: a schema whose $refs form a cycle must not hang the loader.
  for (int hops = 0; hops < 16 && current->is_object() && current->contains("$ref"); ++hops) {
    const std::string& ref = (*current)["$ref"].get_ref<const std::string&>();
    current = &root.at(json::json_pointer(ref.substr(1)));
  }
  return *current;
}

const json* default_of(const json& root, const json& property_schema) {
  if (property_schema.contains("default")) return &property_schema["default"];
  const json& resolved = resolve(root, property_schema);
  return resolved.contains("default") ? &resolved["default"] : nullptr;
}

const json* union_branches(const json& schema) {
  if (schema.contains("oneOf")) return &schema["oneOf"];
  if (schema.contains("anyOf")) return &schema["anyOf"];
  return nullptr;
}

bool type_admits(const json& schema, const json& value) {
  if (!schema.contains("type")) return true;
  const auto admits = [&value](const std::string& type) {
    if (type == "number") return value.is_number();
    if (type == "integer") return value.is_number_integer();
    if (type == "string") return value.is_string();
    if (type == "object") return value.is_object();
    if (type == "array") return value.is_array();
    if (type == "boolean") return value.is_boolean();
    return type == "null" && value.is_null();
  };
  const json& type = schema["type"];
  if (type.is_string()) return admits(type.get<std::string>());
  for (const auto& one : type) {
    if (admits(one.get<std::string>())) return true;
  }
  return false;
}

std::string discriminator(const json& root, const std::vector<const json*>& branches) {
  if (branches.size() < 2 || !branches.front()->contains("properties")) return {};
  for (const auto& [name, property] : (*branches.front())["properties"].items()) {
    bool pinned_everywhere = true;
    for (const json* branch : branches) {
      const auto properties = branch->find("properties");
      pinned_everywhere = pinned_everywhere && properties != branch->end() && properties->contains(name) &&
                          resolve(root, (*properties)[name]).contains("const");
    }
    if (pinned_everywhere) return name;
  }
  return {};
}

const json* select_branch(const json& root, const json& union_schema, const json& value) {
  std::vector<const json*> candidates;
  for (const auto& branch : *union_branches(union_schema)) {
    const json& resolved = resolve(root, branch);
    if (type_admits(resolved, value)) candidates.push_back(&resolved);
  }
  if (candidates.size() == 1) return candidates.front();
  const std::string key = discriminator(root, candidates);
  if (key.empty() && value.is_object()) {
    // No discriminator (a link: "between", or "from" and "to"): the only branch whose required
    // keys are all there. Otherwise the checks that follow branches would skip the value.
    const json* only = nullptr;
    for (const json* branch : candidates) {
      const auto required = branch->find("required");
      if (required == branch->end() || !required->is_array()) return nullptr;
      const bool complete = std::all_of(required->begin(), required->end(), [&](const json& name) {
        return name.is_string() && value.contains(name.get<std::string>());
      });
      if (complete && only) return nullptr;
      if (complete) only = branch;
    }
    return only;
  }
  if (key.empty() || !value.is_object() || !value.contains(key)) return nullptr;
  for (const json* branch : candidates) {
    if (resolve(root, (*branch)["properties"][key])["const"] == value[key]) return branch;
  }
  return nullptr;
}

namespace {

void visit_uses(const json& root, const json& schema, const json& value, const std::string& pointer,
                const std::string& ref, const std::function<void(const std::string&, const json&)>& visit) {
  if (schema.is_object() && schema.value("$ref", "") == ref) visit(pointer, value);
  const json& resolved = resolve(root, schema);
  if (!resolved.is_object()) return;
  if (union_branches(resolved)) {
    if (const json* branch = select_branch(root, resolved, value))
      visit_uses(root, *branch, value, pointer, ref, visit);
    return;
  }
  if (!type_admits(resolved, value)) return;
  if (value.is_object()) {
    const json* properties = resolved.contains("properties") ? &resolved["properties"] : nullptr;
    const auto additional = resolved.find("additionalProperties");
    for (const auto& [name, member] : value.items()) {
      const std::string member_pointer = child_pointer(pointer, name);
      if (properties && properties->contains(name)) {
        visit_uses(root, (*properties)[name], member, member_pointer, ref, visit);
      } else if (additional != resolved.end() && additional->is_object()) {
        visit_uses(root, *additional, member, member_pointer, ref, visit);
      }
    }
  } else if (value.is_array() && resolved.contains("items") && resolved["items"].is_object()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      visit_uses(root, resolved["items"], value[i], child_pointer(pointer, i), ref, visit);
    }
  }
}

}  // namespace

void visit_definition_uses(const json& root, const json& document, const std::string& ref,
                           const std::function<void(const std::string&, const json&)>& visit) {
  visit_uses(root, root, document, "", ref, visit);
}

}  // namespace shardsim::scenario_internal
