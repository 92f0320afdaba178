#pragma once

#include <map>
#include <string>
#include <vector>

namespace dp::test {

/// One element of generated markup: its name and attributes (values still escaped) and, for
/// elements with text, the text up to the next tag.
struct MarkupElement {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::string text;

  double number(const std::string& attribute) const {
    const auto it = attributes.find(attribute);
    return it == attributes.end() ? 0.0 : std::stod(it->second);
  }
};

/// Reads the tags of generated SVG/HTML and checks that they nest (every opened element is
/// closed in order), that text holds no raw `<` and that every `&` starts an entity; returns
/// the elements in document order. Sets `error` and stops at the first problem. Not a full
/// XML parser: enough to prove the report's markup is balanced and escaped.
inline std::vector<MarkupElement> parse_markup(const std::string& markup, std::string& error) {
  static const char* const kVoid[] = {"meta", "br", "hr", "img", "input", "link"};
  std::vector<MarkupElement> out;
  std::vector<std::string> open;
  const auto check_text = [&](const std::string& text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '&') {
        const auto end = text.find(';', i);
        if (end == std::string::npos || end - i > 8) {
          error = "bare & in text: " + text.substr(i, 20);
          return false;
        }
      }
    }
    return true;
  };
  std::size_t i = 0;
  while (i < markup.size()) {
    const auto lt = markup.find('<', i);
    const std::string text = markup.substr(i, lt == std::string::npos ? std::string::npos : lt - i);
    if (!check_text(text)) {
      return out;
    }
    if (!out.empty() && out.back().text.empty()) {
      out.back().text = text;
    }
    if (lt == std::string::npos) {
      break;
    }
    if (markup.compare(lt, 9, "<!DOCTYPE") == 0) {
      i = markup.find('>', lt) + 1;
      continue;
    }
    const auto gt = markup.find('>', lt);
    if (gt == std::string::npos) {
      error = "unterminated tag";
      return out;
    }
    std::string tag = markup.substr(lt + 1, gt - lt - 1);
    if (tag.rfind("style", 0) == 0) {  // CSS is not markup
      const auto end = markup.find("</style>", gt);
      i = end + 8;
      continue;
    }
    i = gt + 1;
    if (!tag.empty() && tag[0] == '/') {
      const std::string name = tag.substr(1);
      if (open.empty() || open.back() != name) {
        error =
            "closing </" + name + "> does not match <" + (open.empty() ? "" : open.back()) + ">";
        return out;
      }
      open.pop_back();
      continue;
    }
    const bool self_closing = !tag.empty() && tag.back() == '/';
    if (self_closing) {
      tag.pop_back();
    }
    MarkupElement element;
    const auto space = tag.find_first_of(" \n");
    element.name = tag.substr(0, space);
    std::size_t p = space;
    while (p != std::string::npos && p < tag.size()) {
      const auto eq = tag.find("=\"", p);
      if (eq == std::string::npos) {
        break;
      }
      const auto name_start = tag.find_last_of(" \n", eq) + 1;
      const auto close = tag.find('"', eq + 2);
      if (close == std::string::npos) {
        error = "unterminated attribute in <" + element.name + ">";
        return out;
      }
      const auto value = tag.substr(eq + 2, close - eq - 2);
      if (value.find('<') != std::string::npos || !check_text(value)) {
        error = error.empty() ? "raw < in attribute" : error;
        return out;
      }
      element.attributes[tag.substr(name_start, eq - name_start)] = value;
      p = close + 1;
    }
    bool is_void = false;
    for (const char* name : kVoid) {
      is_void = is_void || element.name == name;
    }
    if (!self_closing && !is_void) {
      open.push_back(element.name);
    }
    out.push_back(std::move(element));
  }
  if (!open.empty()) {
    error = "<" + open.back() + "> is never closed";
  }
  return out;
}

/// The elements named `name`.
inline std::vector<MarkupElement> elements_named(const std::vector<MarkupElement>& all,
                                                 const std::string& name) {
  std::vector<MarkupElement> out;
  for (const auto& element : all) {
    if (element.name == name) {
      out.push_back(element);
    }
  }
  return out;
}

}  // namespace dp::test
