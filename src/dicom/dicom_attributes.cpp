#include "dicom/dicom_attributes.h"

#include <fmt/format.h>

#include <cmath>
#include <utility>

#include "core/error.h"
#include "dcmtk/dcmdata/dcitem.h"
#include "dcmtk/dcmdata/dcsequen.h"
#include "dcmtk/dcmdata/dctag.h"
#include "dcmtk/dcmdata/dcvris.h"

namespace privaudit::dicom {

namespace {

// The element for `tag` in `item` (top level only), or nullptr when it is absent or empty.
DcmElement* find_nonempty_element(DcmItem& item, const DcmTagKey& tag) {
  DcmElement* element = nullptr;
  if (item.findAndGetElement(tag, element).bad() || element == nullptr) {
    return nullptr;
  }
  return element->getLength() == 0 ? nullptr : element;
}

}  // namespace

std::string describe_tag(const DcmTagKey& tag) {
  DcmTag dictionary_tag(tag);
  const char* keyword = dictionary_tag.getTagName();
  const std::string number = fmt::format("({:04X},{:04X})", tag.getGroup(), tag.getElement());
  if (keyword == nullptr || std::string(keyword) == DcmTag_ERROR_TagName) {
    return "attribute " + number;
  }
  return std::string(keyword) + " " + number;
}

AttributeReader::AttributeReader(DcmItem& item, const std::filesystem::path& path,
                                 std::string context)
    : item_(item), path_(path), context_(std::move(context)) {}

void AttributeReader::fail(const std::string& message) const {
  std::string text = path_.string() + ": ";
  if (!context_.empty()) {
    text += context_ + ": ";
  }
  throw InputError(text + message);
}

std::optional<std::uint16_t> AttributeReader::find_uint16(const DcmTagKey& tag) const {
  DcmElement* element = find_nonempty_element(item_, tag);
  if (element == nullptr) {
    return std::nullopt;
  }
  Uint16 value = 0;
  if (element->getUint16(value).bad()) {
    fail(describe_tag(tag) +
         " is not an unsigned 16-bit integer (VR US) as the DICOM standard "
         "requires; the file is damaged or was written by a non-conforming program.");
  }
  return value;
}

std::uint16_t AttributeReader::require_uint16(const DcmTagKey& tag) const {
  const std::optional<std::uint16_t> value = find_uint16(tag);
  if (!value) {
    fail(describe_tag(tag) + " is missing or empty; it is required here.");
  }
  return *value;
}

std::uint32_t AttributeReader::require_uint32(const DcmTagKey& tag) const {
  DcmElement* element = find_nonempty_element(item_, tag);
  if (element == nullptr) {
    fail(describe_tag(tag) + " is missing or empty; it is required here.");
  }
  Uint32 value = 0;
  if (element->getUint32(value).bad()) {
    fail(describe_tag(tag) +
         " is not an unsigned 32-bit integer (VR UL) as the DICOM standard "
         "requires; the file is damaged or was written by a non-conforming program.");
  }
  return value;
}

std::optional<std::int64_t> AttributeReader::find_integer_string(const DcmTagKey& tag) const {
  DcmElement* element = find_nonempty_element(item_, tag);
  if (element == nullptr) {
    return std::nullopt;
  }
  Sint32 value = 0;
  if (element->ident() != EVR_IS ||
      static_cast<DcmIntegerString*>(element)->getSint32(value).bad()) {
    fail(describe_tag(tag) + " is not a valid Integer String (VR IS).");
  }
  return value;
}

std::optional<double> AttributeReader::find_decimal(const DcmTagKey& tag) const {
  DcmElement* element = find_nonempty_element(item_, tag);
  if (element == nullptr) {
    return std::nullopt;
  }
  Float64 value = 0.0;
  if (element->getFloat64(value).bad() || !std::isfinite(value)) {
    fail(describe_tag(tag) + " is not a finite decimal number (VR DS, FL or FD).");
  }
  return value;
}

double AttributeReader::require_decimal(const DcmTagKey& tag) const {
  const std::optional<double> value = find_decimal(tag);
  if (!value) {
    fail(describe_tag(tag) + " is missing or empty; it is required here.");
  }
  return *value;
}

std::optional<std::string> AttributeReader::find_string(const DcmTagKey& tag) const {
  DcmElement* element = find_nonempty_element(item_, tag);
  if (element == nullptr) {
    return std::nullopt;
  }
  OFString value;
  if (element->getOFString(value, 0, OFTrue).bad()) {
    fail(describe_tag(tag) + " cannot be read as text.");
  }
  return std::string(value.c_str(), value.length());
}

std::string AttributeReader::require_string(const DcmTagKey& tag) const {
  std::optional<std::string> value = find_string(tag);
  if (!value || value->empty()) {
    fail(describe_tag(tag) + " is missing or empty; it is required here.");
  }
  return std::move(*value);
}

DcmSequenceOfItems* AttributeReader::find_sequence(const DcmTagKey& tag) const {
  if (!item_.tagExists(tag)) {
    return nullptr;
  }
  DcmSequenceOfItems* sequence = nullptr;
  if (item_.findAndGetSequence(tag, sequence).bad() || sequence == nullptr) {
    fail(describe_tag(tag) + " is not a sequence (VR SQ) as the DICOM standard requires.");
  }
  return sequence;
}

DcmSequenceOfItems& AttributeReader::require_sequence(const DcmTagKey& tag) const {
  DcmSequenceOfItems* sequence = find_sequence(tag);
  if (sequence == nullptr) {
    fail(describe_tag(tag) + " is missing; it is required here.");
  }
  return *sequence;
}

std::optional<AttributeReader> AttributeReader::find_item(const DcmTagKey& sequence_tag,
                                                          std::size_t index) const {
  DcmSequenceOfItems* sequence = find_sequence(sequence_tag);
  if (sequence == nullptr || index >= sequence->card()) {
    return std::nullopt;
  }
  std::string item_context = context_.empty() ? std::string() : context_ + ", ";
  item_context += fmt::format("{} item {}", describe_tag(sequence_tag), index);
  return AttributeReader(*sequence->getItem(static_cast<unsigned long>(index)), path_,
                         std::move(item_context));
}

AttributeReader AttributeReader::require_item(const DcmTagKey& sequence_tag,
                                              std::size_t index) const {
  const DcmSequenceOfItems& sequence = require_sequence(sequence_tag);
  const std::size_t count = sequence.card();
  if (index >= count) {
    fail(fmt::format("{} has {} item(s); item {} (counting from 0) is required here.",
                     describe_tag(sequence_tag), count, index));
  }
  return *find_item(sequence_tag, index);
}

}  // namespace privaudit::dicom
